namespace Tollgate.Server.Companies;

/// <summary>A company in short, as a membership names it (<c>CompanyResponseData</c>); an unnamed company's name is empty.</summary>
public sealed record CompanySummaryResponse(
    string Id,
    string Name,
    string EnvironmentId,
    string? LogoUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSeenAt)
{
    /// <summary>The short form of a company.</summary>
    public static CompanySummaryResponse From(CompanyRecord company, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(company);
        return new(company.Id, company.Name ?? string.Empty, environmentId, null, company.CreatedAt, company.UpdatedAt, company.LastSeenAt);
    }
}
