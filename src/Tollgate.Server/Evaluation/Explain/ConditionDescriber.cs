using System.Globalization;
using Tollgate.Engine;
using Tollgate.Engine.Explanations;
using Tollgate.Engine.Model;

namespace Tollgate.Server.Evaluation.Explain;

/// <summary>Puts an engine condition explanation into words: what is tested, how, what is expected and what is there.</summary>
internal static class ConditionDescriber
{
    public static ExplainedCondition Describe(ConditionExplanation detail, ExplainNames names)
    {
        var condition = detail.Condition;
        var (subject, expected, actual) = condition.ConditionType switch
        {
            ConditionType.Company => ("Company", ExplainNames.List(condition.ResourceIds, names.Company), Ids(detail, names.Company, "no company given")),
            ConditionType.User => ("User", ExplainNames.List(condition.ResourceIds, names.User), Ids(detail, names.User, "no user given")),
            ConditionType.Plan => ("Plans (base plan and add-ons)", ExplainNames.List(condition.ResourceIds, names.Plan), Ids(detail, names.Plan, "no company given")),
            ConditionType.BasePlan => ("Base plan", ExplainNames.List(condition.ResourceIds, names.Plan), Ids(detail, names.Plan, "no company given")),
            ConditionType.PlanVersion => ("Plan version", ExplainNames.List(condition.ResourceIds, names.PlanVersion), Ids(detail, names.PlanVersion, "no company given")),
            ConditionType.BillingProduct => ("Billing products", ExplainNames.List(condition.ResourceIds, id => id), Ids(detail, id => id, "no company given")),
            ConditionType.Trait => Trait(detail, names),
            ConditionType.Metric => Metric(detail, names),
            ConditionType.Credit => Credit(detail, names),
            _ => ("Unknown condition type", "—", "—"),
        };
        return new ExplainedCondition
        {
            Id = condition.Id,
            Type = WireFormat.NameOf(condition.ConditionType),
            Operator = WireFormat.NameOf(condition.Operator),
            Subject = subject,
            Comparison = Comparison(condition),
            Expected = IsUnary(condition.Operator) && condition.ConditionType is not ConditionType.Credit ? "—" : expected,
            Actual = actual,
            Holds = detail.Holds,
            AbortsRule = detail.AbortsRule,
            Note = Note(detail),
            Detail = detail,
        };
    }

    private static bool IsUnary(ComparisonOperator op) => op is ComparisonOperator.IsEmpty or ComparisonOperator.NotEmpty;

    private static string Ids(ConditionExplanation detail, Func<string, string> name, string missing) =>
        detail.SubjectMissing ? missing : ExplainNames.List(detail.ActualIds, name);

    private static (string Subject, string Expected, string Actual) Trait(ConditionExplanation detail, ExplainNames names)
    {
        var condition = detail.Condition;
        var definition = condition.TraitDefinition;
        var trait = definition is null ? null : names.Trait(definition.Id);
        var entity = definition?.EntityType == EntityType.User ? "User" : "Company";
        var subject = trait is null ? $"{entity} trait (unknown)" : $"{entity} trait “{trait.Name}”";
        var comparedWith = detail.ComparedWith ?? condition.TraitValue;
        var expected = condition.ComparisonTraitDefinition is { } other
            ? $"trait “{names.Trait(other.Id)?.Name ?? other.Id}” ({Quoted(comparedWith)})"
            : Quoted(comparedWith);
        string actual;
        if (detail.SubjectMissing)
        {
            actual = entity == "User" ? "no user given" : "no company given";
        }
        else if (detail.TraitFound == false)
        {
            actual = "not set";
        }
        else
        {
            actual = Quoted(detail.ActualText ?? string.Empty);
        }

        if (detail.PreflightUsage is { } extra)
        {
            actual += string.Create(CultureInfo.InvariantCulture, $" + {extra} (preflight)");
        }

        return (subject, expected, actual);
    }

