using Tollgate.Server.Billing;

namespace Tollgate.Server.Companies;

/// <summary>
/// A company's subscription in Schematic's <c>BillingSubscriptionView</c> shape (<c>billing_subscription</c> of a
/// company): its subscription at its billing system (Stripe's, or one pushed by another provider), or else the trial
/// Tollgate runs for it (its <c>bilsub_…</c> id, the company id as customer, <c>trialing</c>, <c>active</c> once
/// converted, <c>expired</c>; the trial's start and end as period). As in Schematic's shape, <c>period_start</c>,
/// <c>period_end</c>, <c>trial_end</c> and <c>cancel_at</c> are Unix seconds (the components draw
/// <c>new Date(period_end * 1000)</c>) and <c>created_at</c> an ISO instant. Tollgate adds <c>trial_status</c> (the
/// trial's <c>active</c>, <c>converted</c>, <c>expired</c> when there was one), <c>canceled_at</c> (Unix seconds),
/// <c>seats</c> and <c>synced_at</c>.
/// </summary>
public sealed record CompanyBillingSubscriptionResponse(
    string Id,
    string SubscriptionExternalId,
    string CompanyId,
    string CustomerExternalId,
    string ProviderType,
    string Status,
    DateTimeOffset CreatedAt,
    string Currency,
    string Interval,
    long TotalPrice,
    long? PeriodStart,
    long? PeriodEnd,
    long? TrialEnd,
    string? TrialStatus,
    bool CancelAtPeriodEnd,
    long? CancelAt,
    long? CanceledAt,
    long? Seats,
    IReadOnlyList<SubscriptionProductResponse> Products,
    DateTimeOffset SyncedAt)
{
    /// <summary>The subscription's discounts: none are kept (Tollgate applies no coupons); the shape requires the list.</summary>
    public IReadOnlyList<object> Discounts { get; } = [];

    /// <summary>
    /// Describes a company's subscription with the prices and products of its items (those Tollgate knows: an item
    /// whose price was never synced is left out); null for a company neither billed nor ever on a Tollgate trial.
    /// </summary>
    internal static CompanyBillingSubscriptionResponse? From(
        CompanyRecord company, IReadOnlyDictionary<string, BillingPriceRecord> prices, IReadOnlyDictionary<string, BillingProductRecord> products, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(products);
        var trial = TrialState.Of(company);
        if (company.Trial is { } native && trial?.SubscriptionId == native.SubscriptionId)
        {
            var status = native.Status switch { TrialStatuses.Active => "trialing", TrialStatuses.Converted => "active", _ => "expired" };
            return new(
                native.SubscriptionId, native.SubscriptionId, company.Id, company.Id, BillingProviders.Pushed, status, native.StartedAt, "usd", "month", 0,
                native.StartedAt.ToUnixTimeSeconds(), native.EndsAt.ToUnixTimeSeconds(), native.EndsAt.ToUnixTimeSeconds(), native.Status, false, null,
                native.EndedAt?.ToUnixTimeSeconds(), null, [], company.UpdatedAt);
        }

        if (company.Billing is not { } billing)
        {
            return null;
        }

        var subscriptionId = billing.SubscriptionId ?? string.Empty;
        var lines = billing.Items.Select(i => (Item: i, Price: prices.GetValueOrDefault(i.PriceId))).Where(l => l.Price is not null).ToList();
        var licensed = lines.Where(l => l.Price!.UsageType != "metered").ToList();
        var main = licensed.Select(l => l.Price).FirstOrDefault() ?? lines.Select(l => l.Price).FirstOrDefault();
        return new(
            subscriptionId, subscriptionId, company.Id, billing.CustomerId, billing.Provider ?? BillingProviders.Stripe, billing.Status ?? string.Empty,
            billing.PeriodStart ?? billing.SyncedAt, main?.Currency ?? "usd", main?.Interval ?? "month",

            // What a period costs before usage: the licensed items at their quantities (metered ones bill in arrears).
            licensed.Sum(l => (l.Price!.UnitAmount ?? 0) * (l.Item.Quantity ?? 1)),
            billing.PeriodStart?.ToUnixTimeSeconds(), billing.PeriodEnd?.ToUnixTimeSeconds(), billing.TrialEnd?.ToUnixTimeSeconds(), trial?.Status, billing.CancelAtPeriodEnd,
            billing.CancelAt?.ToUnixTimeSeconds(), billing.CanceledAt?.ToUnixTimeSeconds(), billing.Seats,
            [.. lines.Select(l => SubscriptionProductResponse.From(l.Item, l.Price!, products.GetValueOrDefault(l.Item.ProductId), subscriptionId, environmentId))],
            billing.SyncedAt);
    }
}

/// <summary>One item of a subscription (<c>BillingProductForSubscriptionResponseData</c>); ids are the billing system's.</summary>
public sealed record SubscriptionProductResponse(
    string BillingScheme,
    DateTimeOffset CreatedAt,
    string Currency,
    string EnvironmentId,
    string ExternalId,
    string Id,
    string Interval,
    long IntervalCount,
    string? MeterId,
    string Name,
    long PackageSize,
    long Price,
    string? PriceDecimal,
    string PriceExternalId,
    string PriceId,
    IReadOnlyList<PriceTierResponse> PriceTier,
    string ProviderType,
    long Quantity,
    string SubscriptionId,
    string? SubscriptionItemExternalId,
    DateTimeOffset UpdatedAt,
    string UsageType)
{
    internal static SubscriptionProductResponse From(CompanyBillingItem item, BillingPriceRecord price, BillingProductRecord? product, string subscriptionId, string environmentId) => new(
        price.BillingScheme, price.CreatedAt ?? price.UpdatedAt, price.Currency, environmentId, item.ProductId, item.ProductId, price.Interval ?? "month", price.IntervalCount,
        price.MeterId, product?.Name ?? item.ProductId, price.PackageSize, price.UnitAmount ?? 0, price.PriceDecimal, price.Id, price.Id,
        [.. price.Tiers.Select(t => new PriceTierResponse(t.FlatAmount, t.PerUnitPrice, t.PerUnitDecimal, t.UpTo))], price.ProviderType,
        item.Quantity ?? 1, subscriptionId, item.ItemId, price.UpdatedAt, price.UsageType ?? "licensed");
}

/// <summary>One tier of a tiered price (<c>BillingProductPriceTierResponseData</c>); <c>up_to</c> null for the last.</summary>
public sealed record PriceTierResponse(long? FlatAmount, long? PerUnitPrice, string? PerUnitPriceDecimal, long? UpTo);
