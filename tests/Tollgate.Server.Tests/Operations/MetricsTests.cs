using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Tollgate.Server.Operations;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Operations;

/// <summary>
/// The <c>Tollgate</c> meter, scraped by Prometheus at <c>/metrics</c> without an API key. A meter listener hears every
/// meter of the name in the process, so the scrape of one test server also counts the other servers' requests: the
/// exact counts are read from this server's meter alone (MetricCollector), the scrape for what it exports.
/// </summary>
public abstract class MetricsTests(TollgateFactory server)
{
    [Fact]
    public async Task ChecksEventsQueuesAndCachesAreScrapedFromMetrics()
    {
        var api = await server.NewEnvironmentAsync();
        var meters = server.Services.GetRequiredService<IMeterFactory>();
        using var checks = new MetricCollector<long>(meters, TollgateMetrics.MeterName, "tollgate.checks");
        using var events = new MetricCollector<long>(meters, TollgateMetrics.MeterName, "tollgate.events");
        using var durations = new MetricCollector<double>(meters, TollgateMetrics.MeterName, "tollgate.check.duration");
        using var ingests = new MetricCollector<double>(meters, TollgateMetrics.MeterName, "tollgate.ingest.duration");
        await Given.CompanyAsync(api, "metrics-co");
        await Given.BooleanFeatureAsync(api, "metrics-flag");
        for (var i = 0; i < 3; i++)
        {
            (await api.PostAsync("/flags/metrics-flag/check", new { company = Given.Keys("metrics-co") })).ShouldBe(HttpStatusCode.OK);
        }

        await Events.SendAsync(api, Events.Track("metric_call", "metrics-co", quantity: 2), Events.Track("metric_call", "metrics-co", quantity: 1));
        (await api.PostAsync("/batch", new { events = new object[] { new { type = "track", body = new { } } } })).ShouldBe(HttpStatusCode.BadRequest);
        await server.Services.GetRequiredService<QueueSizes>().SampleAsync(CancellationToken.None);

        var text = await ScrapeAsync();

        Assert.Equal(3, checks.GetMeasurementSnapshot().Where(m => m.Tags["endpoint"] as string == "flag").Sum(m => m.Value));
        Assert.Equal(3, durations.GetMeasurementSnapshot().Count(m => m.Tags["endpoint"] as string == "flag"));
        Assert.Equal(2, events.GetMeasurementSnapshot().Where(m => m.Tags["outcome"] as string == "accepted").Sum(m => m.Value));
        Assert.Equal(1, events.GetMeasurementSnapshot().Where(m => m.Tags["outcome"] as string == "rejected").Sum(m => m.Value));
        Assert.Single(ingests.GetMeasurementSnapshot());
        Assert.True(Observed(meters, "tollgate.meter_outbox.pending") >= 1); // nothing is connected to Stripe: the usage waits
        Assert.Equal(0, Observed(meters, "tollgate.webhook_inbox.pending"));
        Assert.True(Observed(meters, "tollgate.cache.entries", "api_keys") >= 1);
        Assert.True(Observed(meters, "tollgate.cache.entries", "companies") >= 1);
        foreach (var exported in new[]
        {
            "tollgate_checks_total{", "tollgate_check_duration_seconds_bucket{", "tollgate_events_total{", "tollgate_ingest_duration_seconds_bucket{",
            "tollgate_meter_outbox_pending", "tollgate_webhook_inbox_pending", "tollgate_cache_entries{", "http_server_request_duration_seconds_bucket{",
        })
        {
            Assert.Contains(exported, text, StringComparison.Ordinal);
        }
    }

    /// <summary>The value an observable instrument of this server's meter reports now (of the <c>cache</c> tag's value, when given).</summary>
    private static long Observed(IMeterFactory meters, string instrument, string? cache = null)
    {
        using var collector = new MetricCollector<long>(meters, TollgateMetrics.MeterName, instrument);
        collector.RecordObservableInstruments();
        return Assert.Single(collector.GetMeasurementSnapshot(), m => cache is null || m.Tags["cache"] as string == cache).Value;
    }

    private async Task<string> ScrapeAsync()
    {
        using var http = server.CreateClient();
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

public sealed class MetricsTestsOnSqlite(SqliteServer server) : MetricsTests(server), IClassFixture<SqliteServer>;

public sealed class MetricsTestsOnPostgres(PostgresServer server) : MetricsTests(server), IClassFixture<PostgresServer>;
