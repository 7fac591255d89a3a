using System.Collections.Concurrent;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Memory;
using Tollgate.Server.Operations;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// One environment's warm state: the compiled catalog and the companies and users checks have asked for. Checks read
/// it without locks or database access once warm; the changes writers publish (<see cref="ChangeFeed"/>, this node's
/// and the others') replace what they touched.
/// </summary>
internal sealed class EnvironmentRuntime : IDisposable
{
    // Writes are counted per stripe of company ids, not per company: a bounded array, where two companies sharing a
    // stripe only make a load that raced the other's write not keep its view (one more store read, never a stale view).
    private const int WriteStripes = 4096;

    private readonly ResourceStore _store;
    private readonly EntityKeys _keys;
    private readonly UsageCounters _usage;
    private readonly TimeProvider _time;

    // The views and the key maps that lead to them change together, under _viewsLock (eviction runs inside it too), so a
    // key never leads to a view evicted or dropped after it, nor to a company that no longer has the key.
    private readonly Lock _viewsLock = new();
    private readonly ClockCache<string, CompanyView> _companies;
    private readonly ConcurrentDictionary<(string Key, string Value), string> _companyIdByKey = new();
    private readonly ClockCache<string, UserView> _users;
    private readonly ConcurrentDictionary<(string Key, string Value), string> _userIdByKey = new();
    private readonly UnknownKeys _unknownCompanies = new();
    private readonly UnknownKeys _unknownUsers = new();

    // How many times the companies of each stripe were dropped after a write: a load that raced a write does not keep
    // its view, and a check arriving after a write does not share a load started before it.
    private readonly long[] _writes = new long[WriteStripes];
    private readonly LoadCoalescer<(string CompanyId, long Writes), CompanyView?> _companyLoads = new();
    private readonly LoadCoalescer<(string Keys, long Generation), string?> _companyLookups = new();
    private readonly SemaphoreSlim _catalogLoad = new(1, 1);
    private CatalogSnapshot? _catalog;
    private long _catalogVersion;

    public EnvironmentRuntime(string environmentId, ResourceStore store, EntityKeys keys, UsageCounters usage, TimeProvider time, MemoryOptions memory)
    {
        (EnvironmentId, _store, _keys, _usage, _time) = (environmentId, store, keys, usage, time);
        _companies = new ClockCache<string, CompanyView>(memory.WarmCompanies, (id, view) => ForgetKeys(_companyIdByKey, id, view.Record.Keys), StringComparer.Ordinal);
        _users = new ClockCache<string, UserView>(memory.WarmUsers, (id, view) => ForgetKeys(_userIdByKey, id, view.Record.Keys), StringComparer.Ordinal);
    }

    public string EnvironmentId { get; }

    /// <summary>How many company views are warm (for metrics; counting takes the dictionary's locks, so not on a hot path).</summary>
    public int WarmCompanyCount => _companies.Count;

    /// <summary>How many company views were evicted to stay within <see cref="MemoryOptions.WarmCompanies"/>.</summary>
    public long CompanyEvictions => _companies.Evictions;

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
        foreach (var (id, _) in _companies.Snapshot().ToList())
        {
            DropCompany(id);
        }

