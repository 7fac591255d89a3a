using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Companies;

/// <summary>
/// Finding companies (the console's companies list and dashboard): search, filters, sorts, paging and counts, all in
/// SQL over the <c>company_directory</c> read model, so that a page costs the same at 100,000 companies as at ten.
/// A read first waits (briefly) for this node's queued refreshes, so a change made here shows in the next read.
/// </summary>
internal sealed class CompanyDirectory(CompanyDirectoryStore store, CompanyDirectoryRefresher refresher, RuntimeRegistry runtimes)
{
    /// <summary>How long a read waits for queued refreshes before answering with the rows as they are.</summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(2);

    /// <summary>One page of the companies matching <paramref name="query"/>.</summary>
    public async Task<CompanyDirectoryPage> FindAsync(RequestScope scope, CompanyDirectoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Page < 1)
        {
            Errors.BadRequest("page", "must be 1 or more");
        }

        if (query.PageSize is < 1 or > CompanyDirectoryQuery.MaxPageSize)
        {
            Errors.BadRequest("page_size", $"must be between 1 and {CompanyDirectoryQuery.MaxPageSize}");
        }

        ValidateNearLimit(query.NearLimitRatio);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (query.PlanId is { } planId && !catalog.Plans.ContainsKey(planId))
        {
            Errors.BadRequest("plan_id", "must name an existing plan");
        }

        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        var planIsAddOn = query.PlanId is { } id && catalog.Plans[id].PlanType == Catalog.PlanType.AddOn;
        var (rows, total) = await store.FindAsync(scope.EnvironmentId, query, planIsAddOn, cancellationToken).ConfigureAwait(false);
        return new CompanyDirectoryPage([.. rows.Select(r => Describe(catalog, r))], total, query.Page, query.PageSize);
    }

    /// <summary>
    /// The sum of a trait's whole-number values over the environment's companies, from the totals the directory's rows
    /// keep (after this node's queued refreshes, as every read here).
    /// </summary>
    public async Task<decimal> TraitTotalAsync(string environmentId, string traitName, CancellationToken cancellationToken)
    {
        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        return await store.TraitTotalAsync(environmentId, traitName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How many companies the environment has, as the directory's tallies count its rows (after this node's queued
    /// refreshes): never a count of the companies themselves. While a start-up rebuild runs, the rows built so far.
    /// </summary>
    public async Task<long> TotalAsync(string environmentId, CancellationToken cancellationToken)
    {
        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        return await store.TotalAsync(environmentId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The dashboard's figures; each short list holds at most <paramref name="listSize"/> companies.</summary>
    public async Task<CompanyDirectoryCounts> CountAsync(
        RequestScope scope, CancellationToken cancellationToken, double nearLimitRatio = CompanyDirectoryQuery.DefaultNearLimitRatio, int listSize = 5)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ValidateNearLimit(nearLimitRatio);
        if (listSize is < 1 or > CompanyDirectoryQuery.MaxPageSize)
        {
            Errors.BadRequest("list_size", $"must be between 1 and {CompanyDirectoryQuery.MaxPageSize}");
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        var counts = await store.CountAsync(scope.EnvironmentId, nearLimitRatio, listSize, cancellationToken).ConfigureAwait(false);
        return new CompanyDirectoryCounts
        {
            Total = counts.Total,
            Plans = [.. counts.Plans
                .Select(p => new PlanCompanyCount(p.PlanId, PlanNameOf(catalog, p.PlanId) ?? "No plan", p.Count))
                .OrderByDescending(p => p.Companies).ThenBy(p => p.PlanName, StringComparer.OrdinalIgnoreCase)],
            OverLimit = counts.OverLimit,
            NearLimit = counts.NearLimit,
            Trialing = counts.Trialing,
            WithOverrides = counts.WithOverrides,
            TopOverLimit = [.. counts.TopOverLimit.Select(r => Describe(catalog, r))],
            TopNearLimit = [.. counts.TopNearLimit.Select(r => Describe(catalog, r))],
            TrialsEndingSoon = [.. counts.TrialsEndingSoon.Select(r => Describe(catalog, r))],
        };
    }

    /// <summary>
    /// How many companies are on each version of a plan (base plan or add-on), by version id, as the directory's rows
    /// recorded them: a scheduled move counts from its instant, when the row lapses and is written again.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CompaniesPerVersionAsync(RequestScope scope, string planId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Plans.ContainsKey(planId))
        {
            return new Dictionary<string, long>(StringComparer.Ordinal);
        }

        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        // The plan's versions, and the id a plan without versions is held by.
        var versionIds = catalog.VersionsById.Values.Where(v => v.PlanId == planId).Select(v => v.Id).Append(Catalog.PlanVersions.ImplicitId(planId))
            .Distinct(StringComparer.Ordinal).ToList();
        var counts = await store.CompaniesPerVersionAsync(scope.EnvironmentId, versionIds, cancellationToken).ConfigureAwait(false);
        return counts.ToDictionary(c => c.VersionId, c => c.Companies, StringComparer.Ordinal);
    }

    /// <summary>
    /// How many companies hold each plan (as base plan or add-on), by plan id, from the directory's version tallies: a
    /// read of a few rows however many companies (a company holds one version of each of its plans).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CompaniesPerPlanAsync(string environmentId, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        var perPlan = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (versionId, companies) in await store.VersionTalliesAsync(environmentId, cancellationToken).ConfigureAwait(false))
        {
            if (catalog.VersionsById.TryGetValue(versionId, out var version))
            {
                perPlan[version.PlanId] = perPlan.GetValueOrDefault(version.PlanId) + companies;
            }
        }

        return perPlan;
    }

    /// <summary>
    /// How many companies hold each base plan per month of creation (<c>YYYY-MM</c>, UTC), from the directory's tallies
    /// (after this node's queued refreshes).
    /// </summary>
    public async Task<IReadOnlyList<(string PlanId, string Month, long Companies)>> PlanMonthsAsync(string environmentId, CancellationToken cancellationToken)
    {
        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        return await store.PlanMonthsAsync(environmentId, cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateNearLimit(double ratio)
    {
        if (!(ratio is > 0 and < 1))
        {
            Errors.BadRequest("near_limit_ratio", "must be above 0 and below 1");
        }
    }

    private static string? PlanNameOf(CatalogSnapshot catalog, string? planId) =>
        planId is not null && catalog.Plans.TryGetValue(planId, out var plan) ? plan.Name : null;

    private static CompanyDirectoryRow Describe(CatalogSnapshot catalog, CompanyDirectoryStore.StoredRow row) => new()
    {
        CompanyId = row.CompanyId,
        Name = row.Name,
        MainKey = row.MainKey,
        PlanId = row.PlanId,
        PlanName = PlanNameOf(catalog, row.PlanId),
        TrialEndsAt = row.TrialEndsAt is { } trial ? DateTimeOffset.FromUnixTimeMilliseconds(trial) : null,
        OverrideCount = (int)row.OverrideCount,
        WorstRatio = row.WorstRatio,
        WorstFeatureId = row.WorstFeatureId,
        WorstFeatureName = row.WorstFeatureId is { } featureId && catalog.Features.TryGetValue(featureId, out var feature) ? feature.Name : null,
        WorstUsage = row.WorstUsage,
        WorstLimit = row.WorstLimit,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
    };
}
