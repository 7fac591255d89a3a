namespace Tollgate.Server.Companies;

/// <summary>How many companies are on a plan (<see cref="PlanId"/> null: on none).</summary>
public sealed record PlanCompanyCount(string? PlanId, string PlanName, long Companies);

/// <summary>
/// The dashboard's figures of an environment: companies in all, per base plan, over and near a limit, trialing and with
/// overrides; the companies furthest over their limits, those nearest to them, and the trials that end first.
/// </summary>
public sealed record CompanyDirectoryCounts
{
    /// <summary>Companies in all.</summary>
    public required long Total { get; init; }

    /// <summary>Companies per base plan, most first.</summary>
    public required IReadOnlyList<PlanCompanyCount> Plans { get; init; }

    /// <summary>Companies at or over a limit.</summary>
    public required long OverLimit { get; init; }

    /// <summary>Companies near a limit but over none.</summary>
    public required long NearLimit { get; init; }

    /// <summary>Companies trialing.</summary>
    public required long Trialing { get; init; }

    /// <summary>Companies with an active override.</summary>
    public required long WithOverrides { get; init; }

    /// <summary>The companies furthest over their limits, furthest first.</summary>
    public required IReadOnlyList<CompanyDirectoryRow> TopOverLimit { get; init; }

    /// <summary>The companies nearest to a limit without being over, nearest first.</summary>
    public required IReadOnlyList<CompanyDirectoryRow> TopNearLimit { get; init; }

    /// <summary>The running trials that end first.</summary>
    public required IReadOnlyList<CompanyDirectoryRow> TrialsEndingSoon { get; init; }
}
