using System.Collections.Concurrent;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// One environment's warm state: the compiled catalog and the companies and users checks have asked for. Checks read
/// it without locks or database access once warm; the changes writers publish (<see cref="ChangeFeed"/>, this node's
/// and the others') replace what they touched.
/// </summary>
internal sealed class EnvironmentRuntime(string environmentId, ResourceStore store, EntityKeys keys, UsageCounters usage, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, CompanyView> _companies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Key, string Value), string> _companyIdByKey = new();
    private readonly ConcurrentDictionary<string, UserView> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Key, string Value), string> _userIdByKey = new();
    private readonly UnknownKeys _unknownCompanies = new();
    private readonly UnknownKeys _unknownUsers = new();

    // How many times each company was dropped after a write: a load that raced a write does not keep its view.
    private readonly ConcurrentDictionary<string, long> _writes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _catalogLoad = new(1, 1);
    private CatalogSnapshot? _catalog;
    private long _catalogVersion;

    public string EnvironmentId { get; } = environmentId;

    /// <summary>How many company views are warm (for metrics; counting takes the dictionary's locks, so not on a hot path).</summary>
    public int WarmCompanyCount => _companies.Count;

    /// <summary>How many user views are warm (for metrics).</summary>
    public int WarmUserCount => _users.Count;

    /// <summary>The current catalog, loaded on first use.</summary>
    public async ValueTask<CatalogSnapshot> CatalogAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _catalog) ?? await LoadCatalogAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Applies a committed change (this node's or another's, see <see cref="ChangeFeed"/>).</summary>
    public async Task ApplyAsync(Change change, CancellationToken cancellationToken)
    {
        switch (change.Kind)
        {
            case ChangeKind.Catalog:
                await ReloadCatalogAsync(cancellationToken).ConfigureAwait(false);
                break;
            case ChangeKind.Company:
            case ChangeKind.Credits:
                foreach (var id in change.Ids)
                {
                    DropCompany(id);
                }

                break;
            case ChangeKind.User:
                foreach (var id in change.Ids)
                {
                    DropUser(id);
                }

                break;
            case ChangeKind.Everything:
                await ResetAsync(cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Drops every warm company and user and reloads the catalog: after notices may have been missed.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        foreach (var id in _companies.Keys)
        {
            DropCompany(id);
        }

        foreach (var id in _users.Keys)
        {
            DropUser(id);
        }

        // Keys remembered as naming nobody may name someone now, even with nothing warm to drop.
        _unknownCompanies.Invalidate();
        _unknownUsers.Invalidate();
        await ReloadCatalogAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the catalog again. Should the read fail, the snapshot held is dropped rather than kept stale: the next
    /// check loads it (or fails visibly) instead of answering from a catalog that misses a committed write.
    /// </summary>
    private async Task ReloadCatalogAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoadCatalogAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            Volatile.Write(ref _catalog, null);
            throw;
        }
    }

    private async Task<CatalogSnapshot> LoadCatalogAsync(CancellationToken cancellationToken)
    {
        await _catalogLoad.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = new CatalogSnapshot(
                Interlocked.Increment(ref _catalogVersion),
                EnvironmentId,
                await store.ListAllAsync<FeatureRecord>(EnvironmentId, ResourceKinds.Feature, cancellationToken).ConfigureAwait(false),
                await store.ListAllAsync<FlagRecord>(EnvironmentId, ResourceKinds.Flag, cancellationToken).ConfigureAwait(false),
                await store.ListAllAsync<TraitDefinitionRecord>(EnvironmentId, ResourceKinds.TraitDefinition, cancellationToken).ConfigureAwait(false),
                await store.ListAllAsync<PlanRecord>(EnvironmentId, ResourceKinds.Plan, cancellationToken).ConfigureAwait(false),
                await store.ListAllAsync<PlanVersionRecord>(EnvironmentId, ResourceKinds.PlanVersion, cancellationToken).ConfigureAwait(false),
                await store.ListAllAsync<PlanEntitlementRecord>(EnvironmentId, ResourceKinds.PlanEntitlement, cancellationToken).ConfigureAwait(false))
            {
                PlanGroup = await Lifecycle.PlanGroupStore.GetAsync(store, EnvironmentId, cancellationToken).ConfigureAwait(false),
            };
            Volatile.Write(ref _catalog, snapshot);
            return snapshot;
        }
        finally
        {
            _catalogLoad.Release();
        }
    }

    /// <summary>
    /// The company the keys name, current for the catalog and the clock; null if there is none. With
    /// <paramref name="exactUsage"/> the view also counts every committed event (no <see cref="CompanyView.UsageRefresh"/> grace).
    /// </summary>
    public async ValueTask<CompanyView?> FindCompanyAsync(IReadOnlyDictionary<string, string> companyKeys, CancellationToken cancellationToken, bool exactUsage = false)
    {
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var pair in companyKeys)
        {
            if (_companyIdByKey.TryGetValue((pair.Key, pair.Value), out var cachedId) && _companies.TryGetValue(cachedId, out var cached))
            {
                return cached.IsCurrent(catalog.Version, now, exactUsage)
                    ? cached
                    : await RebuildAsync(cached, catalog, now, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_unknownCompanies.AllMissing(companyKeys))
        {
            return null;
        }

        var generation = _unknownCompanies.Generation;
        var id = await keys.FindAsync(EnvironmentId, EntityKeys.Company, companyKeys, cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            _unknownCompanies.Remember(companyKeys, generation);
        }

        return id is null ? null : await LoadCompanyAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The company with this id, as <see cref="FindCompanyAsync"/> would find it by one of its keys: the warm view when
    /// current, else read and kept warm. Null if there is none. <paramref name="exactUsage"/> as there.
    /// </summary>
    public async ValueTask<CompanyView?> FindCompanyByIdAsync(string companyId, CancellationToken cancellationToken, bool exactUsage = false)
    {
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (!_companies.TryGetValue(companyId, out var cached))
        {
            return await LoadCompanyAsync(companyId, cancellationToken).ConfigureAwait(false);
        }

        return cached.IsCurrent(catalog.Version, now, exactUsage) ? cached : await RebuildAsync(cached, catalog, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A warm view the catalog, the clock or its usage has moved on from, built again.</summary>
    private async Task<CompanyView?> RebuildAsync(CompanyView cached, CatalogSnapshot catalog, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A new credit period is due: its plan grant is issued while the credits are read again.
        return cached.Credits.ReloadAt <= now
            ? await LoadCompanyAsync(cached.Record.Id, cancellationToken).ConfigureAwait(false)
            : Remember(ViewBuilder.Company(catalog, cached.Record, cached.Overrides, cached.Usage, cached.Credits, now));
    }

    /// <summary>Reads a company and its overrides from the store and keeps them warm.</summary>
    public async Task<CompanyView?> LoadCompanyAsync(string companyId, CancellationToken cancellationToken)
    {
        var writesBefore = _writes.GetValueOrDefault(companyId);
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        var record = await store.GetAsync<CompanyRecord>(EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            DropCompany(companyId);
            return null;
        }

        var overrides = await store.ListAsync<CompanyOverrideRecord>(EnvironmentId, ResourceKinds.CompanyOverride, companyId, int.MaxValue, 0, cancellationToken).ConfigureAwait(false);
        var companyUsage = await usage.ForCompanyAsync(EnvironmentId, companyId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var credits = await CreditsLoader.LoadAsync(store, now, EnvironmentId, record, cancellationToken).ConfigureAwait(false);
        var view = ViewBuilder.Company(catalog, record, overrides, companyUsage, credits, now);
        // A write that committed while this load read the store has already dropped the company: keeping the view
        // built from what was read before it would hide the write until the next one.
        return _writes.GetValueOrDefault(companyId) == writesBefore ? Remember(view) : view;
    }

    /// <summary>The user the keys name; null if there is none.</summary>
    public async ValueTask<UserView?> FindUserAsync(IReadOnlyDictionary<string, string> userKeys, CancellationToken cancellationToken)
    {
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        foreach (var pair in userKeys)
        {
            if (_userIdByKey.TryGetValue((pair.Key, pair.Value), out var cachedId) && _users.TryGetValue(cachedId, out var cached))
            {
                return cached.CatalogVersion == catalog.Version ? cached : Remember(ViewBuilder.User(catalog, cached.Record));
            }
        }

        if (_unknownUsers.AllMissing(userKeys))
        {
            return null;
        }

        var generation = _unknownUsers.Generation;
        var id = await keys.FindAsync(EnvironmentId, EntityKeys.User, userKeys, cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            _unknownUsers.Remember(userKeys, generation);
            return null;
        }

        return await LoadUserAsync(catalog, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user with this id, as <see cref="FindUserAsync"/> would find it by one of its keys; null if there is none.</summary>
    public async ValueTask<UserView?> FindUserByIdAsync(string userId, CancellationToken cancellationToken)
    {
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (_users.TryGetValue(userId, out var cached))
        {
            return cached.CatalogVersion == catalog.Version ? cached : Remember(ViewBuilder.User(catalog, cached.Record));
        }

        return await LoadUserAsync(catalog, userId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<UserView?> LoadUserAsync(CatalogSnapshot catalog, string userId, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync<UserRecord>(EnvironmentId, ResourceKinds.User, userId, cancellationToken).ConfigureAwait(false);
        return record is null ? null : Remember(ViewBuilder.User(catalog, record));
    }

    /// <summary>
    /// Another writer holds keys this node remembers as naming no company (it lost a race to create that company, whose
    /// winner has committed but may not have told this runtime yet): forget the remembered misses.
    /// </summary>
    public void CompanyKeysTaken() => _unknownCompanies.Invalidate();

    public void Dispose() => _catalogLoad.Dispose();

    private void DropCompany(string companyId)
    {
        _writes.AddOrUpdate(companyId, 1, (_, count) => count + 1);
        _unknownCompanies.Invalidate();
        if (_companies.TryRemove(companyId, out var old))
        {
            foreach (var pair in old.Record.Keys)
            {
                _companyIdByKey.TryRemove(new KeyValuePair<(string, string), string>((pair.Key, pair.Value), companyId));
            }
        }
    }

    private void DropUser(string userId)
    {
        _unknownUsers.Invalidate();
        if (_users.TryRemove(userId, out var old))
        {
            foreach (var pair in old.Record.Keys)
            {
                _userIdByKey.TryRemove(new KeyValuePair<(string, string), string>((pair.Key, pair.Value), userId));
            }
        }
    }

    private CompanyView Remember(CompanyView view)
    {
        _companies[view.Record.Id] = view;
        foreach (var pair in view.Record.Keys)
        {
            _companyIdByKey[(pair.Key, pair.Value)] = view.Record.Id;
        }

        return view;
    }

    private UserView Remember(UserView view)
    {
        _users[view.Record.Id] = view;
        foreach (var pair in view.Record.Keys)
        {
            _userIdByKey[(pair.Key, pair.Value)] = view.Record.Id;
        }

        return view;
    }
}
