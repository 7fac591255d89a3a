using System.Text;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// The SQL of the company and user list filters (<see cref="EntityFilters"/>) on the list's <c>resources</c> row.
/// A company's base plan is read from its row's <c>base_plan_id</c> column (migration 46: generated from the document,
/// indexed for companies with the list order), its
/// add-ons from <c>resource_links</c>, its overrides by their parent, key values from <c>entity_keys</c>. Sets from other
/// tables are uncorrelated <c>IN (SELECT …)</c> subqueries, which both stores evaluate once per query rather than once
/// per row. A plan id is matched as a base plan or as an add-on by its type in the catalog: the company service only
/// ever stores a plan as base plan and an add-on as add-on.
/// </summary>
internal sealed class EntitySql(SqlDialect dialect)
{
    /// <summary>The list's row.</summary>
    public const string Row = "resources";

    /// <summary>
    /// <paramref name="text"/> as a case-insensitive substring of the row's name or of one of its key values (lower-cased
    /// on both sides: SQLite lower-cases ASCII letters only). The two searches are a union of ids rather than an OR on the
    /// row, so that each may use its own trigram index on PostgreSQL (migration 41) before the list reads its rows.
    /// </summary>
    public SqlCondition TextMatches(string row, string entityType, string text)
    {
        var ids = IdsMatching(entityType, text);
        return new SqlCondition($"{row}.id IN ({ids.Sql})", ids.Parameters);
    }

    /// <summary>The ids of the entities whose name or key value holds <paramref name="text"/> (see <see cref="TextMatches"/>).</summary>
    public SqlIdSelect IdsMatching(string entityType, string text) => new(
        $"""
        SELECT n.id FROM resources n WHERE n.environment_id = @environmentId AND n.kind = '{entityType}' AND LOWER({dialect.JsonText("n.data", "name")}) LIKE @f_q ESCAPE '\'
            UNION
            SELECT k.entity_id FROM entity_keys k WHERE k.environment_id = @environmentId AND k.entity_type = '{entityType}' AND LOWER(k.value) LIKE @f_q ESCAPE '\'
        """,
        new Dictionary<string, object?>(StringComparer.Ordinal) { ["f_q"] = $"%{EscapeLike(text.ToLowerInvariant())}%" });

    /// <summary>
    /// The ids of the companies holding one of <paramref name="planIds"/>: the base plans' ids from migration 46's index
    /// UNION the add-ons' from their links. Each arm reads only its own index; an OR of the two on the company row instead
    /// made PostgreSQL scan every company (16.5 s for a feature's count at 1,000,000 companies).
    /// </summary>
    public SqlIdSelect CompanyIdsOnAnyOf(CatalogSnapshot catalog, IReadOnlyList<string> planIds)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        var (bases, addOns) = SplitByType(catalog, planIds);
        var arms = new List<string>();
        if (bases.Length > 0)
        {
            parameters["f_ids_base"] = bases;
            arms.Add($"SELECT b.id FROM resources b WHERE b.environment_id = @environmentId AND b.kind = '{ResourceKinds.Company}' AND {dialect.IsAnyOf(BasePlan("b"), "f_ids_base")}");
        }

        if (addOns.Length > 0)
        {
            parameters["f_ids_add_on"] = addOns;
            arms.Add(AddOnLinks("f_ids_add_on"));
        }

