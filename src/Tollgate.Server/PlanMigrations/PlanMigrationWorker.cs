using Microsoft.Extensions.Options;

namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// The background runner: every <see cref="PlanMigrationOptions.PollInterval"/>, and at once when woken (a migration
/// created, retried), it works off every open migration of every environment that no other node is running. So a
/// migration interrupted by a stop or a crash is resumed by whichever node starts next.
/// </summary>
internal sealed partial class PlanMigrationWorker(
    PlanMigrationStore store, PlanMigrationRunner runner, PlanMigrationSignal signal, IOptions<PlanMigrationOptions> options, ILogger<PlanMigrationWorker> logger) : BackgroundService
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
                foreach (var (environmentId, migrationId) in await store.OpenAsync(stoppingToken).ConfigureAwait(false))
                {
                    await RunAsync(environmentId, migrationId, stoppingToken).ConfigureAwait(false);
                }

                // A pause between passes, not a clock reading: real time even under a test's fake clock.
                await signal.WaitAsync(settings.PollInterval, stoppingToken).ConfigureAwait(false);
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

    private async Task RunAsync(string environmentId, string migrationId, CancellationToken stoppingToken)
    {
        try
        {
            await runner.RunAsync(environmentId, migrationId, wait: false, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One migration's failure must not stop the others'; it is tried again on the next pass.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogMigrationFailed(exception, migrationId, environmentId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Plan migration pass failed; retrying on the next tick")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Plan version migration {MigrationId} of environment {EnvironmentId} failed; retrying on the next tick")]
    private partial void LogMigrationFailed(Exception exception, string migrationId, string environmentId);
}