        foreach (var (id, _) in _users.Snapshot().ToList())
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
                await _store.ListAllAsync<FeatureRecord>(EnvironmentId, ResourceKinds.Feature, cancellationToken).ConfigureAwait(false),
                await _store.ListAllAsync<FlagRecord>(EnvironmentId, ResourceKinds.Flag, cancellationToken).ConfigureAwait(false),
                await _store.ListAllAsync<TraitDefinitionRecord>(EnvironmentId, ResourceKinds.TraitDefinition, cancellationToken).ConfigureAwait(false),
                await _store.ListAllAsync<PlanRecord>(EnvironmentId, ResourceKinds.Plan, cancellationToken).ConfigureAwait(false),
                await _store.ListAllAsync<PlanVersionRecord>(EnvironmentId, ResourceKinds.PlanVersion, cancellationToken).ConfigureAwait(false),
                await _store.ListAllAsync<PlanEntitlementRecord>(EnvironmentId, ResourceKinds.PlanEntitlement, cancellationToken).ConfigureAwait(false))
            {
                PlanGroup = await Lifecycle.PlanGroupStore.GetAsync(_store, EnvironmentId, cancellationToken).ConfigureAwait(false),
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
    /// <paramref name="exactUsage"/> the view also counts every committed event (no <see cref="CompanyView.UsageRefresh"/> grace);
    /// with <paramref name="usageMayLag"/> a warm view is not built again for usage alone (event intake, which needs the
    /// company's records and entitlements, not its usage: a company tracked by every commit is not recompiled for it).
    /// </summary>
    public async ValueTask<CompanyView?> FindCompanyAsync(
        IReadOnlyDictionary<string, string> companyKeys, CancellationToken cancellationToken, bool exactUsage = false, bool usageMayLag = false)
    {
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        foreach (var pair in companyKeys)
        {
            if (_companyIdByKey.TryGetValue((pair.Key, pair.Value), out var cachedId) && _companies.TryGet(cachedId, out var cached))
            {
                cached.Usage.MarkUsed();
                return cached.IsCurrent(catalog.Version, now, exactUsage) || (usageMayLag && cached.IsCurrentApartFromUsage(catalog.Version, now))
                    ? cached
                    : await RebuildAsync(cached, catalog, now, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_unknownCompanies.AllMissing(companyKeys))
        {
            return null;
        }

        // Concurrent checks of one cold company share one key lookup and one load; a lookup started before a company
        // write (which moves the generation) is not shared with a check that arrives after it.
        var generation = _unknownCompanies.Generation;
        var id = await _companyLookups.LoadAsync((Canonical(companyKeys), generation), () => LookUpCompanyAsync(companyKeys, generation), cancellationToken).ConfigureAwait(false);
        PhaseProfile.MarkAmbient("lookup-handoff");
        if (id is null)
        {
            return null;
        }

        var loaded = await LoadCompanyAsync(id, cancellationToken).ConfigureAwait(false);
        PhaseProfile.MarkAmbient("load-handoff");
        return loaded;
    }

    private async Task<string?> LookUpCompanyAsync(IReadOnlyDictionary<string, string> companyKeys, long generation)
    {
        PhaseProfile.MarkAmbient("to-lookup");
        var id = await _keys.FindAsync(EnvironmentId, EntityKeys.Company, companyKeys, CancellationToken.None).ConfigureAwait(false);
        PhaseProfile.MarkAmbient("lookup");
        if (id is null)
        {
            _unknownCompanies.Remember(companyKeys, generation);
        }

        return id;
    }

    /// <summary>
    /// The company with this id, as <see cref="FindCompanyAsync"/> would find it by one of its keys: the warm view when
    /// current, else read and kept warm. Null if there is none. <paramref name="exactUsage"/> as there.
    /// </summary>
    public async ValueTask<CompanyView?> FindCompanyByIdAsync(string companyId, CancellationToken cancellationToken, bool exactUsage = false)
    {
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (!_companies.TryGet(companyId, out var cached))
        {
            return await LoadCompanyAsync(companyId, cancellationToken).ConfigureAwait(false);
        }

        cached.Usage.MarkUsed();
        return cached.IsCurrent(catalog.Version, now, exactUsage) ? cached : await RebuildAsync(cached, catalog, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A warm view the catalog, the clock or its usage has moved on from, built again.</summary>
    private async Task<CompanyView?> RebuildAsync(CompanyView cached, CatalogSnapshot catalog, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A new credit period is due: its plan grant is issued while the credits are read again.
        if (cached.Credits.ReloadAt <= now)
        {
            return await LoadCompanyAsync(cached.Record.Id, cancellationToken).ConfigureAwait(false);
        }

        // Evicted counters no longer receive commits: only they are read again. The record and overrides are current as
        // long as the view is still the one held (a write drops it).
        var companyUsage = cached.Usage.Retired
            ? await _usage.ForCompanyAsync(EnvironmentId, cached.Record.Id, cancellationToken).ConfigureAwait(false)
            : cached.Usage;
        return ReplaceIfHeld(cached, ViewBuilder.Company(catalog, cached.Record, cached.Overrides, companyUsage, cached.Credits, now));
    }

    /// <summary>Reads a company and its overrides from the store and keeps them warm; one read at a time per company.</summary>
    public Task<CompanyView?> LoadCompanyAsync(string companyId, CancellationToken cancellationToken)
    {
        var writesBefore = WritesOf(companyId);
        return _companyLoads.LoadAsync((companyId, writesBefore), () => ReadCompanyAsync(companyId, writesBefore), cancellationToken);
    }

    private async Task<CompanyView?> ReadCompanyAsync(string companyId, long writesBefore)
    {
        var cancellationToken = CancellationToken.None;
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();

        // Every read in one command: a cold check waits for one round trip, not one per read. The counters come first,
        // because the usage counters hold their read gate (which commits wait for) until their rows are in.
        CompanyRecord? record;
        IReadOnlyList<CompanyOverrideRecord> overrides;
        CompanyUsage companyUsage;
        Func<CompanyRecord, Task<CompanyCredits>> credits;
        using (var batch = new ReadBatch())
        {
            var usageRead = await _usage.ForCompanyInAsync(batch, EnvironmentId, companyId, cancellationToken).ConfigureAwait(false);
            var recordRead = ResourceStore.GetIn<CompanyRecord>(batch, EnvironmentId, ResourceKinds.Company, companyId);
            var overridesRead = _store.ListIn<CompanyOverrideRecord>(batch, EnvironmentId, ResourceKinds.CompanyOverride, companyId);
            credits = CreditsLoader.ReadIn(batch, _store, now, EnvironmentId, companyId, cancellationToken);
            PhaseProfile.MarkAmbient("batch-prepare");
            await batch.RunAsync(_store.Database, cancellationToken).ConfigureAwait(false);
            (record, overrides, companyUsage) = (await recordRead.ConfigureAwait(false), await overridesRead.ConfigureAwait(false), await usageRead.ConfigureAwait(false));
            PhaseProfile.MarkAmbient("batch-results");
        }

        if (record is null)
        {
            DropCompany(companyId);
            return null;
        }

        // Kept for as long as the company is warm: held compactly (equal values, shared names).
        record = WarmRecords.Compact(record);
        var companyCredits = await credits(record).ConfigureAwait(false);
        PhaseProfile.MarkAmbient("credits");
        // A write that committed while this load read the store has already dropped the company: keeping the view
        // built from what was read before it would hide the write until the next one.
        var view = RememberUnlessWritten(ViewBuilder.Company(catalog, record, overrides, companyUsage, companyCredits, now), writesBefore);
        PhaseProfile.MarkAmbient("view");
        return view;
    }

    /// <summary>The user the keys name; null if there is none.</summary>
    public async ValueTask<UserView?> FindUserAsync(IReadOnlyDictionary<string, string> userKeys, CancellationToken cancellationToken)
    {
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        foreach (var pair in userKeys)
        {
            if (_userIdByKey.TryGetValue((pair.Key, pair.Value), out var cachedId) && _users.TryGet(cachedId, out var cached))
            {
                return cached.CatalogVersion == catalog.Version ? cached : Remember(ViewBuilder.User(catalog, cached.Record));
            }
        }

        if (_unknownUsers.AllMissing(userKeys))
        {
            return null;
        }

        var generation = _unknownUsers.Generation;
        var id = await _keys.FindAsync(EnvironmentId, EntityKeys.User, userKeys, cancellationToken).ConfigureAwait(false);
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
        if (_users.TryGet(userId, out var cached))
        {
            return cached.CatalogVersion == catalog.Version ? cached : Remember(ViewBuilder.User(catalog, cached.Record));
        }

        return await LoadUserAsync(catalog, userId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<UserView?> LoadUserAsync(CatalogSnapshot catalog, string userId, CancellationToken cancellationToken)
    {
        var record = await _store.GetAsync<UserRecord>(EnvironmentId, ResourceKinds.User, userId, cancellationToken).ConfigureAwait(false);
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
        lock (_viewsLock)
        {
            Interlocked.Increment(ref _writes[WriteStripe(companyId)]);
            _unknownCompanies.Invalidate();
            if (_companies.Remove(companyId, out var old))
            {
                ForgetKeys(_companyIdByKey, companyId, old.Record.Keys);
            }
        }
    }

    private void DropUser(string userId)
    {
        lock (_viewsLock)
        {
            _unknownUsers.Invalidate();
            if (_users.Remove(userId, out var old))
            {
                ForgetKeys(_userIdByKey, userId, old.Record.Keys);
            }
        }
    }

    /// <summary>Keeps the view warm unless its company was written since <paramref name="writesBefore"/>; answers it either way.</summary>
    private CompanyView RememberUnlessWritten(CompanyView view, long writesBefore)
    {
        lock (_viewsLock)
        {
            if (WritesOf(view.Record.Id) != writesBefore)
            {
                return view;
            }

            if (_companies.TryGet(view.Record.Id, out var old))
            {
                ForgetKeys(_companyIdByKey, view.Record.Id, old.Record.Keys);
            }

            _companies.Set(view.Record.Id, view);
            foreach (var pair in view.Record.Keys)
            {
                _companyIdByKey[(pair.Key, pair.Value)] = view.Record.Id;
            }
        }

        return view;
    }

    /// <summary>Keeps <paramref name="rebuilt"/> in place of <paramref name="cached"/> unless that was dropped or replaced meanwhile; answers it either way.</summary>
    private CompanyView ReplaceIfHeld(CompanyView cached, CompanyView rebuilt)
    {
        lock (_viewsLock)
        {
            // Same record, so the same keys: the key map needs no change.
            if (_companies.TryGet(cached.Record.Id, out var current) && ReferenceEquals(current, cached))
            {
                _companies.Set(cached.Record.Id, rebuilt);
            }
        }

        return rebuilt;
    }

    private UserView Remember(UserView view)
    {
        lock (_viewsLock)
        {
            if (_users.TryGet(view.Record.Id, out var old))
            {
                ForgetKeys(_userIdByKey, view.Record.Id, old.Record.Keys);
            }

            _users.Set(view.Record.Id, view);
            foreach (var pair in view.Record.Keys)
            {
                _userIdByKey[(pair.Key, pair.Value)] = view.Record.Id;
            }
        }

        return view;
    }

    /// <summary>Removes the keys of an entity's view that still lead to it (another entity may have taken one since).</summary>
    private static void ForgetKeys(ConcurrentDictionary<(string Key, string Value), string> idByKey, string id, IReadOnlyDictionary<string, string> keys)
    {
        foreach (var pair in keys)
        {
            idByKey.TryRemove(new KeyValuePair<(string, string), string>((pair.Key, pair.Value), id));
        }
    }

    private long WritesOf(string companyId) => Volatile.Read(ref _writes[WriteStripe(companyId)]);

    private static int WriteStripe(string companyId) => (StringComparer.Ordinal.GetHashCode(companyId) & int.MaxValue) % WriteStripes;

    /// <summary>The keys as one string, the same whatever their order (the coalescing key of a lookup).</summary>
    private static string Canonical(IReadOnlyDictionary<string, string> keys) =>
        keys.Count == 1 ? string.Concat(keys.First().Key, "\0", keys.First().Value)
            : string.Join('\0', keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => string.Concat(k.Key, "\0", k.Value)));
}
