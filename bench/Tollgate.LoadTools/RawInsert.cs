using System.Diagnostics;
using System.Globalization;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.LoadTools;

/// <summary>The ceiling: the load test's rows appended with the server's own insert code and nothing else.</summary>
internal static class RawInsert
{
    public static async Task<int> RunAsync(string store, string connectionString, int rows, int perTransaction, bool keyed = false)
    {
        await using var database = Open(store, connectionString);
        await Migrations.ApplyAsync(database, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        // The same rows as bench/load/ingest.lua sends: 20 companies, quantities 1-5, no idempotency key.
        List<AcceptedEvent> Batch(int number) => [.. Enumerable.Range(1, perTransaction).Select(i => new AcceptedEvent(
            "env_bench", EventType.Track, "api_call", $"comp_c{i % 20}", null, 1 + (i % 5), now, now, false, keyed ? $"t1-{number}-{i}" : null,
            $$"""{"event":"api_call","company":{"id":"c{{i % 20}}"},"quantity":{{1 + (i % 5)}}}""", null))];
        var events = Batch(0);

        var clock = Stopwatch.StartNew();
        for (var written = 0; written < rows; written += perTransaction)
        {
            if (keyed)
            {
                events = Batch(written);
            }

            await database.WriteAsync(
                async (connection, transaction) =>
                {
                    await EventLogWriter.WriteAsync(connection, transaction, CommitPlan.AppendOnly(events), 0, logKeys: store != "postgres", deleteKeysBefore: null);
                    return true;
                },
                CancellationToken.None);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $$"""RESULT {"store":"{{store}}","rows":{{rows}},"per_transaction":{{perTransaction}},"seconds":{{seconds:F2}},"rows_per_second":{{rows / seconds:F0}}}"""));
        return 0;
    }

    /// <summary>What the load test left in a server's database: rows of the log and the sum of all-time counters.</summary>
    public static async Task<int> CountAsync(string store, string connectionString)
    {
        await using var database = Open(store, connectionString);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM events WHERE event_type = 'track'),
                   (SELECT COALESCE(SUM(quantity), 0) FROM events WHERE event_type = 'track'),
                   (SELECT COALESCE(SUM(value), 0) FROM usage_counters WHERE period = 0)
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $$"""RESULT {"track_rows":{{reader.GetInt64(0)}},"tracked_quantity":{{reader.GetInt64(1)}},"all_time_counters":{{reader.GetInt64(2)}}}"""));
        return 0;
    }

    private static Database Open(string store, string connectionString) =>
        store == "postgres" ? new PostgresDatabase(connectionString) : new SqliteDatabase(connectionString);
}
