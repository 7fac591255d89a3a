using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Tollgate.Server.Memory;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// The idempotency keys of the last 24 hours, per environment: the newest <see cref="MemoryOptions.IdempotencyKeys"/>
/// in memory, the older ones in <c>idempotency_claims</c>. Only the ingestion writer uses it (one thread at a time), so
/// it needs no locks; it is rebuilt at start-up from <c>idempotency_keys</c>, where every commit logs its keys as one row.
/// While every key of the window fits in memory, deduplication costs a hash lookup, not an index probe per event.
/// </summary>
/// <remarks>
/// <para>A key evicted from memory stays in <see cref="Contains"/>'s answer until a commit has written it to
/// <c>idempotency_claims</c> (<see cref="TakeSpills"/>, <see cref="Spilled"/>), so no moment exists when a retried key is
/// neither in memory nor in the store. Once a key has been written there, a key missing from memory may be in the store
/// (<see cref="MayBeInStore"/>) and the commit looks it up (<see cref="InStoreAsync"/>).</para>
/// <para>Used on SQLite only, where one process owns the database. On PostgreSQL, where several nodes may share it, the
/// window is the table <c>idempotency_claims</c> (<see cref="IdempotencyClaims"/>), so a retry reaching another node is
/// still caught.</para>
/// </remarks>
internal sealed class IdempotencyWindow(TimeProvider time, IOptions<MemoryOptions> memory)
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    /// <summary>How many evicted keys start-up writes to the store at a time.</summary>
    private const int LoadSpillBatch = 10_000;

    private readonly int _capacity = memory.Value.IdempotencyKeys;
    private readonly Dictionary<(string EnvironmentId, string Key), long> _seen = [];
    private readonly Queue<(string EnvironmentId, string Key, long ReceivedAt)> _byArrival = new();

    /// <summary>Keys evicted from <see cref="_seen"/> and not yet written to the store: still answered from here.</summary>
    private readonly Dictionary<(string EnvironmentId, string Key), long> _unspilled = [];

    /// <summary>The arrival of the newest key written to the store; while it is in the window, the store holds keys memory does not.</summary>
    private long _newestSpilledAt = long.MinValue;

    /// <summary>How many keys the window holds in memory.</summary>
    public int Count => _seen.Count + _unspilled.Count;

    /// <summary>Whether a key of the window may be in the store and not in memory.</summary>
    public bool MayBeInStore => _newestSpilledAt >= ExpiredBefore;

    /// <summary>
    /// Reads the keys of the last 24 hours from the event log, a thousand commits at a time; those past the memory limit
    /// are written to the store as they are evicted, so start-up never holds more than the limit and one batch.
    /// </summary>
    public async Task LoadAsync(Database database, CancellationToken cancellationToken)
    {
        var cutoff = ExpiredBefore;
        var after = long.MinValue;
        while (true)
        {
            IReadOnlyList<(long Seq, string EnvironmentId, long ReceivedAt, string Keys)> rows;
            await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                rows = [.. await connection.QueryAsync<(long, string, long, string)>(
                    new CommandDefinition(
                        "SELECT seq, environment_id, received_at, keys FROM idempotency_keys WHERE received_at >= @cutoff AND seq > @after ORDER BY seq LIMIT 1000",
                        new { cutoff, after },
                        cancellationToken: cancellationToken)).ConfigureAwait(false)];
            }

            foreach (var row in rows)
            {
                foreach (var key in JsonSerializer.Deserialize<string[]>(row.Keys) ?? [])
                {
                    Add(row.EnvironmentId, key, row.ReceivedAt);
                }
            }

            if (_unspilled.Count >= LoadSpillBatch || (rows.Count < 1000 && _unspilled.Count > 0))
            {
                var spills = TakeSpills();
                await database.WriteAsync(
                    async (connection, transaction) =>
                    {
                        await SpillAsync(connection, transaction, spills).ConfigureAwait(false);
                        return 0;
                    },
                    cancellationToken).ConfigureAwait(false);
                Spilled(spills);
            }

            if (rows.Count < 1000)
            {
                return;
            }

            after = rows[^1].Seq;
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

    /// <summary>True when the key was seen in the last 24 hours and is held in memory (see <see cref="MayBeInStore"/> for the rest).</summary>
    public bool Contains(string environmentId, string key) => _seen.ContainsKey((environmentId, key)) || _unspilled.ContainsKey((environmentId, key));

    /// <summary>Records a key of a committed event; past the memory limit, the oldest key waits to be written to the store.</summary>
    public void Add(string environmentId, string key, long receivedAt)
    {
        _seen[(environmentId, key)] = receivedAt;
        _byArrival.Enqueue((environmentId, key, receivedAt));
        while (_seen.Count > _capacity && _byArrival.TryDequeue(out var oldest))
        {
            // A key re-used after expiry was added again with a newer time: its older entry is stale.
            if (_seen.TryGetValue((oldest.EnvironmentId, oldest.Key), out var at) && at == oldest.ReceivedAt)
            {
                _seen.Remove((oldest.EnvironmentId, oldest.Key));
                _unspilled[(oldest.EnvironmentId, oldest.Key)] = at;
            }
        }
    }

    /// <summary>Forgets keys older than 24 hours.</summary>
    public void Prune()
    {
        var cutoff = ExpiredBefore;
        while (_byArrival.TryPeek(out var oldest) && oldest.ReceivedAt < cutoff)
        {
            _byArrival.Dequeue();
            if (_seen.TryGetValue((oldest.EnvironmentId, oldest.Key), out var at) && at == oldest.ReceivedAt)
            {
                _seen.Remove((oldest.EnvironmentId, oldest.Key));
            }
        }
    }

    /// <summary>The evicted keys still in their window, for the next commit to write (they stay in memory until <see cref="Spilled"/>).</summary>
    public IReadOnlyList<(string EnvironmentId, string Key, long ReceivedAt)> TakeSpills()
    {
        var cutoff = ExpiredBefore;
        return [.. _unspilled.Where(u => u.Value >= cutoff).Select(u => (u.Key.EnvironmentId, u.Key.Key, u.Value))];
    }

    /// <summary>The keys a committed transaction wrote to the store: memory no longer holds them.</summary>
    public void Spilled(IReadOnlyList<(string EnvironmentId, string Key, long ReceivedAt)> written)
    {
        ArgumentNullException.ThrowIfNull(written);
        foreach (var (environmentId, key, receivedAt) in written)
        {
            _unspilled.Remove((environmentId, key));
            _newestSpilledAt = Math.Max(_newestSpilledAt, receivedAt);
        }

        // Evicted keys past their window were not written and mean nothing any more.
        var cutoff = ExpiredBefore;
        foreach (var expired in _unspilled.Where(u => u.Value < cutoff).Select(u => u.Key).ToList())
        {
            _unspilled.Remove(expired);
        }
    }

    /// <summary>
    /// Writes evicted keys to <c>idempotency_claims</c>, each until its own window ends. A row of the same key whose window
    /// has passed is replaced (the key was re-used after expiry); a live one is kept, with the answer it may carry.
    /// </summary>
    public static async Task SpillAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(string EnvironmentId, string Key, long ReceivedAt)> keys)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO idempotency_claims (environment_id, idempotency_key, expires_at, answer) VALUES (@environmentId, @key, @expiresAt, NULL)
            ON CONFLICT (environment_id, idempotency_key) DO UPDATE SET expires_at = excluded.expires_at, answer = NULL
            WHERE idempotency_claims.expires_at < excluded.expires_at - @length
            """;
        var environment = Parameter(command, "@environmentId");
        var keyParameter = Parameter(command, "@key");
        var expires = Parameter(command, "@expiresAt");
        Parameter(command, "@length").Value = (long)Length.TotalMilliseconds;
        await command.PrepareAsync().ConfigureAwait(false);
        foreach (var (environmentId, key, receivedAt) in keys)
        {
            environment.Value = environmentId;
            keyParameter.Value = key;
            expires.Value = receivedAt + (long)Length.TotalMilliseconds;
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Which of <paramref name="keys"/> the store holds in their window (only asked when <see cref="MayBeInStore"/>).</summary>
    public async Task<HashSet<(string EnvironmentId, string Key)>> InStoreAsync(
        DbConnection connection, DbTransaction transaction, IEnumerable<(string EnvironmentId, string Key)> keys, long now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        var found = new HashSet<(string, string)>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM idempotency_claims WHERE environment_id = @environmentId AND idempotency_key = @key AND expires_at > @now";
        var environment = Parameter(command, "@environmentId");
        var keyParameter = Parameter(command, "@key");
        Parameter(command, "@now").Value = now;
        await command.PrepareAsync().ConfigureAwait(false);
        foreach (var (environmentId, key) in keys)
        {
            if (Contains(environmentId, key) || found.Contains((environmentId, key)))
            {
                continue;
            }

            environment.Value = environmentId;
            keyParameter.Value = key;
            if (await command.ExecuteScalarAsync().ConfigureAwait(false) is not null)
            {
                found.Add((environmentId, key));
            }
        }

        return found;
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
