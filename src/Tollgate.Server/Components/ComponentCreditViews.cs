using Tollgate.Server.Credits;

namespace Tollgate.Server.Components;

/// <summary>
/// A credit bundle as the components sell it (<c>BillingCreditBundleView</c>): the credits area's bundle, its prices in
/// the shapes the components read (<c>BillingProductPriceResponseData</c> for the bundle and unit price,
/// <c>BillingPriceView</c> per currency). Tollgate holds bundle prices itself (provider <c>schematic</c>, one-time).
/// </summary>
internal sealed record ComponentCreditBundleResponse(
    string BundleType,
    IReadOnlyList<string> CompatiblePlanIds,
    DateTimeOffset CreatedAt,
    string? CreditDescription,
    string? CreditIcon,
    string CreditId,
    string CreditName,
    IReadOnlyList<ComponentCurrencyPriceResponse> CurrencyPrices,
    string ExpiryType,
    string ExpiryUnit,
    int? ExpiryUnitCount,
    bool HasGrants,
    string Id,
    string Name,
    string? PluralName,
    ComponentProductPriceResponse? Price,
    double? Quantity,
    string? SingularName,
    string Status,
    ComponentProductPriceResponse? UnitPrice,
    DateTimeOffset UpdatedAt)
{
    public static ComponentCreditBundleResponse From(CreditBundleResponse b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new(
            b.BundleType, b.CompatiblePlanIds, b.CreatedAt, b.CreditDescription, b.CreditIcon, b.CreditId, b.CreditName,
            [.. b.CurrencyPrices.Select(p => new ComponentCurrencyPriceResponse(p.Currency, p.Price is { } price ? ComponentPriceViewResponse.From(price, b) : null))],
            b.ExpiryType, b.ExpiryUnit, b.ExpiryUnitCount, b.HasGrants, b.Id, b.Name, b.PluralName, ComponentProductPriceResponse.From(b.Price, b), b.Quantity, b.SingularName,
            b.Status, ComponentProductPriceResponse.From(b.UnitPrice, b), b.UpdatedAt);
    }
}

/// <summary>A bundle's price in one currency (<c>CreditBundleCurrencyPrice</c>).</summary>
internal sealed record ComponentCurrencyPriceResponse(string Currency, ComponentPriceViewResponse? Price);

/// <summary>A one-time price Tollgate holds, as Schematic's <c>BillingProductPriceResponseData</c>.</summary>
internal sealed record ComponentProductPriceResponse(
    string BillingScheme, DateTimeOffset CreatedAt, string Currency, string Id, string Interval, int IntervalCount, bool IsActive, string? MeterId, string? Nickname,
    long PackageSize, double Price, string? PriceDecimal, string PriceExternalId, string ProductExternalId, string ProviderType, string? TiersMode, DateTimeOffset UpdatedAt,
    string UsageType)
{
    public static ComponentProductPriceResponse? From(BundlePriceResponse? price, CreditBundleResponse bundle) => price is null
        ? null
        : new(price.Scheme, bundle.CreatedAt, price.Currency, price.Id, price.Interval, price.IntervalCount, bundle.Status == "active", null, price.Nickname, 1, price.Price,
            price.PriceDecimal, price.ExternalPriceId, string.Empty, price.ProviderType, null, bundle.UpdatedAt, "licensed");
}

/// <summary>A one-time price Tollgate holds, as Schematic's <c>BillingPriceView</c>.</summary>
internal sealed record ComponentPriceViewResponse(
    string BillingScheme, DateTimeOffset CreatedAt, string Currency, string Id, string Interval, int IntervalCount, bool IsActive, string? MeterId, string? Nickname,
    long PackageSize, double Price, string? PriceDecimal, string PriceExternalId, string PriceId, IReadOnlyList<object> PriceTier, string ProductExternalId, string ProductId,
    string ProductName, string ProviderType, string? TiersMode, DateTimeOffset UpdatedAt, string UsageType)
{
    public static ComponentPriceViewResponse From(BundlePriceResponse price, CreditBundleResponse bundle) => new(
        price.Scheme, bundle.CreatedAt, price.Currency, price.Id, price.Interval, price.IntervalCount, bundle.Status == "active", null, price.Nickname, 1, price.Price,
        price.PriceDecimal, price.ExternalPriceId, price.Id, [], string.Empty, bundle.Id, bundle.Name, price.ProviderType, null, bundle.UpdatedAt, "licensed");
}

/// <summary>
/// A grant of credits to the company as the components list it (<c>CreditCompanyGrantView</c>): the credits area's grant
/// with its credit type's names and description.
/// </summary>
internal sealed record ComponentCreditGrantResponse(
    string BillingCreditId,
    string CompanyId,
    string CompanyName,
    DateTimeOffset CreatedAt,
    string CreditDescription,
    string? CreditIcon,
    string CreditName,
    DateTimeOffset? ExpiresAt,
    string GrantReason,
    string Id,
    string? PlanId,
    string? PlanName,
    string? PluralName,
    double Quantity,
    double QuantityRemaining,
    double QuantityUsed,
    bool RenewalEnabled,
    string? SingularName,
    string SourceLabel,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ZeroedOutDate,
    string? ZeroedOutReason)
{
    public static ComponentCreditGrantResponse From(CompanyGrantResponse g, CreditTypeRecord? credit)
    {
        ArgumentNullException.ThrowIfNull(g);
        return new(
            g.CreditId, g.CompanyId, g.CompanyName, g.CreatedAt, credit?.Description ?? string.Empty, g.CreditIcon, g.CreditName, g.ExpiresAt, g.GrantReason, g.Id, g.PlanId,
            g.PlanName, credit?.PluralName, g.Quantity, g.QuantityRemaining, g.QuantityUsed, g.RenewalEnabled, credit?.SingularName, g.SourceLabel, g.UpdatedAt, g.ValidFrom,
            g.ZeroedOutDate, g.ZeroedOutReason);
    }
}
