using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Billing;

/// <summary>
/// A billing product in Schematic's shape (<c>BillingProductDetailResponseData</c>: its prices, how many companies
/// subscribe and the quantity they hold) with Tollgate's own fields: the plan it maps to and whether that was set by hand.
/// </summary>
public sealed record BillingProductResponse(
    string Id,
    string ProductId,
    string ExternalId,
    string AccountId,
    string EnvironmentId,
    string Name,
    bool IsActive,
    bool Deleted,
    long Price,
    string? PriceDecimal,
    string? Currency,
    long Quantity,
    long SubscriptionCount,
    string ProviderType,
    IReadOnlyList<BillingPriceData> Prices,
    string? PlanId,
    bool PlanMappedManually,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Describes a record with its prices and the (live) subscriptions to it.</summary>
    public static BillingProductResponse From(BillingProductRecord record, string environmentId, IReadOnlyList<BillingPriceRecord> prices, long subscriptionCount, long quantity)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(prices);
        return new(
            record.Id, record.Id, record.Id, EngineIds.Account, environmentId, record.Name, record.Active, record.Deleted, record.Price, null,
            prices.Count > 0 ? prices[0].Currency : null, quantity, subscriptionCount, record.ProviderType, [.. prices.Select(BillingPriceData.From)],
            record.PlanId, record.PlanMappedManually, record.Metadata, record.StripeCreatedAt ?? record.UpdatedAt, record.UpdatedAt);
    }
}

/// <summary>A price as Schematic's <c>BillingPriceResponseData</c> shows it (interval <c>one-time</c> when it recurs not).</summary>
public sealed record BillingPriceData(
    string Id,
    string ExternalPriceId,
    string Currency,
    string Interval,
    long IntervalCount,
    string? Nickname,
    long Price,
    string? PriceDecimal,
    string ProviderType,
    string Scheme)
{
    /// <summary>Describes a record.</summary>
    public static BillingPriceData From(BillingPriceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (interval, count) = BillingIntervals.OnTheWire(record);
        return new(record.Id, record.Id, record.Currency, interval, count, record.Nickname, record.UnitAmount ?? 0, record.PriceDecimal, record.ProviderType, record.BillingScheme);
    }
}

/// <summary>A Stripe price as the API shows it and the plan version it maps to.</summary>
public sealed record BillingPriceResponse(
    string Id,
    string PriceId,
    string ExternalId,
    string EnvironmentId,
    string ProductId,
    bool IsActive,
    string Currency,
    long? Price,
    string? Interval,
    long IntervalCount,
    string? UsageType,
    string? MeterId,
    string? LookupKey,
    string? PlanVersionId,
    bool PlanVersionMappedManually,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Describes a record.</summary>
    public static BillingPriceResponse From(BillingPriceRecord record, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(
            record.Id, record.Id, record.Id, environmentId, record.ProductId, record.Active, record.Currency, record.UnitAmount, record.Interval, record.IntervalCount,
            record.UsageType, record.MeterId, record.LookupKey, record.PlanVersionId, record.PlanVersionMappedManually, record.Metadata, record.UpdatedAt);
    }
}

/// <summary>Body of <c>PUT /billing/products/{id}</c>: the plan (or add-on) the product sells; null unmaps it. Either way a sync no longer changes it.</summary>
public sealed record MapBillingProductRequest(string? PlanId);

/// <summary>Body of <c>PUT /billing/prices/{id}</c>: the plan version the price belongs to; null leaves it to the product's plan. A sync no longer changes it.</summary>
public sealed record MapBillingPriceRequest(string? PlanVersionId);
