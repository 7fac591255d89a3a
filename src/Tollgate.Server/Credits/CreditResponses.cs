using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Credits;

/// <summary>A company's grant (<c>BillingCreditGrantResponseData</c>, plus Tollgate's <c>note</c>).</summary>
public sealed record CompanyGrantResponse(
    string Id,
    string CompanyId,
    string CompanyName,
    string CreditId,
    string CreditName,
    string? CreditIcon,
    string GrantReason,
    double Quantity,
    double QuantityRemaining,
    double QuantityUsed,
    string? PlanId,
    string? PlanName,
    bool RenewalEnabled,
    string SourceLabel,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? ZeroedOutDate,
    string? ZeroedOutReason,
    string? Note,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A company's balance of one credit type (<c>CompanyCreditBalanceResponseData</c>).</summary>
public sealed record BalanceResponse(
    string CreditId,
    double Remaining,
    double Reserved,
    double Settled,
    double? Total,
    string Source,
    bool PostpaidEnabled,
    double? OverdraftLimit);

/// <summary>
/// One movement of the ledger (<c>CreditEventLedgerResponseData</c>'s fields where they apply). Tollgate adds
/// <c>movement</c> (grant, consume, reserve, release, settle, expire, zero_out) and the exact deltas it made to
/// <c>remaining</c> and <c>reserved</c>: summed over a balance's ledger they give the balance.
/// </summary>
public sealed record LedgerEntryResponse(
    string EventId,
    long SourceId,
    string EnvironmentId,
    string CompanyId,
    string BillingCreditId,
    string CreditName,
    string EventType,
    string Movement,
    double Amount,
    double RemainingDelta,
    double ReservedDelta,
    string? GrantId,
    string? ReservationId,
    string? UsageReason,
    string? ZeroedOutReason,
    string? Reason,
    string? SourceRef,
    DateTimeOffset EventAt);

/// <summary>A reservation (<c>CreditReservationResponseData</c>, plus Tollgate's <c>status</c>: open, settled, released or expired).</summary>
public sealed record ReservationResponse(
    string Id,
    string CompanyId,
    string CreditTypeId,
    double ReservedAmount,
    double SettledAmount,
    string Status,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ReleasedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A credit lease (<c>CreditLeaseResponseData</c>, plus Tollgate's <c>status</c>).</summary>
public sealed record LeaseResponse(
    string Id,
    string CompanyId,
    string CreditTypeId,
    double GrantedAmount,
    double TrackedAmount,
    string Status,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ReleasedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The reservation a check-and-reserve made (<c>FlagCheckReservationResponseData</c>).</summary>
public sealed record FlagCheckReservation(
    string Id,
    string CompanyId,
    string CreditTypeId,
    double CreditsReserved,
    double QuantityReserved,
    double ConsumptionRate,
    string? EventSubtype,
    DateTimeOffset ExpiresAt);

/// <summary>Answer of <c>POST /flags/{key}/check-and-reserve</c> (<c>CheckAndReserveFlagResponseData</c>): the check, and the reservation if one was made.</summary>
public sealed record CheckAndReserveResponse : CheckFlagResponse
{
    private CheckAndReserveResponse(CheckFlagResponse check, FlagCheckReservation? reservation)
        : base(check) => Reservation = reservation;

    /// <summary>The credits held for the caller; null when none were.</summary>
    public FlagCheckReservation? Reservation { get; init; }

    internal static CheckAndReserveResponse From(CheckFlagResponse check, FlagCheckReservation? reservation) => new(check, reservation);
}
