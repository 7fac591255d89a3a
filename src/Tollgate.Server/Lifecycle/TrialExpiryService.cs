using Tollgate.Server.Storage;

namespace Tollgate.Server.Lifecycle;

/// <summary>
/// Ends trials at their end instant with no request to trigger it: sleeps on the server's clock until the earliest end
/// in <c>company_trials</c> (or <see cref="MaxSleep"/>, so trials started on other nodes are seen), woken early by this
/// node's trial writes, then expires every due trial. The schedule is stored, so a restart picks up where it was. On
/// PostgreSQL one node at a time runs a pass (advisory lock); the others skip it.
/// </summary>
internal sealed partial class TrialExpiryService(Database database, TrialService trials, TrialWakeSignal wake, TimeProvider time, ILogger<TrialExpiryService> logger)
    : BackgroundService
{
    /// <summary>The longest sleep between two looks at the schedule.</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);

    private const int BatchSize = 500;

    /// <summary>Runs one pass: expires every trial due now. Answers how many were expired, or null when another node holds the lock.</summary>
    public async Task<int?> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var exclusive = await AdvisoryLock.TryAcquireAsync(database, AdvisoryLockNames.TrialExpiry, cancellationToken).ConfigureAwait(false);
        if (exclusive is null)
        {
            return null;
        }

        var expired = 0;
        while (true)
        {
            var due = await TrialSchedule.DueAsync(database, time.GetUtcNow(), BatchSize, cancellationToken).ConfigureAwait(false);
            foreach (var (environmentId, companyId) in due)
            {
                if (await trials.ExpireAsync(environmentId, companyId, cancellationToken).ConfigureAwait(false))
                {
                    expired++;
                }
                else
                {
                    // The company is gone (or its record no longer has this trial running): nothing left to expire.
                    await TrialSchedule.ForgetAsync(database, environmentId, companyId, cancellationToken).ConfigureAwait(false);
                }
            }

            if (due.Count < BatchSize)
            {
                return expired;
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sleep = MaxSleep;
            try
            {
                if (await RunOnceAsync(stoppingToken).ConfigureAwait(false) is > 0 and var count)
                {
                    LogExpired(count);
                }

                if (await TrialSchedule.NextEndAsync(database, stoppingToken).ConfigureAwait(false) is { } next)
                {
                    var until = next - time.GetUtcNow();
                    sleep = until < TimeSpan.Zero ? TimeSpan.Zero : until < MaxSleep ? until : MaxSleep;
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
                LogFailed(exception);
            }

            await SleepAsync(sleep, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits <paramref name="sleep"/> on the server's clock, or less when woken.</summary>
    private async Task SleepAsync(TimeSpan sleep, CancellationToken stoppingToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(sleep, time, done.Token);
        var woken = wake.WaitAsync(Timeout.InfiniteTimeSpan, done.Token);
        await Task.WhenAny(timer, woken).ConfigureAwait(false);
        await done.CancelAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trials: {Count} expired at their end")]
    private partial void LogExpired(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trial expiry failed; retrying shortly")]
    private partial void LogFailed(Exception exception);
}