    private static (string Subject, string Expected, string Actual) Metric(ConditionExplanation detail, ExplainNames names)
    {
        var condition = detail.Condition;
        var subject = $"Usage of “{condition.EventSubtype ?? "?"}” {Period(condition.MetricPeriod, condition.MetricPeriodMonthReset)}";
        var limit = detail.Limit ?? condition.MetricValue;
        var expected = limit is null
            ? "no limit"
            : condition.ComparisonTraitDefinition is { } other
                ? string.Create(CultureInfo.InvariantCulture, $"trait “{names.Trait(other.Id)?.Name ?? other.Id}” ({limit})")
                : Number(limit.Value);
        var actual = detail.SubjectMissing ? "no company given" : detail.Usage is { } usage ? Number(usage) : "—";
        if (detail.PreflightUsage is { } extra)
        {
            actual += string.Create(CultureInfo.InvariantCulture, $" + {Number(extra)} (preflight)");
        }

        return (subject, expected, actual);
    }

    private static (string Subject, string Expected, string Actual) Credit(ConditionExplanation detail, ExplainNames names)
    {
        var condition = detail.Condition;
        var subject = $"Credit “{(condition.CreditId is { } id ? names.Credit(id) : "?")}” balance";
        var expected = detail.Cost is { } cost ? string.Create(CultureInfo.InvariantCulture, $"cost of this use: {cost:0.####}") : "—";
        var actual = detail.SubjectMissing ? "no company given" : detail.Balance is { } balance ? string.Create(CultureInfo.InvariantCulture, $"{balance:0.####}") : "—";
        if (detail.Postpaid == true)
        {
            actual += detail.OverdraftLimit is { } overdraft
                ? string.Create(CultureInfo.InvariantCulture, $" (postpaid, may go {overdraft:0.####} below zero)")
                : " (postpaid, no overdraft limit)";
        }

        return (subject, expected, actual);
    }

    private static string Comparison(Condition condition) => condition.ConditionType switch
    {
        ConditionType.Company or ConditionType.User or ConditionType.Plan or ConditionType.PlanVersion or ConditionType.BillingProduct =>
            condition.Operator == ComparisonOperator.NotEqual ? "is none of" : "is one of",
        ConditionType.BasePlan => condition.Operator switch
        {
            ComparisonOperator.Equal => "is one of",
            ComparisonOperator.NotEqual => "is none of",
            ComparisonOperator.IsEmpty => "is not set",
            ComparisonOperator.NotEmpty => "is set",
            _ => "(operator never holds)",
        },
        ConditionType.Credit => condition.Operator is ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual
            ? "does not cover"
            : "covers",
        _ => condition.Operator switch
        {
            ComparisonOperator.Equal => "=",
            ComparisonOperator.NotEqual => "≠",
            ComparisonOperator.GreaterThan => ">",
            ComparisonOperator.LessThan => "<",
            ComparisonOperator.GreaterThanOrEqual => "≥",
            ComparisonOperator.LessThanOrEqual => "≤",
            ComparisonOperator.IsEmpty => "is empty",
            ComparisonOperator.NotEmpty => "is not empty",
            _ => "(unknown operator)",
        },
    };

    private static string? Note(ConditionExplanation detail) => detail switch
    {
        { AbortsRule: true } => "This usage condition has no limit: the engine fails the whole rule on it.",
        { Condition.ConditionType: ConditionType.Unknown } => "A condition type the engine does not know never holds.",
        { Condition.Operator: ComparisonOperator.Unknown } => "An operator the engine does not know never holds.",
        { Condition.ConditionType: ConditionType.Trait, Condition.TraitDefinition: null } => "The trait this condition names does not exist.",
        { Condition.ConditionType: ConditionType.Metric, Condition.MetricValue: null } => "A usage condition without a limit never holds.",
        _ => null,
    };

    private static string Period(MetricPeriod? period, MonthReset? reset) => period switch
    {
        MetricPeriod.CurrentDay => "today",
        MetricPeriod.CurrentWeek => "this week",
        MetricPeriod.CurrentMonth when reset == MonthReset.BillingCycle => "this billing period",
        MetricPeriod.CurrentMonth => "this month",
        _ => "all time",
    };

    private static string Quoted(string text) => text.Length == 0 ? "(empty)" : $"“{text}”";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
