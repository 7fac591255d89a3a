using Tollgate.Server.Background;

namespace Tollgate.Server.Billing;

/// <summary>
/// Serializes the syncs of one Stripe customer on this node (an import and the webhook worker may reach the same
/// customer at once), so that finding-or-creating its company happens once. Striped (<see cref="StripedLocks"/>):
/// fixed memory, unrelated customers rarely wait on each other. Across nodes the unique company keys catch a double
/// creation and the loser is retried.
/// </summary>
internal sealed class StripeCustomerLocks : IDisposable
{
    private readonly StripedLocks _locks = new(stripes: 64);

    /// <summary>Waits for the customer's stripe; dispose the answer to release it.</summary>
    public ValueTask<StripedLocks.Held> AcquireAsync(string environmentId, string customerId, CancellationToken cancellationToken) =>
        _locks.AcquireAsync((environmentId, customerId), cancellationToken);

    public void Dispose() => _locks.Dispose();
}
