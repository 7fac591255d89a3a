using Tollgate.Server.Environments;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// Runs due scheduled checkouts in every environment, every <see cref="Interval"/> of the server's clock (fake time in
/// tests). Every node runs it; the claim of each checkout lets one node run it. A checkout whose node stopped between
/// its claim and its end stays <c>executing</c>.
/// </summary>
internal sealed partial class ScheduledCheckoutRunner(EnvironmentStore environments, ScheduledCheckouts checkouts, TimeProvider time, ILogger<ScheduledCheckoutRunner> logger)
    : BackgroundService
{
    /// <summary>How often due checkouts are looked for.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var environment in await environments.ListEnvironmentsAsync(stoppingToken).ConfigureAwait(false))
                {
                    await checkouts.RunDueAsync(environment.Id, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A database fault must not stop the runner: the next round tries again.
                Log.RoundFailed(logger, e);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled checkouts: a round failed; the next one retries")]
        public static partial void RoundFailed(ILogger logger, Exception exception);
    }
}
