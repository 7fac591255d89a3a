namespace Tollgate.Server.Credits;

/// <summary>A <c>credit_grants</c> row.</summary>
internal sealed class GrantRow
{
    public const string Columns = """
        id AS Id, company_id AS CompanyId, credit_type_id AS CreditTypeId, quantity AS Quantity, remaining AS Remaining, reason AS Reason, plan_id AS PlanId,
        plan_grant_id AS PlanGrantId, valid_from AS ValidFrom, expires_at AS ExpiresAt, ended_at AS EndedAt, end_reason AS EndReason, note AS Note,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public string Id { get; set; } = string.Empty;

    public string CompanyId { get; set; } = string.Empty;

    public string CreditTypeId { get; set; } = string.Empty;

    public double Quantity { get; set; }

    public double Remaining { get; set; }

    public string Reason { get; set; } = string.Empty;

    public string? PlanId { get; set; }

    public string? PlanGrantId { get; set; }

    public long ValidFrom { get; set; }

    public long? ExpiresAt { get; set; }

    public long? EndedAt { get; set; }

    public string? EndReason { get; set; }

    public string? Note { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    /// <summary>The answer at <paramref name="now"/>: a grant past its expiry reads as expired (zeroed out), whether or not that was written yet.</summary>
    public CompanyGrantResponse ToResponse(DateTimeOffset now, string companyName, CreditTypeRecord? credit, string? planName)
    {
        var lapsed = EndedAt is null && ExpiresAt is { } e && e <= now.ToUnixTimeMilliseconds();
        var endedAt = lapsed ? ExpiresAt : EndedAt;

        // An ended grant keeps the remaining it had when it ended (what left the balance then); it has none left now.
        return new CompanyGrantResponse(
            Id, CompanyId, companyName, CreditTypeId, credit?.Name ?? CreditTypeId, credit?.Icon, Reason, Quantity, endedAt is null ? Remaining : 0, Quantity - Remaining,
            PlanId, planName, PlanGrantId is not null, PlanGrantId is not null ? "plan" : Reason,
            At(ValidFrom), ExpiresAt is { } x ? At(x) : null, endedAt is { } z ? At(z) : null, lapsed ? "expired" : EndReason, Note, At(CreatedAt), At(UpdatedAt));
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
