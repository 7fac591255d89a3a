using Tollgate.Engine;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// A company kept warm for checks: its records and the compiled form built from them against one catalog version.
/// Rebuilt, without reading the database, when the catalog changes or an override expires (<see cref="RebuildAt"/>).
/// </summary>
internal sealed record CompanyView(
    CompanyRecord Record,
    IReadOnlyList<CompanyOverrideRecord> Overrides,
    CompiledCompany Compiled,
    long CatalogVersion,
    DateTimeOffset? RebuildAt)
{
    /// <summary>The credits the view was built with (balances follow from them until <see cref="CompanyCredits.ReloadAt"/>).</summary>
    public CompanyCredits Credits { get; init; } = CompanyCredits.None;

    public bool IsCurrent(long catalogVersion, DateTimeOffset now) =>
        CatalogVersion == catalogVersion && (RebuildAt is not { } at || now < at);
}

/// <summary>A user kept warm for checks.</summary>
internal sealed record UserView(UserRecord Record, CompiledUser Compiled, long CatalogVersion);
