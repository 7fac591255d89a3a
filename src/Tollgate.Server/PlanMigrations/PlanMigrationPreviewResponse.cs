namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// Schematic's <c>PlanVersionMigrationPreviewResponseData</c> (<c>companies</c>, <c>has_billing_changes</c>), with the
/// totals a team decides on beside it: how many companies would move, how many would be over a new limit (and per
/// feature), how many would see their subscription change, and how many would fail.
/// </summary>
internal sealed record MigrationPreviewResponse(
    IReadOnlyList<MigrationPreviewCompany> Companies,
    bool HasBillingChanges,
    int TotalCompanies,
    int CompaniesOverLimit,
    IReadOnlyList<FeatureCount> OverLimitByFeature,
    int CompaniesWithBillingChanges,
    int CompaniesThatWouldFail);

/// <summary>
/// Schematic's <c>PlanVersionMigrationPreviewCompanyResponseData</c> for one company, with what the move changes for it:
/// features gained and lost, limits changed, limits its current usage would exceed, and the subscription items (with
/// their prices) the move would change.
/// </summary>
internal sealed record MigrationPreviewCompany(
    string CompanyId,
    bool HasBillingChanges,
    bool HasCustomPricing,
    string? Note,
    string? PlanVersionIdFrom,
    bool WillUpdateSubscription,
    bool WouldFail,
    string CompanyName,
    string? ErrorCode,
    IReadOnlyList<FeatureReference> FeaturesGained,
    IReadOnlyList<FeatureReference> FeaturesLost,
    IReadOnlyList<LimitChange> LimitChanges,
    IReadOnlyList<OverLimit> OverLimit,
    PriceChange? PriceChange,
    IReadOnlyList<BillingItemChange> SubscriptionItems);

/// <summary>A feature named in a preview.</summary>
internal sealed record FeatureReference(string FeatureId, string FeatureKey, string Name);

/// <summary>A feature's value on the origin and on the target version.</summary>
internal sealed record LimitChange(string FeatureId, string FeatureKey, EntitlementValue From, EntitlementValue To);

/// <summary>What an entitlement grants: its value type, limit and period.</summary>
internal sealed record EntitlementValue(string ValueType, bool? ValueBool, long? ValueNumeric, string? MetricPeriod);

/// <summary>A limit of the target version that the company's current usage already exceeds.</summary>
internal sealed record OverLimit(string FeatureId, string FeatureKey, long Usage, long Limit);

/// <summary>The base price before and after (the first item the move changes).</summary>
internal sealed record PriceChange(BillingPrice From, BillingPrice? To);

/// <summary>How many companies, per feature.</summary>
internal sealed record FeatureCount(string FeatureId, string FeatureKey, int Companies);
