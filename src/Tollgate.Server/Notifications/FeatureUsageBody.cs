namespace Tollgate.Server.Notifications;

/// <summary>
/// The stored body of a limit notice (<c>entitlement.*</c>, <c>credit.limit.*</c>), keyed as Schematic's
/// <c>WebFeatureUsageWebhookOutput</c> is on the wire: <c>Allocation</c>, <c>CreditUsage</c>, <c>Entitlement</c>,
/// <c>Feature</c>, <c>MetricResetAt</c>, <c>Usage</c> in Pascal case (the SDK's <c>Raw</c> type says so) and
/// <c>company</c> in lower case; Tollgate adds <c>threshold</c> (the level crossed), <c>soft_limit</c> and
/// <c>credit_id</c>. A dictionary, so the body serializer's snake_case policy leaves the keys as they are. The feature
/// and company are stored as their ids and described when dispatched (<see cref="NoticeBodies"/>).
/// </summary>
internal static class FeatureUsageBody
{
    public static Dictionary<string, object?> Of(
        double? allocation, string entitlement, double usage, string? metricResetAt, object? feature, object company, double threshold, long? softLimit, string? creditId, object? creditUsage) =>
        new(StringComparer.Ordinal)
        {
            ["Allocation"] = allocation,
            ["CreditUsage"] = creditUsage,
            ["Entitlement"] = entitlement,
            ["Feature"] = feature,
            ["MetricResetAt"] = metricResetAt,
            ["Usage"] = usage,
            ["company"] = company,
            ["threshold"] = threshold,
            ["soft_limit"] = softLimit,
            ["credit_id"] = creditId,
        };
}
