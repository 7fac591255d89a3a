using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Tollgate.Server.Operations;

/// <summary>
/// OpenTelemetry: the <c>Tollgate</c> meter with ASP.NET Core's, Kestrel's, the rate limiter's and the runtime's, served
/// to Prometheus at <c>/metrics</c>; and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard <c>OTEL_*</c>
/// variables apply), metrics, traces (HTTP requests and their PostgreSQL commands) and logs sent over OTLP. Without an
/// OTLP endpoint no trace is recorded at all, so requests pay nothing for tracing.
/// </summary>
internal static class Telemetry
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void Add(WebApplicationBuilder builder)
    {
        var metricsOptions = builder.Configuration.GetSection("Tollgate:Metrics").Get<MetricsOptions>() ?? new MetricsOptions();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration("Tollgate:Metrics")
            .Validate(o => o.QueueSampleInterval > TimeSpan.Zero, "Tollgate:Metrics:QueueSampleInterval must be positive").ValidateOnStart();
        builder.Services.AddSingleton<QueueSizes>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueSizes>());
        builder.Services.AddSingleton<TollgateMetrics>();
        if (!metricsOptions.Prometheus && !otlp)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("tollgate", serviceVersion: HomePage.Version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TollgateMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
                    "Microsoft.AspNetCore.RateLimiting", "System.Runtime");
                if (metricsOptions.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsOperational(http.Request.Path))
                .AddNpgsql());
            telemetry.UseOtlpExporter();
        }
    }

    public static void Map(WebApplication app)
    {
        // The TollgateMetrics singleton makes the meter's instruments (and subscribes to the change feed) at start, not at the first check.
        _ = app.Services.GetRequiredService<TollgateMetrics>();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }
    }

    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/metrics", StringComparison.Ordinal) || path.StartsWithSegments("/health", StringComparison.Ordinal);
}
