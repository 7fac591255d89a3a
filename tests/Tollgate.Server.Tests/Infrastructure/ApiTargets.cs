using System.Net;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// One existing resource of each kind (in its own environment) for tests that call every endpoint: path templates such
/// as <c>/features/{feature}</c> and bodies that mention <c>{plan}</c> are filled in with these ids.
/// </summary>
public sealed record ApiTargets(PricingScenario Scenario, string Company, string User, string Override, string Flag)
{
    /// <summary>The client of the targets' environment.</summary>
    public ApiClient Api => Scenario.Api;

    /// <summary>Builds the targets in a new environment.</summary>
    public static async Task<ApiTargets> CreateAsync(TollgateFactory server)
    {
        var scenario = await PricingScenario.CreateAsync(server);
        var company = await scenario.CompanyAsync("acme", scenario.Pro, seats: 3);
        var user = (await scenario.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" }, company = Given.Keys("acme") }))
            .ShouldBe(HttpStatusCode.OK).Id;
        var @override = await Given.OverrideAsync(scenario.Api, new { companyId = company, featureId = scenario.Sso, valueType = "boolean", valueBool = false });
        var flag = await Given.FlagIdOfAsync(scenario.Api, scenario.Sso);
        var version = (await scenario.Api.GetAsync($"/plans/{scenario.Pro}/versions")).ShouldBe(HttpStatusCode.OK).Data[0].GetProperty("id").GetString()!;
        return new ApiTargets(scenario, company, user, @override, flag) { PlanVersion = version };
    }

    /// <summary>The first version of the Pro plan.</summary>
    public string PlanVersion { get; init; } = string.Empty;

    /// <summary>Replaces <c>{feature}</c>, <c>{event_feature}</c>, <c>{plan}</c>, <c>{plan_version}</c> (its first version), <c>{entitlement}</c>, <c>{company}</c>, <c>{user}</c>, <c>{override}</c>, <c>{flag}</c> and <c>{flag_key}</c>.</summary>
    public string Fill(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template
            .Replace("{feature}", Scenario.Sso, StringComparison.Ordinal)
            .Replace("{event_feature}", Scenario.ApiCalls, StringComparison.Ordinal)
            .Replace("{plan_version}", PlanVersion, StringComparison.Ordinal)
            .Replace("{plan}", Scenario.Pro, StringComparison.Ordinal)
            .Replace("{entitlement}", Scenario.ProSeats, StringComparison.Ordinal)
            .Replace("{company}", Company, StringComparison.Ordinal)
            .Replace("{user}", User, StringComparison.Ordinal)
            .Replace("{override}", Override, StringComparison.Ordinal)
            .Replace("{flag}", Flag, StringComparison.Ordinal)
            .Replace("{flag_key}", "sso", StringComparison.Ordinal);
    }
}
