using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;

namespace Tollgate.Server.Evaluation;

/// <summary>What a plan entitlement or a company override grants of a feature; both compile the same way.</summary>
internal sealed record Grant(
    string Id,
    string FeatureId,
    EntitlementValueKind ValueType,
    bool? ValueBool,
    long? ValueNumeric,
    string? ValueTraitId,
    string? ValueCreditId,
    double? CreditConsumptionRate,
    MetricPeriod? MetricPeriod,
    MonthReset? MonthReset,
    long? SoftLimit,
    IReadOnlyList<WarningTierRecord>? WarningTiers)
{
    public static Grant From(PlanEntitlementRecord e) => new(
        e.Id, e.FeatureId, e.ValueType, e.ValueBool, e.ValueNumeric, e.ValueTraitId, e.ValueCreditId, e.CreditConsumptionRate,
        e.MetricPeriod, e.MetricPeriodMonthReset, e.SoftLimit, e.WarningTiers);

    public static Grant From(CompanyOverrideRecord o) => new(
        o.Id, o.FeatureId, o.ValueType, o.ValueBool, o.ValueNumeric, o.ValueTraitId, o.ValueCreditId, o.CreditConsumptionRate,
        o.MetricPeriod, o.MetricPeriodMonthReset, null, null);
}
