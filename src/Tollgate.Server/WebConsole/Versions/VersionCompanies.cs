using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.WebConsole.Versions;

/// <summary>How many companies are on each version of a plan now (a move scheduled for an earlier instant counts as done).</summary>
internal static class VersionCompanies
{
    /// <summary>
    /// Companies per version id of <paramref name="planId"/>. Reads every company document, as the migration preview
    /// does: the version a company is on is held in its document (with scheduled moves), not in a column.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> CountAsync(
        ResourceStore store, CatalogSnapshot catalog, string planId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        var companies = await store.ListAllAsync<CompanyRecord>(catalog.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] plan = [planId];
        foreach (var company in companies)
        {
            if (company.BasePlanId != planId && !company.AddOnIds.Contains(planId))
            {
                continue;
            }

            foreach (var versionId in CompanyPlanVersions.VersionIds(catalog, CompanyPlanVersions.Settle(company, now), plan))
            {
                counts[versionId] = counts.GetValueOrDefault(versionId) + 1;
            }
        }

        return counts;
    }
}
