namespace Tollgate.Server.Evaluation;

/// <summary>One flag's answer, in Schematic's REST shape (<c>CheckFlagResponseData</c>): <c>flag</c> is the key.</summary>
public record CheckFlagResponse(
    string Flag,
    bool Value,
    string Reason,
    string? FlagId,
    string? RuleId,
    string? RuleType,
    string? CompanyId,
    string? UserId,
    string? Error,
    long? FeatureAllocation,
    long? FeatureUsage,
    string? FeatureUsageEvent,
    string? FeatureUsagePeriod,
    DateTimeOffset? FeatureUsageResetAt,
    EntitlementResponse? Entitlement);

/// <summary>The company's entitlement to the flag's feature, snake_case.</summary>
public sealed record EntitlementResponse(
    string FeatureId,
    string FeatureKey,
    string ValueType,
    long? Allocation,
    long? Usage,
    string? MetricPeriod,
    string? MonthReset,
    string? MetricResetAt,
    string? EventName,
    long? SoftLimit,
    IReadOnlyList<Catalog.WarningTierRecord> WarningTiers,
    string? CreditId,
    double? ConsumptionRate,
    double? CreditTotal = null,
    double? CreditUsed = null,
    double? CreditRemaining = null,
    double? CreditReserved = null,
    double? CreditSettled = null);

/// <summary>Answer of <c>POST /flags/check</c>: every flag for one context, and the company's credit balances by credit id.</summary>
public sealed record CheckFlagsResponse(
    IReadOnlyList<CheckFlagResponse> Flags,
    IReadOnlyDictionary<string, CreditBalanceSummary>? CreditBalances = null,
    CheckPlanResponse? Plan = null);

/// <summary>The company's base plan in a check-all answer (<c>DatastreamCompanyPlan</c>), with its trial's end and status when it has one.</summary>
public sealed record CheckPlanResponse(string Id, string Name, DateTimeOffset? TrialEndDate, string? TrialStatus);

/// <summary>A credit balance in a check-all answer (<c>CompanyCreditBalance</c>).</summary>
public sealed record CreditBalanceSummary(double Remaining, double Reserved, double Settled);

/// <summary>Answer of <c>POST /flags/check-bulk</c> (<c>CheckFlagsBulkResponseData</c>): one check-all answer per context, under <c>data</c>.</summary>
public sealed record CheckFlagsBulkResponse(IReadOnlyList<CheckFlagsResponse> Data);
