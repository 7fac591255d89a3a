using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// The environment-wide daily rollup (<c>usage_daily_totals</c>, migration 25): a commit adds its day-counter deltas,
/// summed over companies, in its own transaction — one row per environment, subtype and day it touched, in one
/// statement — so the rollup is exactly as durable as the counters and never read back from the event log.
/// </summary>
internal static class UsageDailyTotals
{
    private const long DayMs = 86_400_000;

    /// <summary>
    /// This process's shard: nodes sharing a PostgreSQL add to different rows of the same subtype and day, so their
    /// commits do not wait on each other's row lock. Readers sum the shards.
    /// </summary>
    private static readonly int Shard = Random.Shared.Next(16);

    /// <summary>
    /// Queues the addition of the commit's day deltas to <paramref name="batch"/> (<paramref name="deltas"/> holds every
    /// period; only the day ones count).
    /// </summary>
    public static void Add(StatementBatch batch, IReadOnlyDictionary<CounterKey, long> deltas)
    {
        var totals = new SortedDictionary<(string EnvironmentId, long Day, string Subtype), long>();
        foreach (var (key, delta) in deltas)
        {
            if (key.Period != UsagePeriod.Day)
            {
                continue;
            }

            var at = (key.EnvironmentId, key.Bucket - DayMs, key.Subtype);
            var sum = totals.GetValueOrDefault(at);
            // Saturates: summed over companies the day could pass a long, where each counter cannot.
            totals[at] = delta > long.MaxValue - sum ? long.MaxValue : sum + delta;
        }

        // Sorted, so two commits lock shared rows in the same order.
        batch.AddRows(
            "INSERT INTO usage_daily_totals (environment_id, event_subtype, day, shard, value) VALUES ",
            " ON CONFLICT (environment_id, day, event_subtype, shard) DO UPDATE SET value = CASE WHEN usage_daily_totals.value > 9223372036854775807 - excluded.value"
            + " THEN 9223372036854775807 ELSE usage_daily_totals.value + excluded.value END",
            totals.Select(t => new object?[] { t.Key.EnvironmentId, t.Key.Subtype, t.Key.Day, Shard, t.Value }));
    }

    /// <summary>
    /// The rollup summed from the day counters (shard 0), in SQL: migration 25's backfill, and
    /// <see cref="BackfillIfEmptyAsync"/>'s. <paramref name="where"/> narrows the counters read (a trusted constant).
    /// </summary>
    public static string FromDayCounters(SqlDialect dialect, string where)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var sum = dialect.IsPostgres ? "LEAST(SUM(value), 9223372036854775807)::BIGINT" : "CAST(MIN(TOTAL(value), 9223372036854775807) AS INTEGER)";
        return $"""
            INSERT INTO usage_daily_totals (environment_id, event_subtype, day, shard, value)
                SELECT environment_id, event_subtype, bucket - {DayMs}, 0, {sum}
                FROM usage_counters WHERE period = {(int)UsagePeriod.Day} AND {where} GROUP BY environment_id, event_subtype, bucket
            """;
    }

    /// <summary>
    /// Fills the environment's rollup from its day counters when it has counters and no rollup at all: a store filled in
    /// bulk (<c>bench/scale</c> writes counters, not the rollup). Never adds to a rollup that has a row: one statement, so
    /// the emptiness and the counters are read from one snapshot, and a commit after that snapshot (whose delta the sums
    /// do not hold) is added to, not overwritten. Answers how many rows were written.
    /// </summary>
    public static Task<int> BackfillIfEmptyAsync(Database database, string environmentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var sql = FromDayCounters(database.Dialect, "environment_id = @environmentId AND NOT EXISTS (SELECT 1 FROM usage_daily_totals WHERE environment_id = @environmentId)")
            + " ON CONFLICT (environment_id, day, event_subtype, shard) DO UPDATE SET value = CASE WHEN usage_daily_totals.value > 9223372036854775807 - excluded.value"
            + " THEN 9223372036854775807 ELSE usage_daily_totals.value + excluded.value END";
        return database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(sql, new { environmentId }, transaction, Database.WholeStoreStatementSeconds, cancellationToken: cancellationToken)),
            cancellationToken);
    }
}
