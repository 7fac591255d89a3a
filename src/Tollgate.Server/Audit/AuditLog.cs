using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Audit;

/// <summary>
/// Records every management write in the same transaction as the write itself, so the log can neither miss a change
/// nor record one that did not happen.
/// </summary>
public sealed class AuditLog(Database database, TimeProvider time)
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
            INSERT INTO audit_log (id, environment_id, api_key_id, action, resource_type, resource_id, company_id, before_data, after_data, created_at)
            VALUES (@id, @environmentId, @apiKeyId, @action, @resourceType, @resourceId, @companyId, @before, @after, @at)
            """,
            new
            {
                id = Ids.New("audit"),
                environmentId,
                apiKeyId = scope?.ApiKeyId,
                action,
                resourceType,
                resourceId,
                companyId,
                before = before is null ? null : StoredJson.Serialize(before),
                after = after is null ? null : StoredJson.Serialize(after),
                at = time.GetUtcNow().ToUnixTimeMilliseconds(),
            },
            transaction).ConfigureAwait(false);
    }

    /// <summary>Entries of an environment, newest first, optionally for one resource or one company.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(
        string environmentId, string? resourceId, string? companyId, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            new CommandDefinition(
                """
                SELECT id, environment_id, api_key_id, action, resource_type, resource_id, company_id, before_data, after_data, created_at
                FROM audit_log
                WHERE environment_id = @environmentId
                  AND (@resourceId IS NULL OR resource_id = @resourceId)
                  AND (@companyId IS NULL OR company_id = @companyId)
                ORDER BY seq DESC LIMIT @limit OFFSET @offset
                """,
                new { environmentId, resourceId, companyId, limit, offset },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }

#pragma warning disable IDE1006 // Dapper maps columns to these snake_case names.
    private sealed record Row(
        string id, string environment_id, string? api_key_id, string action, string resource_type, string resource_id,
        string? company_id, string? before_data, string? after_data, long created_at)
    {
        public AuditEntry ToEntry() => new(
            id, environment_id, api_key_id, action, resource_type, resource_id, company_id,
            Parse(before_data), Parse(after_data), DateTimeOffset.FromUnixTimeMilliseconds(created_at));

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
