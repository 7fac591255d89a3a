using Tollgate.Engine.Model;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Catalog;

/// <summary>The value fields of a plan entitlement or company override, checked against the feature they grant.</summary>
internal static class GrantValidation
{
    private static readonly (string, EntitlementValueKind)[] ValueTypes =
    [
        ("boolean", EntitlementValueKind.Boolean), ("numeric", EntitlementValueKind.Numeric), ("unlimited", EntitlementValueKind.Unlimited),
        ("trait", EntitlementValueKind.Trait), ("credit", EntitlementValueKind.Credit),
    ];

    private static readonly (string, MetricPeriod)[] Periods =
    [
        ("all_time", MetricPeriod.AllTime), ("current_day", MetricPeriod.CurrentDay), ("current_week", MetricPeriod.CurrentWeek), ("current_month", MetricPeriod.CurrentMonth),
    ];

    private static readonly (string, MonthReset)[] Resets = [("first_of_month", MonthReset.FirstOfMonth), ("billing_cycle", MonthReset.BillingCycle)];

    public sealed record Checked(
        FeatureRecord Feature,
        EntitlementValueKind ValueType,
        MetricPeriod? Period,
        MonthReset? Reset)
    {
        /// <summary>
        /// <paramref name="record"/> (whose id, feature and value type are set) with the request's value fields and the
        /// timestamps: created when <paramref name="before"/> was, or now.
        /// </summary>
        public T Apply<T>(T record, GrantRequest request, DateTimeOffset now, GrantRecord? before)
            where T : GrantRecord =>
            (T)(record with
            {
                ValueBool = request.ValueBool,
                ValueNumeric = request.ValueNumeric,
                ValueTraitId = request.ValueTraitId,
                ValueCreditId = request.ValueCreditId,
                CreditConsumptionRate = request.CreditConsumptionRate,
                MetricPeriod = Period,
                MetricPeriodMonthReset = Reset,
                CreatedAt = before?.CreatedAt ?? now,
                UpdatedAt = now,
            });
    }

    public static Checked Check(GrantRequest request, CatalogSnapshot catalog)
    {
        var featureId = Validate.Required(request.FeatureId, "feature_id");
        if (!catalog.Features.TryGetValue(featureId, out var feature))
        {
            Errors.BadRequest("feature_id", "must name an existing feature");
        }

        var valueType = Validate.OneOf(request.ValueType, "value_type", ValueTypes);
        switch (valueType)
        {
            case EntitlementValueKind.Boolean when request.ValueBool is null:
                Errors.BadRequest("value_bool", "is required when value_type is boolean");
                break;
            case EntitlementValueKind.Numeric when request.ValueNumeric is not >= 0:
                Errors.BadRequest("value_numeric", "must be a whole number ≥ 0 when value_type is numeric");
                break;
            case EntitlementValueKind.Numeric or EntitlementValueKind.Trait when feature.FeatureType == FeatureType.Boolean:
                Errors.BadRequest("value_type", "a boolean feature takes boolean or unlimited values");
                break;
            case EntitlementValueKind.Trait when request.ValueTraitId is null || !catalog.TraitsById.ContainsKey(request.ValueTraitId):
                Errors.BadRequest("value_trait_id", "must name an existing trait definition when value_type is trait");
                break;
            case EntitlementValueKind.Credit when string.IsNullOrEmpty(request.ValueCreditId):
                Errors.BadRequest("value_credit_id", "is required when value_type is credit");
                break;
            default:
                break;
        }

        if (request.CreditConsumptionRate is < 0)
        {
            Errors.BadRequest("credit_consumption_rate", "must be ≥ 0");
        }

        MetricPeriod? period = request.MetricPeriod is null ? null : Validate.OneOf(request.MetricPeriod, "metric_period", Periods);
        MonthReset? reset = request.MetricPeriodMonthReset is null ? null : Validate.OneOf(request.MetricPeriodMonthReset, "metric_period_month_reset", Resets);
        if (reset is not null && period != MetricPeriod.CurrentMonth)
        {
            Errors.BadRequest("metric_period_month_reset", "applies only when metric_period is current_month");
        }

        for (var i = 0; i < (request.WarningTiers?.Count ?? 0); i++)
        {
            var tier = request.WarningTiers![i];
            if (tier is null)
            {
                Errors.BadRequest($"warning_tiers[{i}]", "must be an object with a key and a value");
            }

            if (string.IsNullOrWhiteSpace(tier.Key))
            {
                Errors.BadRequest($"warning_tiers[{i}].key", "is required");
            }
        }

        return new Checked(feature, valueType, valueType is EntitlementValueKind.Numeric or EntitlementValueKind.Trait ? period ?? MetricPeriod.AllTime : period, reset);
    }
}
