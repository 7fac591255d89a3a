using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Outbound;

/// <summary>
/// Changes a company's Stripe subscription from Tollgate: the base plan item gets the new price and quantity, with the
/// proration behaviour asked. Tollgate's own state follows Stripe's answer, never the request: the changed subscription
/// is synced at once through <see cref="IStripeObjectSync"/> when one is registered, and otherwise arrives with the
/// <c>customer.subscription.updated</c> webhook.
/// </summary>
internal sealed class StripeSubscriptionChangeService(
    StripeConnections connections, ResourceStore store, RuntimeRegistry runtimes, PlanPrices plans, OutboundStatus status, IServiceProvider services)
{
    private const string Operation = "subscription_change";

    public async Task<SubscriptionChangeResponse> ChangeAsync(RequestScope scope, SubscriptionChangeRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            Errors.BadRequest("body", "is required");
        }

        var company = await StripeCheckoutService.CompanyAsync(store, scope, request.CompanyId, cancellationToken).ConfigureAwait(false);
        var proration = request.ProrationBehavior is null
            ? ProrationBehaviors.CreateProrations
            : Validate.OneOf(request.ProrationBehavior, "proration_behavior", [.. ProrationBehaviors.All.Select(p => (p, p))]);
        var changesPrice = request.PlanId is not null || request.PriceId is not null;
        if (!changesPrice && request.Seats is null && request.CancelAtPeriodEnd is null)
        {
            Errors.BadRequest("plan_id", "name what changes: plan_id or price_id, seats, or cancel_at_period_end");
        }

        if (request.Seats is < 1 or > 1_000_000)
        {
            Errors.BadRequest("seats", "must be between 1 and 1000000");
        }

        var billing = company.Billing;
        if (billing?.Provider is { } provider)
        {
            throw new RequestException(StatusCodes.Status409Conflict, $"company_id: the company is billed by {provider}, not Stripe: change its subscription there and push it (POST /billing/subscription/upsert)");
        }

        if (billing?.SubscriptionId is not { } subscriptionId)
        {
            throw new RequestException(StatusCodes.Status409Conflict, "company_id: the company has no Stripe subscription to change (start a checkout session instead)");
        }

        var connection = await connections.RequireAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var items = new List<SubscriptionItemChange>();
        if (changesPrice || request.Seats is not null)
        {
            var prices = await store.GetManyAsync<BillingPriceRecord>(scope.EnvironmentId, ResourceKinds.BillingPrice, [.. billing.Items.Select(i => i.PriceId)], cancellationToken).ConfigureAwait(false);
            var baseItem = await BaseItemAsync(scope, billing, prices, cancellationToken).ConfigureAwait(false);
            var current = prices.FirstOrDefault(p => p.Id == baseItem.PriceId);
            if (changesPrice)
            {
                var choice = await plans.ChooseAsync(scope, request.PlanId, request.PriceId, request.Interval ?? current?.Interval, cancellationToken).ConfigureAwait(false);
                var quantity = choice.PerSeat ? request.Seats ?? baseItem.Quantity ?? 1 : PlanPrices.Quantity(choice, request.Seats);
                items.Add(new SubscriptionItemChange(baseItem.ItemId, choice.Base.Id, quantity));
                items.AddRange(MeteredSwap(billing, prices, current, choice));
            }
            else
            {
                if (current?.Metadata.GetValueOrDefault(OutboundMetadata.PriceKind) == OutboundMetadata.Flat)
                {
                    Errors.BadRequest("seats", "the subscription's price is flat, not per seat");
                }

                items.Add(new SubscriptionItemChange(baseItem.ItemId, null, request.Seats));
            }
        }

        try
        {
            var changed = await new StripeSubscriptionChanges(connection.Account).UpdateAsync(
                new SubscriptionChange(subscriptionId, items, proration, request.CancelAtPeriodEnd), cancellationToken).ConfigureAwait(false);
            var synced = await SyncAsync(connection, changed.Id, cancellationToken).ConfigureAwait(false);
            await status.SucceededAsync(
                scope.EnvironmentId,
                Operation,
                new Dictionary<string, string?> { ["company_id"] = company.Id, ["subscription_id"] = changed.Id, ["proration_behavior"] = proration },
                cancellationToken).ConfigureAwait(false);
            return new SubscriptionChangeResponse(
                changed.Id, changed.Status, changed.CancelAtPeriodEnd, [.. changed.Items.Select(i => new SubscriptionChangeItem(i.Id, i.PriceId, i.ProductId, i.Quantity))], proration, synced);
        }
        catch (StripeCallException e)
        {
            var failure = OutboundFailures.From(e, param => param switch
            {
                "proration_behavior" => "proration_behavior",
                "items[0][quantity]" => "seats",
                "items[0][price]" => request.PriceId is null ? "plan_id" : "price_id",
                _ => null,
            });
            await status.FailedAsync(scope.EnvironmentId, Operation, failure.Message, CancellationToken.None).ConfigureAwait(false);
            throw failure;
        }
    }

    /// <summary>
    /// The item of the base plan: the one whose price (by its plan version) or product (by its plan) maps to a base
    /// plan (not an add-on), or the only licensed-looking item when nothing maps. 409 when it cannot be told.
    /// </summary>
    internal async Task<CompanyBillingItem> BaseItemAsync(RequestScope scope, CompanyBilling billing, IReadOnlyList<BillingPriceRecord> prices, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var products = await store.GetManyAsync<BillingProductRecord>(scope.EnvironmentId, ResourceKinds.BillingProduct, [.. billing.Items.Select(i => i.ProductId)], cancellationToken).ConfigureAwait(false);
        string? PlanOf(CompanyBillingItem item)
        {
            var price = prices.FirstOrDefault(p => p.Id == item.PriceId);
            if (price?.PlanVersionId is { } versionId && catalog.VersionsById.TryGetValue(versionId, out var version))
            {
                return version.PlanId;
            }

            return products.FirstOrDefault(p => p.Id == item.ProductId)?.PlanId;
        }

        bool Metered(CompanyBillingItem item) => prices.FirstOrDefault(p => p.Id == item.PriceId)?.UsageType == StripeUsageTypes.Metered;

        var mapped = billing.Items.Where(i => !Metered(i) && PlanOf(i) is { } plan && catalog.Plans.TryGetValue(plan, out var record) && record.PlanType == PlanType.Plan).ToList();
        if (mapped.Count > 0)
        {
            return mapped[0];
        }

        var licensed = billing.Items.Where(i => !Metered(i)).ToList();
        return licensed.Count == 1
            ? licensed[0]
            : throw new RequestException(StatusCodes.Status409Conflict, "company_id: the subscription's base plan item cannot be told apart (no item's price maps to a base plan)");
    }

    /// <summary>
    /// The metered items follow the base plan: those of the old base price's plan version are removed and the new
    /// version's metered prices added (metered items take no quantity). Metered items of other plans (add-ons) stay.
    /// </summary>
    internal static IEnumerable<SubscriptionItemChange> MeteredSwap(CompanyBilling billing, IReadOnlyList<BillingPriceRecord> prices, BillingPriceRecord? current, PlanPrices.Choice choice)
    {
        var wanted = choice.Metered.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in billing.Items)
        {
            var price = prices.FirstOrDefault(p => p.Id == item.PriceId);
            if (price?.UsageType != StripeUsageTypes.Metered)
            {
                continue;
            }

            if (wanted.Contains(price.Id))
            {
                kept.Add(price.Id);
            }
            else if (current?.PlanVersionId is { } oldVersion && price.PlanVersionId == oldVersion)
            {
                yield return new SubscriptionItemChange(item.ItemId, null, null, Deleted: true);
            }
        }

        foreach (var metered in choice.Metered.Where(m => !kept.Contains(m.Id)))
        {
            yield return new SubscriptionItemChange(null, metered.Id, null);
        }
    }

    /// <summary>Brings the changed subscription into Tollgate now when the sync is available; a failure leaves it to the webhook.</summary>
    private async Task<bool> SyncAsync(StripeConnection connection, string subscriptionId, CancellationToken cancellationToken)
    {
        if (services.GetService(typeof(IStripeObjectSync)) is not IStripeObjectSync sync)
        {
            return false;
        }

        try
        {
            await sync.SyncAsync(connection, StripeObjectTypes.Subscription, subscriptionId, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StripeCallException)
        {
            // Stripe has the change; the customer.subscription.updated webhook brings it when the re-read failed.
            return false;
        }
    }
}
