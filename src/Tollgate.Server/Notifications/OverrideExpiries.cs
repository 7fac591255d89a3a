using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// The schedule of <c>company.override.expired</c> (<c>webhook_override_expiries</c>): one row per override with an
/// expiry, written in the override's own write transaction, claimed (deleted) by the worker when it raises the notice.
/// </summary>
internal static class OverrideExpiries
{
    public static async Task ScheduleAsync(DbConnection connection, DbTransaction transaction, string environmentId, string overrideId, DateTimeOffset? expiresAt)
    {
        await connection.ExecuteAsync(
            "DELETE FROM webhook_override_expiries WHERE environment_id = @environmentId AND override_id = @overrideId",
            new { environmentId, overrideId },
            transaction).ConfigureAwait(false);
        if (expiresAt is { } at)
        {
            await connection.ExecuteAsync(
                "INSERT INTO webhook_override_expiries (environment_id, override_id, expires_at) VALUES (@environmentId, @overrideId, @at)",
                new { environmentId, overrideId, at = at.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
        }
    }

    /// <summary>Overrides expired at <paramref name="now"/> whose notice is not raised yet.</summary>
    public static async Task<IReadOnlyList<(string EnvironmentId, string OverrideId, long ExpiresAt)>> DueAsync(Database database, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, string, long)>(new CommandDefinition(
            "SELECT environment_id, override_id, expires_at FROM webhook_override_expiries WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit",
            new { now = now.ToUnixTimeMilliseconds(), limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>The earliest scheduled expiry, if any.</summary>
    public static async Task<DateTimeOffset?> NextAsync(Database database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(expires_at) FROM webhook_override_expiries", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return next is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null;
    }

    /// <summary>Takes a due row in the caller's transaction: false when another pass (or a later write of the override) got there first.</summary>
    public static async Task<bool> ClaimAsync(DbConnection connection, DbTransaction transaction, string environmentId, string overrideId, long expiresAt) =>
        await connection.ExecuteAsync(
            "DELETE FROM webhook_override_expiries WHERE environment_id = @environmentId AND override_id = @overrideId AND expires_at = @expiresAt",
            new { environmentId, overrideId, expiresAt },
            transaction).ConfigureAwait(false) == 1;
}
