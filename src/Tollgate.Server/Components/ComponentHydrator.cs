using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tollgate.Server.Billing;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Lifecycle;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Components;

/// <summary>
/// Gathers what a component draws for one company from the areas that own it: the company (plan, add-ons, traits,
/// billing) from <see cref="EntityDescriber"/>, its feature usage against allocations from <see cref="UsageReports"/>,
/// the plan group's plans with entitlements and prices from <see cref="ComponentPlans"/>, and the group's checkout and
/// component settings; the subscription, next invoice and custom checkout field values from <see cref="ComponentBilling"/>;
/// credit bundles and grants from <see cref="ComponentCredits"/>; the metered items of its subscription from
/// <see cref="ComponentUsageBasedEntitlements"/>.
/// </summary>
internal sealed class ComponentHydrator(
    RuntimeRegistry runtimes, EntityDescriber describer, UsageReports usage, ComponentPlans plans, StripeConnections stripe, ComponentBilling billing, ComponentCredits credits,
    ComponentUsageBasedEntitlements usageBased,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>The hydrate answer for <paramref name="company"/>, with the stored layout when one is named.</summary>
    public async Task<ComponentHydrateResponse> HydrateAsync(RequestScope scope, CompanyRecord company, ComponentRecord? component, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(company);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var features = await usage.ForCompanyAsync(scope, company, null, cancellationToken).ConfigureAwait(false);
        var (activePlans, activeAddOns) = await plans.ListAsync(scope, catalog, company, features, cancellationToken).ConfigureAwait(false);
        var described = await describer.CompanyAsync(scope, company, cancellationToken).ConfigureAwait(false);
        described = described with { Plan = ComponentPlans.WithListedPrice(described.Plan, activePlans) };
        var connected = await stripe.GetAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false) is not null;
        var group = catalog.PlanGroup ?? new PlanGroupRecord { Id = string.Empty };
        var money = await billing.ReadAsync(scope, company, group, cancellationToken).ConfigureAwait(false);
        var (bundles, grants) = await credits.ReadAsync(scope, company, cancellationToken).ConfigureAwait(false);
        var usageBasedEntitlements = await usageBased.ListAsync(scope.EnvironmentId, company, catalog, features, money.Prices, cancellationToken).ConfigureAwait(false);
        var display = group.Components;
        var downgrades = group.Downgrades;
        return new ComponentHydrateResponse(
            activeAddOns,
            activePlans,
            usageBasedEntitlements,
            [.. group.AddOnCompatibilities.Select(a => new CompatiblePlansResponse(a.SourcePlanId, a.CompatiblePlanIds))],
            new ComponentCapabilitiesResponse(false, connected),
            CheckoutSettingsOf(group),
            described,
            component is null ? null : ComponentResponse.From(component),
            bundles,
            grants,
            money.CustomCheckoutFields,
            ComponentPlans.Find(activePlans, catalog.DefaultPlanId),
            DisplaySettingsOf(group),
            new ComponentFeatureUsageResponse(WithPlanEntitlements(features, catalog)),
            ComponentPlans.Find(activePlans, group.TrialExpiryPlanId),
            downgrades.PreventSelfServiceDowngrade,
            downgrades.PreventSelfServiceDowngradeButtonText,
            downgrades.PreventSelfServiceDowngradeUrl,
            // A downgrade the loop gave up on will not happen: the portal must not promise it (support sees it on the company).
            ScheduledDowngradeResponse.From(company.ScheduledDowngrade is { FailedAt: null } pending ? pending : null, catalog),
            display.ShowAsMonthlyPrices,
            display.ShowCredits,
            display.ShowPeriodToggle,
            display.ShowZeroPriceAsFree,
            money.StripeEmbed,
            money.Subscription,
            group.TrialPaymentMethodRequired,
            money.UpcomingInvoice);
    }

    /// <summary>The pricing table's answer: the group's plans and add-ons as anyone may see them.</summary>
    public async Task<PublicPlansResponse> PublicPlansAsync(RequestScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var (activePlans, activeAddOns) = await plans.ListAsync(scope, catalog, null, null, cancellationToken).ConfigureAwait(false);
        var connected = await stripe.GetAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false) is not null;
        var group = catalog.PlanGroup ?? new PlanGroupRecord { Id = string.Empty };
        var display = DisplaySettingsOf(group);
        return new PublicPlansResponse(
            activeAddOns,
            activePlans,
            [.. group.AddOnCompatibilities.Select(a => new CompatiblePlansResponse(a.SourcePlanId, a.CompatiblePlanIds))],
            new ComponentCapabilitiesResponse(false, connected),
            display,
            display.ShowAsMonthlyPrices,
            display.ShowCredits,
            display.ShowPeriodToggle,
            display.ShowZeroPriceAsFree);
    }

    /// <summary>
    /// Each feature's usage with the plan entitlement it comes from: the usage meter draws against the soft limit, else
    /// the allocation, and (when the embed asks) the <c>default</c> warning tier of <c>plan_entitlement.warning_tiers</c>.
    /// </summary>
    private List<JsonObject> WithPlanEntitlements(IReadOnlyList<FeatureUsageResponse> features, CatalogSnapshot catalog)
    {
        var options = json.Value.SerializerOptions;
        var entitlements = catalog.EntitlementsByVersion.Values.SelectMany(e => e).DistinctBy(e => e.Id).ToDictionary(e => e.Id, StringComparer.Ordinal);
        return [.. features.Select(f =>
        {
            var usage = JsonSerializer.SerializeToNode(f, options)!.AsObject();
            ComponentFeatureIcons.Fill(usage["feature"]);
            usage["plan_entitlement"] = entitlements.TryGetValue(f.EntitlementId, out var entitlement)
                ? JsonSerializer.SerializeToNode(PlanEntitlementResponse.From(entitlement, catalog.EnvironmentId), options)
                : null;
            return usage;
        })];
    }

    /// <summary>The group's component settings as the components read them.</summary>
    public static ComponentDisplaySettingsResponse DisplaySettingsOf(PlanGroupRecord group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var display = group.Components;
        return new(display.ShowAsMonthlyPrices, display.ShowCredits, display.ShowFeatureDescription, display.ShowHardLimit, display.ShowPeriodToggle, display.ShowZeroPriceAsFree);
    }

    /// <summary>The group's checkout settings as the components read them.</summary>
    public static ComponentCheckoutSettingsResponse CheckoutSettingsOf(PlanGroupRecord group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var checkout = group.Checkout;
        return new ComponentCheckoutSettingsResponse(
            checkout.BundlePurchaseBehavior, checkout.CollectAddress, checkout.CollectEmail, checkout.CollectPhone, checkout.CollectTaxId, group.ProrationBehavior, group.TaxCollectionEnabled);
    }
}
