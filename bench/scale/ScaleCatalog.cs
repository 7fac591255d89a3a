using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Catalog;
using Tollgate.Server.Credits;
using Tollgate.Server.Environments;
using Tollgate.Server.Lifecycle;

namespace Tollgate.Scale;

/// <summary>
/// The catalog of the scale data set, written through the same services as the API (validated, audited, compiled into
/// flag rules): eight features (two metered by events, one credit-burning, one held in a trait, four on/off), four base
/// plans and two add-ons with their entitlements, a credit type with monthly plan grants, three flags with rules of
/// their own, and the plan group (default and trial-expiry plan Free, 14-day trials).
/// </summary>
internal static class ScaleCatalog
{
    /// <summary>The base plans, cheapest first, with their monthly API-call and export limits (null: unlimited) and seats.</summary>
    public static readonly PlanShape[] BasePlans =
    [
        new("Free", "For trying things out", 1_000, 10, 3),
        new("Starter", "For small teams getting going", 10_000, 100, 10),
        new("Pro", "For growing teams", 100_000, 1_000, 25),
        new("Enterprise", "For large organisations", null, null, null),
    ];

    public static async Task<CatalogIds> CreateAsync(IServiceProvider services, RequestScope scope, CancellationToken ct)
    {
        var features = services.GetRequiredService<FeatureService>();
        var flags = services.GetRequiredService<FlagService>();
        var plans = services.GetRequiredService<PlanService>();
        var traits = services.GetRequiredService<TraitDefinitionService>();
        var creditTypes = services.GetRequiredService<CreditTypeService>();
        var planCredits = services.GetRequiredService<PlanCreditGrantService>();
        var planGroups = services.GetRequiredService<PlanGroupService>();

        var seatsTrait = await traits.CreateAsync(scope, new TraitDefinitionRequest("seats", "company", "int"), ct);
        var regionTrait = await traits.CreateAsync(scope, new TraitDefinitionRequest("region", "company", "string"), ct);
        var betaTrait = await traits.CreateAsync(scope, new TraitDefinitionRequest("beta", "company", "bool"), ct);
        await traits.CreateAsync(scope, new TraitDefinitionRequest("industry", "company", "string"), ct);
        await traits.CreateAsync(scope, new TraitDefinitionRequest("employees", "company", "int"), ct);
        await traits.CreateAsync(scope, new TraitDefinitionRequest("role", "user", "string"), ct);

        var apiCalls = await features.CreateAsync(scope, new FeatureRequest("API calls", "Requests to the public API", "event", CatalogIds.ApiCallSubtype, null, new FlagSpec("api-calls", null, null, false)), ct);
        var exports = await features.CreateAsync(scope, new FeatureRequest("Exports", "CSV and PDF exports", "event", CatalogIds.ExportSubtype, null, new FlagSpec("exports", null, null, false)), ct);
        var aiCredits = await features.CreateAsync(scope, new FeatureRequest("AI credits", "AI generations, paid in credits", "event", "ai_generation", null, new FlagSpec("ai-credits", null, null, false)), ct);
        var seats = await features.CreateAsync(scope, new FeatureRequest("Seats", "Members in the workspace", "trait", null, seatsTrait.Id, new FlagSpec("seats", null, null, false)), ct);
        var sso = await features.CreateAsync(scope, new FeatureRequest("SSO", "Single sign-on with SAML or OIDC", "boolean", null, null, new FlagSpec("sso", null, null, false)), ct);
        var auditLog = await features.CreateAsync(scope, new FeatureRequest("Audit log", "Who changed what, kept a year", "boolean", null, null, new FlagSpec("audit-log", null, null, false)), ct);
        var webhooks = await features.CreateAsync(scope, new FeatureRequest("Webhooks", "Outgoing webhooks", "boolean", null, null, new FlagSpec("webhooks", null, null, false)), ct);
        var support = await features.CreateAsync(scope, new FeatureRequest("Priority support", "Answers within four hours", "boolean", null, null, new FlagSpec("priority-support", null, null, false)), ct);

        var credits = await creditTypes.CreateAsync(scope, new CreditTypeRequest("AI credits", "Paid per AI generation", null, "credit", "credits", null, null, null, null, null, null), ct);

        var planIds = new List<string>();
        foreach (var shape in BasePlans)
        {
            planIds.Add((await plans.CreateAsync(scope, new PlanRequest(shape.Name, shape.Description, "plan"), ct)).Id);
        }

        var ssoAddOn = await plans.CreateAsync(scope, new PlanRequest("SSO add-on", "Single sign-on for any paid plan", "add_on"), ct);
        var supportAddOn = await plans.CreateAsync(scope, new PlanRequest("Priority support", "Four-hour answers", "add_on"), ct);

        for (var i = 0; i < BasePlans.Length; i++)
        {
            var (plan, shape) = (planIds[i], BasePlans[i]);
            await GrantAsync(plans, scope, Monthly(plan, apiCalls.Id, shape.ApiCalls), ct);
            await GrantAsync(plans, scope, Monthly(plan, exports.Id, shape.Exports), ct);
            await GrantAsync(plans, scope, shape.Seats is { } n ? Grant(plan, seats.Id, "numeric") with { ValueNumeric = n } : Grant(plan, seats.Id, "unlimited"), ct);
            if (i >= 1)
            {
                await GrantAsync(plans, scope, Grant(plan, webhooks.Id, "boolean") with { ValueBool = true }, ct);
            }

            if (i >= 2)
            {
                await GrantAsync(plans, scope, Grant(plan, auditLog.Id, "boolean") with { ValueBool = true }, ct);
                await GrantAsync(plans, scope, Grant(plan, aiCredits.Id, "credit") with { ValueCreditId = credits.Id, CreditConsumptionRate = i == 2 ? 1 : 0.5 }, ct);
                await planCredits.CreateAsync(scope, new PlanCreditGrantRequest(plan, null, credits.Id, i == 2 ? 1_000 : 10_000, "monthly", "first_of_month", "plan_period", null, null, null), ct);
            }
        }

        await GrantAsync(plans, scope, Grant(planIds[3], sso.Id, "boolean") with { ValueBool = true }, ct);
        await GrantAsync(plans, scope, Grant(ssoAddOn.Id, sso.Id, "boolean") with { ValueBool = true }, ct);
        await GrantAsync(plans, scope, Grant(supportAddOn.Id, support.Id, "boolean") with { ValueBool = true }, ct);

        await planGroups.CreateAsync(
            scope,
            new PlanGroupRequest
            {
                OrderedPlans = [.. planIds.Select(id => new OrderedPlanRequest(id, null))],
                OrderedAddOns = [new OrderedPlanRequest(ssoAddOn.Id, null), new OrderedPlanRequest(supportAddOn.Id, null)],
                DefaultPlanId = planIds[0],
                FallbackPlanId = planIds[0],
                TrialDays = 14,
                TrialExpiryPlanId = planIds[0],
            },
            ct);

        await StandaloneFlagsAsync(flags, features, scope, regionTrait.Id, betaTrait.Id, planIds, ct);

        return new CatalogIds(
            planIds,
            [ssoAddOn.Id, supportAddOn.Id],
            apiCalls.Id,
            exports.Id,
            sso.Id,
            credits.Id);
    }

