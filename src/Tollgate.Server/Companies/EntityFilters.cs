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
/// <c>without_plan</c> when none has a base plan. Every filter is a SQL condition (<see cref="EntitySql"/>), so that lists
/// page and count in the database. Two are decided exactly only in memory, on the rows SQL keeps: a plan version
/// (scheduled moves come due by the clock) and an entitlement (an active override decides alone); SQL keeps the
/// companies on the versions' plans, and those on a plan granting the feature or with an override of it, and the
/// in-memory check reads only those rows' companies and overrides, a batch at a time.
/// </summary>
internal sealed class EntityFilters(ResourceStore store, RuntimeRegistry runtimes, TimeProvider time)
{
    public async ValueTask<Selection<CompanyRecord>> CompaniesAsync(RequestScope scope, ListQuery query, CancellationToken cancellationToken)
    {
        var text = TextFilter.From(query);
        var plans = await PlansAsync(scope, query, cancellationToken).ConfigureAwait(false);
        var sql = new EntitySql(store.Database.Dialect);
        var condition = SqlCondition.And(
            text?.Text is { } q ? sql.TextMatches(EntitySql.Row, EntityKeys.Company, q) : null,
            plans is null ? null : sql.CompanyOn(EntitySql.Row, plans.Sql));
        if (plans is not { NeedsCheck: true })
        {
            return new Selection<CompanyRecord>(null, null, text?.Ids, condition, KnownCount: text is null ? KnownCount(scope.EnvironmentId, plans) : null);
        }

        return new Selection<CompanyRecord>(null, null, text?.Ids, condition, async (batch, ct) =>
        {
            var filter = await plans.ForAsync(store, scope.EnvironmentId, [], [.. batch.Select(c => c.Id)], ct).ConfigureAwait(false);
            return [.. batch.Where(c => filter.Matches([c]))];
        });
    }

    public async ValueTask<Selection<UserRecord>> UsersAsync(RequestScope scope, ListQuery query, CancellationToken cancellationToken)
    {
        var text = TextFilter.From(query);
        var companyId = query.One("company_id");
        if (companyId is not null && await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false) is null)
        {
            Errors.BadRequest("company_id", "must name an existing company");
        }

        var plans = await PlansAsync(scope, query, cancellationToken).ConfigureAwait(false);
        var ids = text?.Ids;
        if (companyId is not null)
        {
            // The company's users through the link index, not by reading every user.
            var members = (await store.ListLinkedAsync<UserRecord>(scope.EnvironmentId, ResourceKinds.User, companyId, cancellationToken).ConfigureAwait(false))
                .Select(u => u.Id);
            ids = ids is null ? [.. members] : [.. members.Intersect(ids, StringComparer.Ordinal)];
        }

        var sql = new EntitySql(store.Database.Dialect);
        var condition = SqlCondition.And(
            text?.Text is { } q ? sql.TextMatches(EntitySql.Row, EntityKeys.User, q) : null,
            plans is null ? null : sql.UserThroughCompanies(plans.Sql));
        if (plans is not { NeedsCheck: true })
        {
            // Base plans from migration 59's tallies; otherwise one filter from the user links.
            Func<CancellationToken, Task<long>>? known = text is not null || ids is not null || plans is null
                ? null
                : BasePlansOnly(plans) is { } basePlanIds
                    ? ct => UserPlanTallies.UsersOnAsync(store.Database, scope.EnvironmentId, basePlanIds, ct)
                    : sql.UserCountThroughCompanies(plans.Sql) is { } counted
                        ? ct => store.CountAsync(scope.EnvironmentId, counted, ct)
                        : null;
            return new Selection<UserRecord>(null, null, ids, condition, KnownCount: known);
        }

