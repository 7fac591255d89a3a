namespace Tollgate.Server.Companies;

/// <summary>
/// One company as the directory lists it: how to find it, its plan, trial and overrides, and its worst standing against
/// a limit (the feature whose usage is the largest share of its limit in the current period).
/// </summary>
public sealed record CompanyDirectoryRow
{
    /// <summary>The company's id.</summary>
    public required string CompanyId { get; init; }

    /// <summary>Its name, if it has one.</summary>
    public string? Name { get; init; }

    /// <summary>Its first key, as <c>key: value</c>.</summary>
    public string? MainKey { get; init; }

    /// <summary>Its base plan.</summary>
    public string? PlanId { get; init; }

    /// <summary>Its base plan's name (null when it has none, or the plan is gone).</summary>
    public string? PlanName { get; init; }

    /// <summary>When its running trial ends; null when it is not trialing.</summary>
    public DateTimeOffset? TrialEndsAt { get; init; }

    /// <summary>How many active overrides it has.</summary>
    public int OverrideCount { get; init; }

    /// <summary>The highest usage ÷ limit of its metered entitlements (1 and more: at or over the limit); 0 without usage.</summary>
    public double WorstRatio { get; init; }

    /// <summary>The feature of <see cref="WorstRatio"/>.</summary>
    public string? WorstFeatureId { get; init; }

    /// <summary>That feature's name.</summary>
    public string? WorstFeatureName { get; init; }

    /// <summary>That feature's usage in the current period.</summary>
    public long? WorstUsage { get; init; }

    /// <summary>That feature's limit.</summary>
    public long? WorstLimit { get; init; }

    /// <summary>When the company was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether it is at or over a limit.</summary>
    public bool IsOverLimit => WorstRatio >= 1;
}
