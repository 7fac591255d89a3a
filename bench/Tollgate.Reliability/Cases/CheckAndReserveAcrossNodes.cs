namespace Tollgate.Reliability.Cases;

/// <summary>
/// Parallel check-and-reserve calls against one credit balance, spread over two nodes on one PostgreSQL database, each
/// node holding a warm view that the other node's holds make stale. Lost: a hold granted beyond the balance (credits
/// given away), a refused call while credits were left, or a balance that does not add up.
/// </summary>
internal sealed class CheckAndReserveAcrossNodes : IReliabilityCase
{
    private const int Calls = 160;
    private const double Granted = 100;
    private const double Rate = 2;

    public string Name => "check-and-reserve-2-nodes";

    public async Task<CaseResult> RunAsync(Lab lab, CancellationToken cancellationToken)
    {
        var store = await lab.NewStoreAsync("postgres", "reserve").ConfigureAwait(false);
        var key = Lab.NewApiKey();
        await using var nodeA = await lab.StartNodeAsync(store, "a", key, cancellationToken).ConfigureAwait(false);
        await using var nodeB = await lab.StartNodeAsync(store, "b", key, cancellationToken).ConfigureAwait(false);
        using var a = new Api(nodeA, key);
        using var b = new Api(nodeB, key);

        var credit = (await a.RequireAsync("/billing/credits", new { name = "AI tokens", description = "tokens", currency = "usd" }, cancellationToken).ConfigureAwait(false)).GetProperty("id").GetString();
        var feature = (await a.RequireAsync("/features", new { name = "AI generation", feature_type = "event", event_subtype = "ai_generation", flag = new { key = "ai-gen" } }, cancellationToken).ConfigureAwait(false)).GetProperty("id").GetString();
        var plan = (await a.RequireAsync("/plans", new { name = "Pro" }, cancellationToken).ConfigureAwait(false)).GetProperty("id").GetString();
        await a.RequireAsync("/plan-entitlements", new { plan_id = plan, feature_id = feature, value_type = "credit", value_credit_id = credit, credit_consumption_rate = Rate }, cancellationToken).ConfigureAwait(false);
        var company = (await a.RequireAsync("/companies", new { keys = new { id = "acme" }, base_plan_id = plan }, cancellationToken).ConfigureAwait(false)).GetProperty("id").GetString();
        await a.RequireAsync("/billing/credits/grants/company", new { company_id = company, credit_id = credit, quantity = Granted, reason = "purchased" }, cancellationToken).ConfigureAwait(false);

        // Both nodes warm before the race.
        foreach (var api in new[] { a, b })
        {
            await api.RequireAsync("/flags/ai-gen/check", new { company = new { id = "acme" } }, cancellationToken).ConfigureAwait(false);
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, Calls).Select(i =>
            (i % 2 == 0 ? a : b).PostAsync("/flags/ai-gen/check-and-reserve", new { company = new { id = "acme" }, quantity = 1 }, cancellationToken))).ConfigureAwait(false);

        var lost = new List<string>();
        var errors = answers.Count(x => x.Status != 200);
        var held = answers.Count(x => x.Status == 200 && x.Body.GetProperty("data").GetProperty("value").GetBoolean());
        var affordable = (int)(Granted / Rate);
        if (errors > 0)
        {
            lost.Add($"{errors} calls answered an error instead of a decision");
        }

        if (held > affordable)
        {
            lost.Add($"{held - affordable} holds granted beyond the balance");
        }
        else if (held < affordable)
        {
            lost.Add($"{affordable - held} calls refused while credits were left");
        }

        var (_, balances) = await b.GetAsync($"/billing/credits/balance?company_id={company}", cancellationToken).ConfigureAwait(false);
        var balance = balances.GetProperty("data").EnumerateArray().Single(x => x.GetProperty("credit_id").GetString() == credit);
        var remaining = balance.GetProperty("remaining").GetDouble();
        var reserved = balance.GetProperty("reserved").GetDouble();
        if (Math.Abs(remaining + reserved - Granted) > 1e-9 || Math.Abs(reserved - held * Rate) > 1e-9)
        {
            lost.Add($"the balance does not add up: remaining {remaining} + reserved {reserved} of {Granted} granted, {held} holds of {Rate}");
        }

        return new CaseResult($"{Calls} parallel check-and-reserve calls over 2 nodes against {Granted} credits at {Rate} per use", lost, $"{held} holds granted, remaining {remaining}, reserved {reserved}");
    }
}