        // No plan: a select of no rows with the same column.
        return new SqlIdSelect(arms.Count == 0 ? "SELECT id FROM resources WHERE 1 = 0" : string.Join("\nUNION\n", arms), parameters);
    }

    /// <summary>The ids of the companies with an override of <paramref name="featureId"/>, active or not (migration 46's override feature index).</summary>
    public static SqlIdSelect OverriddenCompanyIds(string featureId) => new(
        $"""
        SELECT o.parent_id FROM resources o WHERE o.environment_id = @environmentId AND o.parent_id IS NOT NULL
            AND o.kind = '{ResourceKinds.CompanyOverride}' AND o.override_feature_id = @f_override_feature
        """,
        new Dictionary<string, object?>(StringComparer.Ordinal) { ["f_override_feature"] = featureId });

    /// <summary>The list's row is an override of <paramref name="featureId"/> (a list of overrides).</summary>
    public static SqlCondition OverrideOf(string row, string featureId) => new(
        $"{row}.kind = '{ResourceKinds.CompanyOverride}' AND {row}.override_feature_id = @f_override_feature",
        new Dictionary<string, object?>(StringComparer.Ordinal) { ["f_override_feature"] = featureId });

    /// <summary>
    /// The company whose id is in <paramref name="companyIdColumn"/> (a trusted expression) has no active override of
    /// <paramref name="featureId"/>: none, or only ones among <paramref name="expiredOverrideIds"/> (the feature's overrides
    /// expired at the instant asked about, <see cref="ExpiredOverrides.IdsAsync"/>). The feature and the expired ids are
    /// the parameters <paramref name="parameter"/> and <paramref name="parameter"/><c>_expired</c>, so that a query may hold
    /// this condition for several features. The overrides of a feature are found by migration 46's index, in the set the
    /// query builds once; no override's JSON is read (parsing each one's expiry was most of the set's cost on PostgreSQL:
    /// 36 ms against 4 ms for 1,826 overrides at 100,000 companies). Without expired ones the set is read from the index alone.
    /// </summary>
    public SqlCondition CompanyWithoutActiveOverrideOf(string companyIdColumn, string featureId, string parameter, IReadOnlyCollection<string> expiredOverrideIds)
    {
        ArgumentNullException.ThrowIfNull(expiredOverrideIds);
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { [parameter] = featureId };
        var notExpired = string.Empty;
        if (expiredOverrideIds.Count > 0)
        {
            parameters[$"{parameter}_expired"] = expiredOverrideIds.ToArray();
            notExpired = $" AND NOT {dialect.IsAnyOf("o.id", $"{parameter}_expired")}";
        }

        return new SqlCondition(
            $"""
            {companyIdColumn} NOT IN (SELECT o.parent_id FROM resources o WHERE o.environment_id = @environmentId AND o.parent_id IS NOT NULL
                AND o.kind = '{ResourceKinds.CompanyOverride}' AND o.override_feature_id = @{parameter}{notExpired})
            """,
            parameters);
    }

    /// <summary>The list's company row passes every plan filter given.</summary>
    public SqlCondition CompanyOn(string row, CompanyPlanConditions plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        // The kind as a literal, so that both stores may use migration 46's partial index of companies' base plans.
        var sql = new StringBuilder($"{row}.kind = '{ResourceKinds.Company}'");
        foreach (var clause in Clauses(row, plans, parameters))
        {
            sql.Append(" AND ").Append(clause);
        }

        return new SqlCondition(sql.ToString(), parameters);
    }

    /// <summary>The list's user row passes every plan filter given through its companies: each filter by any one of them, <c>without_plan</c> by none.</summary>
    public SqlCondition UserThroughCompanies(CompanyPlanConditions plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        var withoutPlan = plans.WithoutPlan;
        var sql = new StringBuilder("1 = 1");
        foreach (var clause in Clauses("c", plans with { WithoutPlan = false }, parameters))
        {
            sql.Append($" AND {Row}.id IN ({UsersOfCompaniesWhere(clause)})");
        }

        if (withoutPlan)
        {
            sql.Append($" AND {Row}.id NOT IN ({UsersOfCompaniesWhere(HasCatalogBasePlan("c", plans.Catalog, parameters))})");
        }

        return new SqlCondition(sql.ToString(), parameters);
    }

    /// <summary>
    /// How many users <see cref="UserThroughCompanies"/> keeps, counted from the users' links to the companies alone, where
    /// one filter is given and it is not <c>without_plan</c> (null otherwise): each user once however many of its
    /// companies pass. A user's links are written and deleted with its document (<see cref="ResourceLinks"/>), so a user
    /// link names a stored user and the user rows need not be read. As a condition on the user rows PostgreSQL hashed
    /// every user link and then read each matching user by its key (67 s for the 352,072 users of one plan at 1,000,000
    /// companies, under load).
    /// </summary>
    public SqlCount? UserCountThroughCompanies(CompanyPlanConditions plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        if (plans.WithoutPlan)
        {
            return null;
        }

        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        return Clauses("c", plans, parameters) is [var clause]
            ? new SqlCount($"SELECT COUNT(DISTINCT u.id) FROM ({UsersOfCompaniesWhere(clause)}) u", parameters)
            : null;
    }

    private static string UsersOfCompaniesWhere(string companyClause) => $"""
        SELECT ul.id FROM resource_links ul
            JOIN resources c ON c.environment_id = ul.environment_id AND c.id = ul.linked_id AND c.kind = '{ResourceKinds.Company}'
        WHERE ul.environment_id = @environmentId AND ul.kind = '{ResourceKinds.User}' AND {companyClause}
        """;

    /// <summary>One condition on the company row <paramref name="company"/> per filter given.</summary>
    private List<string> Clauses(string company, CompanyPlanConditions plans, Dictionary<string, object?> parameters)
    {
        var clauses = new List<string>();
        if (plans.PlanId is { } planId)
        {
            clauses.Add(OnAnyOf(company, plans.Catalog, planId, "f_plan", parameters));
        }

        if (plans.PlanIds is { } planIds)
        {
            clauses.Add(OnAnyOf(company, plans.Catalog, planIds, "f_plans", parameters));
        }

        if (plans.VersionPlanIds is { } versionPlanIds)
        {
            clauses.Add(OnAnyOf(company, plans.Catalog, versionPlanIds, "f_version_plans", parameters));
        }

        if (plans.WithoutPlan)
        {
            // No base plan, or one the catalog no longer has: both read from the base plan index (a range of no plan and
            // the retired plans' ranges), where NOT (on a plan of the catalog) would read every company.
            var none = NoBasePlan(company);
            if (plans.RetiredBasePlanIds.Count > 0)
            {
                // Not the expression index here: PostgreSQL would price each retired plan's range at 0.5% of the companies
                // and walk the list order for a page, reading every company when they are few (11 s at 1,000,000).
                // As an OR of IS NULL it reads both ranges of migration 46's index in a bitmap and sorts them.
                parameters["f_retired_plans"] = plans.RetiredBasePlanIds.ToArray();
                none = $"({BasePlan(company)} IS NULL OR {dialect.IsAnyOf(BasePlan(company), "f_retired_plans")})";
            }

            clauses.Add(none);
        }

        if (plans.FeatureHeld is { } held)
        {
            var exact = held(company);
            foreach (var (name, value) in exact.Parameters)
            {
                parameters[name] = value;
            }

            clauses.Add(exact.Sql);
        }
        else if (plans.Feature is { } feature)
        {
            // A superset: the exact answer (an active override decides alone) is checked in memory on these rows.
            parameters["f_feature"] = feature.FeatureId;
            clauses.Add($"""
                ({OnAnyOf(company, plans.Catalog, feature.GrantingPlanIds, "f_feature_plans", parameters)}
                    OR {company}.id IN (SELECT o.parent_id FROM resources o WHERE o.environment_id = @environmentId
                        AND o.kind = '{ResourceKinds.CompanyOverride}' AND o.override_feature_id = @f_feature))
                """);
        }

        return clauses;
    }

    /// <summary>The company holds one of <paramref name="planIds"/>: a base plan by its indexed column, an add-on by its link.</summary>
    private string OnAnyOf(string company, CatalogSnapshot catalog, IReadOnlyList<string> planIds, string name, Dictionary<string, object?> parameters)
    {
        var (bases, addOns) = SplitByType(catalog, planIds);
        var parts = new List<string>();
        if (bases.Length == 1)
        {
            // One plan as an equality, not an array: PostgreSQL then reads migration 46's index in list order and stops
            // after a page, where with = ANY it walks every company in list order and filters.
            parameters[$"{name}_base"] = bases[0];
            parts.Add($"{BasePlan(company)} = @{name}_base");
        }
        else if (bases.Length > 1)
        {
            parameters[$"{name}_base"] = bases;
            parts.Add(dialect.IsAnyOf(BasePlan(company), $"{name}_base"));
        }

        if (addOns.Length > 0)
        {
            parameters[$"{name}_add_on"] = addOns;
            parts.Add($"{company}.id IN ({AddOnLinks($"{name}_add_on")})");
        }

        return parts.Count == 0 ? "1 = 0" : $"({string.Join(" OR ", parts)})";
    }

    /// <summary><paramref name="planIds"/> as base plans and add-ons, by their type in the catalog.</summary>
    private static (string[] Bases, string[] AddOns) SplitByType(CatalogSnapshot catalog, IReadOnlyList<string> planIds)
    {
        var addOns = planIds.Where(p => catalog.Plans[p].PlanType == PlanType.AddOn).ToArray();
        return (planIds.Except(addOns, StringComparer.Ordinal).ToArray(), addOns);
    }

    /// <summary>The ids of the companies linked to one of the add-ons in the array parameter <paramref name="parameter"/>.</summary>
    private string AddOnLinks(string parameter) =>
        $"SELECT al.id FROM resource_links al WHERE al.environment_id = @environmentId AND al.kind = '{ResourceKinds.Company}' AND {dialect.IsAnyOf("al.linked_id", parameter)}";

    /// <summary>The company's base plan is one of the catalog's (a plan deleted since counts as none).</summary>
    private string HasCatalogBasePlan(string company, CatalogSnapshot catalog, Dictionary<string, object?> parameters)
    {
        parameters["f_catalog_plans"] = catalog.Plans.Keys.ToArray();
        return $"{BasePlan(company)} IS NOT NULL AND {dialect.IsAnyOf(BasePlan(company), "f_catalog_plans")}";
    }

    /// <summary>
    /// The company row has no base plan. On PostgreSQL as the range <c>''</c> of migration 51's expression index, whose
    /// own statistics price it as the few companies it holds (<c>IS NULL</c> is priced by the nulls of every kind's
    /// rows); on SQLite as migration 47's partial index of <c>IS NULL</c>.
    /// </summary>
    private string NoBasePlan(string company) =>
        dialect.IsPostgres ? $"COALESCE({BasePlan(company)}, '') = ''" : $"{BasePlan(company)} IS NULL";

    /// <summary>The base plan of a company row: migration 46's column, generated from the document and indexed.</summary>
    private static string BasePlan(string company) => $"{company}.base_plan_id";

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
