namespace Tollgate.Server.Subscriptions;

/// <summary>Runs <see cref="ScheduledChangeRunner"/> every <see cref="Interval"/> of the server's clock.</summary>
internal sealed partial class ScheduledChangeService(ScheduledChangeRunner runner, TimeProvider time, ILogger<ScheduledChangeService> logger) : BackgroundService
{
    /// <summary>How often due changes are looked for: a downgrade takes effect at most this long after its instant.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    if (await runner.RunOnceAsync(stoppingToken).ConfigureAwait(false) is > 0 and var applied)
                    {
                        LogApplied(applied);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // The loop must outlive a failed run (database unreachable…); the next tick tries again.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    LogFailed(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled plan changes: applied {Count}")]
    private partial void LogApplied(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled plan changes failed; retrying on the next tick")]
    private partial void LogFailed(Exception exception);
}
