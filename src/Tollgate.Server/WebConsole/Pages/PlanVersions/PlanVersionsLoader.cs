using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Environments;

namespace Tollgate.Server.WebConsole.Pages.PlanVersions;

/// <summary>The catalog snapshot and one plan of it, for the plan version pages; null when the plan does not exist (the page answers 404).</summary>
internal static class PlanVersionsLoader
{
    public static async Task<PlanVersionsView?> LoadAsync(
        RuntimeRegistry runtimes, RequestScope scope, string planId, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Plans.TryGetValue(planId, out var plan) || !catalog.VersionsByPlan.TryGetValue(planId, out var versions))
        {
            return null;
        }

        return new PlanVersionsView(catalog, plan, versions);
    }

    /// <summary>A version's status as a badge class and a word.</summary>
    public static (string Css, string Label) Badge(PlanVersionStatus status) => status switch
    {
        PlanVersionStatus.Draft => ("warn", "Draft"),
        PlanVersionStatus.Published => ("ok", "Published"),
        _ => ("", "Archived"),
    };
}

/// <summary>A plan and its versions, oldest first, in one catalog snapshot.</summary>
internal sealed record PlanVersionsView(CatalogSnapshot Catalog, PlanRecord Plan, IReadOnlyList<PlanVersionRecord> Versions)
{
    /// <summary>The version with this id, if it is one of the plan's.</summary>
    public PlanVersionRecord? Find(string? versionId) => Versions.FirstOrDefault(v => v.Id == versionId);

    /// <summary>The published version.</summary>
    public PlanVersionRecord? Published => Versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Published);

    /// <summary>The draft, if there is one.</summary>
    public PlanVersionRecord? Draft => Versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Draft);

    /// <summary>How many features the version grants.</summary>
    public int EntitlementCount(string versionId) => Catalog.EntitlementsByVersion.GetValueOrDefault(versionId)?.Count ?? 0;
}
