using System.Collections.Frozen;

namespace Tollgate.Server.Catalog;

/// <summary>
/// Plans stored before plans had versions. Such a plan has no version documents; it is read as having one published
/// version 1 whose id is derived from the plan's (<see cref="ImplicitId"/>), and its entitlements without a version
/// and the companies on it without a recorded version belong to that version 1. The document is written, with that
/// same id, the first time the plan gets another version (a draft); nothing else has to be rewritten, because the id
/// never changes.
/// </summary>
internal static class PlanVersions
{
    /// <summary>The id of the implicit version 1 of a plan stored before plans had versions.</summary>
    public static string ImplicitId(string planId) =>
        planId.StartsWith("plan_", StringComparison.Ordinal) ? $"plvr_{planId["plan_".Length..]}" : $"plvr_{planId}";

    /// <summary>The implicit version 1 of a plan with no version documents: published since the plan was created.</summary>
    public static PlanVersionRecord Implicit(PlanRecord plan) => new()
    {
        Id = ImplicitId(plan.Id),
        PlanId = plan.Id,
        Version = 1,
        Status = PlanVersionStatus.Published,
        CreatedAt = plan.CreatedAt,
        UpdatedAt = plan.CreatedAt,
        PublishedAt = plan.CreatedAt,
    };

    /// <summary>Every plan's versions, oldest first; a plan without version documents gets its implicit version 1.</summary>
    public static FrozenDictionary<string, IReadOnlyList<PlanVersionRecord>> ByPlan(IReadOnlyList<PlanRecord> plans, IReadOnlyList<PlanVersionRecord> versions)
    {
        var stored = versions.GroupBy(v => v.PlanId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(v => v.Version).ToList(), StringComparer.Ordinal);
        return plans.ToFrozenDictionary(
            p => p.Id,
            p => stored.TryGetValue(p.Id, out var own) && own.Count > 0 ? (IReadOnlyList<PlanVersionRecord>)own : [Implicit(p)],
            StringComparer.Ordinal);
    }

    /// <summary>The rule name of a version's entitlements, quoted in check reasons: the plan's name, then " v2" and so on.</summary>
    public static string RuleName(PlanRecord plan, PlanVersionRecord version) =>
        version.Version <= 1 ? plan.Name : $"{plan.Name} v{version.Version}";

    /// <summary>The unique key of a draft: at most one per plan (the <c>resources</c> key index enforces it).</summary>
    public static string DraftKey(string planId) => $"draft:{planId}";
}
