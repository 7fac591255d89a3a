namespace Tollgate.Stripe;

/// <summary>A product to create in Stripe.</summary>
/// <param name="Name">The name customers see.</param>
/// <param name="Metadata">Metadata to set (Tollgate's ids).</param>
public sealed record NewStripeProduct(string Name, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A recurring price to create in Stripe.</summary>
/// <param name="ProductId">The product it prices.</param>
/// <param name="UnitAmount">Amount per unit in the currency's smallest unit (cents).</param>
/// <param name="Currency">Three-letter ISO currency, lowercase.</param>
/// <param name="Interval"><c>month</c> or <c>year</c> (Stripe also takes <c>day</c> and <c>week</c>).</param>
/// <param name="UsageType"><c>licensed</c> (quantity billed in advance) or <c>metered</c> (usage reported to <paramref name="MeterId"/>).</param>
/// <param name="MeterId">The billing meter of a metered price (<c>recurring[meter]</c>); null for licensed.</param>
/// <param name="Metadata">Metadata to set (Tollgate's ids).</param>
/// <param name="LookupKey">A lookup key, moved to this price from any other that holds it (<c>transfer_lookup_key</c>); null for none.</param>
public sealed record NewStripePrice(
    string ProductId, long UnitAmount, string Currency, string Interval, string UsageType, string? MeterId,
    IReadOnlyDictionary<string, string> Metadata, string? LookupKey);

/// <summary>Values of a price's <c>recurring[usage_type]</c>.</summary>
public static class StripeUsageTypes
{
    /// <summary>Billed in advance for the item's quantity (flat or per seat).</summary>
    public const string Licensed = "licensed";

    /// <summary>Billed in arrears for the usage a billing meter recorded.</summary>
    public const string Metered = "metered";
}
