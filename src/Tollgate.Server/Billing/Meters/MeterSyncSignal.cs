namespace Tollgate.Server.Billing.Meters;

/// <summary>
/// Wakes the background meter sync before its next poll: the ingestion pipeline raises it after a commit that wrote
/// meter outbox rows, so usage leaves for Stripe right away rather than within a poll interval. Wakes coalesce.
/// </summary>
internal sealed class MeterSyncSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Asks for a pass soon; never blocks.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake is already pending: one pass serves both.
        }
        catch (ObjectDisposedException)
        {
            // The server is shutting down: there is no sync left to wake.
        }
    }

    /// <summary>Waits for a wake or for <paramref name="timeout"/>, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _wake.Dispose();
}
