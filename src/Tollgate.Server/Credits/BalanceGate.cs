using Tollgate.Server.Background;

namespace Tollgate.Server.Credits;

/// <summary>
/// Lets one movement per balance at a time into the database from this node. The database alone keeps movements of
/// one balance correct (the row lock, the conditional update); this only stops a burst of callers on one hot balance
/// from each holding a pooled connection while they queue for its row lock, which would drain the pool and, on a
/// shared PostgreSQL, the server's connection slots. Striped (<see cref="StripedLocks"/>), so memory stays fixed; two
/// balances may share a stripe.
/// </summary>
internal sealed class BalanceGate : IDisposable
{
    private readonly StripedLocks _stripes = new(stripes: 256);

    /// <summary>Waits for the balance's turn; dispose the answer to let the next movement in.</summary>
    public ValueTask<StripedLocks.Held> EnterAsync(BalanceKey key, CancellationToken cancellationToken) =>
        _stripes.AcquireAsync((key.EnvironmentId, key.CompanyId, key.CreditTypeId), cancellationToken);

    public void Dispose() => _stripes.Dispose();
}
