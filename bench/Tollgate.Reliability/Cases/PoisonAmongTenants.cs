using Dapper;

namespace Tollgate.Reliability.Cases;

/// <summary>
/// Overflowing and poison events of one tenant mixed into the same <c>/batch</c> requests as a healthy tenant's events
/// (no header: the key in each event, as Schematic's SDKs send them), while the attacker also sends poison batches of
/// its own at the same time, so both land in the same group commits. Lost: a healthy event not counted, a request
/// answered with an error, or a later batch failing because of what came before.
/// </summary>
internal sealed class PoisonAmongTenants(string storeKind) : IReliabilityCase
{
    private const int Rounds = 40;

    /// <summary>Two thirds of 10^12 below the most a usage counter holds (2^63 - 1 - 10^12).</summary>
    private const long NearlyFull = long.MaxValue - 1_000_000_000_000L - 666_666_666_666L;

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
        using var mixed = new Api(node, null);
        var healthyId = (await healthy.RequireAsync("/companies", new { keys = new { id = "healthy" } }, cancellationToken).ConfigureAwait(false)).GetProperty("id").GetString();
        var attackerCompany = (await attacker.RequireAsync("/companies", new { keys = new { id = "victim-counter" } }, cancellationToken).ConfigureAwait(false)).GetProperty("id").GetString();

        // The attacker's all-time counter starts nearly full, as after a long abuse at the largest quantity (which would
        // take about 9 million events to get there): the next 10^12 events would take it past what a counter holds.
        await using (var setup = await Lab.OpenAsync(store, readOnly: false).ConfigureAwait(false))
        {
            await setup.ExecuteAsync(
                "INSERT INTO usage_counters (environment_id, company_id, event_subtype, period, bucket, value) VALUES (@environmentId, @companyId, 'api_call', 0, 0, @value)",
                new { environmentId = attackerEnvironment.GetProperty("environment").GetProperty("id").GetString(), companyId = attackerCompany, value = NearlyFull }).ConfigureAwait(false);
        }


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
            var own = Enumerable.Range(0, 5).Select(_ => new { type = "track", body = new { @event = "api_call", company = new { id = "victim-counter" }, quantity = 1_000_000_000_000L } }).ToArray();
            var answers = await Task.WhenAll(
                mixed.PostAsync("/batch", new { events }, cancellationToken),
                attacker.PostAsync("/batch", new { events = own }, cancellationToken)).ConfigureAwait(false);
            poisonTried += own.Length;
            var (status, answer) = answers[0];
            if (answers[1].Status >= 500)
            {
                errors++;
            }

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

        await using (var check = await Lab.OpenAsync(store).ConfigureAwait(false))
        {
            var full = await check.ExecuteScalarAsync<long>(
                "SELECT value FROM usage_counters WHERE company_id = @attackerCompany AND period = 0", new { attackerCompany }).ConfigureAwait(false);
            if (full is < NearlyFull or > long.MaxValue - 1_000_000_000_000L)
            {
                lost.Add($"the attacker's counter holds {full}, outside [{NearlyFull}, 2^63 - 1 - 10^12]: it wrapped or went past the cap");
            }
        }

        // A later batch of the healthy tenant alone still goes through.
        var (after, _) = await healthy.PostAsync("/batch", new { events = new[] { Reliability.Events.Track("healthy", "healthy-after", keyed: true) } }, cancellationToken).ConfigureAwait(false);
        if (after != 200)
        {
            lost.Add($"a later healthy batch answered {after}");
        }

        return new CaseResult(
            $"{Rounds} rounds, each a batch of 10 healthy events with 7 of another tenant (10^12 twice, -5, 1.5, 2^63, 9.3e18, a company that is a number) beside that tenant's own batch of five 10^12 events; the attacker's counter starts 0.67 x 10^12 from full",
            lost,
            $"{acknowledged.Count} healthy events counted; {poisonAccepted} of the attacker's events in mixed batches accepted (those within the caps, until its counter is full); the healthy company's all-time counter {log.AllTimeCounters:N0}");
    }

    private static Dictionary<string, object?> WithKey(object @event, string apiKey)
    {
        var fields = System.Text.Json.JsonSerializer.SerializeToElement(@event).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value, StringComparer.Ordinal);
        fields["api_key"] = apiKey;
        return fields;
    }
}
