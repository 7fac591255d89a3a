using Tollgate.Server.Companies;

namespace Tollgate.Server.Evaluation;

/// <summary>Which version of each of its plans a company is on, at a given instant.</summary>
internal static class CompanyPlanVersions
{
    /// <summary>The company's plans: the base plan first, then its add-ons, each once.</summary>
    public static List<string> PlanIdsOf(CompanyRecord record)
    {
        var planIds = new List<string>(record.AddOnIds.Count + 1);
        if (record.BasePlanId is { } basePlan)
        {
            planIds.Add(basePlan);
        }

        planIds.AddRange(record.AddOnIds.Where(id => !planIds.Contains(id)));
        return planIds;
    }

    /// <summary>
    /// The record with every scheduled move due at <paramref name="now"/> applied. A move takes effect at its instant
    /// whether or not anything is written then; the record catches up on its next write.
    /// </summary>
    public static CompanyRecord Settle(CompanyRecord record, DateTimeOffset now)
    {
        if (!record.ScheduledPlanVersions.Any(s => s.At <= now))
        {
            return record;
        }

        var versions = new Dictionary<string, string>(record.PlanVersions, StringComparer.Ordinal);
        var pending = new List<ScheduledPlanVersion>();
        foreach (var move in record.ScheduledPlanVersions.OrderBy(s => s.At))
        {
            if (move.At <= now)
            {
                versions[move.PlanId] = move.PlanVersionId;
            }
            else
            {
                pending.Add(move);
            }
        }

        return record with { PlanVersions = versions, ScheduledPlanVersions = pending };
    }

    /// <summary>The version of each plan the catalog knows, in the order of <paramref name="planIds"/>, for a settled record.</summary>
    public static List<string> VersionIds(CatalogSnapshot catalog, CompanyRecord settled, IReadOnlyList<string> planIds)
    {
        var versionIds = new List<string>(planIds.Count);
        foreach (var planId in planIds)
        {
            if (catalog.Plans.ContainsKey(planId))
            {
                versionIds.Add(settled.PlanVersions.TryGetValue(planId, out var versionId) ? versionId : catalog.FirstVersionIdOf(planId));
            }
        }

        return versionIds;
    }

    /// <summary>The next instant after <paramref name="now"/> at which a scheduled move of a plan the company holds takes effect.</summary>
    public static DateTimeOffset? NextMove(CompanyRecord record, IReadOnlyList<string> planIds, DateTimeOffset now) =>
        record.ScheduledPlanVersions.Where(s => s.At > now && planIds.Contains(s.PlanId)).Select(s => (DateTimeOffset?)s.At).Min();

    /// <summary>
    /// <paramref name="after"/> with the versions of its plans recorded: a plan the company already had keeps its version
    /// (and any move scheduled for it), a plan new to it gets the plan's published version, and plans it no longer has
    /// are forgotten.
    /// </summary>
    public static CompanyRecord Assign(CatalogSnapshot catalog, CompanyRecord? before, CompanyRecord after, DateTimeOffset now)
    {
        var settled = before is null ? null : Settle(before, now);
        var held = settled is null ? [] : PlanIdsOf(settled);
        var planIds = PlanIdsOf(after);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var planId in planIds)
        {
            if (held.Contains(planId))
            {
                versions[planId] = settled!.PlanVersions.TryGetValue(planId, out var kept) ? kept : catalog.FirstVersionIdOf(planId);
            }
            else if (catalog.PublishedVersionOf(planId) is { } published)
            {
                versions[planId] = published.Id;
            }
        }

        return after with
        {
            PlanVersions = versions,
            ScheduledPlanVersions = [.. (settled?.ScheduledPlanVersions ?? []).Where(s => planIds.Contains(s.PlanId) && held.Contains(s.PlanId))],
        };
    }
}
