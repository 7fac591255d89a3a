using Tollgate.Server.Companies;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing;

/// <summary>Subscriptions, invoices and Checkout sessions: the plans, seats, period and billing state of a customer's company.</summary>
internal sealed partial class StripeObjectSync
{
    /// <summary>Reads a subscription again and applies it.</summary>
    private async Task SyncSubscriptionAsync(StripeConnection connection, string subscriptionId, CancellationToken cancellationToken)
    {
        var subscription = await new StripeReader(connection.Account).GetSubscriptionAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
        if (subscription is null)
        {
            await ForgetSubscriptionAsync(connection, subscriptionId, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ApplySubscriptionAsync(connection, subscription, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies a subscription to its customer's company (the customer is synced first when Tollgate does not know it).
    /// Answers the product ids of items that map to no plan (recorded, but they change no plan).
    /// </summary>
    public async Task<IReadOnlyList<string>> ApplySubscriptionAsync(StripeConnection connection, StripeSubscriptionData subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var environmentId = connection.EnvironmentId;
        using (await locks.AcquireAsync(environmentId, subscription.CustomerId, cancellationToken).ConfigureAwait(false))
        {
            var reader = new StripeReader(connection.Account);
            var companyId = await CompanyOfCustomerAsync(environmentId, subscription.CustomerId, cancellationToken).ConfigureAwait(false)
                ?? await ApplyCustomerLockedAsync(connection, subscription.CustomerId, await reader.GetCustomerAsync(subscription.CustomerId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (companyId is null || await store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false) is not { } company)
            {
                return [];
            }

            var followed = await FollowedAsync(reader, company.Billing, subscription, cancellationToken).ConfigureAwait(false);
            if (followed is null)
            {
                return [];
            }

            await EnsureItemsKnownAsync(connection, reader, followed.Items, cancellationToken).ConfigureAwait(false);
            var billingCatalog = await BillingCatalogOfAsync(environmentId, [.. followed.Items.Select(Item)], cancellationToken).ConfigureAwait(false);
            var periods = followed.Items.ToDictionary(i => i.Id, i => (i.CurrentPeriodStart, i.CurrentPeriodEnd), StringComparer.Ordinal);
            await companies.WriteSyncedAsync(
                Scope(connection),
                companyId,
                (catalog, before, now) => before is null ? null : BillingPlans.Apply(catalog, connection.Settings, before, BillingOf(followed, now), periods, billingCatalog, now),
                cancellationToken).ConfigureAwait(false);
            var catalogNow = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
            return [.. followed.Items.Where(i => billingCatalog.PlanOf(catalogNow, Item(i)) is null).Select(i => i.ProductId).Distinct()];
        }
    }

    /// <summary>
    /// Which subscription the company follows: the newest that is not ended. The one just read wins unless the company
    /// follows another that was live when last synced; then (or when the one read has ended) the customer's
    /// subscriptions are listed again, with <c>status=all</c>. Null: leave the company as it is.
    /// </summary>
    private static async Task<StripeSubscriptionData?> FollowedAsync(StripeReader reader, CompanyBilling? billing, StripeSubscriptionData subscription, CancellationToken cancellationToken)
    {
        var followsAnotherLive = billing?.SubscriptionId is { } followedId && followedId != subscription.Id
            && billing.Status is { } status && !StripeSubscriptionStatuses.IsEnded(status);
        if (!subscription.IsEnded && !followsAnotherLive)
        {
            return subscription;
        }

        if (subscription.IsEnded && followsAnotherLive)
        {
            return null;
        }

        var all = await reader.ListCustomerSubscriptionsAsync(subscription.CustomerId, cancellationToken).ConfigureAwait(false);
        return all.Where(s => !s.IsEnded).OrderByDescending(s => s.Created).FirstOrDefault()
            ?? all.OrderByDescending(s => s.Created).FirstOrDefault()
            ?? subscription;
    }

    /// <summary>Syncs the prices (and their products) of items Tollgate has not seen yet: webhooks may bring a subscription before its price.</summary>
    private async Task EnsureItemsKnownAsync(StripeConnection connection, StripeReader reader, IReadOnlyList<StripeSubscriptionItemData> items, CancellationToken cancellationToken)
    {
        var priceIds = items.Select(i => i.PriceId).Where(id => id.Length > 0).Distinct().ToList();
        var known = (await store.GetManyAsync<BillingPriceRecord>(connection.EnvironmentId, ResourceKinds.BillingPrice, priceIds, cancellationToken).ConfigureAwait(false))
            .Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var priceId in priceIds.Where(id => !known.Contains(id)))
        {
            await ApplyPriceAsync(connection, priceId, await reader.GetPriceAsync(priceId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A subscription Stripe no longer has: the company following it is treated as if it had ended.</summary>
    private async Task ForgetSubscriptionAsync(StripeConnection connection, string subscriptionId, CancellationToken cancellationToken)
    {
        var all = await store.ListAllAsync<CompanyRecord>(connection.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        foreach (var company in all.Where(c => c.Billing?.SubscriptionId == subscriptionId))
        {
            await companies.WriteSyncedAsync(
                Scope(connection),
                company.Id,
                (catalog, before, now) => before?.Billing is { } billing
                    ? BillingPlans.Apply(catalog, connection.Settings, before, billing with { Status = StripeSubscriptionStatuses.Canceled, SyncedAt = now }, null, new BillingCatalog(new Dictionary<string, BillingProductRecord>(), new Dictionary<string, BillingPriceRecord>()), now)
                    : null,
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A completed Checkout session: when Tollgate created it (<see cref="CreatedCheckoutSessions"/>) for the customer
    /// it completed with, that customer is linked to the company it was created for — taking it from a company the sync
    /// made for the customer alone, which is deleted — then the customer and the subscription are synced. A customer
    /// already tied to a company the application identifies stays with it. A session Tollgate did not create links
    /// nothing, whatever its <c>client_reference_id</c> or metadata name: on a Payment Link or pricing table the buyer
    /// sets those (its customer is synced as any other, by its key or metadata).
    /// </summary>
    private async Task SyncCheckoutSessionAsync(StripeConnection connection, string sessionId, CancellationToken cancellationToken)
    {
        var reader = new StripeReader(connection.Account);
        var session = await reader.GetCheckoutSessionAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (session?.CustomerId is not { } customerId)
        {
            return;
        }

        using (await locks.AcquireAsync(connection.EnvironmentId, customerId, cancellationToken).ConfigureAwait(false))
        {
            if (await CompanyOfCreatedSessionAsync(connection, session, cancellationToken).ConfigureAwait(false) is { } companyId)
            {
                var linked = await CompanyOfCustomerAsync(connection.EnvironmentId, customerId, cancellationToken).ConfigureAwait(false);
                if (linked is not null && linked != companyId && await IsShellAsync(connection.EnvironmentId, linked, cancellationToken).ConfigureAwait(false))
                {
                    // The customer's own events (customer.created…) often arrive before checkout.session.completed and
                    // made a company for it; the session names the real one, so that shell goes.
                    await companies.DeleteAsync(Scope(connection), linked, cancellationToken).ConfigureAwait(false);
                    linked = null;
                }

                if (linked is null || linked == companyId)
                {
                    await companies.WriteSyncedAsync(
                        Scope(connection),
                        companyId,
                        (_, before, _) => before is null ? null : before with { Keys = EntityKeys.Merge(before.Keys, new Dictionary<string, string> { [StripeCompanyKeys.CustomerId] = customerId }) },
                        cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    Log.CustomerLinkedElsewhere(logger, connection.EnvironmentId, customerId, linked, companyId);
                }
            }

            await ApplyCustomerLockedAsync(connection, customerId, await reader.GetCustomerAsync(customerId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        if (session.SubscriptionId is { } subscriptionId)
        {
            await SyncSubscriptionAsync(connection, subscriptionId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The company a session was created for, when Tollgate created it for the customer it completed with and the
    /// company still exists; else null (logged when the session names a company all the same).
    /// </summary>
    private async Task<string?> CompanyOfCreatedSessionAsync(StripeConnection connection, StripeCheckoutSessionData session, CancellationToken cancellationToken)
    {
        var created = await createdSessions.FindAsync(connection.EnvironmentId, session.Id, cancellationToken).ConfigureAwait(false);
        if (created is not null && created.CustomerId == session.CustomerId
            && await store.GetAsync<CompanyRecord>(connection.EnvironmentId, ResourceKinds.Company, created.CompanyId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return created.CompanyId;
        }

        if (created is null && (session.ClientReferenceId ?? session.Metadata.GetValueOrDefault(StripeCompanyKeys.CompanyIdMetadata)) is { Length: > 0 } named)
        {
            Log.CheckoutNotCreatedByTollgate(logger, connection.EnvironmentId, session.Id, named, session.CustomerId!);
        }

        return null;
    }

    /// <summary>True for a company the sync made for a customer and nothing else identifies (its only key is the customer id).</summary>
    private async Task<bool> IsShellAsync(string environmentId, string companyId, CancellationToken cancellationToken) =>
        await store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false) is { } company
        && company.Keys.Count == 1 && company.Keys.ContainsKey(StripeCompanyKeys.CustomerId);

    private static CompanyBilling BillingOf(StripeSubscriptionData subscription, DateTimeOffset now) => new()
    {
        CustomerId = subscription.CustomerId,
        SubscriptionId = subscription.Id,
        Status = subscription.Status,
        Items = [.. subscription.Items.Select(Item)],
        TrialEnd = subscription.TrialEnd,
        CancelAtPeriodEnd = subscription.CancelAtPeriodEnd,
        CancelAt = subscription.CancelAt,
        CanceledAt = subscription.CanceledAt,
        SyncedAt = now,
    };

    private static CompanyBillingItem Item(StripeSubscriptionItemData item) => new(item.Id, item.PriceId, item.ProductId, item.Quantity);
}
