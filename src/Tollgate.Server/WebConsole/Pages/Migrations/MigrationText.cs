using Tollgate.Server.Evaluation;
using Tollgate.Server.PlanMigrations;

namespace Tollgate.Server.WebConsole.Pages.Migrations;

/// <summary>A migration's plan and versions in words, and how far it has got.</summary>
internal static class MigrationText
{
    /// <summary>The plan's name (its id if it is gone).</summary>
    public static string Plan(CatalogSnapshot catalog, string planId) => catalog.Plans.TryGetValue(planId, out var plan) ? plan.Name : planId;

    /// <summary><c>v3</c> for a version id (the id if it is gone).</summary>
    public static string Version(CatalogSnapshot catalog, string versionId) => catalog.VersionsById.TryGetValue(versionId, out var version) ? $"v{version.Version}" : versionId;

    /// <summary>The origin versions, joined.</summary>
    public static string From(CatalogSnapshot catalog, PlanMigrationResponse migration) =>
        migration.PlanVersionIdsFrom.Count == 0 ? "—" : string.Join(", ", migration.PlanVersionIdsFrom.Select(v => Version(catalog, v)));

    /// <summary>The share of companies done (moved, skipped or failed), 0–100.</summary>
    public static int Percent(PlanMigrationResponse migration) =>
        migration.TotalCompanies == 0 ? (migration.Status == PlanMigrationValues.Completed ? 100 : 0)
        : (int)Math.Round(100.0 * (migration.CompletedCompanies + migration.SkippedCompanies + migration.FailedCompanies) / migration.TotalCompanies);

    /// <summary>Whether the migration may still move companies.</summary>
    public static bool IsOpen(PlanMigrationResponse migration) => migration.Status is PlanMigrationValues.Pending or PlanMigrationValues.InProgress;
}
