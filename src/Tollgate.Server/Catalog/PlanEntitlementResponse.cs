using Tollgate.Engine.Model;

namespace Tollgate.Server.Catalog;

/// <summary>
/// A plan entitlement in Schematic's shape (<c>PlanEntitlementResponseData</c>, the fields Tollgate has):
/// <c>consumption_rate</c> (also kept as <c>credit_consumption_rate</c>), the ids of the rules it compiles to, and
/// <c>warning_tiers</c> and <c>currency_prices</c> as lists, never null.
/// </summary>
public sealed record PlanEntitlementResponse(
    string Id,
    string EnvironmentId,
    string PlanId,
    string? PlanVersionId,
    string FeatureId,
    EntitlementValueKind ValueType,
    bool? ValueBool,
    long? ValueNumeric,
    string? ValueTraitId,
    string? ValueCreditId,
    double? CreditConsumptionRate,
    double? ConsumptionRate,
    MetricPeriod? MetricPeriod,
    MonthReset? MetricPeriodMonthReset,
    long? SoftLimit,
    IReadOnlyList<WarningTierResponse> WarningTiers,
    IReadOnlyList<object> CurrencyPrices,
    string RuleId,
    string? RuleIdUsageExceeded,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The response shape of an entitlement.</summary>
    public static PlanEntitlementResponse From(PlanEntitlementRecord e, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(
            e.Id, environmentId, e.PlanId, e.PlanVersionId, e.FeatureId, e.ValueType, e.ValueBool, e.ValueNumeric, e.ValueTraitId, e.ValueCreditId,
            e.CreditConsumptionRate, e.CreditConsumptionRate, e.MetricPeriod, e.MetricPeriodMonthReset, e.SoftLimit,
            [.. (e.WarningTiers ?? []).Select((t, i) => new WarningTierResponse($"{e.Id}_tier{i}", t.Key, t.Value))], [],
            GrantRuleIds.Allowed(e), GrantRuleIds.UsageExceeded(e), e.CreatedAt, e.UpdatedAt);
    }
}
