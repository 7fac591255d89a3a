using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// The filters of <c>GET /companies</c>, <c>GET /users</c> and their counts (Schematic's <c>ListCompaniesParams</c> and
/// <c>ListUsersParams</c>): <c>q</c>, <c>ids</c>, <c>plan_id</c>, <c>plan_ids</c>, <c>plan_version_id</c> (and
/// <c>plan_version_ids</c>; given together, a company on any of them matches),
/// <c>without_plan</c>, <c>with_entitlement_for</c>, and for users <c>company_id</c>. A user matches the plan filters
/// through its companies, as if it held all their plans: <c>plan_id</c> when one of them is on the plan,
/// <c>without_plan</c> when none has a base plan. A user's <c>company_id</c> is found through the store's link index
/// (<c>resource_links</c>); the other filters are applied in memory over the environment's companies (read once per
/// request, twice for users: the users, and the companies they are matched through); paging comes after.
/// </summary>
internal sealed class EntityFilters(ResourceStore store, RuntimeRegistry runtimes, TimeProvider time)
{
    public async ValueTask<Selection<CompanyRecord>> CompaniesAsync(RequestScope scope, ListQuery query, CancellationToken cancellationToken)
    {
        var text = TextFilter.From(query);
        var plans = await PlansAsync(scope, query, forUsers: false, cancellationToken).ConfigureAwait(false);
        if (text?.Text is null && plans is null)
        {
            return new Selection<CompanyRecord>(null, null, text?.Ids);
        }

        return new Selection<CompanyRecord>(null, c => (text?.Matches(c) ?? true) && (plans?.Matches([c]) ?? true), text?.Ids);
    }

    public async ValueTask<Selection<UserRecord>> UsersAsync(RequestScope scope, ListQuery query, CancellationToken cancellationToken)
    {
        var text = TextFilter.From(query);
        var companyId = query.One("company_id");
        if (companyId is not null && await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false) is null)
        {
            Errors.BadRequest("company_id", "must name an existing company");
        }

        var plans = await PlansAsync(scope, query, forUsers: true, cancellationToken).ConfigureAwait(false);
        var ids = text?.Ids;
        if (companyId is not null)
        {
            // The company's users through the link index, not by reading every user.
            var members = (await store.ListLinkedAsync<UserRecord>(scope.EnvironmentId, ResourceKinds.User, companyId, cancellationToken).ConfigureAwait(false))
                .Select(u => u.Id);
            ids = ids is null ? [.. members] : [.. members.Intersect(ids, StringComparer.Ordinal)];
        }

        if (text?.Text is null && plans is null)
        {
            return new Selection<UserRecord>(null, null, ids);
        }

