using Dapper;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>What holding a feature means to a list.</summary>
internal enum FeatureHolding
{
    /// <summary>
    /// The check answers with an entitlement of the feature, whatever its value (<c>/feature-companies</c>): an active
    /// override of it, or an entitlement of it on a version of a plan the company holds.
    /// </summary>
    Entitlement,

    /// <summary>
    /// The entitlement gives access (<c>with_entitlement_for</c>): the last active override of the feature decides
    /// alone, boolean false taking access away; without one, an entitlement other than boolean false on a version of a
    /// plan the company holds.
    /// </summary>
    Access,
}

/// <summary>
/// Who holds a feature, decided in SQL from the written tables, where SQL can decide it exactly: a company's plans
/// (its base plan column and its add-on links), and its overrides of the feature that are active at the server's
/// clock. The one rule SQL does not see is which version of a plan a company is on (recorded versions and scheduled
/// moves, settled by the clock). So SQL decides a feature only when, for every plan with an entitlement of it, either
/// every version a company can be on (every version but drafts) grants it or none does; then holding the plan is the
/// same as being granted by it. Otherwise <see cref="ForAsync"/> answers null and the caller keeps its candidate path
/// (SQL narrows, the check decides). Trait values, flag rules and usage never decide whether the check has an
/// entitlement (<c>CompiledFlag.Check</c> reports the company's entitlement whichever rule matched), so they need no
/// fallback here; limits only decide its value.
/// <para>
/// A page walks the list order and asks <see cref="Holds"/> of each company row: index probes of the company's links
/// and of its override state (migration 61's row of the override deciding at the clock), fenced on PostgreSQL
/// (<c>OFFSET 0</c>) so that they stay probes per row and stop with the page. As a join or hashed subplan PostgreSQL
/// first hashed every add-on link and override of the feature (about 160 ms at 1,000,000 companies). A count reads
/// migration 60's tallies and migration 61's override intervals (<see cref="CountAsync"/>). Neither reads which
/// overrides have expired (a read that grew with them: 0.9 s for 25,000 at 1,000,000 companies); only
/// <see cref="CountByProbesAsync"/>, the count before the tallies, does.
/// </para>
/// </summary>
internal sealed class FeatureHolders
{
    /// <summary>The most ids of a text search named to a query as a list; more are read by the search's subquery.</summary>
    public const int MostTextIds = 10_000;

    private readonly ResourceStore _store;
    private readonly string _environmentId;
    private readonly FeatureHolding _holding;
    private readonly string _featureId;
    private readonly string[] _basePlanIds;
    private readonly string[] _addOnIds;
    private readonly DateTimeOffset _now;

    private FeatureHolders(
        ResourceStore store, string environmentId, FeatureHolding holding, string featureId, string[] basePlanIds, string[] addOnIds, DateTimeOffset now)
    {
        _store = store;
        _environmentId = environmentId;
        _holding = holding;
        _featureId = featureId;
        _basePlanIds = basePlanIds;
        _addOnIds = addOnIds;
        _now = now;
    }

    private SqlDialect Dialect => _store.Database.Dialect;

    /// <summary>
    /// The holders of <paramref name="featureId"/> as SQL, or null where SQL cannot decide them exactly (a plan some of
    /// whose versions grant it and some not). Its overrides are those active at <paramref name="now"/>.
    /// </summary>
    public static async Task<FeatureHolders?> ForAsync(
        ResourceStore store, CatalogSnapshot catalog, string environmentId, string featureId, FeatureHolding holding, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        if (GrantingPlans(catalog, featureId, holding) is not { } granting)
        {
            return null;
        }

        var addOns = granting.Where(p => catalog.Plans[p].PlanType == PlanType.AddOn).ToArray();
        var bases = granting.Except(addOns, StringComparer.Ordinal).ToArray();
        return new FeatureHolders(store, environmentId, holding, featureId, bases, addOns, now);
    }

    /// <summary>
    /// The plans whose every version but drafts grants the feature (for <see cref="FeatureHolding.Entitlement"/> any
    /// entitlement of it, for <see cref="FeatureHolding.Access"/> one other than boolean false); null when a plan's
    /// versions disagree. Plans none of whose versions grant it are left out.
    /// </summary>
    private static string[]? GrantingPlans(CatalogSnapshot catalog, string featureId, FeatureHolding holding)
    {
        var entitlements = catalog.EntitlementsByFeature.GetValueOrDefault(featureId) ?? [];
        var grantingVersionIds = entitlements
            .Where(e => holding == FeatureHolding.Entitlement || !(e.ValueType == EntitlementValueKind.Boolean && e.ValueBool == false))
            .Select(catalog.VersionIdOf)
            .ToHashSet(StringComparer.Ordinal);
        var granting = new List<string>();
        foreach (var planId in entitlements.Select(e => e.PlanId).Distinct(StringComparer.Ordinal))
        {
            if (!catalog.Plans.ContainsKey(planId) || !catalog.VersionsByPlan.TryGetValue(planId, out var versions))
            {
                continue;
            }

            var live = versions.Where(v => v.Status != PlanVersionStatus.Draft).ToList();
            var grants = live.Count(v => grantingVersionIds.Contains(v.Id));
            if (grants == 0)
            {
                continue;
            }

            if (grants < live.Count)
            {
                return null;
            }

            granting.Add(planId);
        }

        return [.. granting];
    }

