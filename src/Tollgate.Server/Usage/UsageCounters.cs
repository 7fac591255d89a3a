using Microsoft.Extensions.Options;
using Tollgate.Server.Memory;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>One change to a stored counter, folded from the events of a commit.</summary>
internal readonly record struct CounterKey(string EnvironmentId, string CompanyId, string Subtype, UsagePeriod Period, long Bucket);

/// <summary>
/// The usage counters of the companies checks have asked about, kept equal to the stored ones: a company is loaded
/// from the store's aggregates (<c>usage_counters</c>) on first use, and every later commit of events adds its deltas
/// here. At most <see cref="MemoryOptions.UsageCompanies"/> companies are held; past that the least recently used are
/// evicted (<see cref="ClockCache{TKey, TValue}"/>) and loaded again on their next use.
/// </summary>
/// <remarks>
/// Loading, evicting and committing are ordered by one gate (<see cref="CounterGate"/>): were a load to read the store
/// between a commit and the application of its deltas, the deltas would be counted twice; were it to register after the
/// deltas were applied to the (then missing) company, they would be lost. Commits overlap one another (several writers on
/// PostgreSQL); a load waits until none is in flight. Eviction happens only inside a load (the cache is full), so
/// outside every commit too: a commit's deltas reach either the evicted counters before they go (and the store has them)
/// or no counters at all (and the next load reads them from the store). Evicted counters are
/// <see cref="CompanyUsage.Retired"/>, so a view still holding them reloads before it answers. Loads are rare and brief,
/// so writers rarely wait.
/// </remarks>
internal sealed class UsageCounters : IDisposable
{
    /// <summary>
    /// The most a counter holds: <see cref="long.MaxValue"/> less the largest quantity one event may report, so that a
    /// check adding a preflight quantity to a full counter (the engine adds without overflow checks, as Schematic's
    /// does) still cannot wrap around. The largest quantity (10¹²) is far above real usage and small enough that a group
    /// commit's sum cannot overflow either. An event that would take a counter past the ceiling is refused
    /// (<see cref="CommitPlan"/>); the stores refuse it too (<see cref="EventLogWriter"/>).
    /// </summary>
    public const long Ceiling = long.MaxValue - EventIntake.MaxQuantity;

    private readonly ClockCache<(string EnvironmentId, string CompanyId), CompanyUsage> _companies;
    private readonly CounterGate _gate = new();
    private readonly Database _database;
    private readonly TimeProvider _time;

    public UsageCounters(Database database, ChangeFeed changes, TimeProvider time, IOptions<MemoryOptions> memory)
    {
        (_database, _time) = (database, time);
        _companies = new ClockCache<(string, string), CompanyUsage>(
            memory.Value.UsageCompanies, (_, evicted) => evicted.Retire(), takeValueReference: usage => usage.TakeUsed());
        changes.Subscribe(ApplyAsync);
    }

    /// <summary>How many companies' counters are held (for metrics and tests; not for a hot path).</summary>
    public int HeldCount => _companies.Count;

    /// <summary>How many companies' counters were evicted since start-up.</summary>
    public long Evictions => _companies.Evictions;

    /// <summary>The company's counters, loading them on first use.</summary>
    public async ValueTask<CompanyUsage> ForCompanyAsync(string environmentId, string companyId, CancellationToken cancellationToken)
    {
        if (_companies.TryGet((environmentId, companyId), out var usage))
        {
            return usage;
        }

        await _gate.EnterReadAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_companies.TryGet((environmentId, companyId), out usage))
            {
                return usage;
            }

            return Register(environmentId, companyId, await ReadAsync(environmentId, companyId, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _gate.ExitRead();
        }
    }

    /// <summary>Holds a company's counters as read from the store; called inside the read gate.</summary>
    private CompanyUsage Register(string environmentId, string companyId, IEnumerable<(string Subtype, UsagePeriod Period, long Bucket, long Value)> rows)
    {
        var usage = CompanyUsage.Empty();
        usage.Replace(rows);
        _companies.Set((environmentId, companyId), usage);
        return usage;
    }

    /// <summary>
    /// <see cref="ForCompanyAsync"/> with the counters read as one part of <paramref name="batch"/> (the caller runs it)
    /// when the company is not held: the answer is a task that completes once the batch has read them. The read gate is
    /// held from now until that part is settled, so the caller adds this part first and runs the batch at once.
    /// </summary>
    public async ValueTask<Task<CompanyUsage>> ForCompanyInAsync(ReadBatch batch, string environmentId, string companyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_companies.TryGet((environmentId, companyId), out var usage))
        {
            return Task.FromResult(usage);
        }

