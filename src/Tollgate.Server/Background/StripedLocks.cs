namespace Tollgate.Server.Background;

/// <summary>
/// Serialises work on one key (a Stripe customer, a company, a credit balance) in this process. Striped: a fixed set
/// of semaphores chosen by the key's hash, so memory stays fixed however many keys there are; two keys may share a
/// stripe and wait on each other briefly, which costs latency, never correctness. Across nodes it locks nothing
/// (that is <see cref="Storage.AdvisoryLock"/>'s job, or the database's own constraints).
/// </summary>
internal sealed class StripedLocks(int stripes) : IDisposable
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, stripes).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Waits for the key's stripe; dispose the answer (once) to release it.</summary>
    public async ValueTask<Held> AcquireAsync<TKey>(TKey key, CancellationToken cancellationToken)
        where TKey : notnull
    {
        var stripe = _stripes[(int)((uint)EqualityComparer<TKey>.Default.GetHashCode(key) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Held(stripe);
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    /// <summary>A held stripe; disposing it lets the next waiter in.</summary>
    public readonly struct Held(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe?.Release();
    }
}