        return new Selection<UserRecord>(null, null, ids, condition, async (batch, ct) =>
        {
            // The batch's companies (and their overrides), not the environment's.
            var companies = await store.GetManyAsync<CompanyRecord>(
                scope.EnvironmentId, ResourceKinds.Company, [.. batch.SelectMany(u => u.CompanyIds).Distinct(StringComparer.Ordinal)], ct).ConfigureAwait(false);
            var filter = await plans.ForAsync(store, scope.EnvironmentId, companies, [.. companies.Select(c => c.Id)], ct).ConfigureAwait(false);
            return [.. batch.Where(u => filter.Matches([.. u.CompanyIds.Select(filter.CompanyOf).OfType<CompanyRecord>()]))];
        });
    }

    /// <summary>
    /// The count of the companies the plan filters keep without counting company rows, where it is known: from the
    /// tallies (<see cref="TalliedCount"/>), for an entitlement alone that SQL decides, by its parts
    /// (<see cref="FeatureHolders.CountAsync"/>), or for one add-on alone, its links (a company links an add-on once, and
    /// its links are deleted with it).
    /// </summary>
    private Func<CancellationToken, Task<long>>? KnownCount(string environmentId, PlanFilters? plans)
    {
        if (TalliedCount(plans) is { } tallied)
        {
            return async ct => tallied(await CompanyPlanTallies.ReadAsync(store.Database, environmentId, ct).ConfigureAwait(false));
        }

        if (plans is { PlanId: null, PlanIds.Count: 0, PlanVersionIds.Count: 0, WithoutPlan: false, Holders: { } holders })
        {
            return holders.CountAsync;
        }

        if (plans is { PlanId: { } addOn, PlanIds.Count: 0, PlanVersionIds.Count: 0, WithoutPlan: false, FeatureId: null }
            && plans.Catalog.Plans[addOn].PlanType == PlanType.AddOn)
        {
            return async ct => (await store.CountLinkedAsync(environmentId, ResourceKinds.Company, [addOn], ct).ConfigureAwait(false)).GetValueOrDefault(addOn);
        }

        return null;
    }

    /// <summary>
    /// The count of the companies the plan filters keep from the tallies of companies per base plan, where they can
    /// answer it: no filter, base plans only (a company has one base plan, so the plans' tallies add up), or without a
    /// plan alone. Null otherwise (add-ons, versions, entitlements and combinations are counted in SQL).
    /// </summary>
    private static Func<CompanyPlanTallies, long>? TalliedCount(PlanFilters? plans)
    {
        if (plans is null)
        {
            return tallies => tallies.All;
        }

        if (plans.PlanVersionIds.Count > 0 || plans.FeatureId is not null)
        {
            return null;
        }

        if (plans.WithoutPlan)
        {
            return plans.PlanId is null && plans.PlanIds.Count == 0 ? tallies => tallies.WithoutPlanOf(plans.Catalog) : null;
        }

        return BasePlansOnly(plans) is { } planIds ? tallies => planIds.Sum(tallies.On) : null;
    }

    /// <summary>
    /// The plans asked about where the filters are one of <c>plan_id</c> or <c>plan_ids</c> alone and name base plans only
    /// (a company has one base plan, so tallies per base plan add up); null otherwise.
    /// </summary>
    private static string[]? BasePlansOnly(PlanFilters plans)
    {
        if (plans.PlanVersionIds.Count > 0 || plans.FeatureId is not null || plans.WithoutPlan || (plans.PlanId is null) == (plans.PlanIds.Count == 0))
        {
            return null;
        }

        string[] planIds = plans.PlanId is { } planId ? [planId] : [.. plans.PlanIds.Distinct(StringComparer.Ordinal)];
        return planIds.All(p => plans.Catalog.Plans[p].PlanType != PlanType.AddOn) ? planIds : null;
    }

    /// <summary>The plan filters given, if any.</summary>
    private async ValueTask<PlanFilters?> PlansAsync(RequestScope scope, ListQuery query, CancellationToken cancellationToken)
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

        // Without a plan of the catalog is no base plan, or one deleted since: those the companies still hold, from the tallies.
        string[] retiredBasePlanIds = withoutPlan
            ? [.. (await CompanyPlanTallies.ReadAsync(store.Database, scope.EnvironmentId, cancellationToken).ConfigureAwait(false)).BasePlanIds.Where(p => !catalog.Plans.ContainsKey(p))]
            : [];
        var now = time.GetUtcNow();
        var holders = featureId is null
            ? null
            : await FeatureHolders.ForAsync(store, catalog, scope.EnvironmentId, featureId, FeatureHolding.Access, now, cancellationToken).ConfigureAwait(false);
        return new PlanFilters(catalog, now, planId, planIds, [.. planVersionIds.Append(planVersionId).OfType<string>()], withoutPlan, featureId, retiredBasePlanIds, holders);
    }

    /// <summary>
    /// The plan filters of one request: their SQL, and the exact check of those SQL only narrows. <see cref="Holders"/>
    /// decides the entitlement filter in SQL where it can (null where it cannot, or without that filter).
    /// </summary>
    private sealed record PlanFilters(
        CatalogSnapshot Catalog,
        DateTimeOffset Now,
        string? PlanId,
        IReadOnlyList<string> PlanIds,
        IReadOnlyList<string> PlanVersionIds,
        bool WithoutPlan,
        string? FeatureId,
        IReadOnlyList<string> RetiredBasePlanIds,
        FeatureHolders? Holders)
    {
        /// <summary>Whether SQL only narrows the rows, and the check in memory decides (plan versions, entitlements SQL cannot decide).</summary>
        public bool NeedsCheck => PlanVersionIds.Count > 0 || (FeatureId is not null && Holders is null);

        public CompanyPlanConditions Sql => new(
            Catalog,
            PlanId is null ? null : [PlanId],
            PlanIds.Count == 0 ? null : PlanIds,
            PlanVersionIds.Count == 0 ? null : [.. PlanVersionIds.Select(v => Catalog.VersionsById[v].PlanId).Distinct(StringComparer.Ordinal)],
            WithoutPlan,
            FeatureId is null ? null : (FeatureId, CompanyPlanConditions.GrantingPlanIds(Catalog, FeatureId)))
        {
            RetiredBasePlanIds = RetiredBasePlanIds,
            FeatureHeld = Holders is null ? null : Holders.Holds,
        };

        /// <summary>The exact check over <paramref name="companies"/>, with the overrides of the companies <paramref name="overridden"/> names.</summary>
        public async Task<PlanFilter> ForAsync(
            ResourceStore store, string environmentId, IReadOnlyList<CompanyRecord> companies, IReadOnlyCollection<string> overridden, CancellationToken cancellationToken)
        {
            var overrides = FeatureId is null || overridden.Count == 0
                ? []
                : await store.ListByParentsAsync<CompanyOverrideRecord>(environmentId, ResourceKinds.CompanyOverride, overridden, cancellationToken).ConfigureAwait(false);
            return new PlanFilter(Catalog, Now, companies, overrides, PlanId, PlanIds, PlanVersionIds, WithoutPlan, FeatureId);
        }
    }

    /// <summary><c>q</c> (a case-insensitive substring of the name or of any key value) and <c>ids</c>.</summary>
    private sealed record TextFilter(string? Text, HashSet<string>? Ids)
    {
        public static TextFilter? From(ListQuery query)
        {
            var text = query.One("q");
            var ids = query.Many("ids");
            return text is null && ids.Count == 0 ? null : new TextFilter(text, ids.Count == 0 ? null : [.. ids]);
        }
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
