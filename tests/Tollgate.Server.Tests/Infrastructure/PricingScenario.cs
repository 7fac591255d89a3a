using System.Net;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// A small pricing model built through the API in its own environment:
/// <list type="bullet">
/// <item>Starter: <c>api-calls</c> 100 a month, <c>seats</c> 3.</item>
/// <item>Pro: <c>sso</c>, <c>api-calls</c> 1,000 a month (soft limit 800), <c>seats</c> 10, <c>ai-credits</c> at 2 credits a use.</item>
/// <item>Enterprise: <c>sso</c>, <c>api-calls</c> unlimited, <c>seats</c> limited by the company's <c>seat_limit</c> trait.</item>
/// <item>Flags: <c>sso</c> and <c>api-calls</c> default off, <c>beta</c> (no feature grants) default on.</item>
/// </list>
/// </summary>
public sealed record PricingScenario(
    ApiClient Api,
    string Starter,
    string Pro,
    string Enterprise,
    string Sso,
    string ApiCalls,
    string Seats,
    string AiCredits,
    string ProSso,
    string ProApiCalls,
    string ProSeats)
{
    /// <summary>Builds the model in a new environment of <paramref name="server"/>.</summary>
    public static async Task<PricingScenario> CreateAsync(TollgateFactory server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var api = await server.NewEnvironmentAsync();
        var seatsTrait = await Given.TraitAsync(api, "seats");
        var seatLimit = await Given.TraitAsync(api, "seat_limit");
        var sso = await Given.BooleanFeatureAsync(api, "sso");
        var apiCalls = await Given.EventFeatureAsync(api, "api-calls", "api_call");
        var seats = await Given.TraitFeatureAsync(api, "seats", seatsTrait);
        var aiCredits = await Given.EventFeatureAsync(api, "ai-credits", "ai_generation");
        await Given.BooleanFeatureAsync(api, "beta", defaultValue: true);

        var starter = await Given.PlanAsync(api, "Starter");
        var pro = await Given.PlanAsync(api, "Pro");
        var enterprise = await Given.PlanAsync(api, "Enterprise");
        await Given.EntitlementAsync(api, Monthly(starter, apiCalls, 100));
        await Given.EntitlementAsync(api, new { planId = starter, featureId = seats, valueType = "numeric", valueNumeric = 3 });
        var proSso = await Given.EntitlementAsync(api, new { planId = pro, featureId = sso, valueType = "boolean", valueBool = true });
        var proApiCalls = await Given.EntitlementAsync(api, new
        {
            planId = pro, featureId = apiCalls, valueType = "numeric", valueNumeric = 1000, metricPeriod = "current_month", metricPeriodMonthReset = "first_of_month", softLimit = 800,
        });
        var proSeats = await Given.EntitlementAsync(api, new { planId = pro, featureId = seats, valueType = "numeric", valueNumeric = 10 });
        await Given.EntitlementAsync(api, new { planId = pro, featureId = aiCredits, valueType = "credit", valueCreditId = "ai_credits", creditConsumptionRate = 2 });
        await Given.EntitlementAsync(api, new { planId = enterprise, featureId = sso, valueType = "boolean", valueBool = true });
        await Given.EntitlementAsync(api, new { planId = enterprise, featureId = apiCalls, valueType = "unlimited" });
        await Given.EntitlementAsync(api, new { planId = enterprise, featureId = seats, valueType = "trait", valueTraitId = seatLimit });
        return new PricingScenario(api, starter, pro, enterprise, sso, apiCalls, seats, aiCredits, proSso, proApiCalls, proSeats);
    }

    /// <summary>A company on a plan with a number of seats in use.</summary>
    public Task<string> CompanyAsync(string key, string planId, int seats, int? seatLimit = null) =>
        Given.CompanyAsync(Api, key, planId, seatLimit is { } limit ? new() { ["seats"] = seats, ["seat_limit"] = limit } : new() { ["seats"] = seats });

    /// <summary>Checks one flag for a company; asserts 200 and answers <c>data</c>.</summary>
    public async Task<System.Text.Json.JsonElement> CheckAsync(string flag, string company, object? preflight = null) =>
        (await Api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys(company), preflight })).ShouldBe(HttpStatusCode.OK).Data;

    private static object Monthly(string planId, string featureId, long limit) =>
        new { planId, featureId, valueType = "numeric", valueNumeric = limit, metricPeriod = "current_month" };
}
