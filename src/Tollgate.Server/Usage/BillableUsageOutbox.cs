using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>One row of billable usage: a company's usage of an event subtype in one billing period.</summary>
internal readonly record struct BillableUsageKey(string EnvironmentId, string CompanyId, string Subtype, long BillingBucket);

/// <summary>One row to bill: one commit's usage of a company for a subtype (times in Unix milliseconds).</summary>
internal sealed record BillableUsageRow(long Seq, string CompanyId, string EventSubtype, long Quantity, long OccurredAt);

/// <summary>What to write on a group of rows once the biller knows their fate.</summary>
internal sealed record BillableUsageSettlement(string Status, string? Error, long? DeliveredAt, long? NextAttemptAt, bool Attempted);

/// <summary>
/// What usage must be billed: the outbox Usage owns (table <c>meter_outbox</c>, named before Usage owned it). The
/// ingestion commit appends its billable usage here in the same transaction as the events, so usage is billed exactly
/// once, and then raises <see cref="BillableUsageCommitted"/>. A biller (Billing's meter sync) reads the due rows and
/// settles each through this class; it never writes the table otherwise. Row states: <see cref="Pending"/>,
/// <see cref="Delivered"/>, <see cref="Skipped"/>, <see cref="Failed"/>.
/// </summary>
internal static class BillableUsageOutbox
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Skipped = "skipped";
    public const string Failed = "failed";

    /// <summary>The start of the multi-row insert of <see cref="AppendRows"/> (the ingestion commit writes it).</summary>
    public const string AppendInsert = "INSERT INTO meter_outbox (environment_id, company_id, event_subtype, quantity, occurred_at, created_at) VALUES ";

    /// <summary>The column values of <see cref="AppendInsert"/> for a commit's billable usage, pending.</summary>
    public static IEnumerable<object[]> AppendRows(IReadOnlyDictionary<BillableUsageKey, (long Quantity, long OccurredAt)> usage, long createdAt) =>
        usage.Select(u => new object[] { u.Key.EnvironmentId, u.Key.CompanyId, u.Key.Subtype, u.Value.Quantity, u.Value.OccurredAt, createdAt });

    /// <summary>The environment's oldest rows still to send whose retry time has come, in commit order.</summary>
    public static async Task<IReadOnlyList<BillableUsageRow>> DueAsync(Database database, string environmentId, long now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return [.. await connection.QueryAsync<BillableUsageRow>(new CommandDefinition(
            """
            SELECT seq AS Seq, company_id AS CompanyId, event_subtype AS EventSubtype, quantity AS Quantity, occurred_at AS OccurredAt
            FROM meter_outbox
            WHERE environment_id = @environmentId AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
            ORDER BY seq LIMIT @limit
            """,
            new { environmentId, now, limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false)];
    }

    /// <summary>Writes the fate of rows that are still pending (a row settled meanwhile is left alone).</summary>
    public static Task<int> SettleAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string environmentId, IReadOnlyCollection<long> seqs, BillableUsageSettlement settlement) =>
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

    /// <summary>How many rows of every environment are still to send (the biller's queue, for metrics).</summary>
    public static Task<long> PendingTotalAsync(DbConnection connection) =>
        connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_outbox WHERE status = 'pending'");
}
