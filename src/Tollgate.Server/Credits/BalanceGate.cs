namespace Tollgate.Server.Credits;

/// <summary>
/// Lets one movement per balance at a time into the database from this node. The database alone keeps movements of
/// one balance correct (the row lock, the conditional update); this only stops a burst of callers on one hot balance
/// from each holding a pooled connection while they queue for its row lock, which would drain the pool and, on a
/// shared PostgreSQL, the server's connection slots. Striped, so memory stays fixed; two balances may share a stripe.
/// </summary>
internal sealed class BalanceGate : IDisposable
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Waits for the balance's turn; dispose the answer to give it up.</summary>
    public async Task<Turn> EnterAsync(BalanceKey key, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(int)((uint)HashCode.Combine(key.EnvironmentId, key.CompanyId, key.CreditTypeId) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Turn(stripe);
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    /// <summary>A balance's turn; disposing it lets the next movement in.</summary>
    public readonly struct Turn(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
