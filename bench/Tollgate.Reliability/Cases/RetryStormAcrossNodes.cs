namespace Tollgate.Reliability.Cases;

/// <summary>
/// A retry storm: every keyed event is sent several times, each time to a node picked at random of two on one
/// PostgreSQL database, many at once. Lost (or invented): an event counted more than once, or not at all.
/// </summary>
internal sealed class RetryStormAcrossNodes : IReliabilityCase
{
    private const int Events = 2_000;
    private const int Copies = 4;
    private const int EventsPerBatch = 25;

    public string Name => "retry-storm-2-nodes";

    public async Task<CaseResult> RunAsync(Lab lab, CancellationToken cancellationToken)
    {
        var store = await lab.NewStoreAsync("postgres", "storm").ConfigureAwait(false);
        var key = Lab.NewApiKey();
        await using var nodeA = await lab.StartNodeAsync(store, "a", key, cancellationToken).ConfigureAwait(false);
        await using var nodeB = await lab.StartNodeAsync(store, "b", key, cancellationToken).ConfigureAwait(false);
        using var a = new Api(nodeA, key);
        using var b = new Api(nodeB, key);
        await a.RequireAsync("/companies", new { keys = new { id = "stormy" } }, cancellationToken).ConfigureAwait(false);

        var markers = Enumerable.Range(0, Events).Select(i => $"storm-{i}").ToList();
        // Every event in Copies batches, the batches shuffled so copies of one event race each other on both nodes.
        var random = new Random(20261205);
        var batches = Enumerable.Range(0, Copies)
            .SelectMany(_ => markers.OrderBy(_ => random.Next()).Chunk(EventsPerBatch))
            .OrderBy(_ => random.Next())
            .ToList();
        var accepted = 0;
        var failed = 0;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var api = random.Next(2) == 0 ? a : b;
            var (status, answer) = await api.PostAsync("/batch", new { events = batch.Select(m => Reliability.Events.Track("stormy", m, keyed: true)) }, ct).ConfigureAwait(false);
            if (status == 200)
            {
                Interlocked.Add(ref accepted, answer.GetProperty("accepted").GetInt32());
            }
            else
            {
                Interlocked.Increment(ref failed);
            }
        }).ConfigureAwait(false);

        var log = await EventLog.ReadAsync(store).ConfigureAwait(false);
        var lost = log.LossesOf(markers, expectedCounters: Events);
        if (accepted != Events)
        {
            lost.Add($"the nodes answered {accepted} events accepted (not duplicates) for {Events} distinct keys");
        }

        if (failed > 0)
        {
            lost.Add($"{failed} batches answered an error");
        }

        return new CaseResult($"{Events:N0} keyed events, each sent {Copies} times in {batches.Count} shuffled batches to either of 2 nodes, 16 at once", lost, $"{log.Stored:N0} stored, counters {log.AllTimeCounters:N0}");
    }
}