    /// <summary>The company row <paramref name="company"/> (a trusted alias) holds the feature.</summary>
    public SqlCondition Holds(string company)
    {
        var onPlan = OnGrantingPlan(company);
        var overridden = Exists($"SELECT 1 FROM feature_override_states hs WHERE {DecidingStateOf(company, "hs")}");
        // The kind as a literal, so that PostgreSQL may walk migration 55's index of companies by id.
        var sql = _holding == FeatureHolding.Entitlement
            ? $"{company}.kind = '{ResourceKinds.Company}' AND ({onPlan} OR {overridden})"
            : $"{company}.kind = '{ResourceKinds.Company}' AND (({onPlan} AND NOT {overridden}) OR {Exists($"SELECT 1 FROM feature_override_states hs WHERE {DecidingStateOf(company, "hs")} AND hs.grants")})";
        return new SqlCondition(sql, Parameters());
    }

    /// <summary>The company row <paramref name="company"/> (a trusted alias) has an active override of the feature: a probe per row.</summary>
    public SqlCondition HasActiveOverride(string company) =>
        new(Exists($"SELECT 1 FROM feature_override_states hs WHERE {DecidingStateOf(company, "hs")}"), Parameters());

    /// <summary>
    /// The state row <paramref name="state"/> is the one of the company row <paramref name="company"/> whose override
    /// decides the feature at this instance's clock (migration 61: at most one per company): a primary key probe, which
    /// costs the same however many of the company's overrides have expired.
    /// </summary>
    internal static string DecidingStateOf(string company, string state) =>
        $"""
        {state}.environment_id = @environmentId AND {state}.feature_id = @h_feature AND {state}.company_id = {company}.id
            AND ({state}.active_from IS NULL OR {state}.active_from <= @h_at) AND {state}.active_until > @h_at
        """;

    /// <summary>
    /// How many companies hold the feature at this instance's clock: migration 60's tallies and migration 61's intervals
    /// of the deciding overrides (<see cref="FeatureHolderTallies"/>), a read of a few tally rows and of the feature's
    /// override states, however many overrides have expired.
    /// </summary>
    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        FeatureHolderTallies.CountAsync(_store.Database, _environmentId, _featureId, _holding, _basePlanIds, _addOnIds, _now, cancellationToken);

    /// <summary>
    /// The user links of the companies that hold the feature at this instance's clock (<c>/feature-users/count</c>):
    /// migration 59's and 62's tallies of user links, read as <see cref="CountAsync"/> reads its companies.
    /// </summary>
    public Task<long> UserLinksAsync(CancellationToken cancellationToken) =>
        FeatureHolderTallies.UserLinksAsync(_store.Database, _environmentId, _featureId, _holding, _basePlanIds, _addOnIds, _now, cancellationToken);

