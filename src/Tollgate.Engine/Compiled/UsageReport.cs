using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>Fills a result's usage fields from the matched entitlement rule's usage condition (spec §3.8).</summary>
internal static class UsageReport
{
    public static void Fill(ref UsageFields usage, CompiledCondition condition, CompiledCompany company, Timestamp now)
    {
        usage.HasUsage = true;
        if (condition.Type == ConditionType.Metric)
        {
            if (condition.EventSubtype is { } eventSubtype)
            {
                usage.Event = eventSubtype;
                usage.Usage = company.MetricValue(condition.MetricKey!);
            }

            usage.Allocation = condition.MetricValue ?? 0;
            usage.Period = condition.MetricPeriod ?? MetricPeriod.AllTime;
            usage.HasResetAt = MetricResets.TryGetNextReset(condition.MetricPeriod, condition.MonthReset, company.Billing, now, out usage.ResetAt);
        }
        else
        {
            if (condition.TraitDefinition is { } definition && company.Traits.TryGet(definition.Id, out var trait))
            {
                usage.Usage = trait.Value.Integer;
            }

            usage.Allocation = condition.TraitValue.Integer;
        }

        // A comparison trait, when the company has it as a whole number, is the allocation.
        if (condition.ComparisonTraitId is { } comparisonId && company.Traits.TryGet(comparisonId, out var limit) && limit.Value.HasInteger)
        {
            usage.Allocation = limit.Value.Integer;
        }
    }
}
