using System.Collections.Concurrent;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>One change to a stored counter, folded from the events of a commit.</summary>
internal readonly record struct CounterKey(string EnvironmentId, string CompanyId, string Subtype, UsagePeriod Period, long Bucket);

/// <summary>
/// The usage counters of the companies checks have asked about, kept equal to the stored ones: a company is loaded
/// from the store on first use, and every later commit of events adds its deltas here.
/// </summary>
/// <remarks>
/// Loading and committing are serialised by one gate: were a load to read the store between a commit and the
/// application of its deltas, the deltas would be counted twice; were it to register after the deltas were applied to
/// the (then missing) company, they would be lost. Loads are rare (once per company) and brief, so the writer rarely
/// waits.
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

    private readonly ConcurrentDictionary<(string EnvironmentId, string CompanyId), CompanyUsage> _companies = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Database _database;
    private readonly TimeProvider _time;

    public UsageCounters(Database database, ChangeFeed changes, TimeProvider time)
    {
        (_database, _time) = (database, time);
        changes.Subscribe(ApplyAsync);
    }

    /// <summary>The company's counters, loading them on first use.</summary>
    public async ValueTask<CompanyUsage> ForCompanyAsync(string environmentId, string companyId, CancellationToken cancellationToken)
    {
        if (_companies.TryGetValue((environmentId, companyId), out var usage))
        {
            return usage;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_companies.TryGetValue((environmentId, companyId), out usage))
            {
                return usage;
            }

            usage = CompanyUsage.Empty();
            usage.Replace(await ReadAsync(environmentId, companyId, cancellationToken).ConfigureAwait(false));
            _companies[(environmentId, companyId)] = usage;
            return usage;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads a company's counters from the store again, if it is held here (another node may have added to them).</summary>
    public async Task RefreshAsync(string environmentId, string companyId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_companies.TryGetValue((environmentId, companyId), out var usage))
            {
                usage.Replace(await ReadAsync(environmentId, companyId, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            _gate.Release();
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

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var held = _companies.Where(c => everything
                ? change.ResetsEnvironment(c.Key.EnvironmentId)
                : c.Key.EnvironmentId == change.EnvironmentId && change.Ids.Contains(c.Key.CompanyId));
            foreach (var (key, usage) in held.ToList())
            {
                usage.Replace(await ReadAsync(key.EnvironmentId, key.CompanyId, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IEnumerable<(string Subtype, UsagePeriod Period, long Bucket, long Value)>> ReadAsync(
        string environmentId, string companyId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Subtype, long Period, long Bucket, long Value)>(
            new CommandDefinition(
                """
                SELECT event_subtype, period, bucket, value FROM usage_counters
                WHERE environment_id = @environmentId AND company_id = @companyId AND (bucket = 0 OR bucket > @now)
                """,
                new { environmentId, companyId, now = _time.GetUtcNow().ToUnixTimeMilliseconds() },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => (r.Subtype, (UsagePeriod)r.Period, r.Bucket, r.Value));
    }

    /// <summary>Runs the commit <paramref name="write"/>, then adds the deltas it answers to the companies in memory.</summary>
    public async Task CommitAsync(Func<Task<IReadOnlyDictionary<CounterKey, long>>> write)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var deltas = await write().ConfigureAwait(false);
            var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (key, delta) in deltas)
            {
                // Ended buckets are never read again; the stored counter has them for history.
                if ((key.Bucket == UsagePeriods.Forever || key.Bucket > nowMs)
                    && _companies.TryGetValue((key.EnvironmentId, key.CompanyId), out var usage))
                {
                    usage.Add(key.Subtype, key.Period, key.Bucket, delta);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets a company (deleted): its counters stay stored.</summary>
    public void Forget(string environmentId, string companyId) => _companies.TryRemove((environmentId, companyId), out _);

    public void Dispose() => _gate.Dispose();
}
