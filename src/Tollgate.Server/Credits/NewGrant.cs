namespace Tollgate.Server.Credits;

/// <summary>Credits to add to a balance, and where they come from.</summary>
internal sealed record NewGrant(
    double Quantity,
    string Reason,
    DateTimeOffset? ExpiresAt,
    string? Note,
    string? PlanId = null,
    string? PlanGrantId = null,
    DateTimeOffset? PeriodStart = null,
    string? SourceRef = null);
