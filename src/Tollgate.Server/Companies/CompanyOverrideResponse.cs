using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;

namespace Tollgate.Server.Companies;

/// <summary>
/// A company override in Schematic's shape (<c>CompanyOverrideResponseData</c>, the fields Tollgate has):
/// <c>consumption_rate</c> (also kept as <c>credit_consumption_rate</c>), the ids of the rules it compiles to, and its
/// note both as <c>note</c> and as Schematic's <c>notes</c> list.
/// </summary>
public sealed record CompanyOverrideResponse(
    string Id,
    string EnvironmentId,
    string CompanyId,
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
    DateTimeOffset? ExpirationDate,
    string? Note,
    IReadOnlyList<OverrideNoteResponse> Notes,
    string RuleId,
    string? RuleIdUsageExceeded,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The response shape of an override.</summary>
    public static CompanyOverrideResponse From(CompanyOverrideRecord o, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(o);
        IReadOnlyList<OverrideNoteResponse> notes = o.Note is null ? [] : [new OverrideNoteResponse($"{o.Id}_note", o.Note, string.Empty, string.Empty, o.CreatedAt, o.UpdatedAt)];
        return new(
            o.Id, environmentId, o.CompanyId, o.FeatureId, o.ValueType, o.ValueBool, o.ValueNumeric, o.ValueTraitId, o.ValueCreditId,
            o.CreditConsumptionRate, o.CreditConsumptionRate, o.MetricPeriod, o.MetricPeriodMonthReset, o.ExpirationDate, o.Note, notes,
            GrantRuleIds.Allowed(o), GrantRuleIds.UsageExceeded(o), o.CreatedAt, o.UpdatedAt);
    }
}