    /// <summary>
    /// How many companies hold the feature, as disjoint parts read from the written tables (the count before migration
    /// 60, kept to check the tallies against): those on a granting base plan (the tallies of migration
    /// 47) less those of them with an active override, those on a granting add-on only and without an active override
    /// (from the add-ons' links), and those an active override decides for (from the feature's overrides).
    /// </summary>
    internal async Task<long> CountByProbesAsync(CancellationToken cancellationToken)
    {
        var expired = await ExpiredOverrides.IdsAsync(_store.Database, _environmentId, _featureId, _now, cancellationToken).ConfigureAwait(false);
        var tallies = await CompanyPlanTallies.ReadAsync(_store.Database, _environmentId, cancellationToken).ConfigureAwait(false);
        var onBasePlans = _basePlanIds.Sum(tallies.On);
        var parameters = new Dictionary<string, object?>(Parameters(), StringComparer.Ordinal) { ["environmentId"] = _environmentId, ["h_expired"] = expired };
        var bases = Dialect.IsAnyOf("c.base_plan_id", "h_bases");
        var notOnBasePlan = $"(c.base_plan_id IS NULL OR NOT {bases})";
        string CompanyOf(string id) => $"JOIN resources c ON c.environment_id = @environmentId AND c.id = {id} AND c.kind = '{ResourceKinds.Company}'";
        var decided = _holding == FeatureHolding.Entitlement ? ActiveOverrideOfFeature("o") : DecidingOverrideGrants("o");
        var addOnOnly = _addOnIds.Length == 0
            ? "0"
            : $"""
                (SELECT COUNT(DISTINCT l.id) FROM resource_links l {CompanyOf("l.id")}
                    WHERE l.environment_id = @environmentId AND l.kind = '{ResourceKinds.Company}' AND {Dialect.IsAnyOf("l.linked_id", "h_add_ons")}
                        AND {notOnBasePlan} AND NOT {Exists($"SELECT 1 FROM resources ho WHERE {ActiveOverrideOfFeature("ho")} AND ho.parent_id = l.id")})
                """;
        await using var connection = await _store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return onBasePlans + await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"""
            SELECT
                {addOnOnly}
                - (SELECT COUNT(DISTINCT o.parent_id) FROM resources o {CompanyOf("o.parent_id")}
                    WHERE {ActiveOverrideOfFeature("o")} AND c.base_plan_id IS NOT NULL AND {bases})
                + (SELECT COUNT(DISTINCT o.parent_id) FROM resources o {CompanyOf("o.parent_id")}
                    WHERE {decided})
            """,
            new DynamicParameters(parameters),
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private Dictionary<string, object?> Parameters() => new(StringComparer.Ordinal)
    {
        ["h_feature"] = _featureId,
        ["h_bases"] = _basePlanIds,
        ["h_add_ons"] = _addOnIds,
        ["h_at"] = FeatureHolderTallies.TicksOf(_now),
    };

    /// <summary>The company holds a granting plan: a base plan by its column, an add-on by a probe of its links.</summary>
    private string OnGrantingPlan(string company)
    {
        var parts = new List<string>();
        if (_basePlanIds.Length > 0)
        {
            parts.Add(Dialect.IsAnyOf($"{company}.base_plan_id", "h_bases"));
        }

        if (_addOnIds.Length > 0)
        {
            parts.Add(Exists(
                $"""
                SELECT 1 FROM resource_links hl WHERE hl.environment_id = @environmentId AND hl.kind = '{ResourceKinds.Company}'
                    AND hl.id = {company}.id AND {Dialect.IsAnyOf("hl.linked_id", "h_add_ons")}
                """));
        }

        return parts.Count == 0 ? "1 = 0" : $"({string.Join(" OR ", parts)})";
    }

    /// <summary>The row <paramref name="o"/> is an override of the feature that is not among <c>@h_expired</c> (<see cref="CountByProbesAsync"/>).</summary>
    private string ActiveOverrideOfFeature(string o) =>
        $"""
        {o}.environment_id = @environmentId AND {o}.kind = '{ResourceKinds.CompanyOverride}' AND {o}.override_feature_id = @h_feature
            AND {o}.parent_id IS NOT NULL AND NOT {Dialect.IsAnyOf($"{o}.id", "h_expired")}
        """;

    /// <summary>
    /// The override row <paramref name="o"/> is its company's last active override of the feature (by creation, then
    /// insertion: the order the check applies them in, the last winning), and it gives access.
    /// </summary>
    private string DecidingOverrideGrants(string o)
    {
        var later = $"{o}_later";
        var insertion = Dialect.InsertionOrder;
        return $"""
            {ActiveOverrideOfFeature(o)} AND NOT ({TakesAccessAway(o)})
                AND NOT {Exists($"""
                    SELECT 1 FROM resources {later} WHERE {ActiveOverrideOfFeature(later)} AND {later}.parent_id = {o}.parent_id
                        AND ({later}.created_at > {o}.created_at OR ({later}.created_at = {o}.created_at AND {later}.{insertion} > {o}.{insertion}))
                    """)}
            """;
    }

    /// <summary>The override row <paramref name="o"/> is boolean false.</summary>
    private string TakesAccessAway(string o) =>
        $"{Dialect.JsonText($"{o}.data", "value_type")} = 'boolean' AND {Dialect.JsonText($"{o}.data", "value_bool")} = {(Dialect.IsPostgres ? "'false'" : "0")}";

    /// <summary>
    /// <c>EXISTS</c> of <paramref name="select"/>, kept a probe per row on PostgreSQL: a subquery with an <c>OFFSET</c> is
    /// not turned into a join, so the planner cannot hash the whole set first.
    /// </summary>
    private string Exists(string select) => $"EXISTS ({select}{(Dialect.IsPostgres ? " OFFSET 0" : string.Empty)})";
}
