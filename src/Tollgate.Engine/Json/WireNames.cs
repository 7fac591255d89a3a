using Tollgate.Engine.Model;

namespace Tollgate.Engine.Json;

/// <summary>The wire spellings of the engine's enums, in the order the reference engine lists them in errors.</summary>
internal static class WireNames
{
    public static readonly EnumNames<RuleType> RuleTypes = new(
        (RuleType.Default, "default"),
        (RuleType.GlobalOverride, "global_override"),
        (RuleType.CompanyOverride, "company_override"),
        (RuleType.CompanyOverrideUsageExceeded, "company_override_usage_exceeded"),
        (RuleType.PlanEntitlement, "plan_entitlement"),
        (RuleType.PlanEntitlementUsageExceeded, "plan_entitlement_usage_exceeded"),
        (RuleType.Standard, "standard"));

    public static readonly EnumNames<ConditionType> ConditionTypes = new(
        (ConditionType.BasePlan, "base_plan"),
        (ConditionType.BillingProduct, "billing_product"),
        (ConditionType.Company, "company"),
        (ConditionType.Credit, "credit"),
        (ConditionType.Metric, "metric"),
        (ConditionType.Plan, "plan"),
        (ConditionType.PlanVersion, "plan_version"),
        (ConditionType.Trait, "trait"),
        (ConditionType.User, "user"));

    public static readonly EnumNames<ComparisonOperator> Operators = new(
        (ComparisonOperator.Equal, "eq"),
        (ComparisonOperator.NotEqual, "ne"),
        (ComparisonOperator.GreaterThan, "gt"),
        (ComparisonOperator.LessThan, "lt"),
        (ComparisonOperator.GreaterThanOrEqual, "gte"),
        (ComparisonOperator.LessThanOrEqual, "lte"),
        (ComparisonOperator.IsEmpty, "is_empty"),
        (ComparisonOperator.NotEmpty, "not_empty"));

    public static readonly EnumNames<ComparableType> ComparableTypes = new(
        (ComparableType.Bool, "bool"),
        (ComparableType.Date, "date"),
        (ComparableType.Int, "int"),
        (ComparableType.String, "string"));

    public static readonly EnumNames<EntityType> EntityTypes = new(
        (EntityType.Company, "company"),
        (EntityType.User, "user"));

    public static readonly EnumNames<MetricPeriod> MetricPeriods = new(
        (MetricPeriod.AllTime, "all_time"),
        (MetricPeriod.CurrentDay, "current_day"),
        (MetricPeriod.CurrentMonth, "current_month"),
        (MetricPeriod.CurrentWeek, "current_week"));

    public static readonly EnumNames<MonthReset> MonthResets = new(
        (MonthReset.FirstOfMonth, "first_of_month"),
        (MonthReset.BillingCycle, "billing_cycle"));

    public static readonly EnumNames<EntitlementValueType> EntitlementValueTypes = new(
        (EntitlementValueType.Boolean, "boolean"),
        (EntitlementValueType.Credit, "credit"),
        (EntitlementValueType.Numeric, "numeric"),
        (EntitlementValueType.Trait, "trait"),
        (EntitlementValueType.Unknown, "unknown"),
        (EntitlementValueType.Unlimited, "unlimited"));
}
