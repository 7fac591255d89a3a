using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tollgate.Reliability.Cases;

/// <summary>
/// Two nodes on one PostgreSQL database take keyed track events and company writes while every backend connection is
/// terminated and then PostgreSQL is restarted. Clients retry a failed call with the same idempotency key, as
/// Schematic's SDKs do. Lost: an acknowledged event missing or stored twice, counters that disagree with the log, a
/// call that never succeeded again after the database came back, or a node that stopped hearing the other's changes.
/// </summary>
internal sealed class PostgresFaultsDuringWrites : IReliabilityCase
{
    private const int Writers = 6;
    private const int EventsPerBatch = 20;

    public string Name => "postgres-restart-and-killed-backends-2-nodes";

    public async Task<CaseResult> RunAsync(Lab lab, CancellationToken cancellationToken)
    {
        var store = await lab.NewStoreAsync("postgres", "faults").ConfigureAwait(false);
        var key = Lab.NewApiKey();
        await using var nodeA = await lab.StartNodeAsync(store, "a", key, cancellationToken).ConfigureAwait(false);
        await using var nodeB = await lab.StartNodeAsync(store, "b", key, cancellationToken).ConfigureAwait(false);
        using var a = new Api(nodeA, key);
        using var b = new Api(nodeB, key);
        await a.RequireAsync("/companies", new { keys = new { id = "faulty" } }, cancellationToken).ConfigureAwait(false);

        var acknowledged = new ConcurrentBag<string>();
        var gaveUp = new ConcurrentBag<string>();
        var retries = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var api = writer % 2 == 0 ? a : b;
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                var markers = Enumerable.Range(0, EventsPerBatch).Select(i => $"w{writer}-b{batch}-e{i}").ToList();
                var body = new { events = markers.Select(m => Events.Track("faulty", m, keyed: true)) };
                var deadline = Stopwatch.StartNew();
                while (true)
                {
                    try
                    {
                        var (status, answer) = await api.PostAsync("/batch", body, CancellationToken.None).ConfigureAwait(false);
                        if (status == 200 && answer.GetProperty("accepted").GetInt32() + answer.GetProperty("duplicates").GetInt32() == EventsPerBatch)
                        {
                            markers.ForEach(acknowledged.Add);
                            break;
                        }
                    }
                    catch (HttpRequestException)
                    {
                    }
                    catch (TaskCanceledException)
                    {
                    }

                    if (deadline.Elapsed > TimeSpan.FromSeconds(90))
                    {
                        markers.ForEach(gaveUp.Add);
                        break;
                    }

                    Interlocked.Increment(ref retries);
                    await Task.Delay(200, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }, CancellationToken.None)).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        var terminated = await Lab.TerminateBackendsAsync(store).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        await lab.RestartPostgresAsync().ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        stop.Cancel();
        await Task.WhenAll(writers).ConfigureAwait(false);

        var lost = new List<string>();
        if (!gaveUp.IsEmpty)
        {
            lost.Add($"{gaveUp.Count} events never acknowledged within 90 s of retrying");
        }

        // After the faults, each node still hears the other: a flag made on A is checked on B, an override made on B
        // changes A's answer.
        var heard = await HeardAsync(a, b, cancellationToken).ConfigureAwait(false);
        if (heard is not null)
        {
            lost.Add(heard);
        }

        var log = await EventLog.ReadAsync(store).ConfigureAwait(false);
        lost.AddRange(log.LossesOf(acknowledged));
        return new CaseResult(
            $"{Writers} writers over 2 nodes, {acknowledged.Count:N0} keyed events acknowledged; {terminated} backends terminated at 3 s, PostgreSQL restarted at 6 s",
            lost,
            $"{retries} retried calls; notices between nodes after the faults: {(heard is null ? "delivered" : "not delivered")}");
    }

    private static async Task<string?> HeardAsync(Api a, Api b, CancellationToken cancellationToken)
    {
        await a.RequireAsync("/features", new { name = "after-fault", feature_type = "boolean", flag = new { key = "after-fault", default_value = true } }, cancellationToken).ConfigureAwait(false);
        if (!await EventuallyAsync(async () =>
            {
                var (status, answer) = await b.PostAsync("/flags/after-fault/check", new { company = new { id = "faulty" } }, cancellationToken).ConfigureAwait(false);
                return status == 200 && answer.GetProperty("data").GetProperty("value").GetBoolean();
            }, cancellationToken).ConfigureAwait(false))
        {
            return "node B did not hear a catalog change made on node A within 10 s of the faults";
        }

        return null;
    }

    internal static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}
