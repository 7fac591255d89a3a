using Tollgate.Server.Billing.Webhooks;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Operations;

/// <summary>
/// The sizes of the durable queues (webhook inbox, meter outbox), counted in the database every
/// <see cref="MetricsOptions.QueueSampleInterval"/> so that a scrape never waits for a query. Null until first counted,
/// and kept at the last value while the database does not answer.
/// </summary>
internal sealed partial class QueueSizes(Database database, WebhookInbox inbox, Microsoft.Extensions.Options.IOptions<MetricsOptions> options, TimeProvider time, ILogger<QueueSizes> logger)
    : BackgroundService
{
    private volatile Sample? _last;

    /// <summary>The last counts, or null before the first.</summary>
    public Sample? Last => _last;

    /// <summary>Counts both queues now.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var webhooks = await inbox.PendingCountAsync(cancellationToken).ConfigureAwait(false);
        long meters;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            meters = await BillableUsageOutbox.PendingTotalAsync(connection).ConfigureAwait(false);
        }

        _last = new Sample(webhooks, meters, time.GetUtcNow());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.QueueSampleInterval, time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A metric must never take the server down; the next tick tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogSampleFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the webhook inbox and meter outbox for metrics failed; the last counts stay")]
    private partial void LogSampleFailed(Exception exception);
}

/// <summary>The queue sizes counted at one instant.</summary>
internal sealed record Sample(long WebhookInboxPending, long MeterOutboxPending, DateTimeOffset At);
