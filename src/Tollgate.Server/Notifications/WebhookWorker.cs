using System.Globalization;
using Microsoft.Extensions.Options;
using Tollgate.Server.Background;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// Delivers the outbox. Each pass: raises the overrides' expiries that came, turns notices into deliveries, then works
/// off every endpoint with a delivery due — one node at a time per endpoint (an advisory lock), oldest first. A delivery
/// is retried with exponential backoff and jitter until <see cref="WebhookOptions.MaxAttempts"/>; an endpoint failing
/// <see cref="WebhookOptions.DisableAfterFailures"/> times in a row is disabled, and the last delivery's log says why.
/// Passes run when woken (a notice written on this node), at the poll interval, and at the next override expiry on the
/// server's clock. The node holding the dispatch lock also deletes delivered events past their retention, once per
/// <see cref="WebhookOptions.CleanupInterval"/>. A node with <see cref="WebhookOptions.Deliver"/> false only keeps its
/// watched environments current: its writers' notices wait in the store for a node that delivers.
/// </summary>
internal sealed partial class WebhookWorker(
    Database database,
    NoticeDispatcher dispatcher,
    WebhookStore webhooks,
    WebhookWrites writes,
    WebhookEventLog log,
    WebhookSender sender,
    UsageThresholds thresholds,
    CreditThresholds creditThresholds,
    WebhookEventRetention retention,
    WebhookWakeSignal wake,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookWorker> logger)
    : BackgroundService
{
    private const int DeliveriesPerPass = 100;

    private readonly Backoff _backoff = new(options.Value.FirstRetryDelay, options.Value.MaxRetryDelay, 0.75, 1.25);

    private DateTimeOffset _lastCleanup = DateTimeOffset.MinValue;

    /// <summary>One pass; answers how many deliveries were attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        thresholds.Watch(await webhooks.EnvironmentsSubscribedAsync(UsageThresholds.Types, cancellationToken).ConfigureAwait(false));
        creditThresholds.Watch(await webhooks.EnvironmentsSubscribedAsync(CreditThresholds.Types, cancellationToken).ConfigureAwait(false));
        if (!options.Value.Deliver)
        {
            return 0;
        }

        await using (var exclusive = await AdvisoryLock.TryAcquireAsync(database, AdvisoryLockNames.WebhookNotices, cancellationToken).ConfigureAwait(false))
        {
            if (exclusive is not null)
            {
                await dispatcher.ExpireOverridesAsync(cancellationToken).ConfigureAwait(false);
                while (await dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false) > 0)
                {
                }

                var now = time.GetUtcNow();
                if (now - _lastCleanup >= options.Value.CleanupInterval)
                {
                    _lastCleanup = now;
                    await retention.RunOnceAsync(now, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var attempted = 0;
        foreach (var webhookId in await log.DueWebhooksAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            attempted += await DeliverAsync(webhookId, cancellationToken).ConfigureAwait(false);
        }

        return attempted;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sleep = options.Value.PollInterval;
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                if (await OverrideExpiries.NextAsync(database, stoppingToken).ConfigureAwait(false) is { } next)
                {
                    // A due expiry left now is another node's (it holds the lock): the poll comes back for it.
                    var until = next - time.GetUtcNow();
                    sleep = until > TimeSpan.Zero && until < sleep ? until : sleep;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive a failed pass (database unreachable…); the next one tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogPassFailed(exception);
            }

            await SleepAsync(sleep, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task<int> DeliverAsync(string webhookId, CancellationToken cancellationToken)
    {
        await using var exclusive = await AdvisoryLock.TryAcquireAsync(database, AdvisoryLockNames.Webhook(webhookId), cancellationToken).ConfigureAwait(false);
        if (exclusive is null)
        {
            return 0;
        }

        var due = await log.DueAsync(webhookId, time.GetUtcNow(), DeliveriesPerPass, cancellationToken).ConfigureAwait(false);
        var webhook = await webhooks.GetByIdAsync(webhookId, cancellationToken).ConfigureAwait(false);
        if (webhook is not { Status: WebhookStatuses.Active })
        {
            // Deleted or disabled: its deliveries wait (a user may activate it again) and are not attempted.
            return 0;
        }

        var attempted = 0;
        foreach (var delivery in due)
        {
            attempted++;
            var outcome = await sender.SendAsync(webhook, delivery.Payload, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (outcome.Success)
            {
                await log.RecordAttemptAsync(delivery.Id, WebhookStatuses.Success, outcome.ResponseCode, null, null, now, cancellationToken).ConfigureAwait(false);
                await webhooks.SucceededAsync(webhookId, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var attempts = (int)delivery.AttemptCount + 1;
            var last = attempts >= options.Value.MaxAttempts;
            var error = last ? $"{outcome.Error}; given up after {attempts} attempts" : outcome.Error;
            await log.RecordAttemptAsync(
                delivery.Id, last ? WebhookStatuses.Failure : WebhookStatuses.Pending, outcome.ResponseCode, error,
                last ? null : now + _backoff.DelayAfter(attempts, null), now, cancellationToken).ConfigureAwait(false);
            var failures = await webhooks.FailedAsync(webhookId, cancellationToken).ConfigureAwait(false);
            if (failures >= options.Value.DisableAfterFailures)
            {
                var reason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"disabled at {now:O} after {failures} failed deliveries in a row; the last: {outcome.Error}");
                // The log first: whoever sees the endpoint inactive finds the reason in its last delivery too.
                await log.AppendErrorAsync(delivery.Id, "The endpoint was " + reason + ".", cancellationToken).ConfigureAwait(false);
                await writes.DisableAsync(webhookId, reason, now, cancellationToken).ConfigureAwait(false);
                LogDisabled(webhookId, reason);
                return attempted;
            }

            // A failing endpoint gets no more this pass: the rest of its deliveries wait for the next.
            LogDeliveryFailed(webhookId, delivery.Id, error ?? string.Empty);
            return attempted;
        }

        return attempted;
    }

    /// <summary>Waits <paramref name="sleep"/>: on the server's clock (an override expiry) or in real time (the poll), or less when woken.</summary>
    private async Task SleepAsync(TimeSpan sleep, CancellationToken stoppingToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(sleep, time, done.Token);
        var woken = wake.WaitAsync(options.Value.PollInterval, done.Token);
        await Task.WhenAny(timer, woken).ConfigureAwait(false);
        await done.CancelAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} {Reason}")]
    private partial void LogDisabled(string webhookId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId}: delivery {EventId} failed: {Error}")]
    private partial void LogDeliveryFailed(string webhookId, string eventId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery pass failed; retrying shortly")]
    private partial void LogPassFailed(Exception exception);
}
