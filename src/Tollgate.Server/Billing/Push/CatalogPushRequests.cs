namespace Tollgate.Server.Billing.Push;

/// <summary>Body of <c>POST /billing/product/upsert</c> (Schematic's <c>CreateBillingProductRequestBody</c>).</summary>
public sealed record UpsertBillingProductRequest(string? ExternalId, string? Name, long? Price, bool? IsActive, string? ProviderType);

/// <summary>Body of <c>POST /billing/price/upsert</c> (Schematic's <c>CreateBillingPriceRequestBody</c>).</summary>
public sealed record UpsertBillingPriceRequest(
    string? BillingScheme,
    string? Currency,
    string? ExternalAccountId,
    string? Interval,
    long? IntervalCount,
    bool? IsActive,
    string? MeterId,
    string? Nickname,
    long? PackageSize,
    long? Price,
    string? PriceDecimal,
    string? PriceExternalId,
    IReadOnlyList<UpsertBillingPriceTier?>? PriceTiers,
    string? ProductExternalId,
    string? ProviderType,
    string? TiersMode,
    string? UsageType);

/// <summary>One tier of a pushed price (Schematic's <c>CreateBillingPriceTierRequestBody</c>).</summary>
public sealed record UpsertBillingPriceTier(long? FlatAmount, string? PerUnitDecimal, long? PerUnitPrice, string? PriceExternalId, string? ProviderType, long? UpTo);

/// <summary>Body of <c>POST /billing/meter/upsert</c> (Schematic's <c>CreateMeterRequestBody</c>).</summary>
public sealed record UpsertBillingMeterRequest(string? DisplayName, string? EventName, string? EventPayloadKey, string? ExternalId, string? ProviderType);
