using System.Globalization;
using Tollgate.Server.Catalog;

namespace Tollgate.Server.WebConsole.Pages.Flags;

/// <summary>One condition of the rules editor. Only the fields of its <see cref="ConditionType"/> are shown and sent.</summary>
public sealed class ConditionInput
{
    /// <summary>The wire condition type.</summary>
    public string ConditionType { get; set; } = "trait";

    /// <summary>The wire operator.</summary>
    public string Operator { get; set; } = "eq";

    /// <summary>Plan ids (chosen from a list) for plan, base plan and plan version conditions.</summary>
    public List<string> ResourceIds { get; set; } = [];

    /// <summary>Company, user or billing product ids, typed, separated by commas or new lines.</summary>
    public string? ResourceIdsText { get; set; }

    /// <summary>The trait of a trait condition.</summary>
    public string? TraitId { get; set; }

    /// <summary>The value a trait is compared with.</summary>
    public string? TraitValue { get; set; }

    /// <summary>A trait whose value replaces the trait value or the metric limit.</summary>
    public string? ComparisonTraitId { get; set; }

    /// <summary>The event subtype a metric condition counts.</summary>
    public string? EventSubtype { get; set; }

    /// <summary>The metric limit.</summary>
    public long? MetricValue { get; set; }

    /// <summary>The metric period.</summary>
    public string? MetricPeriod { get; set; }

    /// <summary>When a monthly metric resets.</summary>
    public string? MetricPeriodMonthReset { get; set; }

    /// <summary>The credit of a credit condition.</summary>
    public string? CreditId { get; set; }

    /// <summary>Credits per use.</summary>
    public double? ConsumptionRate { get; set; }

    /// <summary>Whether the ids are chosen from the catalog's plans (or plan versions) rather than typed.</summary>
    public bool ChoosesPlans => ConditionType is "plan" or "base_plan" or "plan_version";

    /// <summary>Whether the condition takes ids at all.</summary>
    public bool TakesIds => ChoosesPlans || ConditionType is "company" or "user" or "billing_product";

    /// <summary>The form of a stored condition.</summary>
    public static ConditionInput From(ConditionRecord condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var input = new ConditionInput
        {
            ConditionType = condition.ConditionType,
            Operator = condition.Operator,
            TraitId = condition.TraitId,
            TraitValue = condition.TraitValue,
            ComparisonTraitId = condition.ComparisonTraitId,
            EventSubtype = condition.EventSubtype,
            MetricValue = condition.MetricValue,
            MetricPeriod = condition.MetricPeriod,
            MetricPeriodMonthReset = condition.MetricPeriodMonthReset,
            CreditId = condition.CreditId,
            ConsumptionRate = condition.ConsumptionRate,
        };
        if (input.ChoosesPlans)
        {
            input.ResourceIds = [.. condition.ResourceIds];
        }
        else
        {
            input.ResourceIdsText = string.Join(", ", condition.ResourceIds);
        }

        return input;
    }

    /// <summary>The request for this condition: the fields of its type only, so a hidden field never changes it.</summary>
    public ConditionRequest ToRequest()
    {
        var ids = !TakesIds ? null
            : ChoosesPlans ? ResourceIds.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList()
            : SplitIds(ResourceIdsText);
        var isTrait = ConditionType == "trait";
        var isMetric = ConditionType == "metric";
        var isCredit = ConditionType == "credit";
        return new ConditionRequest(
            ConditionType,
            Operator,
            ids,
            isTrait ? Blank(TraitId) : null,
            isTrait ? TraitValue?.Trim() ?? string.Empty : null,
            isTrait || isMetric ? Blank(ComparisonTraitId) : null,
            isMetric || isCredit ? Blank(EventSubtype) : null,
            isMetric ? MetricValue : null,
            isMetric ? Blank(MetricPeriod) : null,
            isMetric && MetricPeriod == "current_month" ? Blank(MetricPeriodMonthReset) : null,
            isCredit ? Blank(CreditId) : null,
            isCredit ? ConsumptionRate : null);
    }

    /// <summary>The number as the form shows it.</summary>
    public static string Show(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static List<string> SplitIds(string? text) =>
        [.. (text ?? string.Empty).Split([',', '\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
