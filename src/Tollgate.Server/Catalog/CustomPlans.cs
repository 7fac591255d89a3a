using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Catalog;

/// <summary>The rule that keeps a custom plan to its company, applied wherever a company's base plan is set.</summary>
internal static class CustomPlans
{
    /// <summary>Refuses (400, naming <paramref name="field"/>) a custom plan of another company as base plan.</summary>
    public static void EnsureAssignable(CatalogSnapshot catalog, string companyId, string? basePlanId, string field = "base_plan_id")
    {
        if (basePlanId is not null && catalog.Plans.TryGetValue(basePlanId, out var plan) && plan.CompanyId is { } owner && owner != companyId)
        {
            Errors.BadRequest(field, $"plan {basePlanId} is a custom plan of another company");
        }
    }
}
