using Tollgate.Engine;
using Tollgate.Server.Companies;

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
    public bool IsCurrent(long catalogVersion, DateTimeOffset now) =>
        CatalogVersion == catalogVersion && (RebuildAt is not { } at || now < at);
}

/// <summary>A user kept warm for checks.</summary>
internal sealed record UserView(UserRecord Record, CompiledUser Compiled, long CatalogVersion);
