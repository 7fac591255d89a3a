using Stripe;

namespace Tollgate.Stripe;

/// <summary>Stripe.net objects to Tollgate's plain records (Stripe.net's DateTimes are UTC).</summary>
internal static class StripeMapping
{
    public static StripeProductData Product(Product product) =>
        new(product.Id, product.Name ?? product.Id, product.Active, Metadata(product.Metadata), Utc(product.Created));

    public static StripePriceData Price(Price price) =>
        new(
            price.Id,
            price.ProductId,
            price.Active,
            price.Currency ?? "usd",
            price.UnitAmount,
            price.Recurring?.Interval,
            price.Recurring?.IntervalCount ?? 1,
            price.Recurring?.UsageType,
            price.Recurring?.Meter,
            price.LookupKey,
            Metadata(price.Metadata),
            Utc(price.Created));

    public static StripeCustomerData Customer(Customer customer) =>
        new(customer.Id, customer.Name, customer.Email, Metadata(customer.Metadata), Utc(customer.Created));

    public static StripeSubscriptionData Subscription(Subscription subscription, IEnumerable<SubscriptionItem> items) =>
        new(
            subscription.Id,
            subscription.CustomerId,
            subscription.Status,
            [.. items.Select(Item)],
            Utc(subscription.TrialStart),
            Utc(subscription.TrialEnd),
            subscription.CancelAtPeriodEnd,
            Utc(subscription.CancelAt),
            Utc(subscription.CanceledAt),
            Utc(subscription.EndedAt),
            Metadata(subscription.Metadata),
            Utc(subscription.Created));

    public static IReadOnlyDictionary<string, string> Metadata(Dictionary<string, string>? metadata) =>
        metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(metadata, StringComparer.Ordinal);

    private static StripeSubscriptionItemData Item(SubscriptionItem item) =>
        new(item.Id, item.Price?.Id ?? string.Empty, item.Price?.ProductId ?? string.Empty, item.Price?.Recurring?.UsageType == "metered" ? null : item.Quantity, Utc(item.CurrentPeriodStart), Utc(item.CurrentPeriodEnd));

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
