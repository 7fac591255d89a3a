using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>A condition with its values read once: ids as arrays, the trait value in every comparable type.</summary>
internal sealed class CompiledCondition
{
    private readonly bool _abortsRuleWithCompany;

    public CompiledCondition(Condition condition)
    {
        Source = condition;
        Type = condition.ConditionType;
        Operator = condition.Operator;
        ResourceIds = [.. condition.ResourceIds];
        EventSubtype = condition.EventSubtype;
        MetricValue = condition.MetricValue;
        MetricPeriod = condition.MetricPeriod;
        MonthReset = condition.MetricPeriodMonthReset;
        CreditId = condition.CreditId;
        ConsumptionRate = condition.ConsumptionRate ?? 1;
        TraitDefinition = condition.TraitDefinition;
        TraitValue = condition.TraitValue.Length == 0 ? ComparableText.Empty : new ComparableText(condition.TraitValue);
        ComparisonTraitId = condition.ComparisonTraitDefinition?.Id;
        _abortsRuleWithCompany = Type == ConditionType.Metric && MetricValue is null && EventSubtype is not null;
        MetricKey = condition.EventSubtype is { } subtype
            ? MetricKeys.Of(subtype, condition.MetricPeriod ?? Model.MetricPeriod.AllTime, condition.MetricPeriodMonthReset ?? Model.MonthReset.FirstOfMonth)
            : null;
    }

    /// <summary>The condition this was compiled from (read by explanations, never by a check).</summary>
    public Condition Source { get; }

    /// <summary>The <see cref="MetricKeys"/> key of the metric row this condition reads: absent period is all time, absent reset the first.</summary>
    public string? MetricKey { get; }

    public ConditionType Type { get; }

    public ComparisonOperator Operator { get; }

    public string[] ResourceIds { get; }

    public string? EventSubtype { get; }

    public long? MetricValue { get; }

    public MetricPeriod? MetricPeriod { get; }

    public MonthReset? MonthReset { get; }

    public string? CreditId { get; }

    public double ConsumptionRate { get; }

    public TraitDefinition? TraitDefinition { get; }

    public ComparableText TraitValue { get; }

    /// <summary>The id of the trait whose value replaces the trait value or metric limit, if any.</summary>
    public string? ComparisonTraitId { get; }

    /// <summary>
    /// A metric condition without a limit is an error in the reference engine when it is reached with a company: the
    /// whole rule then fails, even inside a group where another condition could still have matched.
    /// </summary>
    public bool AbortsRule(CompiledCompany? company) => _abortsRuleWithCompany && company is not null;

    /// <summary>Whether this condition reports usage when its rule is an entitlement (spec §3.8).</summary>
    public bool IsUsageCondition => Type is ConditionType.Metric or ConditionType.Trait;
}
