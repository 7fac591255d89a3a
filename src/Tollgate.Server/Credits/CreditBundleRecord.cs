namespace Tollgate.Server.Credits;

/// <summary>
/// A credit bundle as stored: a fixed pack of <see cref="Quantity"/> credits of one credit type sold at
/// <see cref="PricePerUnit"/> each (Schematic's <c>BillingCreditBundleResponseData</c> is built from it with the credit
/// type's names at read time).
/// </summary>
public sealed record CreditBundleRecord
{
    /// <summary>The id (<c>bcb_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Display name (<c>bundle_name</c> in requests, <c>name</c> in answers).</summary>
    public required string Name { get; init; }

    /// <summary>The credit type.</summary>
    public required string CreditId { get; init; }

    /// <summary>Credits per bundle; null: the bundle sells single credits (a grant of N bundles gives N credits).</summary>
    public double? Quantity { get; init; }

    /// <summary>Price of one credit, in the currency's minor unit.</summary>
    public double PricePerUnit { get; init; }

    /// <summary>The price as a decimal string, when given.</summary>
    public string? PricePerUnitDecimal { get; init; }

    /// <summary>The currency of <see cref="PricePerUnit"/>.</summary>
    public string Currency { get; init; } = "usd";

    /// <summary>Prices in other currencies.</summary>
    public IReadOnlyList<CreditBundleCurrencyPrice> CurrencyPrices { get; init; } = [];

    /// <summary>Plans whose companies may get the bundle; empty: any company.</summary>
    public IReadOnlyList<string> CompatiblePlanIds { get; init; } = [];

    /// <summary>How the granted credits expire (<c>no_expiry</c> by default).</summary>
    public string ExpiryType { get; init; } = "no_expiry";

    /// <summary><c>days</c> or <c>billing_periods</c>.</summary>
    public string ExpiryUnit { get; init; } = "days";

    /// <summary>How many expiry units, for <c>duration</c>.</summary>
    public int? ExpiryUnitCount { get; init; }

    /// <summary><c>active</c> or <c>inactive</c>; an inactive bundle is not granted.</summary>
    public string Status { get; init; } = "active";

    /// <summary>Whether a grant was ever made from it.</summary>
    public bool HasGrants { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A bundle's price in another currency.</summary>
public sealed record CreditBundleCurrencyPrice(string Currency, double? PricePerUnit, string? PricePerUnitDecimal);
