namespace Tollgate.Server.Billing;

/// <summary>
/// Serializes the syncs of one Stripe customer on this node (an import and the webhook worker may reach the same
/// customer at once), so that finding-or-creating its company happens once. Striped: fixed memory, unrelated customers
/// rarely wait on each other. Across nodes the unique company keys catch a double creation and the loser is retried.
/// </summary>
internal sealed class StripeCustomerLocks : IDisposable
{
    private const int Stripes = 64;
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Waits for the customer's stripe; dispose the answer to release it.</summary>
    public async Task<IDisposable> AcquireAsync(string environmentId, string customerId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)HashCode.Combine(environmentId, customerId) % Stripes];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(stripe);
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    private sealed class Release(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
