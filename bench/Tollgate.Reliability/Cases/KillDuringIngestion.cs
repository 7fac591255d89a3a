using System.Collections.Concurrent;

namespace Tollgate.Reliability.Cases;

/// <summary>
/// kill -9 of a node while senders push track events at full rate. Lost: an acknowledged event missing from the event
/// log, an event stored twice, usage counters that disagree with the log, or a retry of an acknowledged keyed event
/// counted again after the restart.
/// </summary>
internal sealed class KillDuringIngestion(string storeKind) : IReliabilityCase
{
    private const int Senders = 8;
    private const int EventsPerBatch = 50;

    public string Name => $"kill-9-ingestion-{storeKind}";

    public async Task<CaseResult> RunAsync(Lab lab, CancellationToken cancellationToken)
    {
        var store = await lab.NewStoreAsync(storeKind, "kill9").ConfigureAwait(false);
        var key = Lab.NewApiKey();
        var acknowledged = new ConcurrentBag<string>();
        var attempted = new ConcurrentBag<string>();
        var lost = new List<string>();

        await using (var node = await lab.StartNodeAsync(store, "a", key, cancellationToken).ConfigureAwait(false))
        {
            using var api = new Api(node, key);
            // The company exists before the clock starts: the kill must land among event writes.
            await api.RequireAsync("/companies", new { keys = new { id = "crash-co" } }, cancellationToken).ConfigureAwait(false);
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var markers = Enumerable.Range(0, EventsPerBatch).Select(i => $"s{sender}-b{batch}-e{i}").ToList();
                    markers.ForEach(attempted.Add);
                    try
                    {
                        var (status, answer) = await api.PostAsync("/batch", new { events = markers.Select(m => Events.Track("crash-co", m, keyed: sender % 2 == 0)) }, CancellationToken.None).ConfigureAwait(false);
                        if (status == 200 && answer.GetProperty("accepted").GetInt32() == EventsPerBatch)
                        {
                            markers.ForEach(acknowledged.Add);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the node is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            }, CancellationToken.None)).ToList();

            await WaitForAsync(() => acknowledged.Count >= 5_000, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            node.Kill();
            stop.Cancel();
            await Task.WhenAll(senders).ConfigureAwait(false);
        }

        var tried = $"{attempted.Count:N0} events sent by {Senders} senders, {acknowledged.Count:N0} acknowledged, then kill -9; restart; retries of the acknowledged keyed events";
        await using (var restarted = await lab.StartNodeAsync(store, "a-again", key, cancellationToken).ConfigureAwait(false))
        {
            using var api = new Api(restarted, key);
            var keyed = acknowledged.Where(m => int.Parse(m[1..m.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0).ToList();
            var recounted = 0;
            foreach (var retry in keyed.Chunk(500))
            {
                var (_, answer) = await api.PostAsync("/batch", new { events = retry.Select(m => Events.Track("crash-co", m, keyed: true)) }, cancellationToken).ConfigureAwait(false);
                recounted += answer.GetProperty("accepted").GetInt32();
            }

            if (recounted > 0)
            {
                lost.Add($"{recounted} retried events that were acknowledged before the kill were counted again");
            }
        }

        var log = await EventLog.ReadAsync(store).ConfigureAwait(false);
        lost.AddRange(log.LossesOf(acknowledged));
        return new CaseResult(tried, lost, $"{log.Stored:N0} events stored ({log.Stored - acknowledged.Count:N0} were in flight at the kill and made it)");
    }

    internal static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < timeout)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}
