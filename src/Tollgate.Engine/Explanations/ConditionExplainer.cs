using Tollgate.Engine.Compiled;
using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Explanations;

/// <summary>
/// Explains conditions with the check's own code: whether one holds is <see cref="ConditionEvaluator.Holds"/>, and
/// the values shown are the operands <see cref="ConditionEvaluator"/> compares. Allocates; never on a check's path.
/// </summary>
internal static class ConditionExplainer
{
    public static RuleExplanation Rule(CompiledRule rule, RuleSource source, int position, bool reached, CompiledCompany? company, CompiledUser? user, in Preflight preflight)
    {
        var matched = ConditionEvaluator.Matches(rule, company, user, preflight);
        var conditions = new ConditionExplanation[rule.Conditions.Length];
        for (var i = 0; i < conditions.Length; i++)
        {
            conditions[i] = Condition(rule.Conditions[i], company, user, preflight);
        }

        var groups = new ConditionGroupExplanation[rule.ConditionGroups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            var group = rule.ConditionGroups[g];
            var members = new ConditionExplanation[group.Length];
            for (var i = 0; i < members.Length; i++)
            {
                members[i] = Condition(group[i], company, user, preflight);
            }

            groups[g] = new ConditionGroupExplanation { Holds = ConditionEvaluator.AnyHolds(group, company, user, preflight), Conditions = members };
        }

        return new RuleExplanation
        {
            Rule = rule.Source,
            Source = source,
            Position = position,
            Reached = reached,
            Matched = matched,
            Decided = reached && matched,
            Unconditional = rule.MatchesUnconditionally,
            Conditions = conditions,
            ConditionGroups = groups,
        };
    }

    public static ConditionExplanation Condition(CompiledCondition condition, CompiledCompany? company, CompiledUser? user, in Preflight preflight)
    {
        var explanation = new ConditionExplanation
        {
            Condition = condition.Source,
            Holds = ConditionEvaluator.Holds(condition, company, user, preflight),
            AbortsRule = condition.AbortsRule(company),
        };
        return condition.Type switch
        {
            ConditionType.Company => company is null ? explanation with { SubjectMissing = true } : explanation with { ActualIds = [company.Id] },
            ConditionType.User => user is null ? explanation with { SubjectMissing = true } : explanation with { ActualIds = [user.Id] },
            ConditionType.Plan => company is null ? explanation with { SubjectMissing = true } : explanation with { ActualIds = company.PlanIds },
            ConditionType.PlanVersion => company is null ? explanation with { SubjectMissing = true } : explanation with { ActualIds = company.PlanVersionIds },
            ConditionType.BillingProduct => company is null ? explanation with { SubjectMissing = true } : explanation with { ActualIds = company.BillingProductIds },
            ConditionType.BasePlan => company is null
                ? explanation with { SubjectMissing = true }
                : explanation with { ActualIds = company.BasePlanId is { } basePlan ? [basePlan] : [] },
            ConditionType.Trait => Trait(explanation, condition, company, user, preflight),
            ConditionType.Metric => company is null ? explanation with { SubjectMissing = true } : Metric(explanation, condition, company, preflight),
            ConditionType.Credit => company is null ? explanation with { SubjectMissing = true } : Credit(explanation, condition, company, preflight),
            _ => explanation,
        };
    }

    private static ConditionExplanation Trait(ConditionExplanation explanation, CompiledCondition condition, CompiledCompany? company, CompiledUser? user, in Preflight preflight)
    {
        if (!ConditionOperands.TraitOperands(condition, company, user, out var left, out var right, out var type, out var found))
        {
            // Without a definition nothing can be read; with one, the entity it belongs to was not given.
            return explanation with { SubjectMissing = condition.TraitDefinition is not null, ComparedWith = condition.TraitValue.Text };
        }

        return explanation with
        {
            TraitFound = found,
            ActualText = left.Text,
            ComparedWith = right.Text,
            ComparedAs = type,
            PreflightUsage = type == ComparableType.Int && preflight.Usage > 0 ? preflight.Usage : null,
        };
    }

    private static ConditionExplanation Metric(ConditionExplanation explanation, CompiledCondition condition, CompiledCompany company, in Preflight preflight)
    {
        if (!ConditionOperands.MetricOperands(condition, company, preflight, out var recorded, out var usage, out var limit))
        {
            // No subtype or no limit: the condition never holds; the usage is still worth showing when there is a subtype.
            return condition.MetricKey is { } key ? explanation with { Usage = company.MetricValue(key) } : explanation;
        }

        return explanation with { Usage = recorded, PreflightUsage = usage != recorded ? unchecked(usage - recorded) : null, Limit = limit };
    }

    private static ConditionExplanation Credit(ConditionExplanation explanation, CompiledCondition condition, CompiledCompany company, in Preflight preflight)
    {
        if (!ConditionOperands.CreditOperands(condition, company, preflight, out var cost, out var balance, out var postpaid, out var sufficient))
        {
            return explanation;
        }

        return explanation with
        {
            Balance = balance,
            Cost = cost,
            Postpaid = postpaid is not null,
            OverdraftLimit = postpaid?.OverdraftLimit,
            Sufficient = sufficient,
        };
    }
}
