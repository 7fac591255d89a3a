namespace Tollgate.Server.Background;

/// <summary>
/// Wakes a background loop before its next poll (the webhook worker after a delivery, the meter sync after a commit
/// that wrote billable usage). Wakes coalesce: several before the loop looks serve one pass. One loop waits on a
/// signal: a wake releases one waiter.
/// </summary>
internal class WakeSignal : IDisposable
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
            // The server is shutting down: there is no loop left to wake.
        }
    }

    /// <summary>Waits for a wake or for <paramref name="timeout"/>, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    public void Dispose()
    {
        _wake.Dispose();
        GC.SuppressFinalize(this);
    }
}
