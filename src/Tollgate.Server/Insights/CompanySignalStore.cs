using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Insights;

/// <summary>
/// The SQL of <c>company_signals</c> and <c>company_insights</c> (migration 27): written by <see cref="InsightRefresher"/>,
/// listed one page at a time along the <c>(environment_id, kind, score, company_id)</c> index, so that a request reads
/// the rows of its page and never the other companies.
/// </summary>
internal sealed class CompanySignalStore(Database database)
{
    private const string Columns =
        "kind AS Kind, company_id AS CompanyId, company_name AS CompanyName, plan_id AS PlanId, feature_id AS FeatureId, score AS Score, "
        + "reason AS Reason, evidence AS Evidence, mrr AS Mrr, currency AS Currency";

    private static readonly string[] Tables = ["company_signals", "company_insights"];

    private static readonly string[] SignalColumns =
        ["environment_id", "company_id", "kind", "score", "company_name", "plan_id", "feature_id", "reason", "evidence", "mrr", "currency", "refreshed_at"];

    private static readonly string[] InsightColumns = ["environment_id", "company_id", "plan_id", "created_at", "mrr", "currency", "stale_at", "refreshed_at"];

    public Database Database { get; } = database;

    /// <summary>Replaces the signals of these companies with <paramref name="signals"/> and records when each lapses.</summary>
    public async Task ReplaceAsync(
        DbConnection connection,
        DbTransaction transaction,
        string environmentId,
        IReadOnlyCollection<string> companyIds,
        IEnumerable<CompanySignal> signals,
        IEnumerable<CompanyInsightRow> refreshed,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await TakeTurnAsync(connection, transaction, Database.Dialect, environmentId).ConfigureAwait(false);
        var at = now.ToUnixTimeMilliseconds();
        var ids = companyIds.ToArray();
        await connection.ExecuteAsync(
            $"DELETE FROM company_signals WHERE environment_id = @environmentId AND {Database.Dialect.IsAnyOf("company_id", "ids")}",
            new { environmentId, ids },
            transaction).ConfigureAwait(false);
        await MultiRowInsert.ExecuteAsync(
            connection,
            transaction,
            "company_signals",
            SignalColumns,
            [.. signals.Select(s => new object?[]
            {
                environmentId, s.CompanyId, s.Kind, s.Score, s.CompanyName, s.PlanId, s.FeatureId, s.Reason, StoredJson.Serialize(s.Evidence), s.Mrr, s.Currency, at,
            })]).ConfigureAwait(false);
        await MultiRowInsert.ExecuteAsync(
            connection,
            transaction,
            "company_insights",
            InsightColumns,
            [.. refreshed.Select(r => new object?[]
            {
                environmentId, r.CompanyId, r.PlanId, r.CreatedAt.ToUnixTimeMilliseconds(), r.Mrr, r.Currency, r.StaleAt?.ToUnixTimeMilliseconds(), at,
            })],
            """
            ON CONFLICT (environment_id, company_id) DO UPDATE SET plan_id = excluded.plan_id, created_at = excluded.created_at, mrr = excluded.mrr,
                currency = excluded.currency, stale_at = excluded.stale_at, refreshed_at = excluded.refreshed_at
            """).ConfigureAwait(false);
    }

