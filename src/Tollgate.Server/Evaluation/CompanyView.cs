using System.Diagnostics;
using Tollgate.Engine;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// A company kept warm for checks: its records and the compiled form built from them against one catalog version.
/// Rebuilt, without reading the database, when the catalog changes, an override expires or a period ends
/// (<see cref="RebuildAt"/>), or its usage changed (<see cref="UsageVersion"/>) — at most every
/// <see cref="UsageRefresh"/>, so that a company tracked thousands of times a second is not recompiled on every check.
/// </summary>
internal sealed record CompanyView(
    CompanyRecord Record,
    IReadOnlyList<CompanyOverrideRecord> Overrides,
    CompanyUsage Usage,
    CompiledCompany Compiled,
    long CatalogVersion,
    long UsageVersion,
    DateTimeOffset? RebuildAt)
{
    /// <summary>The longest a check may see usage older than the latest commit (the visibility bound is this plus a commit).</summary>
    public static readonly TimeSpan UsageRefresh = TimeSpan.FromMilliseconds(20);

    private readonly long _builtAt = Stopwatch.GetTimestamp();

    /// <summary>
    /// True when the view may answer: same catalog, nothing due, usage recent enough, and counters not evicted (evicted
    /// counters miss later commits, whatever their version says).
    /// </summary>
    public bool IsCurrent(long catalogVersion, DateTimeOffset now, bool exactUsage = false) =>
        IsCurrentApartFromUsage(catalogVersion, now)
        && !Usage.Retired
        && (Usage.Version == UsageVersion || (!exactUsage && Stopwatch.GetElapsedTime(_builtAt) < UsageRefresh));

    /// <summary>
    /// True when everything but the usage compiled into the view is current: its record, overrides, plans, entitlements
    /// and credits (what the intake of an event needs; the usage it adds to is counted by the commit, not by the view).
    /// </summary>
    public bool IsCurrentApartFromUsage(long catalogVersion, DateTimeOffset now) =>
        CatalogVersion == catalogVersion
        && (RebuildAt is not { } at || now < at)
        && (Credits.ReloadAt is not { } reload || now < reload);

    /// <summary>The credits the view was built with (balances follow from them until <see cref="CompanyCredits.ReloadAt"/>).</summary>
    public CompanyCredits Credits { get; init; } = CompanyCredits.None;
}

/// <summary>A user kept warm for checks.</summary>
internal sealed record UserView(UserRecord Record, CompiledUser Compiled, long CatalogVersion);
