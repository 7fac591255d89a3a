using Microsoft.Extensions.Options;

namespace Tollgate.Server.Retention;

/// <summary>Runs <see cref="RetentionCleanup"/> every <see cref="RetentionOptions.Interval"/> of the server's clock.</summary>
internal sealed partial class RetentionService(RetentionCleanup cleanup, TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var result = await cleanup.RunOnceAsync(stoppingToken).ConfigureAwait(false);
                    if (result is { } done && done.Events + done.AuditEntries + done.DeliveredMeterRows > 0)
                    {
                        LogDeleted(done.Events, done.AuditEntries, done.DeliveredMeterRows);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Events} events, {AuditEntries} audit entries and {MeterRows} delivered meter-outbox rows past their retention")]
    private partial void LogDeleted(long events, long auditEntries, long meterRows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention cleanup failed; retrying on the next tick")]
    private partial void LogFailed(Exception exception);
}
