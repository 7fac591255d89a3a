using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// The <c>webhooks</c> table: each endpoint as a JSON document, with its status and its run of failed deliveries in
/// columns the worker updates without rewriting the document.
/// </summary>
internal sealed class WebhookStore(Database database)
{
    private const string Columns = "data, status";

    public async Task<IReadOnlyList<WebhookRecord>> ListAsync(string environmentId, string? q, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Data, string Status)>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks WHERE environment_id = @environmentId ORDER BY created_at, id",
            new { environmentId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(ToRecord).Where(w => Matches(w, q)).Skip(offset).Take(limit)];
    }

    public async Task<long> CountAsync(string environmentId, string? q, CancellationToken cancellationToken) =>
        (await ListAsync(environmentId, q, int.MaxValue, 0, cancellationToken).ConfigureAwait(false)).Count;

    public async Task<WebhookRecord?> GetAsync(string environmentId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Data, string Status)>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks WHERE environment_id = @environmentId AND id = @id",
            new { environmentId, id },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToRecord).FirstOrDefault();
    }

    /// <summary>An endpoint by id alone (the worker's view across environments).</summary>
    public async Task<WebhookRecord?> GetByIdAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Data, string Status)>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToRecord).FirstOrDefault();
    }

    /// <summary>The active endpoints of an environment, read in the caller's transaction.</summary>
    public static async Task<IReadOnlyList<WebhookRecord>> ActiveAsync(DbConnection connection, DbTransaction transaction, string environmentId)
    {
        var rows = await connection.QueryAsync<(string Data, string Status)>(
            $"SELECT {Columns} FROM webhooks WHERE environment_id = @environmentId AND status = 'active'", new { environmentId }, transaction).ConfigureAwait(false);
        return [.. rows.Select(ToRecord)];
    }

    /// <summary>The environments with an active endpoint subscribed to one of <paramref name="requestTypes"/>.</summary>
    public async Task<HashSet<string>> EnvironmentsSubscribedAsync(IReadOnlySet<string> requestTypes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string EnvironmentId, string Data)>(new CommandDefinition(
            "SELECT environment_id, data FROM webhooks WHERE status = 'active'", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Where(r => StoredJson.Deserialize<WebhookRecord>(r.Data).RequestTypes.Any(requestTypes.Contains)).Select(r => r.EnvironmentId)];
    }

    /// <summary>An endpoint read inside the caller's transaction and held until it commits, so its audit entry's "before" is what the write replaced.</summary>
    public async Task<WebhookRecord?> GetForUpdateAsync(DbConnection connection, DbTransaction transaction, string environmentId, string id)
    {
        var rows = await connection.QueryAsync<(string Data, string Status)>(
            $"SELECT {Columns} FROM webhooks WHERE environment_id = @environmentId AND id = @id{database.Dialect.ForUpdate}",
            new { environmentId, id },
            transaction).ConfigureAwait(false);
        return rows.Select(ToRecord).FirstOrDefault();
    }

    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, string environmentId, WebhookRecord webhook) =>
        connection.ExecuteAsync(
            "INSERT INTO webhooks (id, environment_id, data, status, consecutive_failures, created_at) VALUES (@id, @environmentId, @data, @status, 0, @createdAt)",
            new { id = webhook.Id, environmentId, data = StoredJson.Serialize(webhook), status = webhook.Status, createdAt = webhook.CreatedAt.ToUnixTimeMilliseconds() },
            transaction);

    /// <summary>Replaces the document and status; a change of status starts the run of failures again.</summary>
    public static async Task<bool> UpdateAsync(DbConnection connection, DbTransaction transaction, string environmentId, WebhookRecord webhook) =>
        await connection.ExecuteAsync(
            """
            UPDATE webhooks SET data = @data, status = @status,
                consecutive_failures = CASE WHEN status = @status THEN consecutive_failures ELSE 0 END
            WHERE environment_id = @environmentId AND id = @id
            """,
            new { id = webhook.Id, environmentId, data = StoredJson.Serialize(webhook), status = webhook.Status },
            transaction).ConfigureAwait(false) == 1;

    public static async Task<bool> DeleteAsync(DbConnection connection, DbTransaction transaction, string environmentId, string id) =>
        await connection.ExecuteAsync(
            "DELETE FROM webhooks WHERE environment_id = @environmentId AND id = @id", new { environmentId, id }, transaction).ConfigureAwait(false) == 1;

    /// <summary>A delivery succeeded: the run of failures ends.</summary>
    public async Task SucceededAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhooks SET consecutive_failures = 0 WHERE id = @id AND consecutive_failures > 0", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>A delivery failed: answers the length of the run of failures now.</summary>
    public async Task<int> FailedAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 WHERE id = @id RETURNING consecutive_failures", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// An endpoint by id alone, with its environment, read inside the caller's transaction and held until it commits
    /// (the worker's view across environments).
    /// </summary>
    public async Task<(WebhookRecord Webhook, string EnvironmentId)?> GetForUpdateAsync(DbConnection connection, DbTransaction transaction, string id)
    {
        var rows = await connection.QueryAsync<(string EnvironmentId, string Data, string Status)>(
            $"SELECT environment_id, {Columns} FROM webhooks WHERE id = @id{database.Dialect.ForUpdate}", new { id }, transaction).ConfigureAwait(false);
        return rows.Select(r => ((WebhookRecord, string)?)(ToRecord((r.Data, r.Status)), r.EnvironmentId)).FirstOrDefault();
    }

    private static bool Matches(WebhookRecord webhook, string? q) =>
        string.IsNullOrEmpty(q) || webhook.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || webhook.Url.Contains(q, StringComparison.OrdinalIgnoreCase);

    private static WebhookRecord ToRecord((string Data, string Status) row) => StoredJson.Deserialize<WebhookRecord>(row.Data) with { Status = row.Status };
}
