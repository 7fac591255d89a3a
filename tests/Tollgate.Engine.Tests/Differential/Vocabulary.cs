namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// The closed sets of enum values the engine knows, and the small pools of ids the generator draws from. The pools are
/// deliberately tiny so that conditions, company data and rules refer to the same things and actually match.
/// </summary>
internal static class Vocabulary
{
    public static readonly string[] RuleTypes =
    [
        "global_override", "company_override", "plan_entitlement", "company_override_usage_exceeded",
        "plan_entitlement_usage_exceeded", "standard", "default",
    ];

    public static readonly string[] ConditionTypes =
        ["company", "user", "plan", "base_plan", "plan_version", "billing_product", "trait", "metric", "credit"];

    public static readonly string[] Operators = ["eq", "ne", "gt", "lt", "gte", "lte", "is_empty", "not_empty"];

    public static readonly string[] ComparableTypes = ["int", "string", "bool", "date"];

    public static readonly string[] EntityTypes = ["company", "user"];

    public static readonly string[] MetricPeriods = ["all_time", "current_day", "current_week", "current_month"];

    public static readonly string[] MonthResets = ["first_of_month", "billing_cycle"];

    public static readonly string[] EntitlementValueTypes = ["boolean", "credit", "numeric", "trait", "unknown", "unlimited"];

    /// <summary>Values the engine does not know: unknown condition types and operators make a condition fail quietly.</summary>
    public static readonly string[] UnknownConditionTypes = ["geo", "segment", "Company"];

    public static readonly string[] UnknownOperators = ["contains", "between", "EQ", ""];

    public static readonly string[] OptionKinds = ["absent", "empty", "usage", "event_usage", "credit_cost"];

    public const string AccountId = "acc_1";
    public const string EnvironmentId = "env_prod";
    public const string FlagId = "flag_1";
    public const string OtherFlagId = "flag_2";
    public const string FlagKey = "smart-search";

    public static readonly string[] FlagKeys = [FlagKey, "api-access"];
    public static readonly string[] CompanyIds = ["comp_1", "comp_2", "comp_3"];
    public static readonly string[] UserIds = ["user_1", "user_2", "user_3"];
    public static readonly string[] PlanIds = ["plan_free", "plan_pro", "plan_enterprise", "plan_addon_sso"];
    public static readonly string[] PlanVersionIds = ["pv_pro_v1", "pv_pro_v2", "pv_ent_v1"];
    public static readonly string[] BillingProductIds = ["bp_seats", "bp_api", "bp_storage"];
    public static readonly string[] EventSubtypes = ["api_call", "export", "seat_added"];
    public static readonly string[] CreditIds = ["cr_ai", "cr_sms"];

    public static readonly string[] RuleNames =
    [
        "Pro plan", "Enterprise", "Beta testers", "Usage cap", "Kill switch", "rule", "Over limit",
        "Say \"hi\"", "Back\\slash", "Café ünïcödé", "Tab\there", "</script>", "",
    ];

    /// <summary>Trait definitions the scenarios share: id, the type they are declared with, and whose trait it is.</summary>
    public static readonly TraitDefinitionSpec[] TraitDefinitions =
    [
        new("trait_seats", "int", "company"),
        new("trait_api_limit", "int", "company"),
        new("trait_tier", "string", "company"),
        new("trait_beta", "bool", "company"),
        new("trait_renewal", "date", "company"),
        new("trait_age", "int", "user"),
        new("trait_role", "string", "user"),
        new("trait_admin", "bool", "user"),
        new("trait_signup", "date", "user"),
    ];
}

/// <summary>A trait definition as the scenarios declare it; the generator sometimes re-declares it with another type.</summary>
internal sealed record TraitDefinitionSpec(string Id, string ComparableType, string EntityType);
