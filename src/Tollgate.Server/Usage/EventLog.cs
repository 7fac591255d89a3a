using System.Globalization;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// Reads the event log that <see cref="EventLogWriter"/> appends to: the other areas' only way to it. Every filter and
/// page is applied in SQL (the log is the largest table). Tollgate keeps usage counters per company, not per user, so
/// per-user usage is summed here from the company's track events in a window.
/// </summary>
public sealed class EventLog(Database database)
{
    private const string Columns = "seq, environment_id, event_type, event_subtype, company_id, user_id, quantity, occurred_at, received_at, CAST(backfill AS BIGINT) AS backfill, idempotency_key, body";
    // PostgreSQL sums BIGINT to NUMERIC and reads INTEGER as int: the casts keep both stores answering long.
    private const long DayMilliseconds = 86_400_000;

    /// <summary>The environment's events that pass the filter, newest first.</summary>
    public async Task<IReadOnlyList<LoggedEvent>> ListAsync(string environmentId, EventLogFilter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new DynamicParameters(new { environmentId, limit, offset });
        var where = "environment_id = @environmentId";
        void Match(string column, string name, string? value)
        {
            if (value is not null)
            {
                where += $" AND {column} = @{name}";
                parameters.Add(name, value);
            }
        }

        Match("company_id", "companyId", filter.CompanyId);
        Match("user_id", "userId", filter.UserId);
        Match("event_subtype", "subtype", filter.Subtype);
        Match("idempotency_key", "idempotencyKey", filter.IdempotencyKey);
        if (filter.Types.Count > 0)
        {
            where += " AND event_type IN " + InList(parameters, "type", filter.Types);
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            new CommandDefinition($"SELECT {Columns} FROM events WHERE {where} ORDER BY seq DESC LIMIT @limit OFFSET @offset", parameters, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEvent())];
    }

