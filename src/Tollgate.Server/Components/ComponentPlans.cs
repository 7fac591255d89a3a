using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tollgate.Server.Billing;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Lifecycle;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Components;

/// <summary>
/// The plans and add-ons the components show, in the plan group's order: each as the plan group answers it
/// (<see cref="PlanGroupPlanResponse"/>), with what Schematic's <c>CompanyPlanDetailResponseData</c> and
/// <c>PlanViewPublicResponseData</c> add: the published version's visible entitlements in the group's order, the
/// monthly and yearly prices of the Stripe products linked to the plan, and (for a company) whether it is current and
/// whether the company may trial it; and the credits the plan grants every period (<c>included_credit_grants</c>).
/// </summary>
/// <remarks>
/// Built as JSON objects on top of the plan group's answer: the components read some forty fields of a plan, and this
/// way the plan endpoints and the components cannot drift apart on the ones both show.
/// </remarks>
internal sealed class ComponentPlans(
    ResourceStore store, PlanCreditGrantService planGrants, CreditTypeService creditTypes, Companies.CompanyDirectory directory, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>
    /// The group's plans and add-ons, for <paramref name="company"/> with its current <paramref name="usage"/> when given
    /// (else as the public sees them).
    /// </summary>
    public async Task<(List<JsonObject> Plans, List<JsonObject> AddOns)> ListAsync(
        RequestScope scope, CatalogSnapshot catalog, CompanyRecord? company, IReadOnlyList<FeatureUsageResponse>? usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(catalog);
        var group = catalog.PlanGroup;
        if (group is null)
        {
            return ([], []);
        }

        var environmentId = catalog.EnvironmentId;
        // Base plan and add-ons alike, from the company directory's version tallies: never a count of the company documents.
        var companies = await directory.CompaniesPerPlanAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var billing = await Api.CatalogEndpoints.PlanBillingAsync(store, environmentId, cancellationToken).ConfigureAwait(false);
        var prices = await PricesByPlanAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var grants = await GrantsByPlanAsync(scope, cancellationToken).ConfigureAwait(false);
        JsonObject? Describe(OrderedPlan ordered)
        {
            if (!catalog.Plans.TryGetValue(ordered.PlanId, out var plan))
            {
                return null;
            }

            var response = PlanResponse.From(
                plan, catalog, companies.GetValueOrDefault(plan.Id), billing.GetValueOrDefault(plan.Id), PlanGroupRecord.FactsOf(group, plan.Id));
            var described = JsonSerializer.SerializeToNode(PlanGroupPlanResponse.From(response, group), json.Value.SerializerOptions)!.AsObject();
            described["included_credit_grants"] = JsonSerializer.SerializeToNode(grants[plan.Id].ToList(), json.Value.SerializerOptions);
            return Extend(described, ordered, catalog, group, company, usage, prices[plan.Id]);
        }

        return (
            [.. group.OrderedPlans.Select(Describe).OfType<JsonObject>()],
            [.. group.OrderedAddOns.Select(Describe).OfType<JsonObject>()]);
    }

    /// <summary>One plan of the group as <see cref="ListAsync"/> describes it, or null when the group does not offer it.</summary>
    public static JsonObject? Find(List<JsonObject> plans, string? planId) =>
        planId is null ? null : plans.FirstOrDefault(p => (string?)p["id"] == planId);

    /// <summary>
    /// <paramref name="plan"/> (the company's current plan) with a price for the portal's plan card: the one its
    /// subscription bills it at when there is one (<see cref="CompanyPlanResponse.PlanPrice"/>), else the plan's
    /// listed monthly price, else its yearly one, as <paramref name="plans"/> (from <see cref="ListAsync"/>) show them.
    /// A plan with no price at all is left without (the card then draws none).
    /// </summary>
    public static CompanyPlanResponse? WithListedPrice(CompanyPlanResponse? plan, List<JsonObject> plans)
    {
        if (plan is not { PlanPrice: null } || Find(plans, plan.Id) is not { } listed)
        {
            return plan;
        }

        var price = listed["monthly_price"] as JsonObject ?? listed["yearly_price"] as JsonObject;
        return price is null ? plan : plan with { PlanPrice = (long?)price["price"], PlanPeriod = (string?)price["interval"] };
    }

    private JsonObject Extend(
        JsonObject plan, OrderedPlan ordered, CatalogSnapshot catalog, PlanGroupRecord group, CompanyRecord? company, IReadOnlyList<FeatureUsageResponse>? usage,
        IEnumerable<BillingPriceRecord> prices)
    {
        var options = json.Value.SerializerOptions;
        var planId = ordered.PlanId;
        var entitlements = catalog.PublishedVersionOf(planId) is { } version && catalog.EntitlementsByVersion.TryGetValue(version.Id, out var all) ? all : [];
        var order = ordered.Entitlements.Select((e, i) => (e.EntitlementId, i)).ToDictionary(p => p.EntitlementId, p => p.i, StringComparer.Ordinal);
        var hidden = ordered.Entitlements.Where(e => e.Visible == false).Select(e => e.EntitlementId).ToHashSet(StringComparer.Ordinal);
        var shown = entitlements.Where(e => !hidden.Contains(e.Id)).OrderBy(e => order.GetValueOrDefault(e.Id, int.MaxValue)).Select(e => PlanEntitlementResponse.From(e, catalog.EnvironmentId));
        var described = JsonSerializer.SerializeToNode(shown.ToList(), options)!.AsArray();

        // Schematic's PlanEntitlementResponseData carries its feature: the pricing table and the checkout dialog draw
        // an entitlement by its feature's name, type and icon, and draw nothing for one without it.
        foreach (var entitlement in described.OfType<JsonObject>())
        {
            if ((string?)entitlement["feature_id"] is { } featureId && catalog.Features.TryGetValue(featureId, out var feature))
            {
                entitlement["feature"] = JsonSerializer.SerializeToNode(FeatureResponse.From(feature, catalog), options);
                ComponentFeatureIcons.Fill(entitlement["feature"]);
            }
        }

        plan["entitlements"] = described;

        // The licensed (not metered) price of each period: what the pricing table shows as the plan's price.
        var licensed = prices.Where(p => p.UsageType != "metered" && p.IntervalCount == 1).ToList();
        var monthly = licensed.FirstOrDefault(p => p.Interval == "month");
        var yearly = licensed.FirstOrDefault(p => p.Interval == "year");
        plan["monthly_price"] = monthly is null ? null : JsonSerializer.SerializeToNode(BillingPriceData.From(monthly), options);
        plan["yearly_price"] = yearly is null ? null : JsonSerializer.SerializeToNode(BillingPriceData.From(yearly), options);
        plan["available_periods"] = new JsonArray([.. new[] { monthly is null ? null : "monthly", yearly is null ? null : "yearly" }.OfType<string>().Select(p => (JsonNode)p!)]);
        plan["is_free"] = (monthly?.UnitAmount ?? 0) == 0 && (yearly?.UnitAmount ?? 0) == 0;
        plan["custom"] = planId == group.CustomPlanId;
        if (company is not null)
        {
            plan["current"] = company.BasePlanId == planId || company.AddOnIds.Contains(planId, StringComparer.Ordinal);
            // A company trials once: one that has (or had) a trial may not start another.
            plan["company_can_trial"] = group.IsTrialable(planId) && company.Trial is null;
            var current = (bool)plan["current"]!;

            // A plan the company is over a limit of cannot be chosen when the group says so (the checkout refuses it too).
            var violations = !current && usage is not null && group.Downgrades.PreventDowngradesWhenOverLimit
                ? PlanLimitViolations.Of(catalog, planId, usage)
                : [];
            plan["valid"] = violations.Count == 0;
            plan["invalid_reason"] = violations.Count == 0 ? null : "feature_usage_exceeded";
            plan["usage_violations"] = JsonSerializer.SerializeToNode(violations.Select(v => v.Usage).ToList(), options);
        }

        return plan;
    }

    /// <summary>The credits each plan grants its companies every period, with their credit types.</summary>
    private async Task<ILookup<string, ComponentPlanCreditGrantResponse>> GrantsByPlanAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        var all = await planGrants.ListAsync(scope, null, null, cancellationToken).ConfigureAwait(false);
        var types = all.Count == 0
            ? new Dictionary<string, CreditTypeRecord>()
            : (await creditTypes.ListAsync(scope.EnvironmentId, null, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        return all.OrderBy(g => g.CreatedAt).ToLookup(g => g.PlanId, g => ComponentPlanCreditGrantResponse.From(g, types.GetValueOrDefault(g.CreditId)), StringComparer.Ordinal);
    }

    private async Task<ILookup<string, BillingPriceRecord>> PricesByPlanAsync(string environmentId, CancellationToken cancellationToken)
    {
        var products = (await store.ListAllAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, cancellationToken).ConfigureAwait(false))
            .Where(p => p.PlanId is not null).ToDictionary(p => p.Id, p => p.PlanId!, StringComparer.Ordinal);
        if (products.Count == 0)
        {
            return Array.Empty<BillingPriceRecord>().ToLookup(p => p.Id, StringComparer.Ordinal);
        }

        var prices = await store.ListAllAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, cancellationToken).ConfigureAwait(false);
        return prices.Where(p => p.Active && products.ContainsKey(p.ProductId)).ToLookup(p => products[p.ProductId], StringComparer.Ordinal);
    }
}
