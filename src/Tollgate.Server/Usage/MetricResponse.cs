using Tollgate.Engine;
using Tollgate.Engine.Model;

namespace Tollgate.Server.Usage;

/// <summary>
/// A company's usage metric as Schematic lists it on a company (<c>CompanyEventPeriodMetricsResponseData</c>). Tollgate
/// reads a metric from its live counters at the instant of the answer (<c>created_at</c>), so <c>captured_at_min</c>
/// and <c>captured_at_max</c>, the span the value was read over, are both that instant.
/// </summary>
public sealed record MetricResponse(
    string AccountId,
    string EnvironmentId,
    string CompanyId,
    string EventSubtype,
    string Period,
    string MonthReset,
    long Value,
    string CreatedAt,
    string CapturedAtMin,
    string CapturedAtMax,
    string? ValidUntil)
{
    /// <summary>The engine's metric in the wire shape.</summary>
    public static MetricResponse From(CompanyMetric metric) => new(
        metric.AccountId,
        metric.EnvironmentId,
        metric.CompanyId,
        metric.EventSubtype,
        WireFormat.NameOf(metric.Period),
        WireFormat.NameOf(metric.MonthReset),
        metric.Value,
        metric.CreatedAt,
        metric.CreatedAt,
        metric.CreatedAt,
        metric.ValidUntil);
}
