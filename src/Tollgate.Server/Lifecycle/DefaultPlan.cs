using System.Data.Common;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Lifecycle;

/// <summary>The plan a new company starts on: the plan group's initial (default) plan.</summary>
internal static class DefaultPlan
{
    /// <summary>
    /// The plan group's initial plan, read in the creating transaction, when it is still a base plan of the catalog;
    /// null when the environment has no group or the group names none.
    /// </summary>
    public static async Task<string?> ForNewCompanyAsync(DbConnection connection, DbTransaction transaction, string environmentId, CatalogSnapshot catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var group = await PlanGroupStore.ReadAsync(connection, transaction, environmentId).ConfigureAwait(false);
        return group?.InitialPlanId is { } planId && catalog.Plans.TryGetValue(planId, out var plan) && plan.PlanType == PlanType.Plan ? planId : null;
    }
}
