using System.Text.Json;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing;

/// <summary>
/// What each part of the Stripe connector last did, per environment: one small JSON document per area (import,
/// webhooks, meters, outbound…), written only by its own area and shown together by <c>GET /billing/stripe/connection</c>.
/// </summary>
internal sealed class StripeSyncStatus(Database database, TimeProvider time)
{
    public const string Import = "import";
    public const string Webhooks = "webhooks";
    public const string Meters = "meters";
    public const string Outbound = "outbound";

    /// <summary>Replaces one area's document.</summary>
    public Task WriteAsync<T>(string environmentId, string area, T status, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => WriteAsync(connection, transaction, environmentId, area, status), cancellationToken);

    /// <summary>Replaces one area's document inside the caller's transaction.</summary>
    public Task<int> WriteAsync<T>(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string environmentId, string area, T status) =>
        connection.ExecuteAsync(
            """
            INSERT INTO stripe_sync_status (environment_id, area, data, updated_at) VALUES (@environmentId, @area, @data, @at)
            ON CONFLICT (environment_id, area) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
            """,
            new { environmentId, area, data = StoredJson.Serialize(status), at = time.GetUtcNow().ToUnixTimeMilliseconds() },
            transaction);

    /// <summary>One area's document, or null when it has never written one.</summary>
    public async Task<T?> ReadAsync<T>(string environmentId, string area, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var data = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT data FROM stripe_sync_status WHERE environment_id = @environmentId AND area = @area", new { environmentId, area }).ConfigureAwait(false);
        return data is null ? null : StoredJson.Deserialize<T>(data);
    }

    /// <summary>Every area's document, by area.</summary>
    public async Task<IReadOnlyDictionary<string, JsonElement>> ReadAllAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Area, string Data)>(
            "SELECT area, data FROM stripe_sync_status WHERE environment_id = @environmentId ORDER BY area", new { environmentId }).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Area, r => JsonSerializer.Deserialize<JsonElement>(r.Data), StringComparer.Ordinal);
    }
}