    /// <summary>Forgets companies that are gone.</summary>
    public async Task DeleteAsync(DbConnection connection, DbTransaction transaction, string environmentId, IReadOnlyCollection<string> companyIds)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await TakeTurnAsync(connection, transaction, Database.Dialect, environmentId).ConfigureAwait(false);
        var ids = companyIds.ToArray();
        foreach (var table in Tables)
        {
            await connection.ExecuteAsync(
                $"DELETE FROM {table} WHERE environment_id = @environmentId AND {Database.Dialect.IsAnyOf("company_id", "ids")}",
                new { environmentId, ids },
                transaction).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets the companies of the environment that no longer exist (after a rebuild).</summary>
    public Task DeleteOrphansAsync(string environmentId, CancellationToken cancellationToken) =>
        Database.WriteAsync(
            async (connection, transaction) =>
            {
                await TakeTurnAsync(connection, transaction, Database.Dialect, environmentId).ConfigureAwait(false);
                foreach (var table in Tables)
                {
                    await connection.ExecuteAsync(
                        $"""
                        DELETE FROM {table} WHERE environment_id = @environmentId AND NOT EXISTS (
                            SELECT 1 FROM resources r WHERE r.environment_id = @environmentId AND r.id = {table}.company_id AND r.kind = '{ResourceKinds.Company}')
                        """,
                        new { environmentId },
                        transaction).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);

    /// <summary>One page of a list, strongest first (ties by company id, descending, to walk one index).</summary>
    public async Task<IReadOnlyList<CompanySignal>> ListAsync(string environmentId, string kind, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<StoredSignal>(new CommandDefinition(
            $"SELECT {Columns} FROM company_signals WHERE environment_id = @environmentId AND kind = @kind ORDER BY score DESC, company_id DESC LIMIT @limit OFFSET @offset",
            new { environmentId, kind, limit, offset },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToSignal())];
    }

    /// <summary>How many companies a list holds: one row of migration 50's tallies, kept as the signal rows are written.</summary>
    public async Task<long> CountAsync(string environmentId, string kind, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT companies FROM company_signal_tallies WHERE environment_id = @environmentId AND kind = @kind",
            new { environmentId, kind },
            cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;
    }

    /// <summary>The signals of one company.</summary>
    public async Task<IReadOnlyList<CompanySignal>> OfCompanyAsync(string environmentId, string companyId, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<StoredSignal>(new CommandDefinition(
            $"SELECT {Columns} FROM company_signals WHERE environment_id = @environmentId AND company_id = @companyId ORDER BY kind",
            new { environmentId, companyId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToSignal())];
    }

    /// <summary>Companies whose signals lapsed by <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<(string EnvironmentId, string CompanyId)>> StaleAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT environment_id, company_id FROM company_insights WHERE stale_at IS NOT NULL AND stale_at <= @now ORDER BY stale_at LIMIT @limit",
            new { now = now.ToUnixTimeMilliseconds(), limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>How many companies have been worked out and how many there are: a rebuild is due when they differ.</summary>
    public async Task<(long Rows, long Companies)> SizesAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            $"""
            SELECT (SELECT COUNT(*) FROM company_insights WHERE environment_id = @environmentId),
                (SELECT COUNT(*) FROM resources WHERE environment_id = @environmentId AND kind = '{ResourceKinds.Company}')
            """,
            new { environmentId },
            commandTimeout: Database.WholeStoreStatementSeconds,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The MRR of the environment's paying companies per currency, and how many pay: migration 50's revenue tallies, kept
    /// as the insight rows are written (a row per currency, whatever the number of paying companies).
    /// </summary>
    public async Task<(IReadOnlyList<(string Currency, long Amount)> Mrr, long Paying)> RevenueAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<(string, long, long)>(new CommandDefinition(
            "SELECT NULLIF(currency, ''), mrr, paying FROM company_insight_revenue WHERE environment_id = @environmentId AND paying <> 0 ORDER BY currency",
            new { environmentId },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        return ([.. rows.Select(r => (r.Item1, r.Item2))], rows.Sum(r => r.Item3));
    }

    /// <summary>
    /// Waits, inside a transaction that writes the environment's signal or insight rows, until no other transaction
    /// writes them: their statement-level triggers (migration 50) update the tallies of several kinds, and two writers
    /// updating them in different orders would deadlock on PostgreSQL; SQLite has one writer at a time already.
    /// </summary>
    public static Task TakeTurnAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string environmentId) =>
        AdvisoryLock.ForTransactionAsync(connection, transaction, dialect, AdvisoryLockNames.Insights(environmentId));

    private sealed record StoredSignal(
        string Kind, string CompanyId, string? CompanyName, string? PlanId, string? FeatureId, double Score, string Reason, string Evidence, long? Mrr, string? Currency)
    {
        public CompanySignal ToSignal() => new()
        {
            Kind = Kind, CompanyId = CompanyId, CompanyName = CompanyName, PlanId = PlanId, FeatureId = FeatureId, Score = Score, Reason = Reason,
            Evidence = StoredJson.Deserialize<SignalEvidence>(Evidence), Mrr = Mrr, Currency = Currency,
        };
    }
}
