using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Outbound;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Lifecycle;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;
using StripeProrations = Tollgate.Stripe.ProrationBehaviors;

namespace Tollgate.Server.Components.Checkout;

/// <summary>
/// Turns a components' checkout body into a <see cref="CheckoutPlan"/>: validates it against the catalog, the Stripe
/// prices Tollgate knows and the plan group's settings (offered plans, add-on compatibility, opt-in, trials, downgrade
/// rules, proration), naming the field at fault with a 400. It reads only; nothing is written until the checkout runs.
/// </summary>
internal sealed class CheckoutPlanner(
    StripeConnections connections, ResourceStore store, RuntimeRegistry runtimes, PlanPrices plans, StripeSubscriptionChangeService changes, StripeCustomerLink customers,
    Usage.UsageReports usage, TimeProvider time)
{
    /// <summary>The plan group's <c>scheduled_downgrade_behavior</c> that keeps what was paid for until the period ends.</summary>
    public const string EndOfBillingPeriod = "end_of_billing_period";

    public async Task<CheckoutPlan> PlanAsync(RequestScope scope, string companyId, ChangeSubscriptionRequestBody? body, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            Errors.BadRequest("body", "is required");
        }

        var planId = Validate.Required(body.NewPlanId, "new_plan_id");
        var priceId = Validate.Required(body.NewPriceId, "new_price_id");
        if (body.CreditBundles is { Count: > 0 })
        {
            Errors.BadRequest("credit_bundles", "buying credit bundles at checkout is not supported yet (grant them through /credits)");
        }

        if (body.PromoCode is { Length: > 0 } || body.CouponExternalId is { Length: > 0 })
        {
            Errors.BadRequest(body.PromoCode is { Length: > 0 } ? "promo_code" : "coupon_external_id", "promotion codes and coupons are not supported yet");
        }

        var company = await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
        if (company.Billing?.Provider is { } provider)
        {
            Errors.Conflict("company", $"the company is billed by {provider}, not Stripe");
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var group = await PlanGroupStore.GetAsync(store, scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        if (!catalog.Plans.TryGetValue(planId, out var plan) || plan.PlanType != PlanType.Plan)
        {
            Errors.BadRequest("new_plan_id", "must name an existing plan (not an add-on)");
        }

        if (group is { OrderedPlans.Count: > 0 } && !group.Offers(planId))
        {
            Errors.BadRequest("new_plan_id", "is not offered by the plan group");
        }

        if (group?.Checkout.OptInEnabled == true && body.OptInAccepted != true)
        {
            Errors.BadRequest("opt_in_accepted", "the plan group asks the buyer to accept its opt-in");
        }

        CheckCustomFields(group, body.CustomFieldValues);
        var choice = await plans.ChooseAsync(scope, null, priceId, null, cancellationToken).ConfigureAwait(false);
        if (await PlanOfAsync(scope, catalog, choice.Base, cancellationToken).ConfigureAwait(false) != planId)
        {
            Errors.BadRequest("new_price_id", "is not a price of new_plan_id");
        }

        var addOns = await AddOnPricesAsync(scope, catalog, group, planId, body.AddOnIds, cancellationToken).ConfigureAwait(false);
        var quantities = Quantities(body.PayInAdvance, [choice.Base.Id, .. addOns.Select(a => a.Id)]);
        var connection = await connections.RequireAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var billing = company.Billing;
        var live = billing is { SubscriptionId: not null, Status: not ("canceled" or "incomplete_expired") };
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StripeCompanyKeys.CompanyIdMetadata] = company.Id,
            [StripeCompanyKeys.EnvironmentIdMetadata] = scope.EnvironmentId,
        };
        if (choice.Base.PlanVersionId is { } versionId)
        {
            metadata[StripeCompanyKeys.PlanVersionIdMetadata] = versionId;
        }

        var customerId = await customers.EnsureAsync(connection, company, cancellationToken).ConfigureAwait(false);
        if (live)
        {
            return await ChangePlanAsync(scope, company, connection, group, customerId, planId, choice, addOns, quantities, catalog, metadata, cancellationToken).ConfigureAwait(false);
        }

        var seats = PlanPrices.Quantity(choice, quantities.GetValueOrDefault(choice.Base.Id));
        var lines = new List<CheckoutLine> { new(choice.Base.Id, seats) };
        lines.AddRange(choice.Metered.Select(m => new CheckoutLine(m.Id, null)));
        lines.AddRange(addOns.Select(a => new CheckoutLine(a.Id, a.UsageType == StripeUsageTypes.Metered ? null : quantities.GetValueOrDefault(a.Id) ?? 1)));
        long? trialDays = group?.IsTrialable(planId) == true && body.SkipTrial != true ? group.TrialDays : null;
        var stripe = new StripeComponentBilling(connection.Account);
        var paymentMethod = body.PaymentMethodId is { Length: > 0 } given
            ? given
            : (await stripe.GetBalanceAsync(customerId, cancellationToken).ConfigureAwait(false))?.DefaultPaymentMethodId;
        if (body.PaymentMethodId is { Length: > 0 } && (await stripe.GetPaymentMethodAsync(body.PaymentMethodId, cancellationToken).ConfigureAwait(false))?.CustomerId != customerId)
        {
            // Only a card saved for this company may be charged: another company's reads as unknown.
            Errors.BadRequest("payment_method_id", "must name a payment method saved for this company");
        }

        var required = paymentMethod is null && (trialDays is null || group?.TrialPaymentMethodRequired == true);
        return new CheckoutPlan(
            company, connection, group, customerId, null, choice.Base, [], lines, StripeProrations.CreateProrations, false, null, trialDays, paymentMethod, required,
            Total(lines, [choice.Base, .. addOns]), metadata);
    }

    private async Task<CheckoutPlan> ChangePlanAsync(
        RequestScope scope, CompanyRecord company, StripeConnection connection, PlanGroupRecord? group, string customerId, string planId, PlanPrices.Choice choice,
        IReadOnlyList<BillingPriceRecord> addOns, IReadOnlyDictionary<string, long?> quantities, CatalogSnapshot catalog, Dictionary<string, string> metadata,
        CancellationToken cancellationToken)
    {
        var billing = company.Billing!;
        var prices = await store.GetManyAsync<BillingPriceRecord>(scope.EnvironmentId, ResourceKinds.BillingPrice, [.. billing.Items.Select(i => i.PriceId)], cancellationToken).ConfigureAwait(false);
        var baseItem = await changes.BaseItemAsync(scope, billing, prices, cancellationToken).ConfigureAwait(false);
        var current = prices.FirstOrDefault(p => p.Id == baseItem.PriceId);
        var seats = choice.PerSeat ? quantities.GetValueOrDefault(choice.Base.Id) ?? baseItem.Quantity ?? 1 : PlanPrices.Quantity(choice, quantities.GetValueOrDefault(choice.Base.Id));
        var items = new List<SubscriptionItemChange> { new(baseItem.ItemId, choice.Base.Id, seats) };
        items.AddRange(StripeSubscriptionChangeService.MeteredSwap(billing, prices, current, choice));

        // Add-ons follow the selection: an add-on item not chosen any more goes, a chosen one not there yet comes.
        var chosen = addOns.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in billing.Items.Where(i => i.ItemId != baseItem.ItemId))
        {
            var price = prices.FirstOrDefault(p => p.Id == item.PriceId);
            var isAddOn = price is not null && await PlanOfAsync(scope, catalog, price, cancellationToken).ConfigureAwait(false) is { } of
                && catalog.Plans.TryGetValue(of, out var ofPlan) && ofPlan.PlanType == PlanType.AddOn;
            if (!isAddOn)
            {
                continue;
            }

            if (chosen.Contains(item.PriceId))
            {
                present.Add(item.PriceId);
                if (price!.UsageType != StripeUsageTypes.Metered && quantities.GetValueOrDefault(item.PriceId) is { } quantity && quantity != item.Quantity)
                {
                    items.Add(new SubscriptionItemChange(item.ItemId, null, quantity));
                }
            }
            else
            {
                items.Add(new SubscriptionItemChange(item.ItemId, null, null, Deleted: true));
            }
        }

        items.AddRange(addOns.Where(a => !present.Contains(a.Id))
            .Select(a => new SubscriptionItemChange(null, a.Id, a.UsageType == StripeUsageTypes.Metered ? null : quantities.GetValueOrDefault(a.Id) ?? 1)));

        var downgrade = current is not null && PerMonth(choice.Base, seats) < PerMonth(current, baseItem.Quantity ?? 1);
        if (downgrade && group?.Downgrades.PreventSelfServiceDowngrade == true)
        {
            Errors.Conflict("new_plan_id", "the plan group does not let companies downgrade themselves; ask the vendor");
        }

        if (downgrade && group?.Downgrades.PreventDowngradesWhenOverLimit == true)
        {
            await EnsureWithinLimitsAsync(scope, company, catalog, planId, cancellationToken).ConfigureAwait(false);
        }

        // A downgrade that waits for the period's end keeps what was paid for: no credit now, the lower price from the
        // next invoice. (Stripe subscription schedules would also hold the entitlements back; see the README.)
        var atPeriodEnd = downgrade && group?.Downgrades.ScheduledDowngradeBehavior == EndOfBillingPeriod;
        var proration = atPeriodEnd
            ? StripeProrations.None
            : group?.ProrationBehavior == Lifecycle.ProrationBehaviors.InvoiceImmediately ? StripeProrations.AlwaysInvoice : StripeProrations.CreateProrations;
        var periodEnd = billing.PeriodEnd ?? company.Subscription?.PeriodEnd;
        var lines = new List<CheckoutLine> { new(choice.Base.Id, seats) };
        lines.AddRange(addOns.Select(a => new CheckoutLine(a.Id, a.UsageType == StripeUsageTypes.Metered ? null : quantities.GetValueOrDefault(a.Id) ?? 1)));
        return new CheckoutPlan(
            company, connection, group, customerId, billing.SubscriptionId, choice.Base, items, [], proration, downgrade,
            atPeriodEnd && periodEnd > time.GetUtcNow() ? periodEnd : null, null, null, false, Total(lines, [choice.Base, .. addOns]), metadata);
    }

    /// <summary>
    /// Refuses a downgrade to a plan whose numeric limits the company's current usage is over (the plan group's
    /// <c>prevent_downgrades_when_over_limit</c>), naming the feature, the usage and the limit.
    /// </summary>
    private async Task EnsureWithinLimitsAsync(RequestScope scope, CompanyRecord company, CatalogSnapshot catalog, string planId, CancellationToken cancellationToken)
    {
        var used = await usage.ForCompanyAsync(scope, company, null, cancellationToken).ConfigureAwait(false);
        if (PlanLimitViolations.Of(catalog, planId, used) is [var (over, limit), ..])
        {
            Errors.BadRequest(
                "new_plan_id",
                $"the company is over the new plan's limit of '{over.Feature.Name}' (uses {over.Usage}, the plan allows {limit}); the plan group prevents downgrades over a limit");
        }
    }

    /// <summary>The add-ons chosen, each at a known price of it, compatible with the plan when the group says which are.</summary>
    private async Task<IReadOnlyList<BillingPriceRecord>> AddOnPricesAsync(
        RequestScope scope, CatalogSnapshot catalog, PlanGroupRecord? group, string planId, IReadOnlyList<UpdateAddOnRequestBody?>? chosen, CancellationToken cancellationToken)
    {
        var result = new List<BillingPriceRecord>();
        foreach (var (addOn, i) in (chosen ?? []).Select((a, i) => (a, i)))
        {
            var addOnId = addOn?.AddOnId;
            if (addOnId is null || !catalog.Plans.TryGetValue(addOnId, out var plan) || plan.PlanType != PlanType.AddOn)
            {
                Errors.BadRequest($"add_on_ids[{i}].add_on_id", "must name an existing add-on");
            }

            if (group?.AddOnCompatibilities.FirstOrDefault(c => c.SourcePlanId == addOnId) is { } compatibility && !compatibility.CompatiblePlanIds.Contains(planId))
            {
                Errors.BadRequest($"add_on_ids[{i}].add_on_id", "cannot be bought with new_plan_id (plan group add-on compatibility)");
            }

            var priceId = Validate.Required(addOn!.PriceId, $"add_on_ids[{i}].price_id");
            var price = await store.GetAsync<BillingPriceRecord>(scope.EnvironmentId, ResourceKinds.BillingPrice, priceId, cancellationToken).ConfigureAwait(false);
            if (price is not { Active: true, Interval: not null } || await PlanOfAsync(scope, catalog, price, cancellationToken).ConfigureAwait(false) != addOnId)
            {
                Errors.BadRequest($"add_on_ids[{i}].price_id", "must name an active recurring Stripe price of the add-on");
            }

            if (result.All(r => r.Id != price.Id))
            {
                result.Add(price);
            }
        }

        return result;
    }

    /// <summary>The plan a price belongs to: through its plan version, else through its product.</summary>
    private async Task<string?> PlanOfAsync(RequestScope scope, CatalogSnapshot catalog, BillingPriceRecord price, CancellationToken cancellationToken)
    {
        if (price.PlanVersionId is { } versionId && catalog.VersionsById.TryGetValue(versionId, out var version))
        {
            return version.PlanId;
        }

        var product = await store.GetAsync<BillingProductRecord>(scope.EnvironmentId, ResourceKinds.BillingProduct, price.ProductId, cancellationToken).ConfigureAwait(false);
        return product?.PlanId;
    }

    private static Dictionary<string, long?> Quantities(IReadOnlyList<UpdatePayInAdvanceRequestBody?>? payInAdvance, IReadOnlyList<string> bought)
    {
        var result = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var (entry, i) in (payInAdvance ?? []).Select((p, i) => (p, i)))
        {
            var priceId = Validate.Required(entry?.PriceId, $"pay_in_advance[{i}].price_id");
            if (!bought.Contains(priceId))
            {
                Errors.BadRequest($"pay_in_advance[{i}].price_id", "must be new_price_id or the price of a chosen add-on");
            }

            if (entry!.Quantity is not (>= 1 and <= 1_000_000))
            {
                Errors.BadRequest($"pay_in_advance[{i}].quantity", "must be between 1 and 1000000");
            }

            result[priceId] = entry.Quantity;
        }

        return result;
    }

    private static void CheckCustomFields(PlanGroupRecord? group, IReadOnlyList<CheckoutFieldValue?>? values)
    {
        var fields = group?.CustomCheckoutFields ?? [];
        foreach (var (value, i) in (values ?? []).Select((v, i) => (v, i)))
        {
            if (value?.Id is not { } id || fields.All(f => f.Id != id))
            {
                Errors.BadRequest($"custom_field_values[{i}].id", "must name a custom checkout field of the plan group");
            }
        }

        foreach (var field in fields.Where(f => f.Required))
        {
            if (values?.Any(v => v?.Id == field.Id && !string.IsNullOrWhiteSpace(v.Value)) != true)
            {
                Errors.BadRequest("custom_field_values", $"the field '{field.Name}' is required");
            }
        }
    }

    /// <summary>What the bought licensed lines cost per billing period (metered lines bill usage, not a fixed amount).</summary>
    private static long Total(IReadOnlyList<CheckoutLine> lines, IReadOnlyList<BillingPriceRecord> prices) =>
        lines.Sum(l => (prices.FirstOrDefault(p => p.Id == l.PriceId)?.UnitAmount ?? 0) * (l.Quantity ?? 0));

    /// <summary>A price's charge per month, to tell an upgrade from a downgrade across intervals.</summary>
    private static decimal PerMonth(BillingPriceRecord price, long quantity)
    {
        var amount = (decimal)(price.UnitAmount ?? 0) * quantity / Math.Max(1, price.IntervalCount);
        return price.Interval switch
        {
            "year" => amount / 12,
            "week" => amount * 52 / 12,
            "day" => amount * 365 / 12,
            _ => amount,
        };
    }
}
