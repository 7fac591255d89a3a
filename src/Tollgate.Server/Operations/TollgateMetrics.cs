using System.Diagnostics.Metrics;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Operations;

/// <summary>
/// The <c>Tollgate</c> meter: checks, ingestion, change notices, queue and cache sizes. Counters and histograms cost a
/// few nanoseconds when nothing listens and little more when the exporter does; sizes are observable gauges, read only
/// when metrics are collected (a scrape), never on a request.
/// </summary>
internal sealed class TollgateMetrics
{
    /// <summary>The meter's name, as exporters select it.</summary>
    public const string MeterName = "Tollgate";

    /// <summary>From 50 µs (a warm check) to 10 s: the exporters' default boundaries start at 5 (seconds, here).</summary>
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private readonly Counter<long> _checks;
    private readonly Histogram<double> _checkDuration;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _ingestDuration;
    private readonly Counter<long> _changeNotices;
    private readonly Histogram<double> _changeLag;
    private readonly TimeProvider _time;

    public TollgateMetrics(IMeterFactory meters, TimeProvider time, QueueSizes queues, RuntimeRegistry runtimes, EnvironmentStore environments, ChangeFeed changes)
    {
        _time = time;
        var meter = meters.Create(MeterName);
        _checks = meter.CreateCounter<long>("tollgate.checks", "{check}", "Flag checks answered (tag endpoint: flag, flags, bulk).");
        _checkDuration = meter.CreateHistogram<double>(
            "tollgate.check.duration", "s", "Time to answer a check request, after authentication and body binding.", tags: null, advice: SecondsBuckets);
        _events = meter.CreateCounter<long>("tollgate.events", "{event}", "Events received for ingestion (tag outcome: accepted, duplicate, rejected).");
        _ingestDuration = meter.CreateHistogram<double>(
            "tollgate.ingest.duration", "s",
            "From a request's events handed to ingestion to their durable acknowledgement. The receiving node's counters are updated before the acknowledgement; other nodes see them after the change feed's notice.",
            tags: null,
            advice: SecondsBuckets);
        _changeNotices = meter.CreateCounter<long>(
            "tollgate.change_feed.notices", "{notice}", "Changes delivered by the change feed (tags kind, and origin: this_node or other_node).");
        _changeLag = meter.CreateHistogram<double>(
            "tollgate.change_feed.lag", "s",
            "From a change published on another node to every subscriber here having applied it (compares the two nodes' clocks).",
            tags: null,
            advice: SecondsBuckets);
        meter.CreateObservableGauge<long>("tollgate.webhook_inbox.pending", () => Measured(queues.Last?.WebhookInboxPending), "{event}", "Stripe webhook events waiting to be handled, all environments (sampled).");
        meter.CreateObservableGauge<long>("tollgate.meter_outbox.pending", () => Measured(queues.Last?.MeterOutboxPending), "{row}", "Usage rows waiting for the Stripe meter sync, all environments (sampled).");
        meter.CreateObservableGauge<double>("tollgate.queue.sampled_age", () => queues.Last is { At: var at } ? [new Measurement<double>((time.GetUtcNow() - at).TotalSeconds)] : [], "s", "Age of the sampled queue sizes.");
        meter.CreateObservableGauge<long>("tollgate.cache.entries", () =>
        {
            var (warmEnvironments, companies, users) = runtimes.WarmCounts();
            return new[]
            {
                new Measurement<long>(environments.CachedKeyCount, new KeyValuePair<string, object?>("cache", "api_keys")),
                new Measurement<long>(warmEnvironments, new KeyValuePair<string, object?>("cache", "environments")),
                new Measurement<long>(companies, new KeyValuePair<string, object?>("cache", "companies")),
                new Measurement<long>(users, new KeyValuePair<string, object?>("cache", "users")),
            };
        }, "{entry}", "Entries held in memory (tag cache: api_keys, environments, companies, users).");
        changes.Subscribe(CountNoticeAsync);
        changes.RemoteChangeDelivered += lag => _changeLag.Record(lag.TotalSeconds);
    }

    /// <summary>A timestamp to pass to <see cref="CheckAnswered"/> or <see cref="EventsIngested"/>.</summary>
    public long Start() => _time.GetTimestamp();

    /// <summary>Counts an answered check request.</summary>
    public void CheckAnswered(string endpoint, long started)
    {
        var tag = new KeyValuePair<string, object?>("endpoint", endpoint);
        _checks.Add(1, tag);
        if (_checkDuration.Enabled)
        {
            _checkDuration.Record(_time.GetElapsedTime(started).TotalSeconds, tag);
        }
    }

    /// <summary>Counts the events of one ingestion request and how long their acknowledgement took.</summary>
    public void EventsIngested(Usage.IntakeResult result, long started)
    {
        ArgumentNullException.ThrowIfNull(result);
        var (accepted, duplicates, rejected) = (result.Accepted, result.Duplicates, result.Rejected.Count);
        Add(_events, accepted, "accepted");
        Add(_events, duplicates, "duplicate");
        Add(_events, rejected, "rejected");
        if (_ingestDuration.Enabled && accepted + duplicates > 0)
        {
            _ingestDuration.Record(_time.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static void Add(Counter<long> counter, int count, string outcome)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private static IEnumerable<Measurement<long>> Measured(long? value) => value is { } v ? [new Measurement<long>(v)] : [];

    private Task CountNoticeAsync(Change change, CancellationToken cancellationToken)
    {
        _changeNotices.Add(
            1,
            new KeyValuePair<string, object?>("kind", change.Kind.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("origin", change.FromOtherNode ? "other_node" : "this_node"));
        return Task.CompletedTask;
    }
}
