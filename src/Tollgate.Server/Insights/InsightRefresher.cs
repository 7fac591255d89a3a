using Microsoft.Extensions.Options;
using Tollgate.Engine.Model;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
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
internal sealed class InsightRefresher : CompanyProjectionRefresher
{
    private readonly CompanySignalStore _signals;
    private readonly CompanyRevenue _revenue;
    private readonly RuntimeRegistry _runtimes;
    private readonly TimeProvider _time;
    private readonly InsightOptions _options;
    private readonly SignalCalculator _calculator;

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
        : base(store, environments, changes, time, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_signals, _revenue, _runtimes, _time, _options) = (signals, revenue, runtimes, time, options.Value);
        _calculator = new SignalCalculator(_options);
    }

    /// <inheritdoc />
    protected override int BatchSize => _options.BatchSize;

    /// <summary>A midnight lapses every company's signals at once: they are worked out 20 batches per pass.</summary>
    protected override int StaleBatchesPerPass => 20;

    /// <inheritdoc />
    protected override string Projection => "insight signals";

    /// <inheritdoc />
    protected override bool Follows(ChangeKind kind) => kind is ChangeKind.Company or ChangeKind.Usage or ChangeKind.Credits;

    /// <summary>
    /// A store filled in bulk has usage counters and no environment-wide daily rollup (top features and the feature
    /// series read it): the rollup is filled from the day counters once, before the environment's signals are worked out.
    /// </summary>
    protected override Task BeforeRebuildAsync(string environmentId, CancellationToken cancellationToken) =>
        UsageDailyTotals.BackfillIfEmptyAsync(Store.Database, environmentId, cancellationToken);

    /// <inheritdoc />
    protected override Task DeleteOrphansAsync(string environmentId, CancellationToken cancellationToken) => _signals.DeleteOrphansAsync(environmentId, cancellationToken);

    /// <inheritdoc />
    protected override Task<(long Rows, long Companies)> SizesAsync(string environmentId, CancellationToken cancellationToken) =>
        _signals.SizesAsync(environmentId, cancellationToken);

    /// <inheritdoc />
    protected override Task<IReadOnlyList<(string EnvironmentId, string CompanyId)>> StaleAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        _signals.StaleAsync(now, limit, cancellationToken);

    /// <inheritdoc />
    protected override async Task WriteAsync(
        string environmentId, IReadOnlyList<CompanyRecord> companies, IReadOnlyCollection<string> askedFor, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var catalog = await _runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var ids = companies.Select(c => c.Id).ToList();
        var overrides = (await Store.ListByParentsAsync<CompanyOverrideRecord>(environmentId, ResourceKinds.CompanyOverride, ids, cancellationToken).ConfigureAwait(false))
            .ToLookup(o => o.CompanyId, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var histories = await CompanyHistoryReader.ReadAsync(Store.Database, environmentId, ids, now, _options, cancellationToken).ConfigureAwait(false);
        var prices = _revenue.For(environmentId);
        var signals = new List<CompanySignal>();
        var refreshed = new List<CompanyInsightRow>(companies.Count);
        var worked = new List<(CompanyRecord Company, CompanyHistory History, List<FeatureEntitlement> Entitlements)>(companies.Count);
        foreach (var company in companies)
        {
            var history = histories.GetValueOrDefault(company.Id) ?? new CompanyHistory();
            var usage = CompanyUsage.Empty();
            usage.Replace(history.Current(now));
            var active = overrides[company.Id].Where(o => o.ExpirationDate is not { } at || at > now).ToList();
            var versionIds = CompanyPlanVersions.VersionIds(catalog, CompanyPlanVersions.Settle(company, now), CompanyPlanVersions.PlanIdsOf(company));
            worked.Add((company, history, Entitlements.For(catalog, company, versionIds, active, usage, now)));
        }

        // Only the companies with a credit entitlement read their balances (the credit burn signal's), all in one go.
        var credits = await CreditsLoader.LoadManyAsync(
            Store, now, environmentId, [.. worked.Where(w => w.Entitlements.Any(e => e.ValueType == EntitlementValueType.Credit)).Select(w => w.Company)], cancellationToken).ConfigureAwait(false);

        // "Read" includes issuing the batch's due plan credit grants (one transaction), which the balances read waits for.
        var read = _time.GetTimestamp();
        foreach (var (company, history, found) in worked)
        {
            var entitlements = credits.TryGetValue(company.Id, out var balances) ? CreditView.Fill(found, balances.At(now)) : found;
            var mrr = await prices.MonthlyAsync(company, cancellationToken).ConfigureAwait(false);
            var (companySignals, staleAt) = _calculator.Calculate(new SignalCalculator.Input(catalog, company, entitlements, history, now, mrr));
            signals.AddRange(companySignals);
            refreshed.Add(new CompanyInsightRow(company.Id, company.BasePlanId, company.CreatedAt, mrr?.Amount, mrr?.Currency, staleAt));
        }

        var gone = askedFor.Except(ids, StringComparer.Ordinal).ToList();
        var computed = _time.GetTimestamp();
        await Store.Database.WriteAsync(
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
        LogBatchPhases(companies.Count, started, read, computed, _time.GetTimestamp());
    }
}
