using System.Globalization;
using System.Text;
using Tollgate.Engine.Compiled;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Json;

/// <summary>
/// Writes a check result byte for byte as the reference WASM does: camelCase, fixed field order, <c>err</c> only when
/// set, the entitlement with its null fields left out, timestamps with <c>+00:00</c> (spec §3.11).
/// </summary>
internal static class ResultWriter
{
    public static string Write(in CheckResult result)
    {
        var json = new StringBuilder(512);
        json.Append("{\"value\":").Append(result.Value ? "true" : "false");
        json.Append(",\"reason\":");
        AppendString(json, result.Reason);
        if (result.Error is { } error)
        {
            json.Append(",\"err\":");
            AppendString(json, error);
        }

        json.Append(",\"ruleId\":");
        AppendNullableString(json, result.RuleId);
        json.Append(",\"ruleType\":");
        AppendNullableString(json, result.RuleType is { } type ? RuleTypeNames.WireName(type) : null);
        json.Append(",\"companyId\":");
        AppendNullableString(json, result.CompanyId);
        json.Append(",\"userId\":");
        AppendNullableString(json, result.UserId);
        json.Append(",\"entitlement\":");
        if (result.Entitlement is { } entitlement)
        {
            AppendEntitlement(json, entitlement);
        }
        else
        {
            json.Append("null");
        }

        json.Append(",\"flagId\":");
        AppendString(json, result.FlagId);
        json.Append(",\"flagKey\":");
        AppendString(json, result.FlagKey);
        json.Append(",\"featureAllocation\":");
        AppendNullableLong(json, result.FeatureAllocation);
        json.Append(",\"featureUsage\":");
        AppendNullableLong(json, result.FeatureUsage);
        json.Append(",\"featureUsageEvent\":");
        AppendNullableString(json, result.FeatureUsageEvent);
        json.Append(",\"featureUsagePeriod\":");
        AppendNullableString(json, result.FeatureUsagePeriod is { } period ? WireNames.MetricPeriods.NameOf(period) : null);
        json.Append(",\"featureUsageResetAt\":");
        if (result.HasResetAt)
        {
            json.Append('"');
            result.ResetAtTimestamp.AppendRfc3339(json);
            json.Append('"');
        }
        else
        {
            json.Append("null");
        }

        return json.Append('}').ToString();
    }

    private static void AppendEntitlement(StringBuilder json, FeatureEntitlement e)
    {
        json.Append("{\"featureId\":");
        AppendString(json, e.FeatureId);
        json.Append(",\"featureKey\":");
        AppendString(json, e.FeatureKey);
        json.Append(",\"valueType\":");
        AppendString(json, WireNames.EntitlementValueTypes.NameOf(e.ValueType));
        OptionalLong(json, "allocation", e.Allocation);
        OptionalLong(json, "softLimit", e.SoftLimit);
        OptionalLong(json, "usage", e.Usage);
        OptionalString(json, "eventName", e.EventName);
        OptionalString(json, "eventSubtype", e.EventSubtype);
        OptionalString(json, "metricPeriod", e.MetricPeriod is { } period ? WireNames.MetricPeriods.NameOf(period) : null);
        OptionalString(json, "monthReset", e.MonthReset is { } reset ? WireNames.MonthResets.NameOf(reset) : null);
        OptionalString(json, "metricResetAt", e.MetricResetAt);
        OptionalString(json, "creditId", e.CreditId);
        OptionalDouble(json, "creditTotal", e.CreditTotal);
        OptionalDouble(json, "creditUsed", e.CreditUsed);
        OptionalDouble(json, "creditRemaining", e.CreditRemaining);
        OptionalDouble(json, "creditReserved", e.CreditReserved);
        OptionalDouble(json, "creditSettled", e.CreditSettled);
        OptionalDouble(json, "consumptionRate", e.ConsumptionRate);
        // An empty tier list is left out like a null one.
        if (e.WarningTiers is { Count: > 0 } tiers)
        {
            json.Append(",\"warningTiers\":[");
            for (var i = 0; i < tiers.Count; i++)
            {
                json.Append(i == 0 ? "{\"key\":" : ",{\"key\":");
                AppendString(json, tiers[i].Key);
                json.Append(",\"value\":").Append(tiers[i].Value.ToString(CultureInfo.InvariantCulture)).Append('}');
            }

            json.Append(']');
        }

        json.Append('}');
    }

    private static void OptionalLong(StringBuilder json, string name, long? value)
    {
        if (value is { } v)
        {
            json.Append(",\"").Append(name).Append("\":").Append(v.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void OptionalDouble(StringBuilder json, string name, double? value)
    {
        if (value is { } v)
        {
            json.Append(",\"").Append(name).Append("\":");
            RustFloat.Append(json, v);
        }
    }

    private static void OptionalString(StringBuilder json, string name, string? value)
    {
        if (value is not null)
        {
            json.Append(",\"").Append(name).Append("\":");
            AppendString(json, value);
        }
    }

    private static void AppendNullableLong(StringBuilder json, long? value) =>
        json.Append(value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null");

    private static void AppendNullableString(StringBuilder json, string? value)
    {
        if (value is null)
        {
            json.Append("null");
        }
        else
        {
            AppendString(json, value);
        }
    }

    /// <summary>serde_json's escaping: quotes, backslashes and control characters only; lowercase hex.</summary>
    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case < ' ': json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }
}
