using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Credits;

/// <summary>Body of create and update of a credit type (<c>CreateBillingCreditRequestBody</c>).</summary>
public sealed record CreditTypeRequest(
    string? Name,
    string? Description,
    string? Icon,
    string? SingularName,
    string? PluralName,
    string? Currency,
    double? PerUnitPrice,
    string? BurnStrategy,
    string? DefaultExpiryUnit,
    int? DefaultExpiryUnitCount,
    string? DefaultRolloverPolicy);

/// <summary>Body of create and update of a plan credit grant (<c>CreateBillingPlanCreditGrantRequestBody</c>).</summary>
public sealed record PlanCreditGrantRequest(
    string? PlanId,
    string? PlanVersionId,
    string? CreditId,
    double? CreditAmount,
    string? ResetCadence,
    string? ResetStart,
    string? ResetType,
    bool? PostpaidEnabled,
    double? OverdraftLimit,
    bool? ApplyToExisting,
    double? RolloverPercentage = null,
    string? AutoTopupAvailability = null,
    bool? AutoTopupEnabled = null,
    double? AutoTopupAmount = null,
    string? AutoTopupAmountType = null,
    double? AutoTopupThresholdCredits = null,
    double? AutoTopupThresholdPercent = null,
    string? AutoTopupExpiryType = null,
    string? AutoTopupExpiryUnit = null,
    int? AutoTopupExpiryUnitCount = null,
    bool? CanBuyBundles = null);

/// <summary>Body of <c>POST /billing/credits/grants/company</c> (<c>CreateCompanyCreditGrant</c>, plus Tollgate's <c>note</c>).</summary>
public sealed record CompanyGrantRequest(
    string? CompanyId,
    string? CreditId,
    double? Quantity,
    string? Reason,
    DateTimeOffset? ExpiresAt,
    string? ExpiryType,
    string? ExpiryUnit,
    int? ExpiryUnitCount,
    string? Note);

/// <summary>Body of <c>PUT /billing/credits/grants/{id}/zero-out</c>.</summary>
public sealed record ZeroOutRequest(string? Reason);

/// <summary>Body of <c>POST /billing/credits/reservations</c> (<c>ReserveCreditsRequestBody</c>).</summary>
public sealed record ReserveRequest(string? CompanyId, string? CreditTypeId, double? Amount, DateTimeOffset? ExpiresAt, string? IdempotencyKey);

/// <summary>Body of <c>PUT /billing/credits/reservations/{id}/settle</c> (Tollgate): the credits actually used.</summary>
public sealed record SettleRequest(double? Amount);

/// <summary>Body of <c>POST /billing/credits/consume</c> (Tollgate): burn credits now, if the balance allows.</summary>
public sealed record ConsumeRequest(string? CompanyId, string? CreditTypeId, double? Amount, string? Reason, string? SourceRef);

/// <summary>Body of <c>PUT /billing/credits/overdraft</c> (Tollgate): postpaid settings of one balance.</summary>
public sealed record OverdraftRequest(string? CompanyId, string? CreditTypeId, bool? PostpaidEnabled, double? OverdraftLimit);

/// <summary>Body of <c>POST /flags/{key}/check-and-reserve</c> (<c>CheckAndReserveFlagRequestBody</c>).</summary>
public sealed record CheckAndReserveRequest(
    IReadOnlyDictionary<string, string>? Company,
    IReadOnlyDictionary<string, string>? User,
    double? Quantity,
    DateTimeOffset? ExpiresAt,
    string? IdempotencyKey,
    PreflightRequest? Preflight);

/// <summary>Body of <c>POST /billing/credits/lease</c> (<c>AcquireCreditLeaseRequestBody</c>).</summary>
public sealed record AcquireLeaseRequest(string? CompanyId, string? CreditTypeId, double? RequestedAmount, DateTimeOffset? ExpiresAt);

/// <summary>Body of <c>PUT /billing/credits/lease/{id}/extend</c> (<c>ExtendCreditLeaseRequestBody</c>).</summary>
public sealed record ExtendLeaseRequest(double? AdditionalAmount, DateTimeOffset? ExpiresAt, string? IdempotencyKey);
