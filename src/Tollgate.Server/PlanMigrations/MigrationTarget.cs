using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;

namespace Tollgate.Server.PlanMigrations;

/// <summary>What a migration or a preview moves: a plan, the version its companies move to, and the versions they move from.</summary>
internal sealed record MigrationTarget(PlanRecord Plan, PlanVersionRecord To, IReadOnlyList<string> From)
{
    /// <summary>The most company ids one request may name.</summary>
    public const int MaxCompanyIds = 10_000;

    /// <summary>Checks the request's plan fields against the catalog; 400 naming the field.</summary>
    public static MigrationTarget Resolve(CatalogSnapshot catalog, string? planId, string? toId, IReadOnlyList<string?>? fromIds, string? targetPlanType)
    {
        var type = PlanMigrationValues.OneOf(targetPlanType, "target_plan_type", ["plan", "add_on"]);
        if (!catalog.Plans.TryGetValue(Validate.Required(planId, "plan_id"), out var plan))
        {
            Errors.BadRequest("plan_id", "must name an existing plan");
        }

        if ((plan.PlanType == PlanType.AddOn) != (type == "add_on"))
        {
            Errors.BadRequest("target_plan_type", $"the plan is {(plan.PlanType == PlanType.AddOn ? "an add_on" : "a plan")}");
        }

        if (!catalog.VersionsById.TryGetValue(Validate.Required(toId, "plan_version_id_to"), out var to) || to.PlanId != plan.Id)
        {
            Errors.BadRequest("plan_version_id_to", "must name a version of the plan");
        }

        if (to.Status == PlanVersionStatus.Draft)
        {
            Errors.BadRequest("plan_version_id_to", "is a draft; publish it first");
        }

        var versions = catalog.VersionsByPlan[plan.Id];
        if (fromIds is null || fromIds.Count == 0)
        {
            return new MigrationTarget(plan, to, [.. versions.Where(v => v.Id != to.Id && v.Status != PlanVersionStatus.Draft).Select(v => v.Id)]);
        }

        var from = new List<string>();
        for (var i = 0; i < fromIds.Count; i++)
        {
            var id = Validate.Required(fromIds[i], $"plan_version_ids_from[{i}]");
            if (!versions.Any(v => v.Id == id && v.Status != PlanVersionStatus.Draft) || id == to.Id)
            {
                Errors.BadRequest($"plan_version_ids_from[{i}]", "must name another published or archived version of the plan");
            }

            if (!from.Contains(id))
            {
                from.Add(id);
            }
        }

        return new MigrationTarget(plan, to, from);
    }

    /// <summary>Company ids of a request field: each present, at most <see cref="MaxCompanyIds"/>; null when the field is absent.</summary>
    public static List<string>? Ids(IReadOnlyList<string?>? ids, string field)
    {
        if (ids is null)
        {
            return null;
        }

        if (ids.Count > MaxCompanyIds)
        {
            Errors.BadRequest(field, $"at most {MaxCompanyIds} companies");
        }

        var result = new List<string>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            result.Add(Validate.Required(ids[i], $"{field}[{i}]"));
        }

        return result;
    }

    /// <summary>Each id must name one of <paramref name="known"/>; 400 naming the first that does not.</summary>
    public static void MustExist(IReadOnlyList<string>? ids, IReadOnlySet<string> known, string field)
    {
        for (var i = 0; i < (ids?.Count ?? 0); i++)
        {
            if (!known.Contains(ids![i]))
            {
                Errors.BadRequest($"{field}[{i}]", "must name an existing company");
            }
        }
    }

    /// <summary>The companies on one of the origin versions (as of <paramref name="now"/>) and the version each is on; only <paramref name="only"/> when given.</summary>
    public List<(CompanyRecord Company, string FromVersionId)> Candidates(CatalogSnapshot catalog, IReadOnlyList<CompanyRecord> companies, IReadOnlyList<string>? only, DateTimeOffset now)
    {
        var wanted = only?.ToHashSet(StringComparer.Ordinal);
        var result = new List<(CompanyRecord, string)>();
        foreach (var company in companies)
        {
            if (wanted is not null && !wanted.Contains(company.Id))
            {
                continue;
            }

            var settled = CompanyPlanVersions.Settle(company, now);
            if (!CompanyPlanVersions.PlanIdsOf(settled).Contains(Plan.Id))
            {
                continue;
            }

            var current = settled.PlanVersions.TryGetValue(Plan.Id, out var versionId) ? versionId : catalog.FirstVersionIdOf(Plan.Id);
            if (From.Contains(current))
            {
                result.Add((settled, current));
            }
        }

        return result;
    }
}
