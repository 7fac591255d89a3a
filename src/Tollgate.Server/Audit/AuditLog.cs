using System.Data.Common;
using System.Text;
using System.Text.Json;
using Dapper;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Audit;

/// <summary>
/// Records every management write in the same transaction as the write itself, so the log can neither miss a change
/// nor record one that did not happen. Being that one place, it also hands each write to the webhooks' outbox, which
/// gets the same promise.
/// </summary>
public sealed class AuditLog(Database database, TimeProvider time, Notifications.INoticeOutbox notices)
{
    /// <summary>Records a write.</summary>
    public async Task RecordAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        RequestScope? scope,
        string environmentId,
        string action,
        string resourceType,
        string resourceId,
        string? companyId,
        T? before,
        T? after)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.ExecuteAsync(
            """
            INSERT INTO audit_log (id, environment_id, api_key_id, user_id, user_name, action, resource_type, resource_id, company_id, before_data, after_data, created_at)
            VALUES (@id, @environmentId, @apiKeyId, @userId, @userName, @action, @resourceType, @resourceId, @companyId, @before, @after, @at)
            """,
            new
            {
                id = Ids.New("audit"),
                environmentId,
                apiKeyId = scope?.ApiKeyId,
                userId = scope?.User?.Id,
                userName = scope?.User?.Name,
                action,
                resourceType,
                resourceId,
                companyId,
                before = before is null ? null : StoredJson.Serialize(before),
                after = after is null ? null : StoredJson.Serialize(after),
                at = time.GetUtcNow().ToUnixTimeMilliseconds(),
            },
            transaction).ConfigureAwait(false);
        await notices.AppendWriteAsync(connection, transaction, environmentId, action, resourceType, resourceId, before, after).ConfigureAwait(false);
    }

    /// <summary>Entries of an environment, newest first, optionally for one resource or one company.</summary>
    public Task<IReadOnlyList<AuditEntry>> ListAsync(
        string environmentId, string? resourceId, string? companyId, int limit, int offset, CancellationToken cancellationToken) =>
        ListAsync(environmentId, new AuditFilter(resourceId, companyId, null, null, null, null), limit, offset, cancellationToken);

    /// <summary>Entries of an environment that pass the filter, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(
        string environmentId, AuditFilter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            new CommandDefinition(
                $"SELECT {Columns} FROM audit_log WHERE {WhereOf(filter)} ORDER BY seq DESC LIMIT @limit OFFSET @offset",
                Parameters(environmentId, filter, limit, offset),
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>
    /// How many entries of the environment pass the filter; with <paramref name="cap"/>, counting stops there (an exact
    /// count reads every entry, hundreds of thousands in a busy environment).
    /// </summary>
    public async Task<long> CountAsync(string environmentId, AuditFilter filter, CancellationToken cancellationToken, int? cap = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = Parameters(environmentId, filter, cap ?? 0, 0);
        var sql = cap is null
            ? $"SELECT COUNT(*) FROM audit_log WHERE {WhereOf(filter)}"
            : $"SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE {WhereOf(filter)} LIMIT @limit) capped";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>One entry of the environment, or null.</summary>
    public async Task<AuditEntry?> GetAsync(string environmentId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            new CommandDefinition($"SELECT {Columns} FROM audit_log WHERE environment_id = @environmentId AND id = @id", new { environmentId, id }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return row?.ToEntry();
    }

    private const string Columns = "id, environment_id, api_key_id, user_id, user_name, action, resource_type, resource_id, company_id, before_data, after_data, created_at";

    // Only the filters given become conditions: "@x IS NULL OR column = @x" would keep the planner from the index of the
    // one filter that is set (a company's entries, or the environment's newest first), and it would sort every entry.
    // q matches the resource type or id (LIKE's wildcards in it only widen the match); the actor is a console user when
    // the entry names one, an API key when it names one, the system otherwise.
    private static string WhereOf(AuditFilter filter)
    {
        var where = new StringBuilder("environment_id = @environmentId");
        if (filter.ResourceId is not null)
        {
            where.Append(" AND resource_id = @resourceId");
        }

        if (filter.CompanyId is not null)
        {
            where.Append(" AND company_id = @companyId");
        }

        if (filter.From is not null)
        {
            where.Append(" AND created_at >= @from");
        }

        if (filter.Until is not null)
        {
            where.Append(" AND created_at < @until");
        }

        where.Append(filter.ActorType switch
        {
            null => string.Empty,
            "app_user" => " AND user_id IS NOT NULL",
            "api_key" => " AND user_id IS NULL AND api_key_id IS NOT NULL",
            "system" => " AND user_id IS NULL AND api_key_id IS NULL",
            _ => " AND 1 = 0",
        });
        if (filter.Text is not null)
        {
            where.Append(" AND (resource_type LIKE @q OR resource_id LIKE @q)");
        }

        if (filter.ResourceType is not null)
        {
            where.Append(" AND resource_type = @resourceType");
        }

        return where.ToString();
    }

    private static DynamicParameters Parameters(string environmentId, AuditFilter filter, int limit, int offset)
    {
        var parameters = new DynamicParameters();
        parameters.Add("environmentId", environmentId);
        parameters.Add("resourceId", filter.ResourceId, System.Data.DbType.String);
        parameters.Add("companyId", filter.CompanyId, System.Data.DbType.String);
        parameters.Add("from", filter.From?.ToUnixTimeMilliseconds(), System.Data.DbType.Int64);
        parameters.Add("until", filter.Until?.ToUnixTimeMilliseconds(), System.Data.DbType.Int64);
        parameters.Add("actor", filter.ActorType, System.Data.DbType.String);
        parameters.Add("q", filter.Text is { } text ? $"%{text}%" : null, System.Data.DbType.String);
        parameters.Add("resourceType", filter.ResourceType, System.Data.DbType.String);
        parameters.Add("limit", limit);
        parameters.Add("offset", offset);
        return parameters;
    }

#pragma warning disable IDE1006 // Dapper maps columns to these snake_case names.
    private sealed record Row(
        string id, string environment_id, string? api_key_id, string? user_id, string? user_name, string action, string resource_type, string resource_id,
        string? company_id, string? before_data, string? after_data, long created_at)
    {
        public AuditEntry ToEntry() => new(
            id, environment_id, api_key_id, action, resource_type, resource_id, company_id,
            Parse(before_data), Parse(after_data), DateTimeOffset.FromUnixTimeMilliseconds(created_at), user_id, user_name);

        private static JsonElement? Parse(string? json)
        {
            if (json is null)
            {
                return null;
            }

            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
    }
#pragma warning restore IDE1006
}
