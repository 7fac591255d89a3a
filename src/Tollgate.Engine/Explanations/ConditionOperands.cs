using Tollgate.Engine.Compiled;
using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Explanations;

/// <summary>
/// The values <see cref="ConditionEvaluator"/> compares, read the way it reads them, for explanations only: the check
/// keeps its own code untouched (and allocation-free). Whether a condition holds is never taken from here but from
/// <see cref="ConditionEvaluator.Holds"/>; tests over the differential corpus assert that these operands, compared as
/// the evaluator compares them, give that same verdict.
/// </summary>
internal static class ConditionOperands
{
    /// <summary>
    /// The two sides of a trait condition and the type they compare as; false when the condition cannot be decided
    /// (no trait definition, or no company or user of the trait's entity type). Explanations read the same operands.
    /// </summary>
    public static bool TraitOperands(
        CompiledCondition condition, CompiledCompany? company, CompiledUser? user, out ComparableText left, out ComparableText right, out ComparableType type, out bool found)
    {
        (left, right, type, found) = (ComparableText.Empty, condition.TraitValue, ComparableType.String, false);
        if (condition.TraitDefinition is not { } definition)
        {
            return false;
        }

        TraitTable traits;
        if (definition.EntityType == EntityType.Company && company is not null)
        {
            traits = company.Traits;
        }
        else if (definition.EntityType == EntityType.User && user is not null)
        {
            traits = user.Traits;
        }
        else
        {
            return false;
        }

        // A missing trait compares as empty text, in the condition's own comparable type.
        found = traits.TryGet(definition.Id, out var trait);
        left = found ? trait!.Value : ComparableText.Empty;
        type = found ? trait!.ComparableType : definition.ComparableType;
        if (condition.ComparisonTraitId is { } comparisonId)
        {
            right = traits.TryGet(comparisonId, out var comparison) ? comparison.Value : ComparableText.Empty;
        }

        return true;
    }

    /// <summary>
    /// The usage a metric condition counts (<paramref name="recorded"/>, and with preflight usage added) and its limit;
    /// false when the condition has no event subtype or no limit, and never matches.
    /// </summary>
    public static bool MetricOperands(CompiledCondition condition, CompiledCompany company, in Preflight preflight, out long recorded, out long usage, out long limit)
    {
        (recorded, usage, limit) = (0, 0, 0);
        if (condition.EventSubtype is not { } eventSubtype || condition.MetricValue is not { } metricLimit)
        {
            return false;
        }

        recorded = company.MetricValue(condition.MetricKey!);
        usage = unchecked(recorded + preflight.UsageFor(eventSubtype));
        limit = metricLimit;
        if (condition.ComparisonTraitId is { } comparisonId)
        {
            // A limit taken from a trait is read as a whole number only; anything else is 0.
            limit = company.Traits.TryGet(comparisonId, out var trait) ? trait.Value.Integer : 0;
        }

        return true;
    }

    /// <summary>
    /// The cost of this use, the balance, the postpaid overdraft (null: none, or unlimited when <paramref name="sufficient"/>
    /// comes from a postpaid credit without a limit) and whether the balance covers the cost; false without a credit id.
    /// </summary>
    public static bool CreditOperands(
        CompiledCondition condition, CompiledCompany company, in Preflight preflight, out double cost, out double balance, out CreditPostpaid? postpaid, out bool sufficient)
    {
        (cost, balance, postpaid, sufficient) = (0, 0, null, false);
        if (condition.CreditId is not { } creditId)
        {
            return false;
        }

        cost = ConditionEvaluator.CreditCost(condition, creditId, preflight);
        balance = company.CreditBalance(creditId);
        if (company.TryGetPostpaid(creditId, out postpaid))
        {
            sufficient = postpaid.OverdraftLimit is not { } overdraft || balance + overdraft >= cost;
        }
        else
        {
            sufficient = balance >= cost;
        }

        return true;
    }
}
