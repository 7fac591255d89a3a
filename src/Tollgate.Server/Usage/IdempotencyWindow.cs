using System.Text.Json;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// The idempotency keys of the last 24 hours, per environment, in memory. Only the ingestion writer uses it (one
/// thread at a time), so it needs no locks; it is rebuilt at start-up from <c>idempotency_keys</c>, where every commit
/// logs its keys as one row — deduplication costs a hash lookup, not a random index probe per event.
/// </summary>
/// <remarks>
/// Used on SQLite only, where one process owns the database. On PostgreSQL, where several nodes may share it, the
/// window is the table <c>idempotency_claims</c> (<see cref="IdempotencyClaims"/>), so a retry reaching another node is
/// still caught.
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
        var rows = await connection.QueryAsync<(string EnvironmentId, long ReceivedAt, string Keys)>(
            "SELECT environment_id, received_at, keys FROM idempotency_keys WHERE received_at >= @cutoff ORDER BY seq",
            new { cutoff }).ConfigureAwait(false);
        foreach (var row in rows)
        {
            foreach (var key in JsonSerializer.Deserialize<string[]>(row.Keys) ?? [])
            {
                Add(row.EnvironmentId, key, row.ReceivedAt);
            }
        }
    }

    /// <summary>The rows of <c>idempotency_keys</c> a commit writes: per environment, its new keys as a JSON array.</summary>
    public static IEnumerable<(string EnvironmentId, long ReceivedAt, string Keys)> LogRows(IEnumerable<AcceptedEvent> committed) =>
        committed
            .Where(e => e.IdempotencyKey is not null)
            .GroupBy(e => e.EnvironmentId, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Min(e => e.ReceivedAt).ToUnixTimeMilliseconds(), JsonSerializer.Serialize(g.Select(e => e.IdempotencyKey))));

    /// <summary>The arrival time before which logged keys are of no use any more.</summary>
    public long ExpiredBefore => (time.GetUtcNow() - Length).ToUnixTimeMilliseconds();

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