    /// <summary>One event of the environment by id, or null (also for an id that is not an event id).</summary>
    public async Task<LoggedEvent?> GetAsync(string environmentId, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.StartsWith(LoggedEvent.IdPrefix, StringComparison.Ordinal)
            || !long.TryParse(id.AsSpan(LoggedEvent.IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            new CommandDefinition($"SELECT {Columns} FROM events WHERE seq = @seq AND environment_id = @environmentId", new { seq, environmentId }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return row?.ToEvent();
    }

    /// <summary>The subtypes of the environment's track events, by name, optionally only these or those containing a text.</summary>
    public async Task<IReadOnlyList<EventSubtypeSummary>> SubtypesAsync(
        string environmentId, IReadOnlyList<string> subtypes, string? text, int limit, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subtypes);
        var parameters = new DynamicParameters(new { environmentId, limit, offset });
        var where = "environment_id = @environmentId AND event_type = 'track' AND event_subtype IS NOT NULL";
        if (subtypes.Count > 0)
        {
            where += " AND event_subtype IN " + InList(parameters, "subtype", subtypes);
        }

        if (text is not null)
        {
            where += " AND LOWER(event_subtype) LIKE @text";
            parameters.Add("text", $"%{text.ToLowerInvariant()}%");
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Subtype, long Events, long Companies, long Users, long? LastSeen)>(
            new CommandDefinition(
                $"""
                SELECT event_subtype, COUNT(*), COUNT(DISTINCT company_id), COUNT(DISTINCT user_id), MAX(occurred_at)
                FROM events WHERE {where} GROUP BY event_subtype ORDER BY event_subtype LIMIT @limit OFFSET @offset
                """,
                parameters,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new EventSubtypeSummary(r.Subtype, r.Events, r.Companies, r.Users, r.LastSeen is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null))];
    }

    /// <summary>
    /// A company's track usage per user and subtype in [<paramref name="from"/>, <paramref name="until"/>) by the events'
    /// own times (backfill included: it is usage that happened then), optionally of one user or of some subtypes.
    /// </summary>
    public async Task<IReadOnlyList<UserSubtypeUsage>> UsageByUserAsync(
        string environmentId, string companyId, string? userId, IReadOnlyCollection<string>? subtypes, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var (where, parameters) = UsageWhere(environmentId, companyId, userId, subtypes, from, until);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string? UserId, string Subtype, long Quantity, long LastSeen)>(
            new CommandDefinition(
                $"SELECT user_id, event_subtype, CAST(SUM(quantity) AS BIGINT), MAX(occurred_at) FROM events WHERE {where} GROUP BY user_id, event_subtype ORDER BY user_id, event_subtype",
                parameters,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new UserSubtypeUsage(r.UserId, r.Subtype, r.Quantity, DateTimeOffset.FromUnixTimeMilliseconds(r.LastSeen)))];
    }

    /// <summary>One user's track usage in a company per UTC day and subtype over the window, oldest day first.</summary>
    public async Task<IReadOnlyList<DailySubtypeUsage>> DailyUsageAsync(
        string environmentId, string companyId, string userId, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var (where, parameters) = UsageWhere(environmentId, companyId, userId, null, from, until);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(long Day, string Subtype, long Quantity)>(
            new CommandDefinition(
                $"SELECT occurred_at / {DayMilliseconds} AS day, event_subtype, CAST(SUM(quantity) AS BIGINT) FROM events WHERE {where} GROUP BY occurred_at / {DayMilliseconds}, event_subtype ORDER BY day, event_subtype",
                parameters,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new DailySubtypeUsage(DateTimeOffset.FromUnixTimeMilliseconds(r.Day * DayMilliseconds), r.Subtype, r.Quantity))];
    }

    private static (string Where, DynamicParameters Parameters) UsageWhere(
        string environmentId, string companyId, string? userId, IReadOnlyCollection<string>? subtypes, DateTimeOffset from, DateTimeOffset until)
    {
        var parameters = new DynamicParameters(new { environmentId, companyId, from = from.ToUnixTimeMilliseconds(), until = until.ToUnixTimeMilliseconds() });
        var where = "environment_id = @environmentId AND company_id = @companyId AND occurred_at >= @from AND occurred_at < @until AND event_type = 'track' AND event_subtype IS NOT NULL";
        if (userId is not null)
        {
            where += " AND user_id = @userId";
            parameters.Add("userId", userId);
        }

        if (subtypes is not null)
        {
            where += " AND event_subtype IN " + InList(parameters, "subtype", subtypes);
        }

        return (where, parameters);
    }

/// <summary>
    /// <c>(@name0, @name1, …)</c> with the values added: written out rather than Dapper's list expansion, which Npgsql
    /// receives as one array parameter that <c>IN</c> does not take.
    /// </summary>
    private static string InList(DynamicParameters parameters, string name, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var parameter = name + names.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(parameter, value);
            names.Add("@" + parameter);
        }

        return $"({string.Join(", ", names)})";
    }

#pragma warning disable IDE1006, SA1300 // Dapper maps columns to these snake_case names.
    // Settable properties, not a constructor: on SQLite an empty result reports a computed column as a blob, which no
    // constructor signature matches; Dapper converts property values row by row.
    private sealed class Row
    {
        public long seq { get; set; }

        public string environment_id { get; set; } = string.Empty;

        public string event_type { get; set; } = string.Empty;

        public string? event_subtype { get; set; }

        public string? company_id { get; set; }

        public string? user_id { get; set; }

        public long quantity { get; set; }

        public long occurred_at { get; set; }

        public long received_at { get; set; }

        public long backfill { get; set; }

        public string? idempotency_key { get; set; }

        public string body { get; set; } = string.Empty;

        public LoggedEvent ToEvent() => new(
            seq, environment_id, event_type, event_subtype, company_id, user_id, quantity,
            DateTimeOffset.FromUnixTimeMilliseconds(occurred_at), DateTimeOffset.FromUnixTimeMilliseconds(received_at), backfill != 0, idempotency_key, body);
    }
#pragma warning restore IDE1006, SA1300
}
