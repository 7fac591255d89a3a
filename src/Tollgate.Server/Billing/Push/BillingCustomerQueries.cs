using Tollgate.Server.Companies;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// The billing customers (<c>GET /billing/customers</c>, <c>/count</c>): the pushed ones not deleted, and the Stripe
/// customers the sync linked to companies (described from the company: the sync keeps no customer record of its own,
/// so their email is empty). Each with the subscription its company follows, from the company's billing state.
/// </summary>
internal sealed class BillingCustomerQueries(ResourceStore store)
{
    public async Task<IReadOnlyList<BillingCustomerResponse>> ListAsync(string environmentId, ListQuery query, CancellationToken cancellationToken)
    {
        var companyIds = query.Many("company_ids");
        var name = query.One("name");
        var q = query.One("q");
        var provider = query.One("provider_type") is { } given ? BillingProviders.Of(given) : null;

        var companies = await store.ListAllAsync<CompanyRecord>(environmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        var pushed = (await store.ListAllAsync<BillingCustomerRecord>(environmentId, ResourceKinds.BillingCustomer, cancellationToken).ConfigureAwait(false))
            .Where(c => c.DeletedAt is null).ToList();
        var subscriptions = (await store.ListAllAsync<BillingSubscriptionRecord>(environmentId, ResourceKinds.BillingSubscription, cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.ExternalId, StringComparer.Ordinal);
        var prices = (await store.ListAllAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
        var billedBy = companies.Where(c => c.Billing is not null).GroupBy(c => c.Billing!.CustomerId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        IReadOnlyList<BillingCustomerSubscriptionResponse> SubscriptionsOf(string customerId) =>
            billedBy.TryGetValue(customerId, out var company) && company.Billing is { SubscriptionId: { } subscriptionId } billing
                ? [Describe(billing, subscriptionId, subscriptions.GetValueOrDefault(subscriptionId), prices)]
                : [];

        var pushedIds = pushed.Select(c => c.ExternalId).ToHashSet(StringComparer.Ordinal);
        var all = pushed.Select(c => BillingCustomerResponse.From(c, SubscriptionsOf(c.ExternalId)))
            .Concat(companies
                .Where(c => c.Billing is { Provider: null } billing && !pushedIds.Contains(billing.CustomerId))
                .Select(c => new BillingCustomerResponse(
                    c.Billing!.CustomerId, c.Billing.CustomerId, c.Id, c.Name ?? "", "", BillingProviders.Stripe, new Dictionary<string, string>(), null, c.Billing.SyncedAt,
                    SubscriptionsOf(c.Billing.CustomerId))));
        return [.. all.Where(c =>
            (companyIds.Count == 0 || (c.CompanyId is { } id && companyIds.Contains(id)))
            && (name is null || string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            && (q is null || c.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || c.Email.Contains(q, StringComparison.OrdinalIgnoreCase)
                || c.ExternalId.Contains(q, StringComparison.OrdinalIgnoreCase))
            && (provider is null || c.ProviderType == provider))];
    }

    /// <summary>
    /// A subscription as a customer's list shows it: the pushed totals when it was pushed; else (a Stripe one) the
    /// currency and interval of its base item's price, the unit price of that item and the sum of its licensed items.
    /// </summary>
    private static BillingCustomerSubscriptionResponse Describe(
        CompanyBilling billing, string subscriptionId, BillingSubscriptionRecord? pushed, IReadOnlyDictionary<string, BillingPriceRecord> prices)
    {
        var itemPrices = billing.Items.Select(i => (Item: i, Price: prices.GetValueOrDefault(i.PriceId))).ToList();
        var first = itemPrices.FirstOrDefault(x => x.Price is { UsageType: not "metered" }).Price ?? itemPrices.FirstOrDefault().Price;
        var metered = itemPrices.Any(x => x.Price?.UsageType == "metered");
        var status = billing.Status ?? StripeSubscriptionStatuses.Active;
        if (pushed is not null)
        {
            return new(subscriptionId, status, pushed.Currency, pushed.Interval, metered, first?.UnitAmount ?? 0, pushed.TotalPrice, pushed.ExpiredAt);
        }

        var total = itemPrices.Where(x => x.Price is { UsageType: not "metered" }).Sum(x => (x.Price!.UnitAmount ?? 0) * (x.Item.Quantity ?? 1));
        var interval = first is null ? "" : BillingIntervals.OnTheWire(first).Interval;
        return new(subscriptionId, status, first?.Currency ?? "", interval, metered, first?.UnitAmount ?? 0, total, StripeSubscriptionStatuses.IsEnded(status) ? billing.CanceledAt : null);
    }
}
