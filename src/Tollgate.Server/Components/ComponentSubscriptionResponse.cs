using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Push;
using Tollgate.Server.Companies;
using Tollgate.Server.Lifecycle;

namespace Tollgate.Server.Components;

/// <summary>
/// The company's subscription as the portal draws it (<c>CompanySubscriptionResponseData</c>): its Stripe subscription as
/// last synced, or the trial Tollgate runs (<see cref="CompanySubscription"/>), with each item's product and price from
/// the billing catalog and the total per period those make. Tollgate applies no coupons: <c>discounts</c> is empty.
/// </summary>
internal sealed record ComponentSubscriptionResponse(
    DateTimeOffset? CancelAt,
    bool CancelAtPeriodEnd,
    string Currency,
    string CustomerExternalId,
    IReadOnlyList<object> Discounts,
    DateTimeOffset? ExpiredAt,
    string Interval,
    bool IsInitial,
    InvoiceResponse? LatestInvoice,
    object? PaymentMethod,
    IReadOnlyList<SubscriptionProductResponse> Products,
    string ProviderType,
    string Status,
    string SubscriptionExternalId,
    long TotalPrice,
    DateTimeOffset? TrialEnd)
{
    /// <summary>The company's subscription, or null when it has none.</summary>
    public static ComponentSubscriptionResponse? Of(
        CompanyRecord company, string environmentId, IReadOnlyDictionary<string, BillingPriceRecord> prices, IReadOnlyDictionary<string, BillingProductRecord> products)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(products);
        if (CompanySubscription.Of(company) is not { } subscription)
        {
            return null;
        }

        // Only a Stripe subscription has items; a trial Tollgate runs is the plan alone, at no price.
        var items = subscription.ProviderType == BillingProviders.Stripe ? company.Billing?.Items ?? [] : [];
        var lines = items.Select(i => (Item: i, Price: prices.GetValueOrDefault(i.PriceId))).ToList();
        var licensed = lines.Where(l => l.Price is { UsageType: not "metered" }).ToList();
        var main = licensed.Select(l => l.Price).FirstOrDefault() ?? lines.Select(l => l.Price).FirstOrDefault(p => p is not null);
        return new(
            subscription.CancelAt, subscription.CancelAtPeriodEnd, main?.Currency ?? "usd", subscription.CustomerExternalId, [], subscription.ExpiredAt, main?.Interval ?? "month",
            false, null, null,
            [.. lines.Where(l => l.Price is not null).Select(l => SubscriptionProductResponse.From(l.Item, l.Price!, products.GetValueOrDefault(l.Item.ProductId), subscription.SubscriptionId, environmentId))],
            subscription.ProviderType, subscription.Status, subscription.SubscriptionId,

            // What a period costs before usage: the licensed items at their quantities (metered ones bill in arrears).
            licensed.Sum(l => (l.Price!.UnitAmount ?? 0) * (l.Item.Quantity ?? 1)),
            subscription.TrialEnd);
    }
}