    /// <summary>Flags that belong to no feature, each with rules of its own: a trait beta, a plan rollout, a kill switch.</summary>
    private static async Task StandaloneFlagsAsync(
        FlagService flags, FeatureService features, RequestScope scope, string regionTraitId, string betaTraitId, List<string> planIds, CancellationToken ct)
    {
        var dashboard = await flags.CreateAsync(scope, new FlagRequest("new-dashboard", "New dashboard", "The redesigned dashboard, in beta", false, null, "boolean", null), ct);
        await features.UpdateRulesAsync(
            scope,
            dashboard.Id,
            new FlagRulesRequest(
            [
                new FlagRuleRequest(null, "EU beta customers", "standard", 1, true, [Trait(regionTraitId, "eu"), Trait(betaTraitId, "true")], null),
                new FlagRuleRequest(null, "Beta anywhere, paid plans", "standard", 2, true, [Trait(betaTraitId, "true")], [new ConditionGroupRequest([Plan(planIds[2]), Plan(planIds[3])])]),
            ]),
            ct);
        var alerts = await flags.CreateAsync(scope, new FlagRequest("usage-alerts", "Usage alerts", "E-mails at 80% and 100% of a limit", false, null, "boolean", null), ct);
        await features.UpdateRulesAsync(
            scope, alerts.Id, new FlagRulesRequest([new FlagRuleRequest(null, "Paid plans", "standard", 1, true, [Plan(planIds[1], planIds[2], planIds[3])], null)]), ct);
        var banner = await flags.CreateAsync(scope, new FlagRequest("maintenance-banner", "Maintenance banner", "Kill switch for the banner", true, null, "boolean", null), ct);
        await features.UpdateRulesAsync(scope, banner.Id, new FlagRulesRequest([new FlagRuleRequest(null, "Off everywhere", "global_override", 1, false, [], null)]), ct);
    }

    private static ConditionRequest Trait(string traitId, string value) =>
        new("trait", "eq", null, traitId, value, null, null, null, null, null, null, null);

    private static ConditionRequest Plan(params string[] planIds) =>
        new("plan", "eq", planIds, null, null, null, null, null, null, null, null, null);

    private static GrantRequest Monthly(string planId, string featureId, long? limit) => limit is { } n
        ? Grant(planId, featureId, "numeric") with { ValueNumeric = n, MetricPeriod = "current_month", MetricPeriodMonthReset = "first_of_month" }
        : Grant(planId, featureId, "unlimited") with { MetricPeriod = "current_month", MetricPeriodMonthReset = "first_of_month" };

    private static GrantRequest Grant(string planId, string featureId, string valueType) =>
        new(planId, null, featureId, valueType, null, null, null, null, null, null, null, null, null, null, null);

    private static Task<PlanEntitlementRecord> GrantAsync(PlanService plans, RequestScope scope, GrantRequest request, CancellationToken ct) =>
        plans.CreateEntitlementAsync(scope, request, ct);
}

/// <summary>A base plan of the data set and its limits (null: unlimited).</summary>
internal sealed record PlanShape(string Name, string Description, long? ApiCalls, long? Exports, long? Seats);

/// <summary>The ids of the catalog the companies are generated against.</summary>
internal sealed record CatalogIds(
    IReadOnlyList<string> BasePlanIds,
    IReadOnlyList<string> AddOnIds,
    string ApiCallsFeatureId,
    string ExportsFeatureId,
    string SsoFeatureId,
    string CreditTypeId)
{
    public const string ApiCallSubtype = "api_call";
    public const string ExportSubtype = "export";
}
