using System.Data.Common;
using System.Globalization;
using System.Text;

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

    /// <summary>Adds the commit's day deltas (<paramref name="deltas"/> holds every period; only the day ones count).</summary>
    public static async Task AddAsync(DbConnection connection, DbTransaction transaction, IReadOnlyDictionary<CounterKey, long> deltas)
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

        if (totals.Count == 0)
        {
            return;
        }

        // Sorted, so two commits lock shared rows in the same order; one statement, so PostgreSQL pays one round trip.
        foreach (var chunk in totals.Chunk(500))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder("INSERT INTO usage_daily_totals (environment_id, event_subtype, day, shard, value) VALUES ");
            for (var row = 0; row < chunk.Length; row++)
            {
                var ((environmentId, day, subtype), value) = chunk[row];
                sql.Append(row == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"(@e{row}, @s{row}, @d{row}, {Shard}, @v{row})");
                Add(command, $"@e{row}", environmentId);
                Add(command, $"@s{row}", subtype);
                Add(command, $"@d{row}", day);
                Add(command, $"@v{row}", value);
            }

            sql.Append(
                " ON CONFLICT (environment_id, day, event_subtype, shard) DO UPDATE SET value = CASE WHEN usage_daily_totals.value > 9223372036854775807 - excluded.value"
                + " THEN 9223372036854775807 ELSE usage_daily_totals.value + excluded.value END");
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
