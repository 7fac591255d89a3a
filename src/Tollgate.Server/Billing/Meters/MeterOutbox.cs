using System.Data.Common;
using Dapper;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Meters;

/// <summary>One outbox row to send: one commit's usage of a company for a subtype (times in Unix milliseconds).</summary>
internal sealed record OutboxRow(long Seq, string CompanyId, string EventSubtype, long Quantity, long OccurredAt);

/// <summary>What to write on a group of outbox rows once their fate is known.</summary>
internal sealed record OutboxSettlement(string Status, string? Error, long? DeliveredAt, long? NextAttemptAt, bool Attempted);

/// <summary>
/// The meter outbox as the sync reads and settles it (<c>meter_outbox</c>, written by the ingestion pipeline). Row
/// states: <see cref="Pending"/>, <see cref="Delivered"/>, <see cref="Skipped"/>, <see cref="Failed"/>.
/// </summary>
internal static class MeterOutbox
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Skipped = "skipped";
    public const string Failed = "failed";

    /// <summary>The environment's oldest rows still to send whose retry time has come, in commit order.</summary>
    public static async Task<IReadOnlyList<OutboxRow>> DueAsync(Database database, string environmentId, long now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            SELECT seq AS Seq, company_id AS CompanyId, event_subtype AS EventSubtype, quantity AS Quantity, occurred_at AS OccurredAt
            FROM meter_outbox
            WHERE environment_id = @environmentId AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
            ORDER BY seq LIMIT @limit
            """,
            new { environmentId, now, limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    /// <summary>The Stripe customer of each of the companies that has one (company key <c>stripe_customer_id</c>).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> CustomersAsync(
        Database database, string environmentId, IReadOnlyCollection<string> companyIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string CompanyId, string CustomerId)>(new CommandDefinition(
            $"""
            SELECT entity_id, value FROM entity_keys
            WHERE environment_id = @environmentId AND entity_type = @entityType AND key = @key AND {database.Dialect.IsAnyOf("entity_id", "companyIds")}
            """,
            new { environmentId, entityType = EntityKeys.Company, key = StripeCompanyKeys.CustomerId, companyIds = companyIds.ToArray() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.CompanyId, r => r.CustomerId, StringComparer.Ordinal);
    }

    /// <summary>Writes the fate of rows that are still pending (a row settled meanwhile is left alone).</summary>
    public static Task<int> SettleAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string environmentId, IReadOnlyCollection<long> seqs, OutboxSettlement settlement) =>
        connection.ExecuteAsync(
            $"""
            UPDATE meter_outbox SET status = @Status, last_error = @Error, delivered_at = @DeliveredAt, next_attempt_at = @NextAttemptAt,
                attempts = attempts + @attempted
            WHERE environment_id = @environmentId AND status = 'pending' AND {dialect.IsAnyOf("seq", "seqs")}
            """,
            new { settlement.Status, settlement.Error, settlement.DeliveredAt, settlement.NextAttemptAt, attempted = settlement.Attempted ? 1 : 0, environmentId, seqs = seqs.ToArray() },
            transaction);

    /// <summary>Puts the environment's rows of a status back to pending, their reason cleared; answers how many.</summary>
    public static Task<int> RequeueAsync(DbConnection connection, DbTransaction transaction, string environmentId, string status) =>
        connection.ExecuteAsync(
            """
            UPDATE meter_outbox SET status = 'pending', last_error = NULL, next_attempt_at = NULL
            WHERE environment_id = @environmentId AND status = @status
            """,
            new { environmentId, status },
            transaction);

    /// <summary>How many of the environment's rows are still to send.</summary>
    public static Task<long> PendingAsync(DbConnection connection, DbTransaction? transaction, string environmentId) =>
        connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM meter_outbox WHERE environment_id = @environmentId AND status = 'pending'", new { environmentId }, transaction);

    /// <summary>How many rows of every environment are still to send (the meter-sync queue, for metrics).</summary>
    public static Task<long> PendingTotalAsync(DbConnection connection) =>
        connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_outbox WHERE status = 'pending'");
}
