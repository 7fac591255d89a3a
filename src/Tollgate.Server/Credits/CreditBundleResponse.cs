namespace Tollgate.Server.Credits;

/// <summary>A credit bundle in Schematic's shape (<c>BillingCreditBundleResponseData</c>).</summary>
public sealed record CreditBundleResponse(
    string Id,
    string Name,
    string BundleType,
    string? BillingInvoiceId,
    IReadOnlyList<string> CompatiblePlanIds,
    string CreditId,
    string CreditName,
    string? CreditDescription,
    string? CreditIcon,
    string? SingularName,
    string? PluralName,
    IReadOnlyList<CreditBundleCurrencyPriceResponse> CurrencyPrices,
    string ExpiryType,
    string ExpiryUnit,
    int? ExpiryUnitCount,
    bool HasGrants,
    BundlePriceResponse? Price,
    BundlePriceResponse? UnitPrice,
    double? Quantity,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static CreditBundleResponse From(CreditBundleRecord bundle, CreditTypeRecord? credit)
    {
        var unit = BundlePriceResponse.Of(bundle.Id, bundle.Currency, bundle.PricePerUnit, bundle.PricePerUnitDecimal);

        // The bundle's price is its credits at the unit price; a bundle of single credits has only the unit price.
        var price = bundle.Quantity is { } quantity ? BundlePriceResponse.Of(bundle.Id + "_bundle", bundle.Currency, bundle.PricePerUnit * quantity, null) : null;
        return new CreditBundleResponse(
            bundle.Id, bundle.Name, "fixed", null, bundle.CompatiblePlanIds, bundle.CreditId, credit?.Name ?? bundle.CreditId, credit?.Description, credit?.Icon,
            credit?.SingularName, credit?.PluralName,
            [.. bundle.CurrencyPrices.Select(p => new CreditBundleCurrencyPriceResponse(
                p.Currency, p.PricePerUnit is { } amount ? BundlePriceResponse.Of($"{bundle.Id}_{p.Currency}", p.Currency, amount, p.PricePerUnitDecimal) : null))],
            bundle.ExpiryType, bundle.ExpiryUnit, bundle.ExpiryUnitCount, bundle.HasGrants, price, unit, bundle.Quantity, bundle.Status, bundle.CreatedAt, bundle.UpdatedAt);
    }
}

/// <summary>A bundle's price in one currency (<c>CreditBundleCurrencyPriceResponseData</c>).</summary>
public sealed record CreditBundleCurrencyPriceResponse(string Currency, BundlePriceResponse? Price);

/// <summary>
/// A price Tollgate holds itself (<c>BillingPriceResponseData</c> with <c>provider_type</c> <c>schematic</c>): one-time,
/// per unit, with no billing provider's price behind it (<c>external_price_id</c> empty).
/// </summary>
public sealed record BundlePriceResponse(
    string Id, string Currency, string ExternalPriceId, string Interval, int IntervalCount, string? Nickname, double Price, string? PriceDecimal, string ProviderType, string Scheme)
{
    internal static BundlePriceResponse Of(string id, string currency, double price, string? priceDecimal) =>
        new(id, currency, string.Empty, "one-time", 1, null, price, priceDecimal, "schematic", "per_unit");
}
