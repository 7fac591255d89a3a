using System.Text.Json;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Environments;

namespace Tollgate.Server.Demo;

/// <summary>
/// The demo data set: plans Free, Pro and Enterprise; features <c>api-calls</c> (metered, 1,000 / 100,000 /
/// unlimited a month), <c>seats</c> (a company trait), <c>sso</c> (Enterprise only) and <c>ai-credits</c> (burning
/// "AI credits": Pro gets 1,000 a month at 1 credit a generation, Enterprise 10,000 at half a credit); a few companies
/// and users on those plans. Written through the same services as the API.
/// </summary>
internal sealed class DemoData(
    FeatureService features,
    PlanService plans,
    TraitDefinitionService traits,
    CompanyService companies,
    UserService users,
    CreditTypeService creditTypes,
    PlanCreditGrantService planCreditGrants)
{
    public async Task LoadAsync(RequestScope scope, CancellationToken ct)
    {
        var seatsTrait = await traits.CreateAsync(scope, new TraitDefinitionRequest("seats", "company", "int"), ct).ConfigureAwait(false);
        var apiCalls = await features.CreateAsync(scope, new FeatureRequest("API calls", "Requests to the public API", "event", "api_call", null, new FlagSpec("api-calls", null, null, false)), ct).ConfigureAwait(false);
        var seats = await features.CreateAsync(scope, new FeatureRequest("Seats", "Members in the workspace", "trait", null, seatsTrait.Id, new FlagSpec("seats", null, null, false)), ct).ConfigureAwait(false);
        var sso = await features.CreateAsync(scope, new FeatureRequest("SSO", "Single sign-on", "boolean", null, null, new FlagSpec("sso", null, null, false)), ct).ConfigureAwait(false);
        var aiCredits = await features.CreateAsync(scope, new FeatureRequest("AI credits", "AI generations, paid in credits", "event", "ai_generation", null, new FlagSpec("ai-credits", null, null, false)), ct).ConfigureAwait(false);

        var free = await plans.CreateAsync(scope, new PlanRequest("Free", "For trying things out", "plan"), ct).ConfigureAwait(false);
        var pro = await plans.CreateAsync(scope, new PlanRequest("Pro", "For growing teams", "plan"), ct).ConfigureAwait(false);
        var enterprise = await plans.CreateAsync(scope, new PlanRequest("Enterprise", "For large organisations", "plan"), ct).ConfigureAwait(false);

        await GrantMonthlyAsync(scope, free.Id, apiCalls.Id, 1_000, ct).ConfigureAwait(false);
        await GrantMonthlyAsync(scope, pro.Id, apiCalls.Id, 100_000, ct).ConfigureAwait(false);
        await GrantAsync(scope, new Grant(enterprise.Id, apiCalls.Id, "unlimited"), ct).ConfigureAwait(false);
        await GrantAsync(scope, new Grant(free.Id, seats.Id, "numeric") { ValueNumeric = 3 }, ct).ConfigureAwait(false);
        await GrantAsync(scope, new Grant(pro.Id, seats.Id, "numeric") { ValueNumeric = 25 }, ct).ConfigureAwait(false);
        await GrantAsync(scope, new Grant(enterprise.Id, seats.Id, "unlimited"), ct).ConfigureAwait(false);
        await GrantAsync(scope, new Grant(enterprise.Id, sso.Id, "boolean") { ValueBool = true }, ct).ConfigureAwait(false);
        var credits = await creditTypes.CreateAsync(
            scope, new CreditTypeRequest("AI credits", "Paid per AI generation", null, "credit", "credits", null, null, null, null, null, null), ct).ConfigureAwait(false);
        await GrantAsync(scope, new Grant(pro.Id, aiCredits.Id, "credit") { ValueCreditId = credits.Id, CreditConsumptionRate = 1 }, ct).ConfigureAwait(false);
        await GrantAsync(scope, new Grant(enterprise.Id, aiCredits.Id, "credit") { ValueCreditId = credits.Id, CreditConsumptionRate = 0.5 }, ct).ConfigureAwait(false);
        await MonthlyCreditsAsync(scope, pro.Id, credits.Id, 1_000, ct).ConfigureAwait(false);
        await MonthlyCreditsAsync(scope, enterprise.Id, credits.Id, 10_000, ct).ConfigureAwait(false);

        await CompanyAsync(scope, "acme", "Acme Inc", pro.Id, 12, ct).ConfigureAwait(false);
        await CompanyAsync(scope, "globex", "Globex", free.Id, 2, ct).ConfigureAwait(false);
        await CompanyAsync(scope, "initech", "Initech", enterprise.Id, 480, ct).ConfigureAwait(false);
        await UserAsync(scope, "ana@acme.test", "Ana", "acme", ct).ConfigureAwait(false);
        await UserAsync(scope, "hank@globex.test", "Hank", "globex", ct).ConfigureAwait(false);
        await UserAsync(scope, "peter@initech.test", "Peter", "initech", ct).ConfigureAwait(false);
    }

    private Task<PlanEntitlementRecord> GrantMonthlyAsync(RequestScope scope, string planId, string featureId, long limit, CancellationToken ct) =>
        GrantAsync(scope, new Grant(planId, featureId, "numeric") { ValueNumeric = limit, MetricPeriod = "current_month", MetricPeriodMonthReset = "first_of_month" }, ct);

    private Task<PlanCreditGrantRecord> MonthlyCreditsAsync(RequestScope scope, string planId, string creditId, double amount, CancellationToken ct) =>
        planCreditGrants.CreateAsync(scope, new PlanCreditGrantRequest(planId, null, creditId, amount, "monthly", "first_of_month", "plan_period", null, null, null), ct);

    private Task<PlanEntitlementRecord> GrantAsync(RequestScope scope, Grant grant, CancellationToken ct) => plans.CreateEntitlementAsync(scope, grant.ToRequest(), ct);

    private Task<CompanyRecord> CompanyAsync(RequestScope scope, string id, string name, string planId, int seats, CancellationToken ct) =>
        companies.UpsertAsync(
            scope,
            new UpsertCompanyRequest(
                new Dictionary<string, string> { ["id"] = id },
                name,
                new Dictionary<string, JsonElement> { ["seats"] = JsonSerializer.SerializeToElement(seats) },
                planId,
                null,
                null,
                null,
                null),
            createOnly: false,
            ct);

    private Task<UserRecord> UserAsync(RequestScope scope, string email, string name, string companyId, CancellationToken ct) =>
        users.UpsertAsync(
            scope,
            new UpsertUserRequest(
                new Dictionary<string, string> { ["email"] = email },
                name,
                null,
                new Dictionary<string, string> { ["id"] = companyId },
                null,
                null,
                null,
                null,
                null),
            createOnly: false,
            ct);

    private sealed record Grant(string PlanId, string FeatureId, string ValueType)
    {
        public bool? ValueBool { get; init; }

        public long? ValueNumeric { get; init; }

        public string? ValueCreditId { get; init; }

        public double? CreditConsumptionRate { get; init; }

        public string? MetricPeriod { get; init; }

        public string? MetricPeriodMonthReset { get; init; }

        public GrantRequest ToRequest() => new(
            PlanId, null, FeatureId, ValueType, ValueBool, ValueNumeric, null, ValueCreditId, CreditConsumptionRate, MetricPeriod, MetricPeriodMonthReset, null, null, null, null);
    }
}
