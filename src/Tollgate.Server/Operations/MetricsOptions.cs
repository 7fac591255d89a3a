namespace Tollgate.Server.Operations;

/// <summary>Metrics settings (<c>Tollgate:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve Prometheus's text format at <c>/metrics</c> (no API key). Default: true.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>How often the webhook inbox and meter outbox are counted for their gauges. Default: 15 s.</summary>
    public TimeSpan QueueSampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}
