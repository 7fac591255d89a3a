using System.Text.Json;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing;

/// <summary>
/// What a company's Stripe billing state means for its plans (pure; the sync and the manual mapping both use it). A live
/// subscription (active, trialing, and past_due under the keep policy) puts the company on the plan of the item whose
/// price or product maps to a base plan, with the add-ons its other items map to. A price that names a plan version
/// decides the version only when it is news — a price the company's last synced billing state did not have, or a
/// mapping being re-applied — because Tollgate moves companies between versions itself (migrations, publishing): a
/// company moved to a newer version whose subscription still has its old price keeps the newer version. Otherwise the
/// company keeps the version it is on (or gets the plan's published one). Anything else puts it on
/// the plan group's fallback plan (or none) without add-ons. Items mapped to no plan are kept in the billing state but grant nothing
/// (a live subscription none of whose items maps to a base plan leaves the company without one: map the product).
/// </summary>
internal static class BillingPlans
{
    /// <summary>The item periods Stripe gave, by item id; null keeps the billing state's own period (re-applying a mapping).</summary>
    public static CompanyRecord Apply(
        CatalogSnapshot catalog,
        StripeSettings settings,
        CompanyRecord before,
        CompanyBilling billing,
        IReadOnlyDictionary<string, (DateTimeOffset Start, DateTimeOffset End)>? itemPeriods,
        BillingCatalog billingCatalog,
        DateTimeOffset now)
    {
        if (billing.SubscriptionId is null)
        {
            // A customer without any subscription: Stripe says nothing about the plans yet.
            return before with { Billing = billing };
        }

        var live = IsLive(billing.Status, settings);
        string? basePlan = null;
        CompanyBillingItem? baseItem = null;
        var addOns = new List<string>();
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        if (live)
        {
            foreach (var item in billing.Items)
            {
                if (billingCatalog.PlanOf(catalog, item) is not { } mapped)
                {
                    continue;
                }

                if (mapped.Plan.PlanType == PlanType.Plan && basePlan is null)
                {
                    (basePlan, baseItem) = (mapped.Plan.Id, item);
                }
                else if (mapped.Plan.PlanType == PlanType.AddOn && !addOns.Contains(mapped.Plan.Id))
                {
                    addOns.Add(mapped.Plan.Id);
                }
                else
                {
                    continue;
                }

                if (mapped.VersionId is { } versionId && PriceIsNews(before, item, itemPeriods))
                {
                    versions[mapped.Plan.Id] = versionId;
                }
            }
        }
        else
        {
            // The plan group's fallback (it replaced the connection's own setting).
            basePlan = catalog.FallbackPlanId;
        }

        var periodItem = baseItem ?? (billing.Items.Count > 0 ? billing.Items[0] : null);
        var (periodStart, periodEnd) = itemPeriods is not null && periodItem is not null && itemPeriods.TryGetValue(periodItem.ItemId, out var period)
            ? ((DateTimeOffset?)period.Start, (DateTimeOffset?)period.End)
            : (billing.PeriodStart, billing.PeriodEnd);
        var seats = baseItem?.Quantity;
        var recorded = billing with { Seats = seats, PeriodStart = periodStart, PeriodEnd = periodEnd };
        var traits = before.Traits;
        if (live && seats is { } seatCount && settings.SeatsTrait is { } seatsTrait)
        {
            traits = new Dictionary<string, JsonElement>(before.Traits, StringComparer.Ordinal) { [seatsTrait] = JsonSerializer.SerializeToElement(seatCount) };
        }

        var after = before with
        {
            BasePlanId = basePlan,
            AddOnIds = addOns,
            Traits = traits,
            Billing = recorded,
            Subscription = live && periodStart is { } start && periodEnd is { } end && end > start ? new SubscriptionPeriod(billing.SubscriptionId, start, end) : null,
        };
        after = CompanyPlanVersions.Assign(catalog, before, after, now);
        if (versions.Count == 0)
        {
            return after;
        }

        // A new price names the version: it is the version now, and no move of that plan stays scheduled — unless the
        // company is already scheduled to move to exactly that version (a migration at the end of the billing period
        // changes the price at once, without proration): then the price agrees with the move, which keeps its instant.
        var planVersions = new Dictionary<string, string>(after.PlanVersions, StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (planId, versionId) in versions)
        {
            if (after.ScheduledPlanVersions.Any(s => s.PlanId == planId && s.PlanVersionId == versionId))
            {
                continue;
            }

            planVersions[planId] = versionId;
            named.Add(planId);
        }

        return after with { PlanVersions = planVersions, ScheduledPlanVersions = [.. after.ScheduledPlanVersions.Where(s => !named.Contains(s.PlanId))] };
    }

    /// <summary>
    /// True when the item's price is news: the company's last synced billing state had no item on it, or a mapping is
    /// being re-applied (<paramref name="itemPeriods"/> null). An unchanged price says nothing about versions.
    /// </summary>
    private static bool PriceIsNews(CompanyRecord before, CompanyBillingItem item, IReadOnlyDictionary<string, (DateTimeOffset Start, DateTimeOffset End)>? itemPeriods) =>
        itemPeriods is null || before.Billing is not { } previous || !previous.Items.Any(i => i.PriceId == item.PriceId);

    /// <summary>True when the status keeps the subscription's plans.</summary>
    public static bool IsLive(string? status, StripeSettings settings) => status switch
    {
        StripeSubscriptionStatuses.Active or StripeSubscriptionStatuses.Trialing => true,
        StripeSubscriptionStatuses.PastDue => settings.PastDuePolicy == PastDuePolicies.Keep,
        _ => false,
    };
}

/// <summary>The billing products and prices a company's items name, and the plans they map to.</summary>
internal sealed record BillingCatalog(IReadOnlyDictionary<string, BillingProductRecord> Products, IReadOnlyDictionary<string, BillingPriceRecord> Prices)
{
    /// <summary>The plan (and version, when the price names one) an item maps to, or null when it maps to none the catalog has.</summary>
    public (PlanRecord Plan, string? VersionId)? PlanOf(CatalogSnapshot catalog, CompanyBillingItem item)
    {
        if (Prices.TryGetValue(item.PriceId, out var price) && price.PlanVersionId is { } versionId
            && catalog.VersionsById.TryGetValue(versionId, out var version) && catalog.Plans.TryGetValue(version.PlanId, out var versionPlan))
        {
            return (versionPlan, versionId);
        }

        return Products.TryGetValue(item.ProductId, out var product) && product.PlanId is { } planId && catalog.Plans.TryGetValue(planId, out var plan)
            ? (plan, null)
            : null;
    }
}
