using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Crash;

/// <summary>
/// Acknowledged means durable: the real server process takes events from concurrent senders at full rate, is killed
/// with SIGKILL mid-stream, and started again; every acknowledged event is in the log exactly once, nothing is there
/// twice, and the usage counters equal the log. Half the senders give idempotency keys: after the restart their
/// acknowledged batches are sent again, as an SDK retries, and are all recognised as duplicates.
/// </summary>
public sealed class CrashTests
{
    private const int Senders = 8;
    private const int EventsPerBatch = 50;

    [Fact]
    public async Task EveryAcknowledgedEventSurvivesASigkillOnSqlite()
    {
        var folder = Directory.CreateTempSubdirectory("tollgate-crash-");
        try
        {
            var connectionString = $"Data Source={Path.Combine(folder.FullName, "tollgate.db")}";
            await RunAsync(["--data", folder.FullName], () => new SqliteDatabase(connectionString));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task EveryAcknowledgedEventSurvivesASigkillOnPostgres()
    {
        var name = $"tollgate_crash_{Guid.NewGuid():N}";
        var connectionString = await TestPostgres.CreateDatabaseAsync(name);
        try
        {
            await RunAsync(["--postgres", connectionString], () => new PostgresDatabase(connectionString));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    private static async Task RunAsync(string[] storage, Func<Database> openDatabase)
    {
        var acknowledged = new ConcurrentBag<string>();
        var attempted = new ConcurrentBag<string>();
        var unexpected = new ConcurrentBag<string>();
        await using (var server = await ServerProcess.StartAsync(storage))
        {
            using var http = Client(server);
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var markers = Enumerable.Range(0, EventsPerBatch).Select(i => $"s{sender}-b{batch}-e{i}").ToList();
                    var keyed = sender % 2 == 0;
                    foreach (var marker in markers)
                    {
                        attempted.Add(marker);
                    }

                    try
                    {
                        using var response = await http.PostAsJsonAsync("batch", new { events = markers.Select(m => Track(m, keyed)) });
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            // Every event is valid: an answer that rejects any of them is a failure of the server.
                            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                            if (answer.GetProperty("accepted").GetInt32() != EventsPerBatch)
                            {
                                unexpected.Add(answer.ToString());
                            }

                            foreach (var marker in markers)
                            {
                                acknowledged.Add(marker);
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();

            // Let the senders run at full rate, then kill the server under them: after at least 2 s and, on a slow or busy
            // machine, once more than 1,000 events are acknowledged (at most 60 s), so that the kill always lands on a
            // server holding acknowledged events with more in flight.
            var running = Stopwatch.StartNew();
            while (running.Elapsed < TimeSpan.FromSeconds(2) || (acknowledged.Count <= 1_000 && running.Elapsed < TimeSpan.FromSeconds(60)))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }

            server.Kill();
            stop.Cancel();
            await Task.WhenAll(senders);
        }

        Assert.Empty(unexpected);
        Assert.True(acknowledged.Count > 1_000, $"only {acknowledged.Count} events were acknowledged before the kill");
        Assert.True(attempted.Count > acknowledged.Count, "the kill came after the last request; nothing was in flight");

        await using (var restarted = await ServerProcess.StartAsync(storage))
        {
            using var http = Client(restarted);
            (await http.PostAsJsonAsync("batch", new { events = new[] { Track("after-restart", keyed: false) } })).EnsureSuccessStatusCode();

            // The SDK's retry of what was acknowledged before the kill: every keyed event is a duplicate now.
            var keyedAcknowledged = acknowledged.Where(m => m.StartsWith("s0-", StringComparison.Ordinal) || m.StartsWith("s2-", StringComparison.Ordinal)
                || m.StartsWith("s4-", StringComparison.Ordinal) || m.StartsWith("s6-", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(keyedAcknowledged);
            foreach (var retry in keyedAcknowledged.Chunk(500))
            {
                using var again = await http.PostAsJsonAsync("batch", new { events = retry.Select(m => Track(m, keyed: true)) });
                var answer = await again.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal((0, retry.Length), (answer.GetProperty("accepted").GetInt32(), answer.GetProperty("duplicates").GetInt32()));
            }


            await using var database = openDatabase();
            await using var connection = await database.OpenAsync(CancellationToken.None);
            var stored = (await connection.QueryAsync<string>("SELECT body FROM events WHERE event_type = 'track'"))
                .Select(body => JsonDocument.Parse(body).RootElement.GetProperty("traits").GetProperty("marker").GetString()!)
                .GroupBy(marker => marker)
                .ToDictionary(g => g.Key, g => g.Count());
            var missing = acknowledged.Where(marker => !stored.ContainsKey(marker)).ToList();
            var twice = stored.Where(pair => pair.Value > 1).Select(pair => pair.Key).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} acknowledged events are missing, e.g. {string.Join(", ", missing.Take(5))}");
            Assert.True(twice.Count == 0, $"{twice.Count} events are stored twice, e.g. {string.Join(", ", twice.Take(5))}");
            Assert.True(stored.Keys.All(marker => marker == "after-restart" || attempted.Contains(marker)));

            var allTime = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(value), 0) FROM usage_counters WHERE period = 0");
            Assert.Equal(stored.Count, allTime);
        }
    }

    private static HttpClient Client(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Schematic-Api-Key", ServerProcess.ApiKey);
        return http;
    }

    private static object Track(string marker, bool keyed) => new
    {
        type = "track",
        body = new { @event = "api_call", company = new { id = "crash-co" }, quantity = 1, traits = new { marker } },
        sent_at = DateTimeOffset.UtcNow,
        idempotency_key = keyed ? marker : null,
    };
}
