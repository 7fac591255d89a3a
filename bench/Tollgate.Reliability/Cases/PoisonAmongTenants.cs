namespace Tollgate.Reliability.Cases;

/// <summary>
/// Overflowing and poison events of one tenant mixed into the same <c>/batch</c> requests (the key in each event) as a
/// healthy tenant's events, on each store. Lost: a healthy event not counted, a request answered with an error, a poison
/// event counted, or a later batch failing because of what came before.
/// </summary>
internal sealed class PoisonAmongTenants(string storeKind) : IReliabilityCase
{
    private const int Rounds = 40;

    public string Name => $"poison-events-{storeKind}";

    public async Task<CaseResult> RunAsync(Lab lab, CancellationToken cancellationToken)
    {
        var store = await lab.NewStoreAsync(storeKind, "poison").ConfigureAwait(false);
        var key = Lab.NewApiKey();
        await using var node = await lab.StartNodeAsync(store, "a", key, cancellationToken).ConfigureAwait(false);
        using var healthy = new Api(node, key);
        var attackerEnvironment = await healthy.RequireAsync("/environments", new { name = "attacker" }, cancellationToken).ConfigureAwait(false);
        var attackerKey = attackerEnvironment.GetProperty("key").GetString()!;
        using var attacker = new Api(node, attackerKey);
        var healthyId = (await healthy.RequireAsync("/companies", new { keys = new { id = "healthy" } }, cancellationToken).ConfigureAwait(false)).GetProperty("id").GetString();
        await attacker.RequireAsync("/companies", new { keys = new { id = "victim-counter" } }, cancellationToken).ConfigureAwait(false);

        var acknowledged = new List<string>();
        var errors = 0;
        var poisonAccepted = 0L;
        var poisonTried = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var events = new List<object>();
            var healthyMarkers = Enumerable.Range(0, 10).Select(i => $"healthy-r{round}-e{i}").ToList();
            foreach (var marker in healthyMarkers)
            {
                events.Add(WithKey(Reliability.Events.Track("healthy", marker, keyed: true), key));
            }

            // The attacker's: the largest quantities (a counter that would wrap), negative and fractional ones, a
            // quantity beyond 2^63, and a company given as a number.
            foreach (var quantity in new object[] { 1_000_000_000_000L, 1_000_000_000_000L, -5, 1.5, "9223372036854775808", 9.3e18 })
            {
                events.Add(WithKey(new { type = "track", body = new { @event = "api_call", company = new { id = "victim-counter" }, quantity, traits = new { marker = $"poison-r{round}" } } }, attackerKey));
                poisonTried++;
            }

            events.Add(WithKey(new { type = "track", body = new { @event = "api_call", company = 12, quantity = 1 } }, attackerKey));
            poisonTried++;
            var (status, answer) = await healthy.PostAsync("/batch", new { events }, cancellationToken).ConfigureAwait(false);
            if (status != 200)
            {
                errors++;
                continue;
            }

            var rejectedIndexes = answer.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).ToHashSet();
            for (var i = 0; i < healthyMarkers.Count; i++)
            {
                if (!rejectedIndexes.Contains(i))
                {
                    acknowledged.Add(healthyMarkers[i]);
                }
            }

            poisonAccepted += answer.GetProperty("accepted").GetInt32() - healthyMarkers.Count(m => acknowledged.Contains(m));
        }

        var log = await EventLog.ReadAsync(store, healthyId).ConfigureAwait(false);
        var healthyLog = log with { Markers = log.Markers.Where(p => p.Key.StartsWith("healthy", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) };
        var lost = healthyLog.LossesOf(acknowledged);
        if (acknowledged.Count != Rounds * 10)
        {
            lost.Add($"{Rounds * 10 - acknowledged.Count} healthy events refused");
        }

        if (errors > 0)
        {
            lost.Add($"{errors} mixed batches answered an error");
        }

        // A later batch of the healthy tenant alone still goes through.
        var (after, _) = await healthy.PostAsync("/batch", new { events = new[] { Reliability.Events.Track("healthy", "healthy-after", keyed: true) } }, cancellationToken).ConfigureAwait(false);
        if (after != 200)
        {
            lost.Add($"a later healthy batch answered {after}");
        }

        return new CaseResult(
            $"{Rounds} batches, each 10 healthy events and {poisonTried / Rounds} poison events of another tenant (10^12 twice, -5, 1.5, 2^63, 9.3e18, a company that is a number)",
            lost,
            $"{acknowledged.Count} healthy events counted; {poisonAccepted} poison events accepted (each within the caps); the healthy company's all-time counter {log.AllTimeCounters:N0}");
    }

    private static Dictionary<string, object?> WithKey(object @event, string apiKey)
    {
        var fields = System.Text.Json.JsonSerializer.SerializeToElement(@event).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value, StringComparer.Ordinal);
        fields["api_key"] = apiKey;
        return fields;
    }
}
