using Tollgate.Server.Billing.Meters;

namespace Tollgate.Server.Billing.Push;

/// <summary>A price with its product and meter, as Schematic's <c>BillingPriceView</c> lists it.</summary>
public sealed record BillingPriceView(
    string Id,
    string PriceId,
    string PriceExternalId,
    string ProductId,
    string ProductExternalId,
    string ProductName,
    string BillingScheme,
    string Currency,
    string Interval,
    long IntervalCount,
    bool IsActive,
    string? MeterId,
    string? MeterEventName,
    string? MeterEventPayloadKey,
    string? Nickname,
    long PackageSize,
    long Price,
    string? PriceDecimal,
    IReadOnlyList<BillingPriceTierView> PriceTier,
    string ProviderType,
    string? TiersMode,
    string UsageType,
    string? PlanVersionId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Describes a price of <paramref name="product"/> (null: not stored any more), billed through <paramref name="meter"/>.</summary>
    public static BillingPriceView From(BillingPriceRecord price, BillingProductRecord? product, BillingMeterRecord? meter)
    {
        ArgumentNullException.ThrowIfNull(price);
        var (interval, count) = BillingIntervals.OnTheWire(price);
        return new(
            price.Id, price.Id, price.Id, price.ProductId, price.ProductId, product?.Name ?? "", price.BillingScheme, price.Currency, interval, count, price.Active,
            price.MeterId, meter?.EventName, meter?.ValuePayloadKey, price.Nickname, price.PackageSize, price.UnitAmount ?? 0, price.PriceDecimal,
            [.. price.Tiers.Select(t => new BillingPriceTierView(t.FlatAmount, t.PerUnitPrice, t.PerUnitDecimal, t.UpTo))], price.ProviderType, price.TiersMode,
            price.UsageType ?? "licensed", price.PlanVersionId, price.CreatedAt ?? price.UpdatedAt, price.UpdatedAt);
    }
}

/// <summary>One tier of a price (Schematic's <c>BillingProductPriceTierResponseData</c>).</summary>
public sealed record BillingPriceTierView(long? FlatAmount, long? PerUnitPrice, string? PerUnitPriceDecimal, long? UpTo);
