namespace Tollgate.Server.Credits;

/// <summary>A <c>credit_reservations</c> row.</summary>
internal sealed class ReservationRow
{
    public const string Columns = """
        id AS Id, company_id AS CompanyId, credit_type_id AS CreditTypeId, kind AS Kind, amount AS Amount, settled_amount AS SettledAmount, status AS Status,
        idempotency_key AS IdempotencyKey, feature_id AS FeatureId, quantity AS Quantity, consumption_rate AS ConsumptionRate, event_subtype AS EventSubtype,
        expires_at AS ExpiresAt, released_at AS ReleasedAt, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public string Id { get; set; } = string.Empty;

    public string CompanyId { get; set; } = string.Empty;

    public string CreditTypeId { get; set; } = string.Empty;

    /// <summary><c>reservation</c> or <c>lease</c>.</summary>
    public string Kind { get; set; } = "reservation";

    /// <summary>Credits held (a lease's granted amount).</summary>
    public double Amount { get; set; }

    /// <summary>Credits used: set when a reservation is settled; a lease's tracked amount, burnt when it ends.</summary>

    public double SettledAmount { get; set; }

    /// <summary><c>open</c>, <c>settled</c>, <c>released</c> or <c>expired</c>.</summary>
    public string Status { get; set; } = "open";

    public string? IdempotencyKey { get; set; }

    public string? FeatureId { get; set; }

    public double? Quantity { get; set; }

    public double? ConsumptionRate { get; set; }

    public string? EventSubtype { get; set; }

    public long ExpiresAt { get; set; }

    public long? ReleasedAt { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    /// <summary>The answer at <paramref name="now"/>: an open hold past its expiry reads as expired, whether or not that was written yet.</summary>
    public ReservationResponse ToResponse(DateTimeOffset now)
    {
        var lapsed = Status == "open" && ExpiresAt <= now.ToUnixTimeMilliseconds();
        return new ReservationResponse(
            Id, CompanyId, CreditTypeId, Amount, SettledAmount, lapsed ? "expired" : Status, At(ExpiresAt), lapsed ? At(ExpiresAt) : ReleasedAt is { } r ? At(r) : null,
            At(CreatedAt), At(UpdatedAt));
    }

    public LeaseResponse ToLease(DateTimeOffset now)
    {
        var lapsed = Status == "open" && ExpiresAt <= now.ToUnixTimeMilliseconds();
        return new LeaseResponse(
            Id, CompanyId, CreditTypeId, Amount, SettledAmount, lapsed ? "expired" : Status, At(ExpiresAt), lapsed ? At(ExpiresAt) : ReleasedAt is { } r ? At(r) : null,
            At(CreatedAt), At(UpdatedAt));
    }

    public FlagCheckReservation ToFlagCheck() =>
        new(Id, CompanyId, CreditTypeId, Amount, Quantity ?? Amount, ConsumptionRate ?? 1, EventSubtype, At(ExpiresAt));

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
