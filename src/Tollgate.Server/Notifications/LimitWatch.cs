using Tollgate.Server.Usage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// A limit of a company's entitlement that tracked usage of one event subtype counts against, taken when the event was
/// accepted: the counter it is measured on (<see cref="Period"/>) and the usage levels that raise a notice.
/// </summary>
internal sealed record LimitWatch(
    string FeatureId,
    UsagePeriod Period,
    IReadOnlyList<LimitThreshold> Thresholds,
    long? Allocation,
    long? SoftLimit,
    string? MetricResetAt,
    object Feature,
    object Company);

/// <summary>
/// A usage level that raises <see cref="RequestType"/> when a commit takes the counter from below it to it or above.
/// <see cref="Limit"/> is the limit the notice reports as its allocation when it is not the entitlement's (a tier's bound).
/// </summary>
internal readonly record struct LimitThreshold(string RequestType, string LimitKind, long Level, long? Limit = null);
