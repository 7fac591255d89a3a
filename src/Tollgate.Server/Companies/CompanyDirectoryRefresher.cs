using Dapper;
using Tollgate.Server.Background;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Companies;

/// <summary>
/// Keeps <c>company_directory</c> equal to the companies, their overrides, plans and usage (DESIGN.md "How data flows",
/// step 5: it is one more subscriber of the change feed). A company changed on any node, or whose usage was committed, is
/// queued and written again in the background; a catalog change (a limit moved) rewrites every row of the environment;
/// rows whose standing lapses with time (a period resets, an override expires) are written again once due. On start, an
/// environment whose row count differs from its company count is rebuilt.
/// </summary>
/// <remarks>
/// Every node applies every change, its own and the other nodes' (as <c>EnvironmentRuntime</c> follows the feed), so a
/// node that stops between a commit and its refresh leaves nothing behind: the other nodes write those rows, and a
/// reader on any node catches up with what its node has heard of. Nodes sharing a PostgreSQL thus write the same rows
/// more than once; each write is computed from the store after the change's commit, so a row written from an older
/// read is written again by the pass that follows the newer change on that node. Every pass runs alone, so a company
/// is never written by two passes of one node at once.
/// </remarks>
internal sealed partial class CompanyDirectoryRefresher : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly WakeSignal _wake = new();
    private readonly Dictionary<string, HashSet<string>> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rebuild = new(StringComparer.Ordinal);
    private readonly ResourceStore _store;
    private readonly CompanyDirectoryStore _directory;
    private readonly RuntimeRegistry _runtimes;
    private readonly EnvironmentStore _environments;
    private readonly TimeProvider _time;
    private readonly ILogger<CompanyDirectoryRefresher> _logger;
    private long _requested;
    private long _completed;
    private TaskCompletionSource _passDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CompanyDirectoryRefresher(
        ResourceStore store, CompanyDirectoryStore directory, RuntimeRegistry runtimes, EnvironmentStore environments, ChangeFeed changes, TimeProvider time, ILogger<CompanyDirectoryRefresher> logger)
    {
        (_store, _directory, _runtimes, _environments, _time, _logger) = (store, directory, runtimes, environments, time, logger);
        changes.Subscribe(OnChangeAsync);
    }

    /// <summary>
    /// Waits until what was queued before this call is written (and lapsed rows due now with it), for at most
    /// <paramref name="timeout"/>: a reader sees its own node's writes. Answers whether it caught up.
    /// </summary>
    public async Task<bool> CatchUpAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long target;
        lock (_lock)
        {
            target = ++_requested;
        }

        _wake.Wake();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                Task done;
                lock (_lock)
                {
                    if (_completed >= target)
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
        var catalog = await _runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var companies = await _store.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyIds, cancellationToken).ConfigureAwait(false);
        await WriteAsync(environmentId, catalog, companies, companyIds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes every row of the environment again, in batches of companies in id order.</summary>
    public async Task RebuildAsync(string environmentId, CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            var catalog = await _runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
            await using var connection = await _store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var batch = (await connection.QueryAsync<(string Id, string Data)>(new CommandDefinition(
                $"SELECT id, data FROM resources WHERE environment_id = @environmentId AND kind = '{ResourceKinds.Company}' AND id > @after ORDER BY id LIMIT {BatchSize}",
                new { environmentId, after },
                cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            await connection.DisposeAsync().ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            await WriteAsync(environmentId, catalog, [.. batch.Select(b => StoredJson.Deserialize<CompanyRecord>(b.Data))], [], cancellationToken).ConfigureAwait(false);
            after = batch[^1].Id;
        }

        await _directory.DeleteOrphansAsync(environmentId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await QueueRebuildsOfMismatchedAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                long target;
                lock (_lock)
                {
                    target = _requested;
                }

                await PassAsync(stoppingToken).ConfigureAwait(false);
                lock (_lock)
                {
                    _completed = Math.Max(_completed, target);
                    var done = _passDone;
                    _passDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    done.SetResult();
                }

                await _wake.WaitAsync(Poll, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>One pass: the rebuilds queued, then the companies queued, then the rows lapsed by now.</summary>
    private async Task PassAsync(CancellationToken cancellationToken)
    {
        List<string> rebuild;
        List<(string EnvironmentId, List<string> Ids)> dirty;
        lock (_lock)
        {
            rebuild = [.. _rebuild];
            dirty = [.. _dirty.Where(d => !_rebuild.Contains(d.Key)).Select(d => (d.Key, d.Value.ToList()))];
            _rebuild.Clear();
            _dirty.Clear();
        }

        foreach (var environmentId in rebuild)
        {
            await SafelyAsync(environmentId, () => RebuildAsync(environmentId, cancellationToken)).ConfigureAwait(false);
        }

        foreach (var (environmentId, ids) in dirty)
        {
            foreach (var chunk in ids.Chunk(BatchSize))
            {
                await SafelyAsync(environmentId, () => RefreshAsync(environmentId, chunk, cancellationToken)).ConfigureAwait(false);
            }
        }

        var stale = await SafelyAsync(string.Empty, () => _directory.StaleAsync(_time.GetUtcNow(), BatchSize, cancellationToken)).ConfigureAwait(false);
        foreach (var group in (stale ?? []).GroupBy(s => s.EnvironmentId, StringComparer.Ordinal))
        {
            await SafelyAsync(group.Key, () => RefreshAsync(group.Key, [.. group.Select(s => s.CompanyId)], cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(
        string environmentId, CatalogSnapshot catalog, IReadOnlyList<CompanyRecord> companies, IReadOnlyCollection<string> askedFor, CancellationToken cancellationToken)
    {
        var ids = companies.Select(c => c.Id).ToList();
        var overrides = (await _store.ListByParentsAsync<CompanyOverrideRecord>(environmentId, ResourceKinds.CompanyOverride, ids, cancellationToken).ConfigureAwait(false))
            .ToLookup(o => o.CompanyId, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var counters = await CountersAsync(environmentId, ids, now, cancellationToken).ConfigureAwait(false);
        var rows = companies.Select(c =>
        {
            var usage = CompanyUsage.Empty();
            usage.Replace(counters[c.Id]);
            return CompanyStanding.Of(catalog, c, [.. overrides[c.Id]], usage, now);
        }).ToList();
        var gone = askedFor.Except(ids, StringComparer.Ordinal).ToList();
        await _store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await CompanyDirectoryStore.TakeTurnAsync(connection, transaction, _store.Database.Dialect, environmentId).ConfigureAwait(false);
                await CompanyDirectoryStore.UpsertAsync(connection, transaction, environmentId, rows, now).ConfigureAwait(false);
                if (gone.Count > 0)
                {
                    await _directory.DeleteAsync(connection, transaction, environmentId, gone).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The companies' counters of the current periods (and all time), as the check path loads them (<see cref="UsageCounters"/>).</summary>
    private async Task<ILookup<string, (string Subtype, UsagePeriod Period, long Bucket, long Value)>> CountersAsync(
        string environmentId, List<string> companyIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (companyIds.Count == 0)
        {
            return Array.Empty<(string, (string, UsagePeriod, long, long))>().ToLookup(r => r.Item1, r => r.Item2);
        }

        await using var connection = await _store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string CompanyId, string Subtype, long Period, long Bucket, long Value)>(new CommandDefinition(
            $"""
            SELECT company_id, event_subtype, period, bucket, value FROM usage_counters
            WHERE environment_id = @environmentId AND {_store.Database.Dialect.IsAnyOf("company_id", "companyIds")} AND (bucket = 0 OR bucket > @now)
            """,
            new { environmentId, companyIds = companyIds.ToArray(), now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToLookup(r => r.CompanyId, r => (r.Subtype, (UsagePeriod)r.Period, r.Bucket, r.Value), StringComparer.Ordinal);
    }

    private async Task QueueRebuildsOfMismatchedAsync(CancellationToken cancellationToken)
    {
        var environments = await SafelyAsync(string.Empty, () => _environments.ListEnvironmentsAsync(cancellationToken)).ConfigureAwait(false);
        foreach (var environment in environments ?? [])
        {
            var sizes = await SafelyAsync(environment.Id, () => _directory.SizesAsync(environment.Id, cancellationToken)).ConfigureAwait(false);
            if (sizes is { } s && s.Rows != s.Companies)
            {
                lock (_lock)
                {
                    _rebuild.Add(environment.Id);
                }
            }
        }
    }

    private Task OnChangeAsync(Change change, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            switch (change.Kind)
            {
                case ChangeKind.Company or ChangeKind.Usage:
                    if (!_dirty.TryGetValue(change.EnvironmentId, out var ids))
                    {
                        _dirty[change.EnvironmentId] = ids = new HashSet<string>(StringComparer.Ordinal);
                    }

                    ids.UnionWith(change.Ids);
                    break;
                case ChangeKind.Catalog:
                    _rebuild.Add(change.EnvironmentId);
                    break;
                case ChangeKind.Everything when change.EnvironmentId == Change.AllEnvironments:
                    _ = Task.Run(() => QueueRebuildsOfEveryAsync(), CancellationToken.None);
                    break;
                case ChangeKind.Everything:
                    _rebuild.Add(change.EnvironmentId);
                    break;
                default:
                    return Task.CompletedTask;
            }
        }

        _wake.Wake();
        return Task.CompletedTask;
    }

    private async Task QueueRebuildsOfEveryAsync()
    {
        var environments = await SafelyAsync(string.Empty, () => _environments.ListEnvironmentsAsync(CancellationToken.None)).ConfigureAwait(false);
        lock (_lock)
        {
            _rebuild.UnionWith((environments ?? []).Select(e => e.Id));
        }

        _wake.Wake();
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
#pragma warning disable CA1031 // One environment's failure (database unreachable…) must not stop the directory of the others.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFailed(exception, environmentId);
            return default;
        }
    }

    private Task<bool> SafelyAsync(string environmentId, Func<Task> step) => SafelyAsync(environmentId, async () =>
    {
        await step().ConfigureAwait(false);
        return true;
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "The company directory of environment {EnvironmentId} could not be refreshed; its rows wait for their next change")]
    private partial void LogFailed(Exception exception, string environmentId);
}
