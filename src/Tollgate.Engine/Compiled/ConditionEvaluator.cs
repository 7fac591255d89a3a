using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>Decides whether a rule's conditions hold (spec §3.2 step 8, §3.3), allocating nothing.</summary>
internal static class ConditionEvaluator
{
    public static bool Matches(CompiledRule rule, CompiledCompany? company, CompiledUser? user, in Preflight preflight)
    {
        if (rule.MatchesUnconditionally)
        {
            return true;
        }

        foreach (var condition in rule.Conditions)
        {
            if (!Holds(condition, company, user, preflight) || condition.AbortsRule(company))
            {
                return false;
            }
        }

        foreach (var group in rule.ConditionGroups)
        {
            if (!AnyHolds(group, company, user, preflight))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a condition group holds: a condition that aborts its rule fails the group even if a later one would hold.</summary>
    public static bool AnyHolds(CompiledCondition[] group, CompiledCompany? company, CompiledUser? user, in Preflight preflight)
    {
        foreach (var condition in group)
        {
            if (condition.AbortsRule(company))
            {
                return false;
            }

            if (Holds(condition, company, user, preflight))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether one condition holds on its own (a rule also fails on <see cref="CompiledCondition.AbortsRule"/>).</summary>
    public static bool Holds(CompiledCondition condition, CompiledCompany? company, CompiledUser? user, in Preflight preflight) =>
        condition.Type switch
        {
            ConditionType.Company => company is not null && InOrNotIn(condition, Contains(condition.ResourceIds, company.Id)),
            ConditionType.User => user is not null && InOrNotIn(condition, Contains(condition.ResourceIds, user.Id)),
            ConditionType.Plan => company is not null && InOrNotIn(condition, Intersects(condition.ResourceIds, company.PlanIds)),
            ConditionType.PlanVersion => company is not null && InOrNotIn(condition, Intersects(condition.ResourceIds, company.PlanVersionIds)),
            ConditionType.BillingProduct => company is not null && InOrNotIn(condition, Intersects(condition.ResourceIds, company.BillingProductIds)),
            ConditionType.BasePlan => company is not null && BasePlanHolds(condition, company.BasePlanId),
            ConditionType.Trait => TraitHolds(condition, company, user, preflight),
            ConditionType.Metric => company is not null && MetricHolds(condition, company, preflight),
            ConditionType.Credit => company is not null && CreditHolds(condition, company, preflight),
            _ => false,
        };

    /// <summary>Set conditions: <c>ne</c> negates membership; every other operator means membership.</summary>
    private static bool InOrNotIn(CompiledCondition condition, bool isMember) =>
        condition.Operator == ComparisonOperator.NotEqual ? !isMember : isMember;

    private static bool BasePlanHolds(CompiledCondition condition, string? basePlanId) => condition.Operator switch
    {
        ComparisonOperator.Equal => basePlanId is not null && Contains(condition.ResourceIds, basePlanId),
        ComparisonOperator.NotEqual => basePlanId is null || !Contains(condition.ResourceIds, basePlanId),
        ComparisonOperator.IsEmpty => basePlanId is null,
        ComparisonOperator.NotEmpty => basePlanId is not null,
        _ => false,
    };

    private static bool TraitHolds(CompiledCondition condition, CompiledCompany? company, CompiledUser? user, in Preflight preflight)
    {
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
        var found = traits.TryGet(definition.Id, out var trait);
        var left = found ? trait!.Value : ComparableText.Empty;
        var type = found ? trait!.ComparableType : definition.ComparableType;
        var right = condition.TraitValue;
        if (condition.ComparisonTraitId is { } comparisonId)
        {
            right = traits.TryGet(comparisonId, out var comparison) ? comparison.Value : ComparableText.Empty;
        }

        return Comparisons.Compare(left, right, type, condition.Operator, preflight.Usage);
    }

    private static bool MetricHolds(CompiledCondition condition, CompiledCompany company, in Preflight preflight)
    {
        if (condition.EventSubtype is not { } eventSubtype || condition.MetricValue is not { } limit)
        {
            return false;
        }

        var usage = company.MetricValue(condition.MetricKey!);
        usage = unchecked(usage + preflight.UsageFor(eventSubtype));
        if (condition.ComparisonTraitId is { } comparisonId)
        {
            // A limit taken from a trait is read as a whole number only; anything else is 0.
            limit = company.Traits.TryGet(comparisonId, out var trait) ? trait.Value.Integer : 0;
        }

        return Comparisons.CompareIntegers(usage, limit, condition.Operator);
    }

    /// <summary>
    /// Whether the balance covers the cost of this use; <c>gt</c>/<c>gte</c> ask the opposite, "is it exhausted"
    /// (the reference WASM's semantics, spec §3.10).
    /// </summary>
    private static bool CreditHolds(CompiledCondition condition, CompiledCompany company, in Preflight preflight)
    {
        if (condition.CreditId is not { } creditId)
        {
            return false;
        }

        var cost = CreditCost(condition, creditId, preflight);
        var balance = company.CreditBalance(creditId);
        bool sufficient;
        if (company.TryGetPostpaid(creditId, out var postpaid))
        {
            sufficient = postpaid.OverdraftLimit is not { } overdraft || balance + overdraft >= cost;
        }
        else
        {
            sufficient = balance >= cost;
        }

        return condition.Operator is ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual ? !sufficient : sufficient;
    }

    /// <summary>Exact cost, else event quantity × rate, else usage × rate, else one unit (spec §3.3).</summary>
    internal static double CreditCost(CompiledCondition condition, string creditId, in Preflight preflight)
    {
        if (preflight.CreditCost is { } costs && costs.TryGetValue(creditId, out var exact))
        {
            return exact;
        }

        if (condition.EventSubtype is { } eventSubtype && preflight.EventQuantity > 0
            && string.Equals(preflight.EventSubtype, eventSubtype, StringComparison.Ordinal))
        {
            return preflight.EventQuantity * condition.ConsumptionRate;
        }

        return preflight.Usage > 0 ? preflight.Usage * condition.ConsumptionRate : condition.ConsumptionRate;
    }

    private static bool Contains(string[] ids, string id)
    {
        foreach (var candidate in ids)
        {
            if (string.Equals(candidate, id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Intersects(string[] ids, string[] others)
    {
        foreach (var id in ids)
        {
            if (Contains(others, id))
            {
                return true;
            }
        }

        return false;
    }
}
