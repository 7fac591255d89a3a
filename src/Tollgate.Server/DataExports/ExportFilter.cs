using System.Globalization;
using System.Text.Json;
using Tollgate.Server.Requests;

namespace Tollgate.Server.DataExports;

/// <summary>
/// The filters of an export, read from its <c>metadata</c>: for <c>event</c>, <c>company_id</c>, <c>user_id</c>,
/// <c>event_subtype</c>, <c>event_types</c> and <c>start_time</c>/<c>end_time</c> (on when the event happened); for
/// <c>company-feature-usage</c>, <c>company_ids</c>, <c>plan_id</c>/<c>plan_ids</c> (the base plan), <c>feature_ids</c>
/// and <c>q</c> (in the company's name); for <c>audit-log</c>, <c>start_time</c>/<c>end_time</c>. Other fields are
/// kept and echoed but do not filter.
/// </summary>
internal sealed record ExportFilter(
    string? CompanyId,
    string? UserId,
    string? EventSubtype,
    IReadOnlyList<string> EventTypes,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    IReadOnlyList<string> CompanyIds,
    IReadOnlyList<string> PlanIds,
    IReadOnlyList<string> FeatureIds,
    string? Q)
{
    private static readonly string[] KnownEventTypes = ["flag_check", "identify", "inference", "track"];

    public static ExportFilter From(string exportType, JsonElement? metadata)
    {
        var m = metadata is { ValueKind: JsonValueKind.Object } o ? o : (JsonElement?)null;
        var eventTypes = Strings(m, "event_types");
        foreach (var type in eventTypes)
        {
            if (!KnownEventTypes.Contains(type))
            {
                Errors.BadRequest("metadata.event_types", $"{type} is not one of {string.Join(", ", KnownEventTypes)}");
            }
        }

        if (exportType == "event" && Text(m, "flag_id") is not null)
        {
            Errors.BadRequest("metadata.flag_id", "is not supported");
        }

        var plans = Strings(m, "plan_ids").ToList();
        if (Text(m, "plan_id") is { } planId)
        {
            plans.Add(planId);
        }

        return new ExportFilter(
            Text(m, "company_id"), Text(m, "user_id"), Text(m, "event_subtype"), eventTypes, Time(m, "start_time"), Time(m, "end_time"), Strings(m, "company_ids"), plans,
            Strings(m, "feature_ids"), Text(m, "q"));
    }

    private static string? Text(JsonElement? metadata, string name)
    {
        if (metadata is not { } m || !m.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Errors.BadRequest($"metadata.{name}", "must be a string");
        }

        return value.GetString() is { Length: > 0 } text ? text : null;
    }

    private static IReadOnlyList<string> Strings(JsonElement? metadata, string name)
    {
        if (metadata is not { } m || !m.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            Errors.BadRequest($"metadata.{name}", "must be an array of strings");
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static DateTimeOffset? Time(JsonElement? metadata, string name)
    {
        if (Text(metadata, name) is not { } text)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            Errors.BadRequest($"metadata.{name}", "must be a date and time (RFC 3339)");
        }

        return at;
    }
}
