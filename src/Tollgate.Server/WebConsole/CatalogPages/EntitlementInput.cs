using System.Globalization;
using Tollgate.Server.Catalog;

namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>
/// The form of one plan entitlement (the plan page, the grid's cells and the entitlement page share it): the fields of
/// the API's <see cref="GrantRequest"/> a person sets, as text where the API takes a list (warning tiers).
/// </summary>
public sealed class EntitlementInput
{
    /// <summary>The feature granted (only chosen when adding from the plan page).</summary>
    public string? FeatureId { get; set; }

    /// <summary><c>boolean</c>, <c>numeric</c>, <c>unlimited</c>, <c>trait</c> or <c>credit</c>.</summary>
    public string ValueType { get; set; } = "boolean";

    /// <summary>The limit of a numeric entitlement.</summary>
    public long? ValueNumeric { get; set; }

    /// <summary><c>all_time</c>, <c>current_day</c>, <c>current_week</c> or <c>current_month</c> (empty: none).</summary>
    public string? MetricPeriod { get; set; }

    /// <summary>For monthly periods: <c>first_of_month</c> or <c>billing_cycle</c> (empty: first of month).</summary>
    public string? MonthReset { get; set; }

    /// <summary>For a trait entitlement: the trait holding the limit.</summary>
    public string? ValueTraitId { get; set; }

    /// <summary>For a credit entitlement: the credit type burned.</summary>
    public string? ValueCreditId { get; set; }

    /// <summary>For a credit entitlement: credits per use.</summary>
    public double? CreditConsumptionRate { get; set; }

    /// <summary>The soft limit shown to customers.</summary>
    public long? SoftLimit { get; set; }

    /// <summary>Warning tiers as <c>key=value</c> pairs separated by commas or new lines.</summary>
    public string? WarningTiers { get; set; }

    /// <summary>The API's field names mapped to this form's (errors land next to the field).</summary>
    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["feature_id"] = "Input.FeatureId",
        ["value_type"] = "Input.ValueType",
        ["value_bool"] = "Input.ValueType",
        ["value_numeric"] = "Input.ValueNumeric",
        ["metric_period"] = "Input.MetricPeriod",
        ["metric_period_month_reset"] = "Input.MonthReset",
        ["value_trait_id"] = "Input.ValueTraitId",
        ["value_credit_id"] = "Input.ValueCreditId",
        ["credit_consumption_rate"] = "Input.CreditConsumptionRate",
        ["soft_limit"] = "Input.SoftLimit",
        ["warning_tiers"] = "Input.WarningTiers",
    };

    /// <summary>The form filled from a stored entitlement.</summary>
    public static EntitlementInput From(PlanEntitlementRecord entitlement)
    {
        ArgumentNullException.ThrowIfNull(entitlement);
        return new EntitlementInput
        {
            FeatureId = entitlement.FeatureId,
            ValueType = EntitlementText.ValueTypeName(entitlement.ValueType),
            ValueNumeric = entitlement.ValueNumeric,
            MetricPeriod = entitlement.MetricPeriod is { } period ? EntitlementText.PeriodName(period) : null,
            MonthReset = entitlement.MetricPeriodMonthReset switch
            {
                Engine.Model.MonthReset.BillingCycle => "billing_cycle",
                Engine.Model.MonthReset.FirstOfMonth => "first_of_month",
                _ => null,
            },
            ValueTraitId = entitlement.ValueTraitId,
            ValueCreditId = entitlement.ValueCreditId,
            CreditConsumptionRate = entitlement.CreditConsumptionRate,
            SoftLimit = entitlement.SoftLimit,
            WarningTiers = entitlement.WarningTiers is { Count: > 0 } tiers
                ? string.Join(", ", tiers.Select(t => $"{t.Key}={t.Value.ToString(CultureInfo.InvariantCulture)}"))
                : null,
        };
    }

    /// <summary>
    /// The API request this form makes for <paramref name="planId"/> and <paramref name="featureId"/>, or null with
    /// <paramref name="error"/> (<c>"warning_tiers: …"</c>) when the tiers text does not parse.
    /// </summary>
    public GrantRequest? ToRequest(string planId, string featureId, out string? error)
    {
        error = null;
        List<WarningTierRecord>? tiers = null;
        if (!string.IsNullOrWhiteSpace(WarningTiers))
        {
            tiers = [];
            foreach (var part in WarningTiers.Split([',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || !long.TryParse(part[(equals + 1)..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                {
                    error = $"warning_tiers: write each tier as name=usage, e.g. warn=800, '{part}' is not";
                    return null;
                }

                tiers.Add(new WarningTierRecord(part[..equals].Trim(), value));
            }
        }

        var type = (ValueType ?? string.Empty).Trim();
        var metered = type is "numeric" or "trait" or "credit";
        var period = string.IsNullOrWhiteSpace(MetricPeriod) || !metered ? null : MetricPeriod;
        return new GrantRequest(
            PlanId: planId,
            CompanyId: null,
            FeatureId: featureId,
            ValueType: type,
            ValueBool: type == "boolean" ? true : null,
            ValueNumeric: type == "numeric" ? ValueNumeric : null,
            ValueTraitId: type == "trait" ? Blank(ValueTraitId) : null,
            ValueCreditId: type == "credit" ? Blank(ValueCreditId) : null,
            CreditConsumptionRate: type == "credit" ? CreditConsumptionRate : null,
            MetricPeriod: period,
            MetricPeriodMonthReset: period == "current_month" ? Blank(MonthReset) : null,
            SoftLimit: SoftLimit,
            WarningTiers: tiers,
            ExpirationDate: null,
            Note: null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
