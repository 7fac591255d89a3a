namespace Tollgate.Server.Companies;

/// <summary>How the company directory sorts.</summary>
public enum CompanyDirectorySort
{
    /// <summary>By name (the id for a company without one), case-insensitively.</summary>
    Name,

    /// <summary>By creation time.</summary>
    Created,

    /// <summary>By the highest usage ÷ limit of the company's metered entitlements.</summary>
    UsageRatio,
}

/// <summary>
/// A search of the company directory. Filters combine with AND, except <see cref="OverLimit"/> and
/// <see cref="NearLimit"/> given together, which find either (usage at <see cref="NearLimitRatio"/> of a limit or more).
/// </summary>
public sealed record CompanyDirectoryQuery
{
    /// <summary>The ratio of usage to limit from which a company is near its limit, unless a query says otherwise.</summary>
    public const double DefaultNearLimitRatio = 0.8;

    /// <summary>The most rows one page holds.</summary>
    public const int MaxPageSize = 100;

    /// <summary>A case-insensitive substring of the name, the id or any key value.</summary>
    public string? Q { get; init; }

    /// <summary>Only companies on this plan, as base plan or add-on.</summary>
    public string? PlanId { get; init; }

    /// <summary>Only companies whose usage of a metered entitlement has reached its limit in the current period.</summary>
    public bool OverLimit { get; init; }

    /// <summary>Only companies at <see cref="NearLimitRatio"/> of a limit or more, but not over any.</summary>
    public bool NearLimit { get; init; }

    /// <summary>Where "near" starts: a ratio of usage to limit above 0 and below 1.</summary>
    public double NearLimitRatio { get; init; } = DefaultNearLimitRatio;

    /// <summary>Only companies with a running trial.</summary>
    public bool Trialing { get; init; }

    /// <summary>Only companies with an active override.</summary>
    public bool HasOverrides { get; init; }

    /// <summary>The sort.</summary>
    public CompanyDirectorySort Sort { get; init; }

    /// <summary>Descending instead of ascending.</summary>
    public bool Descending { get; init; }

    /// <summary>The page, from 1.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Rows per page, 1 to <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; init; } = 25;
}
