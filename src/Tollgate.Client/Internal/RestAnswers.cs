using System.Text.Json;

namespace Tollgate.Client.Internal;

/// <summary>Reads the REST check answers (<c>CheckFlagResponseData</c>, spec §1.1) into <see cref="FlagCheckResult"/>s.</summary>
internal static class RestAnswers
{
    public static FlagCheckResult Read(JsonElement data, DateTimeOffset asOf) => new()
    {
        FlagKey = data.GetProperty("flag").GetString() ?? string.Empty,
        Value = data.GetProperty("value").GetBoolean(),
        Reason = String(data, "reason") ?? string.Empty,
        Source = CheckSource.Rest,
        AsOf = asOf,
        Error = String(data, "error"),
        FlagId = String(data, "flag_id"),
        RuleId = String(data, "rule_id"),
        RuleType = String(data, "rule_type"),
        CompanyId = String(data, "company_id"),
        UserId = String(data, "user_id"),
        FeatureAllocation = Long(data, "feature_allocation"),
        FeatureUsage = Long(data, "feature_usage"),
        Entitlement = data.TryGetProperty("entitlement", out var e) && e.ValueKind == JsonValueKind.Object ? Entitlement(e) : null,
    };

    private static EntitlementInfo Entitlement(JsonElement e) => new()
    {
        FeatureId = String(e, "feature_id") ?? string.Empty,
        FeatureKey = String(e, "feature_key") ?? string.Empty,
        ValueType = String(e, "value_type") ?? string.Empty,
        Allocation = Long(e, "allocation"),
        Usage = Long(e, "usage"),
        EventName = String(e, "event_name"),
        MetricPeriod = String(e, "metric_period"),
        CreditRemaining = e.TryGetProperty("credit_remaining", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : null,
    };

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
