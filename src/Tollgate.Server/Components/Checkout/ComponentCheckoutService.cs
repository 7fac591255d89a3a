using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Outbound;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;
using StripeProrations = Tollgate.Stripe.ProrationBehaviors;

namespace Tollgate.Server.Components.Checkout;

/// <summary>
/// The components' checkout: <c>/checkout/preview</c> asks Stripe what the change would cost (its invoice preview, so
/// the prorated amounts are Stripe's), <c>/checkout</c> makes it — a change to the live subscription, or a new one
/// charged to a saved card. Tollgate never writes the company's plan here: Stripe is the source of truth, and the
/// changed subscription comes back through the Stripe sync (at once when it can read it, else with the webhook). A
/// downgrade the plan group holds until the period ends is not made now but scheduled (<see cref="ScheduledCheckoutChanges"/>);
/// a change made now replaces a downgrade scheduled before it.
/// </summary>
internal sealed class ComponentCheckoutService(
    CheckoutPlanner planner, ResourceStore store, OutboundStatus status, ScheduledCheckoutChanges held, Subscriptions.ScheduledChanges scheduled, TimeProvider time, IServiceProvider services)
{
    private const string Operation = "component_checkout";

    public async Task<PreviewSubscriptionChangeResponseData> PreviewAsync(RequestScope scope, string companyId, ChangeSubscriptionRequestBody? body, CancellationToken cancellationToken)
    {
        var plan = await CallAsync(scope, () => planner.PlanAsync(scope, companyId, body, cancellationToken)).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var items = plan.SubscriptionId is null ? [.. plan.NewLines.Select(l => new SubscriptionItemChange(null, l.PriceId, l.Quantity))] : plan.Changes;
        var preview = await CallAsync(scope, () => new StripeComponentBilling(plan.Connection.Account).PreviewAsync(
            new InvoicePreviewRequest(plan.CustomerId, plan.SubscriptionId, items, plan.SubscriptionId is null ? null : plan.Proration, plan.SubscriptionId is null ? null : now),
            cancellationToken)).ConfigureAwait(false);
        var proration = preview.Lines.Where(l => l.Proration).Sum(l => l.Amount);
        DateTimeOffset? trialEnd = plan.TrialDays is { } days ? now.AddDays(days) : null;

        // What is charged now: a new subscription's first invoice (nothing during a trial); for a change, the prorated
        // difference only when the group invoices immediately — otherwise it lands on the next invoice.
        var dueNow = plan.SubscriptionId is null
            ? trialEnd is null ? preview.AmountDue : 0
            : plan.Proration == StripeProrations.AlwaysInvoice ? Math.Max(0, proration) : 0;
        var lines = preview.Lines.Select(l => new PreviewSubscriptionUpcomingInvoiceLineItems(l.Amount, l.Description ?? string.Empty, l.PriceId ?? string.Empty, l.Proration, l.Quantity)).ToList();
        var finance = new PreviewSubscriptionFinanceResponseData(
            0, [], dueNow, plan.TotalPerPeriod, 0, preview.PeriodEnd, preview.PeriodStart, false, proration, null, null, false, plan.TotalPerPeriod, trialEnd, lines);
        var checkout = plan.Group?.Checkout;
        return new PreviewSubscriptionChangeResponseData(
            0, dueNow, finance, plan.ScheduledChangeTime is not null, plan.TotalPerPeriod, checkout?.OptInEnabled == true, checkout?.OptInText, checkout?.OptInTitle,
            plan.PaymentMethodRequired, 0, plan.SubscriptionId is null ? now : preview.PeriodStart, false, proration, plan.ScheduledChangeTime, trialEnd, []);
    }

    public async Task<CheckoutResponseData> CheckoutAsync(RequestScope scope, string companyId, ChangeSubscriptionRequestBody? body, CancellationToken cancellationToken)
    {
        var plan = await CallAsync(scope, () => planner.PlanAsync(scope, companyId, body, cancellationToken)).ConfigureAwait(false);
        if (plan.PaymentMethodRequired)
        {
            Errors.BadRequest("payment_method_id", "is required: save a card first (POST /components/setup-intent, then POST /checkout/paymentmethod/update)");
        }

        if (plan.ScheduledChangeTime is { } at)
        {
            return await HoldAsync(scope, plan, body!, at, cancellationToken).ConfigureAwait(false);
        }

        var account = plan.Connection.Account;
        var subscription = plan.SubscriptionId is { } subscriptionId
            ? await CallAsync(scope, () => new StripeSubscriptionChanges(account).UpdateAsync(new SubscriptionChange(subscriptionId, plan.Changes, plan.Proration, null), cancellationToken))
                .ConfigureAwait(false)
            : await CallAsync(scope, () => new StripeComponentBilling(account).CreateSubscriptionAsync(
                new NewStripeSubscription(plan.CustomerId, plan.NewLines, plan.PaymentMethodId, plan.TrialDays, plan.Metadata), cancellationToken)).ConfigureAwait(false);
        if (plan.Company.ScheduledDowngrade is not null)
        {
            await scheduled.ClearAsync(scope, plan.Company.Id, plan.Company.ScheduledDowngrade.Id, cancellationToken).ConfigureAwait(false);
        }

        await ResyncAsync(services, plan.Connection, subscription.Id, cancellationToken).ConfigureAwait(false);
        await status.SucceededAsync(
            scope.EnvironmentId,
            Operation,
            new Dictionary<string, string?> { ["company_id"] = plan.Company.Id, ["subscription_id"] = subscription.Id, ["price_id"] = plan.BasePrice.Id, ["proration_behavior"] = plan.Proration },
            cancellationToken).ConfigureAwait(false);

        var synced = await store.GetAsync<Companies.CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, plan.Company.Id, cancellationToken).ConfigureAwait(false);
        var billing = synced?.Billing?.SubscriptionId == subscription.Id ? synced.Billing : null;
        var now = time.GetUtcNow();
        return new CheckoutResponseData(
            null,
            subscription.CancelAt?.ToUnixTimeSeconds(),
            subscription.CancelAtPeriodEnd,
            plan.Company.Id,
            null,
            null,
            now,
            plan.BasePrice.Currency,
            plan.CustomerId,
            plan.PaymentMethodId,
            null,
            subscription.Id,
            plan.BasePrice.Interval ?? "month",
            plan.Metadata,
            (billing?.PeriodEnd ?? now).ToUnixTimeSeconds(),
            (billing?.PeriodStart ?? now).ToUnixTimeSeconds(),
            BillingProviders.Stripe,
            plan.ScheduledChangeTime,
            plan.Downgrade ? plan.Group?.Downgrades.ScheduledDowngradeBehavior : null,
            subscription.Status,
            subscription.Id,
            plan.TotalPerPeriod,
            billing?.TrialEnd?.ToUnixTimeSeconds(),
            null);
    }

    /// <summary>Runs a Stripe call; a refusal of something from the request is a 400 naming its field, anything else 502.</summary>
    private async Task<T> CallAsync<T>(RequestScope scope, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (StripeCallException e)
        {
            var failure = OutboundFailures.From(e, param => param switch
            {
                "default_payment_method" or "payment_method" => "payment_method_id",
                _ when param.StartsWith("items[0]", StringComparison.Ordinal) || param.StartsWith("subscription_details[items][0]", StringComparison.Ordinal) => "new_price_id",
                _ => null,
            });
            await status.FailedAsync(scope.EnvironmentId, Operation, failure.Message, CancellationToken.None).ConfigureAwait(false);
            throw failure;
        }
    }

    /// <summary>
    /// Schedules a downgrade held until the period's end: Stripe is not called, the subscription and the company's plans
    /// stay as they are; the answer is the subscription as it is, with the scheduled change's time and behaviour.
    /// </summary>
    private async Task<CheckoutResponseData> HoldAsync(RequestScope scope, CheckoutPlan plan, ChangeSubscriptionRequestBody body, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var billing = plan.Company.Billing!;
        var current = await store.GetManyAsync<BillingPriceRecord>(scope.EnvironmentId, ResourceKinds.BillingPrice, [.. billing.Items.Select(i => i.PriceId)], cancellationToken)
            .ConfigureAwait(false);
        var fromPrice = billing.Items.Sum(i => (current.FirstOrDefault(p => p.Id == i.PriceId && p.UsageType != StripeUsageTypes.Metered)?.UnitAmount ?? 0) * (i.Quantity ?? 1));
        var addOnIds = (body.AddOnIds ?? []).Select(a => a?.AddOnId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        await held.HoldAsync(scope, plan, body.NewPlanId!, addOnIds, fromPrice, at, cancellationToken).ConfigureAwait(false);
        await status.SucceededAsync(
            scope.EnvironmentId,
            Operation,
            new Dictionary<string, string?> { ["company_id"] = plan.Company.Id, ["subscription_id"] = plan.SubscriptionId, ["price_id"] = plan.BasePrice.Id, ["scheduled_for"] = at.ToString("O") },
            cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return new CheckoutResponseData(
            null, billing.CancelAt?.ToUnixTimeSeconds(), billing.CancelAtPeriodEnd, plan.Company.Id, null, null, now, plan.BasePrice.Currency, plan.CustomerId, null, null,
            plan.SubscriptionId!, plan.BasePrice.Interval ?? "month", plan.Metadata, (billing.PeriodEnd ?? at).ToUnixTimeSeconds(), (billing.PeriodStart ?? now).ToUnixTimeSeconds(),
            BillingProviders.Stripe, at, plan.Group?.Downgrades.ScheduledDowngradeBehavior, billing.Status ?? string.Empty, plan.SubscriptionId!, fromPrice,
            billing.TrialEnd?.ToUnixTimeSeconds(), null);
    }

    /// <summary>Brings the subscription into Tollgate now when the sync can read it; otherwise its webhook brings it.</summary>
    internal static async Task ResyncAsync(IServiceProvider services, StripeConnection connection, string subscriptionId, CancellationToken cancellationToken)
    {
        if (services.GetService(typeof(IStripeObjectSync)) is not IStripeObjectSync sync)
        {
            return;
        }

        try
        {
            await sync.SyncAsync(connection, StripeObjectTypes.Subscription, subscriptionId, cancellationToken).ConfigureAwait(false);
        }
        catch (StripeCallException)
        {
            // Stripe has the change; the customer.subscription.* webhook brings it when this re-read failed.
        }
    }
}
