using Dapper;
using Microsoft.Extensions.Options;
using Tollgate.Server.Background;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Insights;

/// <summary>
/// Keeps each company's signal rows equal to its usage, plan and limits, one more subscriber of the change feed (DESIGN.md
/// "How data flows", step 5). Why precomputed rows and not a query over the counters: a list sorted by a signal's
/// strength cannot be paged in SQL from counters without reading every company's, while a row per company and kind,
/// written when the company changes, pages along one index. A company whose usage was committed or whose record
/// changed is queued and worked out again; a catalog change (a limit moved) works out the whole environment again in
/// batches; and signals that lapse with time alone (a day passes, a period ends, a trial nears its end) are worked
/// out again once due (<c>company_insights.stale_at</c>), a batch at a time, so the background pass is bounded however
/// many companies there are. On start, an environment whose worked-out count differs from its company count is worked
/// out again (this is also the backfill of a store that had usage before the insights).
/// </summary>
/// <remarks>
/// As with the company directory, every node applies every change: a node stopping between a commit and its refresh
/// leaves nothing behind; nodes sharing a PostgreSQL write the same rows more than once, each from a read made after
/// the change's commit.
/// </remarks>
internal sealed partial class InsightRefresher : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    /// <summary>At most this many stale batches per pass, so queued companies are not kept waiting behind a midnight's worth.</summary>
    private const int StaleBatchesPerPass = 20;

    private readonly Lock _lock = new();
    private readonly WakeSignal _wake = new();
    private readonly Dictionary<string, HashSet<string>> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rebuild = new(StringComparer.Ordinal);
    private readonly ResourceStore _store;
    private readonly CompanySignalStore _signals;
    private readonly CompanyRevenue _revenue;
    private readonly RuntimeRegistry _runtimes;
    private readonly EnvironmentStore _environments;
    private readonly TimeProvider _time;
    private readonly InsightOptions _options;
    private readonly SignalCalculator _calculator;
    private readonly ILogger<InsightRefresher> _logger;
    private long _requested;
    private long _completed;
    private TaskCompletionSource _passDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InsightRefresher(
        ResourceStore store,
        CompanySignalStore signals,
        CompanyRevenue revenue,
        RuntimeRegistry runtimes,
        EnvironmentStore environments,
        ChangeFeed changes,
        TimeProvider time,
        IOptions<InsightOptions> options,
        ILogger<InsightRefresher> logger)
    {
        (_store, _signals, _revenue, _runtimes, _environments, _time, _options, _logger) = (store, signals, revenue, runtimes, environments, time, options.Value, logger);
        _calculator = new SignalCalculator(_options);
        changes.Subscribe(OnChangeAsync);
    }

    /// <summary>Waits until what was queued before this call is written (and lapsed rows due now with it), for at most <paramref name="timeout"/>.</summary>
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

    /// <summary>Works out these companies' signals now (forgetting companies gone).</summary>
    public async Task RefreshAsync(string environmentId, IReadOnlyCollection<string> companyIds, CancellationToken cancellationToken)
    {
        var companies = await _store.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyIds, cancellationToken).ConfigureAwait(false);
        await WriteAsync(environmentId, companies, companyIds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Works out every company of the environment again, in batches in id order.</summary>
    public async Task RebuildAsync(string environmentId, CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            await using var connection = await _store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var batch = (await connection.QueryAsync<(string Id, string Data)>(new CommandDefinition(
                $"SELECT id, data FROM resources WHERE environment_id = @environmentId AND kind = '{ResourceKinds.Company}' AND id > @after ORDER BY id LIMIT {_options.BatchSize}",
                new { environmentId, after },
                cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            await connection.DisposeAsync().ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            await WriteAsync(environmentId, [.. batch.Select(b => StoredJson.Deserialize<CompanyRecord>(b.Data))], [], cancellationToken).ConfigureAwait(false);
            after = batch[^1].Id;
        }

        await _signals.DeleteOrphansAsync(environmentId, cancellationToken).ConfigureAwait(false);
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

                var more = await PassAsync(stoppingToken).ConfigureAwait(false);
                lock (_lock)
                {
                    _completed = Math.Max(_completed, target);
                    var done = _passDone;
                    _passDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    done.SetResult();
                }

                await _wake.WaitAsync(more ? TimeSpan.FromSeconds(1) : Poll, stoppingToken).ConfigureAwait(false);
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

    /// <summary>One pass: rebuilds, then queued companies, then lapsed ones (a bounded number); answers whether lapsed ones remain.</summary>
    private async Task<bool> PassAsync(CancellationToken cancellationToken)
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
            foreach (var chunk in ids.Chunk(_options.BatchSize))
            {
                await SafelyAsync(environmentId, () => RefreshAsync(environmentId, chunk, cancellationToken)).ConfigureAwait(false);
            }
        }

        for (var batch = 0; batch < StaleBatchesPerPass; batch++)
        {
            var stale = await SafelyAsync(string.Empty, () => _signals.StaleAsync(_time.GetUtcNow(), _options.BatchSize, cancellationToken)).ConfigureAwait(false);
            if (stale is null || stale.Count == 0)
            {
                return false;
            }

            foreach (var group in stale.GroupBy(s => s.EnvironmentId, StringComparer.Ordinal))
            {
                await SafelyAsync(group.Key, () => RefreshAsync(group.Key, [.. group.Select(s => s.CompanyId)], cancellationToken)).ConfigureAwait(false);
            }

            if (stale.Count < _options.BatchSize)
            {
                return false;
            }
        }

        return true;
    }

    private async Task WriteAsync(string environmentId, IReadOnlyList<CompanyRecord> companies, IReadOnlyCollection<string> askedFor, CancellationToken cancellationToken)
    {
        var catalog = await _runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var ids = companies.Select(c => c.Id).ToList();
        var overrides = (await _store.ListByParentsAsync<CompanyOverrideRecord>(environmentId, ResourceKinds.CompanyOverride, ids, cancellationToken).ConfigureAwait(false))
            .ToLookup(o => o.CompanyId, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var histories = await CompanyHistoryReader.ReadAsync(_store.Database, environmentId, ids, now, _options, cancellationToken).ConfigureAwait(false);
        var prices = _revenue.For(environmentId);
        var signals = new List<CompanySignal>();
        var refreshed = new List<CompanyInsightRow>(companies.Count);
        foreach (var company in companies)
        {
            var history = histories.GetValueOrDefault(company.Id) ?? new CompanyHistory();
            var usage = CompanyUsage.Empty();
            usage.Replace(history.Current(now));
            var active = overrides[company.Id].Where(o => o.ExpirationDate is not { } at || at > now).ToList();
            var versionIds = CompanyPlanVersions.VersionIds(catalog, CompanyPlanVersions.Settle(company, now), CompanyPlanVersions.PlanIdsOf(company));
            var entitlements = Entitlements.For(catalog, company, versionIds, active, usage, now);
            var mrr = await prices.MonthlyAsync(company, cancellationToken).ConfigureAwait(false);
            var (found, staleAt) = _calculator.Calculate(new SignalCalculator.Input(catalog, company, entitlements, history, now, mrr));
            signals.AddRange(found);
            refreshed.Add(new CompanyInsightRow(company.Id, company.BasePlanId, company.CreatedAt, mrr?.Amount, mrr?.Currency, staleAt));
        }

        var gone = askedFor.Except(ids, StringComparer.Ordinal).ToList();
        await _store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await _signals.ReplaceAsync(connection, transaction, environmentId, ids, signals, refreshed, now).ConfigureAwait(false);
                if (gone.Count > 0)
                {
                    await _signals.DeleteAsync(connection, transaction, environmentId, gone).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task QueueRebuildsOfMismatchedAsync(CancellationToken cancellationToken)
    {
        var environments = await SafelyAsync(string.Empty, () => _environments.ListEnvironmentsAsync(cancellationToken)).ConfigureAwait(false);
        foreach (var environment in environments ?? [])
        {
            var sizes = await SafelyAsync(environment.Id, () => _signals.SizesAsync(environment.Id, cancellationToken)).ConfigureAwait(false);
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
                case ChangeKind.Company or ChangeKind.Usage or ChangeKind.Credits:
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

    /// <summary>Runs a step; a failure is logged and the companies it would have written wait for their next change or lapse.</summary>
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
#pragma warning disable CA1031 // One environment's failure (database unreachable…) must not stop the insights of the others.
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The insight signals of environment {EnvironmentId} could not be worked out; they wait for the next change or lapse")]
    private partial void LogFailed(Exception exception, string environmentId);
}
