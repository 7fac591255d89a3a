namespace Tollgate.Server.Credits;

/// <summary>Body of create and update of a credit bundle (<c>CreateCreditBundleRequestBody</c>, <c>UpdateCreditBundleDetailsRequestBody</c>).</summary>
public sealed record CreditBundleRequest(
    string? BundleName,
    string? BundleType,
    IReadOnlyList<string>? CompatiblePlanIds,
    string? CreditId,
    string? Currency,
    IReadOnlyList<CreditBundleCurrencyPriceRequest>? CurrencyPrices,
    string? ExpiryType,
    string? ExpiryUnit,
    int? ExpiryUnitCount,
    double? PricePerUnit,
    string? PricePerUnitDecimal,
    double? Quantity,
    string? Status);

/// <summary>A price in another currency (<c>CreditBundleCurrencyPriceRequestBody</c>).</summary>
public sealed record CreditBundleCurrencyPriceRequest(string? Currency, double? PricePerUnit, string? PricePerUnitDecimal);

/// <summary>Body of <c>POST /billing/credits/bundles/{id}/grant</c> (Tollgate): give a company <c>quantity</c> bundles.</summary>
public sealed record CreditBundleGrantRequest(string? CompanyId, int? Quantity, string? Note);

/// <summary>Body of create of a spend policy (<c>CreateCreditSpendPolicyRequestBody</c>); update takes <c>label</c> and <c>max_per_draw</c>.</summary>
public sealed record CreditSpendPolicyRequest(string? BillingCreditId, string? CompanyId, string? UserId, string? Label, double? MaxPerDraw);