        return new Selection<UserRecord>(
            null,
            u => (text?.Matches(u) ?? true)
                && (companyId is null || u.CompanyIds.Contains(companyId, StringComparer.Ordinal))
                && (plans?.Matches(u.CompanyIds.Select(plans.CompanyOf).OfType<CompanyRecord>().ToList()) ?? true),
            ids);
    }

    /// <summary>The plan filters given, if any; for users with the environment's companies, which users are matched through.</summary>
    private async ValueTask<PlanFilter?> PlansAsync(RequestScope scope, ListQuery query, bool forUsers, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var planId = query.One("plan_id");
        if (planId is not null && !catalog.Plans.ContainsKey(planId))
        {
            Errors.BadRequest("plan_id", "must name an existing plan");
        }

        var planIds = query.Many("plan_ids");
        for (var i = 0; i < planIds.Count; i++)
        {
            if (!catalog.Plans.ContainsKey(planIds[i]))
            {
                Errors.BadRequest($"plan_ids[{i}]", "must name an existing plan");
            }
        }

        var planVersionId = query.One("plan_version_id");
        if (planVersionId is not null && !catalog.VersionsById.ContainsKey(planVersionId))
        {
            Errors.BadRequest("plan_version_id", "must name an existing plan version");
        }

        var planVersionIds = query.Many("plan_version_ids");
        for (var i = 0; i < planVersionIds.Count; i++)
        {
            if (!catalog.VersionsById.ContainsKey(planVersionIds[i]))
            {
                Errors.BadRequest($"plan_version_ids[{i}]", "must name an existing plan version");
            }
        }

        // Only without_plan=true filters; false asks for no restriction, as an absent flag does.
        var withoutPlan = query.Bool("without_plan") == true;
        var featureId = query.One("with_entitlement_for");
        if (featureId is not null && !catalog.Features.ContainsKey(featureId))
        {
            Errors.BadRequest("with_entitlement_for", "must name an existing feature");
        }

        if (planId is null && planIds.Count == 0 && planVersionId is null && planVersionIds.Count == 0 && !withoutPlan && featureId is null)
        {
            return null;
        }

        var companies = forUsers ? await store.ListAllAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false) : [];
        var overrides = featureId is null
            ? []
            : await store.ListAllAsync<CompanyOverrideRecord>(scope.EnvironmentId, ResourceKinds.CompanyOverride, cancellationToken).ConfigureAwait(false);
        return new PlanFilter(catalog, time.GetUtcNow(), companies, overrides, planId, planIds, [.. planVersionIds.Append(planVersionId).OfType<string>()], withoutPlan, featureId);
    }

    /// <summary><c>q</c> (a case-insensitive substring of the name or of any key value) and <c>ids</c> (also a SQL condition).</summary>
    private sealed record TextFilter(string? Text, HashSet<string>? Ids)
    {
        public static TextFilter? From(ListQuery query)
        {
            var text = query.One("q");
            var ids = query.Many("ids");
            return text is null && ids.Count == 0 ? null : new TextFilter(text, ids.Count == 0 ? null : [.. ids]);
        }

        public bool Matches(IEntityRecord entity) =>
            (Ids is null || Ids.Contains(entity.Id))
            && (Text is null || Contains(NameOf(entity)) || entity.Keys.Values.Any(Contains));

        private static string? NameOf(IEntityRecord entity) => entity switch
        {
            CompanyRecord c => c.Name,
            UserRecord u => u.Name,
            _ => null,
        };

        private bool Contains(string? value) => value is not null && value.Contains(Text!, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The filters on plans and entitlements, over a group of companies (one company, or a user's companies).</summary>
    private sealed class PlanFilter
    {
        private readonly CatalogSnapshot _catalog;
        private readonly DateTimeOffset _now;
        private readonly Dictionary<string, CompanyRecord> _companies;
        private readonly ILookup<string, CompanyOverrideRecord> _overrides;
        private readonly string? _planId;
        private readonly IReadOnlyList<string> _planIds;
        private readonly IReadOnlyList<string> _planVersionIds;
        private readonly bool _withoutPlan;
        private readonly string? _featureId;

        public PlanFilter(
            CatalogSnapshot catalog,
            DateTimeOffset now,
            IReadOnlyList<CompanyRecord> companies,
            IReadOnlyList<CompanyOverrideRecord> overrides,
            string? planId,
            IReadOnlyList<string> planIds,
            IReadOnlyList<string> planVersionIds,
            bool withoutPlan,
            string? featureId)
        {
            _catalog = catalog;
            _now = now;
            _companies = companies.ToDictionary(c => c.Id, StringComparer.Ordinal);
            _overrides = overrides.Where(o => o.ExpirationDate is not { } at || at > now).ToLookup(o => o.CompanyId, StringComparer.Ordinal);
            _planId = planId;
            _planIds = planIds;
            _planVersionIds = planVersionIds;
            _withoutPlan = withoutPlan;
            _featureId = featureId;
        }

        public CompanyRecord? CompanyOf(string companyId) => _companies.GetValueOrDefault(companyId);

        /// <summary>Whether the companies, taken together, pass every plan filter given.</summary>
        public bool Matches(IReadOnlyList<CompanyRecord> companies)
        {
            var planIds = companies.SelectMany(c => CompanyPlanVersions.PlanIdsOf(c).Where(_catalog.Plans.ContainsKey)).ToHashSet(StringComparer.Ordinal);
            return (_planId is null || planIds.Contains(_planId))
                && (_planIds.Count == 0 || _planIds.Any(planIds.Contains))
                && (_planVersionIds.Count == 0 || companies.Any(c => VersionIdsOf(c).Any(_planVersionIds.Contains)))
                && (!_withoutPlan || !companies.Any(c => c.BasePlanId is { } basePlan && _catalog.Plans.ContainsKey(basePlan)))
                && (_featureId is null || companies.Any(c => Grants(c, _featureId)));
        }

        private List<string> VersionIdsOf(CompanyRecord company) =>
            CompanyPlanVersions.VersionIds(_catalog, CompanyPlanVersions.Settle(company, _now), CompanyPlanVersions.PlanIdsOf(company));

        /// <summary>An active override decides alone (off takes access away); otherwise a grant of a plan version the company is on.</summary>
        private bool Grants(CompanyRecord company, string featureId)
        {
            if (_overrides[company.Id].LastOrDefault(o => o.FeatureId == featureId) is { } @override)
            {
                return Grants(@override);
            }

            var versionIds = VersionIdsOf(company);
            return (_catalog.EntitlementsByFeature.GetValueOrDefault(featureId) ?? [])
                .Any(e => versionIds.Contains(_catalog.VersionIdOf(e)) && Grants(e));
        }

        private static bool Grants(GrantRecord grant) => !(grant.ValueType == EntitlementValueKind.Boolean && grant.ValueBool == false);
    }
}
