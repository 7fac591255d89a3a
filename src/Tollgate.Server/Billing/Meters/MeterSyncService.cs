using Microsoft.Extensions.Options;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Billing.Meters;

/// <summary>
/// The background meter sync: every <see cref="MeterSyncOptions.PollInterval"/> it drains each connected
/// environment's due billable usage (<see cref="MeterSync"/>), and at once when Usage signals a commit that wrote some
/// (<see cref="BillableUsageCommitted"/>, which this loop subscribes to). An environment another node is draining, or one in
/// backoff, is passed over until the next tick. All state is in the database, so a restart resumes where it stopped.
/// </summary>
internal sealed partial class MeterSyncService(
    MeterSync sync, StripeConnections connections, BillableUsageCommitted usageCommitted, IOptions<MeterSyncOptions> options, ILogger<MeterSyncService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var environmentId in await connections.ConnectedEnvironmentsAsync(stoppingToken).ConfigureAwait(false))
                {
                    await DrainAsync(environmentId, stoppingToken).ConfigureAwait(false);
                }

                // A pause between passes, not a clock reading: real time even under a test's fake clock.
                await usageCommitted.WaitAsync(settings.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive a failed pass (database unreachable…); the next tick tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogPassFailed(exception);
                await Task.Delay(settings.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DrainAsync(string environmentId, CancellationToken stoppingToken)
    {
        try
        {
            await sync.DrainAsync(environmentId, wait: false, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One environment's failure (its key no longer decrypts…) must not stop the others'.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogDrainFailed(exception, environmentId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Meter sync pass failed; retrying on the next tick")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Meter sync of environment {EnvironmentId} failed; retrying on the next tick")]
    private partial void LogDrainFailed(Exception exception, string environmentId);
}
