namespace Tollgate.Server.Companies;

/// <summary>
/// A user's membership of a company (<c>CompanyMembershipDetailResponseData</c>). Memberships are kept on the user, so
/// the id is derived from the user and company ids and the times are the user's.
/// </summary>
public sealed record CompanyMembershipResponse(
    string Id,
    string CompanyId,
    string UserId,
    CompanySummaryResponse? Company,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
