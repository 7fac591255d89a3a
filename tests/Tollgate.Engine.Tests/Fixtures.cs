using Tollgate.Engine.Model;

namespace Tollgate.Engine.Tests;

/// <summary>A realistic flag, company and user built in code, for tests that need the model rather than JSON.</summary>
internal static class Fixtures
{
    private const string Account = "acc_1";
    private const string Environment = "env_1";

    public static readonly TraitDefinition Seats = new() { Id = "trait_seats", ComparableType = ComparableType.Int, EntityType = EntityType.Company };
    public static readonly TraitDefinition SeatLimit = new() { Id = "trait_seat_limit", ComparableType = ComparableType.Int, EntityType = EntityType.Company };
    public static readonly TraitDefinition Region = new() { Id = "trait_region", ComparableType = ComparableType.String, EntityType = EntityType.Company };
    public static readonly TraitDefinition Role = new() { Id = "trait_role", ComparableType = ComparableType.String, EntityType = EntityType.User };
    public static readonly TraitDefinition SignedUp = new() { Id = "trait_signed_up", ComparableType = ComparableType.Date, EntityType = EntityType.Company };

    public static Flag ApiCallsFlag() => new()
    {
        Id = "flag_api",
        AccountId = Account,
        EnvironmentId = Environment,
        Key = "api-calls",
        DefaultValue = false,
        Rules =
        [
            Rule("rule_ent", RuleType.PlanEntitlement, true, 0, [Condition(ConditionType.Plan, ComparisonOperator.Equal, ["plan_pro"]), Metric(ComparisonOperator.LessThan, 100)]),
            Rule("rule_exc", RuleType.PlanEntitlementUsageExceeded, false, 0, [Condition(ConditionType.Plan, ComparisonOperator.Equal, ["plan_pro"]), Metric(ComparisonOperator.GreaterThanOrEqual, 100)]),
            Rule("rule_std_seats", RuleType.Standard, true, 2, [Trait(Seats, ComparisonOperator.GreaterThan, "20")], [[Trait(Region, ComparisonOperator.Equal, "eu"), Trait(Region, ComparisonOperator.Equal, "us")]]),
            Rule("rule_std_role", RuleType.Standard, true, 1, [Trait(Role, ComparisonOperator.Equal, "owner"), Trait(SignedUp, ComparisonOperator.LessThan, "2020-01-01T00:00:00Z")]),
            Rule("rule_std_credit", RuleType.Standard, true, 3, [new Condition { Id = "cond_credit", AccountId = Account, EnvironmentId = Environment, ConditionType = ConditionType.Credit, Operator = ComparisonOperator.GreaterThanOrEqual, CreditId = "cr_ai", ConsumptionRate = 2, TraitValue = string.Empty }]),
        ],
    };

    public static Company Company(string planId, long usage, string seats, string? overrideForFlag) => new()
    {
        Id = "comp_acme",
        AccountId = Account,
        EnvironmentId = Environment,
        Keys = new Dictionary<string, string> { ["id"] = "acme" },
        BasePlanId = planId,
        PlanIds = [planId, "plan_addon_sso"],
        PlanVersionIds = ["plvr_1"],
        Traits =
        [
            new Trait { TraitDefinition = Seats, Value = seats },
            new Trait { TraitDefinition = SeatLimit, Value = "10" },
            new Trait { TraitDefinition = Region, Value = "eu" },
            new Trait { TraitDefinition = SignedUp, Value = "2024-05-01T00:00:00Z" },
        ],
        Metrics =
        [
            new CompanyMetric { AccountId = Account, EnvironmentId = Environment, CompanyId = "comp_acme", EventSubtype = "api_call", Period = MetricPeriod.CurrentMonth, MonthReset = MonthReset.BillingCycle, Value = usage, CreatedAt = "2025-01-01T00:00:00Z" },
        ],
        CreditBalances = new Dictionary<string, double> { ["cr_ai"] = 10 },
        Subscription = new Subscription { Id = "sub_1", PeriodStart = "2025-01-31T00:00:00Z", PeriodEnd = "2026-01-31T00:00:00Z" },
        Entitlements = [new FeatureEntitlement { FeatureId = "feat_api", FeatureKey = "api-calls", ValueType = EntitlementValueType.Numeric, Allocation = 100, Usage = usage }],
        Rules = overrideForFlag is null
            ? []
            : [Rule("rule_override", RuleType.CompanyOverride, true, 0, [Condition(ConditionType.Company, ComparisonOperator.Equal, ["comp_acme"]), Metric(ComparisonOperator.LessThan, 1000)]) with { FlagId = overrideForFlag }],
    };

    public static User User() => new()
    {
        Id = "user_ana",
        AccountId = Account,
        EnvironmentId = Environment,
        Keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" },
        Traits = [new Trait { TraitDefinition = Role, Value = "admin" }],
    };

    private static Rule Rule(string id, RuleType type, bool value, long priority, Condition[] conditions, Condition[][]? groups = null) => new()
    {
        Id = id,
        AccountId = Account,
        EnvironmentId = Environment,
        RuleType = type,
        Name = id,
        Priority = priority,
        Value = value,
        Conditions = conditions,
        ConditionGroups = [.. (groups ?? []).Select(g => new ConditionGroup { Conditions = g })],
    };

    private static Condition Condition(ConditionType type, ComparisonOperator op, string[] resourceIds) => new()
    {
        Id = $"cond_{type}",
        AccountId = Account,
        EnvironmentId = Environment,
        ConditionType = type,
        Operator = op,
        ResourceIds = resourceIds,
        TraitValue = string.Empty,
    };

    private static Condition Metric(ComparisonOperator op, long limit) => new()
    {
        Id = "cond_metric",
        AccountId = Account,
        EnvironmentId = Environment,
        ConditionType = ConditionType.Metric,
        Operator = op,
        EventSubtype = "api_call",
        MetricValue = limit,
        MetricPeriod = MetricPeriod.CurrentMonth,
        MetricPeriodMonthReset = MonthReset.BillingCycle,
        TraitValue = string.Empty,
    };

    private static Condition Trait(TraitDefinition definition, ComparisonOperator op, string value) => new()
    {
        Id = $"cond_{definition.Id}",
        AccountId = Account,
        EnvironmentId = Environment,
        ConditionType = ConditionType.Trait,
        Operator = op,
        TraitDefinition = definition,
        TraitValue = value,
    };
}