        await _gate.EnterReadAsync(cancellationToken).ConfigureAwait(false);
        if (_companies.TryGet((environmentId, companyId), out usage))
        {
            _gate.ExitRead();
            return Task.FromResult(usage);
        }

        return AddRead(batch, environmentId, companyId, rows => Register(environmentId, companyId, Held(rows)), _gate.ExitRead);
    }

    /// <summary>Reads a company's counters from the store again, if it is held here (another node may have added to them).</summary>
    public async Task RefreshAsync(string environmentId, string companyId, CancellationToken cancellationToken)
    {
        await _gate.EnterReadAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_companies.TryGet((environmentId, companyId), out var usage))
            {
                usage.Replace(await ReadAsync(environmentId, companyId, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            _gate.ExitRead();
        }
    }

    /// <summary>
    /// Another node committed usage (or notices were missed): the companies held here are read again. This node's own
    /// commits are already added by <see cref="CommitAsync"/>.
    /// </summary>
    private async Task ApplyAsync(Change change, CancellationToken cancellationToken)
    {
        var everything = change.Kind == ChangeKind.Everything;
        if (!everything && !(change.Kind == ChangeKind.Usage && change.FromOtherNode))
        {
            return;
        }

        await _gate.EnterReadAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The changed ids are looked up, not searched for among every company held: a merged notice may name many.
            var held = everything ? _companies.Snapshot().Where(c => change.ResetsEnvironment(c.Key.EnvironmentId)).ToList() : [];
            foreach (var id in everything ? [] : change.Ids)
            {
                if (_companies.TryGet((change.EnvironmentId, id), out var one))
                {
                    held.Add(KeyValuePair.Create((change.EnvironmentId, id), one));
                }
            }

            foreach (var (key, usage) in held)
            {
                usage.Replace(await ReadAsync(key.EnvironmentId, key.CompanyId, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            _gate.ExitRead();
        }
    }

    private async Task<IEnumerable<(string Subtype, UsagePeriod Period, long Bucket, long Value)>> ReadAsync(
        string environmentId, string companyId, CancellationToken cancellationToken)
    {
        using var batch = new ReadBatch();
        var rows = AddRead(batch, environmentId, companyId, Held);
        await batch.RunAsync(_database, cancellationToken).ConfigureAwait(false);
        return await rows.ConfigureAwait(false);
    }

    /// <summary>Adds the read of a company's counters that a check can use (current buckets and all-time) to a batch.</summary>
    private Task<T> AddRead<T>(ReadBatch batch, string environmentId, string companyId, Func<IReadOnlyList<(string Subtype, long Period, long Bucket, long Value)>, T> map, Action? settled = null) =>
        batch.Add(
            p => $"""
                SELECT event_subtype, period, bucket, value FROM {_database.Dialect.CountersByCompany}
                WHERE environment_id = {p.Value(environmentId)} AND company_id = {p.Value(companyId)} AND (bucket = 0 OR bucket > {p.Value(_time.GetUtcNow().ToUnixTimeMilliseconds())})
                """,
            map,
            settled);

    /// <summary>
    /// Counter rows as held: each row reads its own copy of the subtype, held for as long as the company is warm, so one
    /// shared copy is kept.
    /// </summary>
    private static IEnumerable<(string Subtype, UsagePeriod Period, long Bucket, long Value)> Held(IEnumerable<(string Subtype, long Period, long Bucket, long Value)> rows) =>
        rows.Select(r => (SharedStrings.Of(r.Subtype), (UsagePeriod)r.Period, r.Bucket, r.Value));

    /// <summary>Runs the commit <paramref name="write"/>, then adds the deltas it answers to the companies in memory.</summary>
    public async Task CommitAsync(Func<Task<IReadOnlyDictionary<CounterKey, long>>> write)
    {
        await _gate.EnterCommitAsync().ConfigureAwait(false);
        try
        {
            var deltas = await write().ConfigureAwait(false);
            var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (key, delta) in deltas)
            {
                // Ended buckets are never read again; the stored counter has them for history.
                if ((key.Bucket == UsagePeriods.Forever || key.Bucket > nowMs)
                    && _companies.TryGet((key.EnvironmentId, key.CompanyId), out var usage))
                {
                    usage.Add(key.Subtype, key.Period, key.Bucket, delta);
                }
            }
        }
        finally
        {
            await _gate.ExitCommitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Forgets a company (deleted): its counters stay stored.</summary>
    public void Forget(string environmentId, string companyId)
    {
        if (_companies.Remove((environmentId, companyId), out var usage))
        {
            usage.Retire();
        }
    }

    public void Dispose() => _gate.Dispose();
}
