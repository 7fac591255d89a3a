using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// The idempotency keys of the last 24 hours, per environment, in memory. Only the ingestion writer uses it (one
/// thread at a time), so it needs no locks; it is rebuilt at start-up from the event log, whose rows with a key are
/// indexed by arrival time — deduplication costs a hash lookup, not a random index probe per event.
/// </summary>
/// <remarks>
/// The window is per process: several Tollgate nodes on one PostgreSQL each deduplicate what they receive. A retry
/// that reaches another node than the first attempt is not caught (a gap recorded in the metering issue).
/// </remarks>
internal sealed class IdempotencyWindow(TimeProvider time)
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    private readonly Dictionary<(string EnvironmentId, string Key), long> _seen = [];
    private readonly Queue<(string EnvironmentId, string Key, long ReceivedAt)> _byArrival = new();

    /// <summary>How many keys the window holds.</summary>
    public int Count => _seen.Count;

    /// <summary>Reads the keys of the last 24 hours from the event log.</summary>
    public async Task LoadAsync(Database database, CancellationToken cancellationToken)
    {
        var cutoff = (time.GetUtcNow() - Length).ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string EnvironmentId, string Key, long ReceivedAt)>(
            """
            SELECT environment_id, idempotency_key, received_at FROM events
            WHERE idempotency_key IS NOT NULL AND received_at >= @cutoff ORDER BY received_at
            """,
            new { cutoff }).ConfigureAwait(false);
        foreach (var row in rows)
        {
            Add(row.EnvironmentId, row.Key, row.ReceivedAt);
        }
    }

    /// <summary>True when the key was seen in the last 24 hours.</summary>
    public bool Contains(string environmentId, string key) => _seen.ContainsKey((environmentId, key));

    /// <summary>Records a key of a committed event.</summary>
    public void Add(string environmentId, string key, long receivedAt)
    {
        _seen[(environmentId, key)] = receivedAt;
        _byArrival.Enqueue((environmentId, key, receivedAt));
    }

    /// <summary>Forgets keys older than 24 hours.</summary>
    public void Prune()
    {
        var cutoff = (time.GetUtcNow() - Length).ToUnixTimeMilliseconds();
        while (_byArrival.TryPeek(out var oldest) && oldest.ReceivedAt < cutoff)
        {
            _byArrival.Dequeue();
            // A key re-used after expiry was added again with a newer time: keep that one.
            if (_seen.TryGetValue((oldest.EnvironmentId, oldest.Key), out var at) && at == oldest.ReceivedAt)
            {
                _seen.Remove((oldest.EnvironmentId, oldest.Key));
            }
        }
    }
}
