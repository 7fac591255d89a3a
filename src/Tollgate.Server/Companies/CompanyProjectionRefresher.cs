using System.Diagnostics;
using Dapper;
using Tollgate.Server.Background;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// Keeps a table of rows per company (a projection: the company directory, the insight signals) equal to the companies,
/// as one more subscriber of the change feed (DESIGN.md "How data flows", step 5). A company changed on any node, or
/// whose usage was committed, is queued and written again in the background; a catalog change (a limit moved) rewrites
/// every row of the environment, in batches of companies in id order; rows whose standing lapses with time (a period
/// resets, an override expires, a day passes) are written again once due, a bounded number of batches per pass. On
/// start, an environment whose row count differs from its company count is rebuilt.
/// Rebuilds run in a loop of their own beside the passes of queued and lapsed companies, so a rebuild of a million
/// companies (hours on a busy node) never holds up a queued company's row, nor a reader: a reader waits for the changes
/// its node heard of before it (and for the rebuilds those changes asked for), never for a start-up rebuild.
/// </summary>
/// <remarks>
/// Every node applies every change, its own and the other nodes' (as <c>EnvironmentRuntime</c> follows the feed), so a
/// node that stops between a commit and its refresh leaves nothing behind: the other nodes write those rows, and a
/// reader on any node catches up with what its node has heard of. Nodes sharing a PostgreSQL thus write the same rows
/// more than once; each write is computed from the store after the change's commit, so a row written from an older
/// read is written again by the pass that follows the newer change on that node. Passes run one at a time, and so do
/// rebuilds; a rebuild batch may write a company a pass writes too, so the companies changed while a rebuild batch was
/// between its read and its write are queued again after that write: the last write of a row is then always computed
/// from a read after its company's last change.
/// </remarks>
internal abstract partial class CompanyProjectionRefresher : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    // After a pass that left lapsed rows behind, the next one starts this soon.
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(1);

    // Passes for changes alone start at most this often: under ingestion every commit changes the usage of the
    // companies it counts, and a pass per commit would read and write their rows again and again. A reader that waits
    // (CatchUpAsync) starts a pass at once.
    private static readonly TimeSpan MinPassInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly WakeSignal _wake = new();
    private readonly Dictionary<string, HashSet<string>> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rebuild = new(StringComparer.Ordinal);
    private readonly WakeSignal _rebuildWake = new();
    private readonly WakeSignal _readerWake = new();
    private readonly EnvironmentStore _environments;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _requested;
    private long _completed;

    // Rebuilds asked for by the change feed (a catalog change), and how many of them are done; start-up rebuilds do not count.
    private long _rebuildsRequested;
    private long _rebuildsCompleted;

    // Rebuild passes in a row with a failure (the rebuild loop's own; 0 after a pass without one).
    private int _rebuildFailures;

    // The companies changed (per environment) since the rebuild batch in flight read its companies; null between batches.
    private Dictionary<string, HashSet<string>>? _changedDuringBatch;
    // The pass that must end before a reader goes: the last one asked for by a rebuild batch that re-queued companies.
    private long _followUpPass;
    private TaskCompletionSource _passDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected CompanyProjectionRefresher(ResourceStore store, EnvironmentStore environments, ChangeFeed changes, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(changes);
        (Store, _environments, _time, _logger) = (store, environments, time, logger);
        changes.Subscribe(OnChangeAsync);
    }

    /// <summary>The store the companies are read from.</summary>
    protected ResourceStore Store { get; }

    /// <summary>How many companies are written at a time.</summary>
    protected abstract int BatchSize { get; }

    /// <summary>At most this many batches of lapsed rows per pass, so queued companies are not kept waiting behind them.</summary>
    protected virtual int StaleBatchesPerPass => 1;

    /// <summary>What the rows are, for the log: "company directory".</summary>
    protected abstract string Projection { get; }

    /// <summary>Whether a change of companies of this kind may change their rows (besides catalog and full changes).</summary>
    protected virtual bool Follows(ChangeKind kind) => kind is ChangeKind.Company or ChangeKind.Usage;

    /// <summary>Writes the rows of <paramref name="companies"/>, and deletes those of the companies in <paramref name="askedFor"/> that are gone.</summary>
    protected abstract Task WriteAsync(string environmentId, IReadOnlyList<CompanyRecord> companies, IReadOnlyCollection<string> askedFor, CancellationToken cancellationToken);

    /// <summary>Deletes the rows whose company no longer exists (after a rebuild).</summary>
    protected abstract Task DeleteOrphansAsync(string environmentId, CancellationToken cancellationToken);

    /// <summary>How many rows and how many companies the environment has: a rebuild is due when they differ.</summary>
    protected abstract Task<(long Rows, long Companies)> SizesAsync(string environmentId, CancellationToken cancellationToken);

    /// <summary>Companies whose rows have lapsed by <paramref name="now"/>, at most <paramref name="limit"/>.</summary>
    protected abstract Task<IReadOnlyList<(string EnvironmentId, string CompanyId)>> StaleAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until what was queued before this call is written (and lapsed rows due now with it), and the rebuilds the
    /// change feed asked for before it are done, for at most <paramref name="timeout"/>: a reader sees its own node's
    /// writes. A start-up rebuild is not waited for: a read during it answers at once with the rows built so far.
    /// Answers whether it caught up.
    /// </summary>
    public async Task<bool> CatchUpAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long target;
        long rebuildTarget;
        lock (_lock)
        {
            target = ++_requested;
            rebuildTarget = _rebuildsRequested;
        }

        _wake.Wake();
        _readerWake.Wake();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                Task done;
                lock (_lock)
                {
                    if (_completed >= target && _rebuildsCompleted >= rebuildTarget && _completed >= _followUpPass)
                    {
                        return true;
                    }

                    done = _passDone.Task;
                }

                await done.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Writes the rows of these companies now (deleting those of companies gone).</summary>
    public async Task RefreshAsync(string environmentId, IReadOnlyCollection<string> companyIds, CancellationToken cancellationToken)
    {
        var companies = await Store.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyIds, cancellationToken).ConfigureAwait(false);
        await WriteAsync(environmentId, companies, companyIds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a rebuild of the environment does first (nothing here).</summary>
    protected virtual Task BeforeRebuildAsync(string environmentId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Writes every row of the environment again, in batches of companies in id order: each batch is read in a few
    /// queries (documents here, then the overrides, counters and balances of all its companies in <see cref="WriteAsync"/>),
    /// worked out in memory by the same code as a single company's refresh, and written in one transaction of multi-row
    /// statements.
    /// </summary>
    public async Task RebuildAsync(string environmentId, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        long companies = 0;
        await BeforeRebuildAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var after = string.Empty;
        while (true)
        {
            lock (_lock)
            {
                _changedDuringBatch = new(StringComparer.Ordinal);
            }

            await using var connection = await Store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var batch = (await connection.QueryAsync<(string Id, string Data)>(new CommandDefinition(
                $"SELECT id, data FROM resources WHERE environment_id = @environmentId AND kind = '{ResourceKinds.Company}' AND id > @after ORDER BY id LIMIT {BatchSize}",
                new { environmentId, after },
                cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            await connection.DisposeAsync().ConfigureAwait(false);
            if (batch.Count == 0)
            {
                QueueChangedDuringBatch();
                break;
            }

            await WriteAsync(environmentId, [.. batch.Select(b => StoredJson.Deserialize<CompanyRecord>(b.Data))], [], cancellationToken).ConfigureAwait(false);
            after = batch[^1].Id;
            companies += batch.Count;
            QueueChangedDuringBatch();
        }

        await DeleteOrphansAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var seconds = _time.GetElapsedTime(started).TotalSeconds;
        var perSecond = companies / Math.Max(seconds, 0.001);
        LogRebuilt(_logger, Projection, environmentId, companies, seconds, perSecond);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await QueueRebuildsOfMismatchedAsync(stoppingToken).ConfigureAwait(false);
            await Task.WhenAll(RebuildLoopAsync(stoppingToken), PassLoopAsync(stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        _rebuildWake.Dispose();
        _readerWake.Dispose();
        base.Dispose();
    }

    /// <summary>Passes over the queued and lapsed companies, one at a time, until stopped.</summary>
    private async Task PassLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            long target;
            lock (_lock)
            {
                target = _requested;
            }

            var started = Stopwatch.GetTimestamp();
            var more = await PassAsync(stoppingToken).ConfigureAwait(false);
            bool readerWaits;
            lock (_lock)
            {
                _completed = Math.Max(_completed, target);
                SignalProgress();
                readerWaits = _requested > _completed;
            }

            // Real time, not the TimeProvider's: the interval bounds the work per second, whatever the clock says.
            var rest = MinPassInterval - Stopwatch.GetElapsedTime(started);
            if (!readerWaits && rest > TimeSpan.Zero)
            {
                await _readerWake.WaitAsync(rest, stoppingToken).ConfigureAwait(false);
            }

            await _wake.WaitAsync(more ? Soon : Poll, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the rebuilds queued, one environment at a time, until stopped.</summary>
    private async Task RebuildLoopAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            List<string> rebuild;
            long target;
            lock (_lock)
            {
                rebuild = [.. _rebuild];
                _rebuild.Clear();
                target = _rebuildsRequested;
            }

            var failed = false;
            foreach (var environmentId in rebuild)
            {
                if (!await SafelyAsync(environmentId, () => RebuildAsync(environmentId, stoppingToken)).ConfigureAwait(false))
                {
                    // Its rows stay incomplete until a rebuild succeeds: it is tried again, later and later.
                    failed = true;
                    lock (_lock)
                    {
                        _rebuild.Add(environmentId);
                    }
                }
            }

            _rebuildFailures = failed ? _rebuildFailures + 1 : 0;

            lock (_lock)
            {
                _changedDuringBatch = null;
                _rebuildsCompleted = Math.Max(_rebuildsCompleted, target);
                SignalProgress();
            }

            await _rebuildWake.WaitAsync(_rebuildFailures == 0 ? Poll : RetryDelay(_rebuildFailures), stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>The wait before trying a failed rebuild or size check again: 10 s, doubling, at most 10 minutes.</summary>
    private static TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromSeconds(Math.Min(10 * Math.Pow(2, Math.Min(failures - 1, 16)), 600));

    /// <summary>Wakes the readers waiting for a pass or a rebuild to end. Called under the lock.</summary>
    private void SignalProgress()
    {
        var done = _passDone;
        _passDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
    }

    /// <summary>Queues again the companies changed while the rebuild batch just written was between its read and its write.</summary>
    private void QueueChangedDuringBatch()
    {
        lock (_lock)
        {
            foreach (var (environmentId, ids) in _changedDuringBatch ?? [])
            {
                IdsOf(_dirty, environmentId).UnionWith(ids);
            }

            // The batch may have written these companies' rows from documents read before their change: until a pass
            // writes them again, a reader must not be let go by this rebuild's end (its own pass may have ended first).
            if (_changedDuringBatch is { Count: > 0 })
            {
                _followUpPass = ++_requested;
            }

            _changedDuringBatch = null;
        }

        _wake.Wake();
    }

    /// <summary>The company ids of an environment in <paramref name="byEnvironment"/>, an empty set added when it has none.</summary>
    private static HashSet<string> IdsOf(Dictionary<string, HashSet<string>> byEnvironment, string environmentId)
    {
        if (!byEnvironment.TryGetValue(environmentId, out var ids))
        {
            byEnvironment[environmentId] = ids = new HashSet<string>(StringComparer.Ordinal);
        }

        return ids;
    }

    /// <summary>
    /// One pass: the companies queued, then the rows lapsed by now (at most <see cref="StaleBatchesPerPass"/> batches);
    /// answers whether lapsed rows remain. A company is written even while its environment is being rebuilt: the
    /// rebuild may have passed it already.
    /// </summary>
    private async Task<bool> PassAsync(CancellationToken cancellationToken)
    {
        List<(string EnvironmentId, List<string> Ids)> dirty;
        lock (_lock)
        {
            dirty = [.. _dirty.Select(d => (d.Key, d.Value.ToList()))];
            _dirty.Clear();
        }

        foreach (var (environmentId, ids) in dirty)
        {
            foreach (var chunk in ids.Chunk(BatchSize))
            {
                await SafelyAsync(environmentId, () => RefreshAsync(environmentId, chunk, cancellationToken)).ConfigureAwait(false);
            }
        }

        for (var batch = 0; batch < StaleBatchesPerPass; batch++)
        {
            var stale = await SafelyAsync(string.Empty, () => StaleAsync(_time.GetUtcNow(), BatchSize, cancellationToken)).ConfigureAwait(false);
            if (stale is null || stale.Count == 0)
            {
                return false;
            }

            foreach (var group in stale.GroupBy(s => s.EnvironmentId, StringComparer.Ordinal))
            {
                await SafelyAsync(group.Key, () => RefreshAsync(group.Key, [.. group.Select(s => s.CompanyId)], cancellationToken)).ConfigureAwait(false);
            }

            if (stale.Count < BatchSize)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Queues a rebuild of every environment whose row count differs from its company count. A check that fails (the
    /// database unreachable at start, a count that outlasts its timeout) is tried again, later and later, until it is
    /// known: an environment is never left half-built because its check failed once.
    /// </summary>
    private async Task QueueRebuildsOfMismatchedAsync(CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            var environments = await SafelyAsync(string.Empty, () => _environments.ListEnvironmentsAsync(cancellationToken)).ConfigureAwait(false);
            var unknown = environments is null;
            foreach (var environment in environments ?? [])
            {
                // Nullable, so that a failed check (null) is told from one that found both counts 0.
                var sizes = await SafelyAsync<(long Rows, long Companies)?>(
                    environment.Id, async () => await SizesAsync(environment.Id, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                unknown |= sizes is null;
                if (sizes is { } s && s.Rows != s.Companies)
                {
                    lock (_lock)
                    {
                        _rebuild.Add(environment.Id);
                    }
                }
            }

            _rebuildWake.Wake();
            if (!unknown)
            {
                return;
            }

            await Task.Delay(RetryDelay(failures), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task OnChangeAsync(Change change, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            switch (change.Kind)
            {
                case var kind when Follows(kind):
                    IdsOf(_dirty, change.EnvironmentId).UnionWith(change.Ids);
                    if (_changedDuringBatch is { } changed)
                    {
                        IdsOf(changed, change.EnvironmentId).UnionWith(change.Ids);
                    }

                    _wake.Wake();
                    return Task.CompletedTask;
                case ChangeKind.Catalog:
                    _rebuild.Add(change.EnvironmentId);
                    _rebuildsRequested++;
                    break;
                case ChangeKind.Everything when change.EnvironmentId == Change.AllEnvironments:
                    _ = Task.Run(() => QueueRebuildsOfEveryAsync(), CancellationToken.None);
                    return Task.CompletedTask;
                case ChangeKind.Everything:
                    _rebuild.Add(change.EnvironmentId);
                    _rebuildsRequested++;
                    break;
                default:
                    return Task.CompletedTask;
            }
        }

        _rebuildWake.Wake();
        return Task.CompletedTask;
    }

    private async Task QueueRebuildsOfEveryAsync()
    {
        var environments = await SafelyAsync(string.Empty, () => _environments.ListEnvironmentsAsync(CancellationToken.None)).ConfigureAwait(false);
        lock (_lock)
        {
            _rebuild.UnionWith((environments ?? []).Select(e => e.Id));
            _rebuildsRequested++;
        }

        _rebuildWake.Wake();
    }

    /// <summary>Runs a step; a failure is logged and the rows it would have written wait for their next change or lapse.</summary>
    private async Task<T?> SafelyAsync<T>(string environmentId, Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // One environment's failure (database unreachable…) must not stop the rows of the others.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFailed(_logger, exception, Projection, environmentId);
            return default;
        }
    }

    private Task<bool> SafelyAsync(string environmentId, Func<Task> step) => SafelyAsync(environmentId, async () =>
    {
        await step().ConfigureAwait(false);
        return true;
    });

    /// <summary>
    /// Logs (at Debug) how long each phase of writing a batch took: what to profile a rebuild with
    /// (<c>Logging:LogLevel:Tollgate.Server.Companies=Debug</c> and the like).
    /// </summary>
    protected void LogBatchPhases(int companies, long started, long read, long computed, long written)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var readMs = _time.GetElapsedTime(started, read).TotalMilliseconds;
            var computeMs = _time.GetElapsedTime(read, computed).TotalMilliseconds;
            var writeMs = _time.GetElapsedTime(computed, written).TotalMilliseconds;
            LogPhases(_logger, Projection, companies, readMs, computeMs, writeMs);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Projection}: {Companies} companies read in {ReadMs:F0} ms, worked out in {ComputeMs:F0} ms, written in {WriteMs:F0} ms")]
    private static partial void LogPhases(ILogger logger, string projection, int companies, double readMs, double computeMs, double writeMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Projection} of environment {EnvironmentId} was rebuilt: {Companies} companies in {Seconds:F1} s ({PerSecond:F0} a second)")]
    private static partial void LogRebuilt(ILogger logger, string projection, string environmentId, long companies, double seconds, double perSecond);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Projection} of environment {EnvironmentId} could not be refreshed; its rows wait for their next change or lapse")]
    private static partial void LogFailed(ILogger logger, Exception exception, string projection, string environmentId);
}
