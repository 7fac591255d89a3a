using Tollgate.Engine;
using Tollgate.Engine.Model;

namespace Tollgate.Server.Usage;

/// <summary>A company's usage metric as Schematic lists it on a company (<c>CompanyEventPeriodMetricsResponseData</c>).</summary>
public sealed record MetricResponse(
    string EnvironmentId,
    string CompanyId,
    string EventSubtype,
    string Period,
    string MonthReset,
    long Value,
    string CreatedAt,
    string? ValidUntil)
{
    /// <summary>The engine's metric in the wire shape.</summary>
    public static MetricResponse From(CompanyMetric metric) => new(
        metric.EnvironmentId,
        metric.CompanyId,
        metric.EventSubtype,
        WireFormat.NameOf(metric.Period),
        WireFormat.NameOf(metric.MonthReset),
        metric.Value,
        metric.CreatedAt,
        metric.ValidUntil);
}
