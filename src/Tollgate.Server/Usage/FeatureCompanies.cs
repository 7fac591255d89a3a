using System.Runtime.CompilerServices;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// The companies entitled to a feature (<c>/feature-companies</c>, <c>/feature-users</c> and their counts), most used
/// first, then by id. SQL chooses the candidates: the companies on a plan with an entitlement of the feature (base plan
/// or add-on) or with an override of it, whose name or key value holds <c>q</c> (<see cref="EntitySql"/>, the filters
/// of the company list). The check path decides each candidate, so that these lists never disagree with
/// <c>POST /flags/check</c>: a scheduled version move may take an entitlement away, and only the check knows the usage.
/// Candidates are read a batch at a time in id order, each query starting after the last id read, so memory holds one
/// batch, not the environment.
/// </summary>
internal sealed class FeatureCompanies(RuntimeRegistry runtimes, CheckService checks, ResourceStore store, TimeProvider time)
{
    /// <summary>How many candidate companies one query reads.</summary>
    private const int Batch = 1_000;

    /// <summary>
    /// The entitled companies in answer order. A boolean feature has no usage (its grants can only be boolean), so its
    /// answer order is the id order the candidates are read in, and a page stops reading once it is full. Any other
    /// feature sorts by usage, which only the check knows: every candidate is checked before the first is answered.
    /// </summary>
    public async IAsyncEnumerable<CompanyFeatureUsage> InOrderAsync(
        RequestScope scope, string featureId, string? q, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var (feature, flagKey) = FeatureOf(catalog, featureId);
        var candidates = EntitledInIdOrderAsync(scope, catalog, flagKey, Candidates(catalog, feature.Id, q), cancellationToken);
        if (feature.FeatureType == FeatureType.Boolean)
        {
            await foreach (var entitled in candidates.ConfigureAwait(false))
            {
                yield return entitled;
            }

            yield break;
        }

        var all = new List<CompanyFeatureUsage>();
        await foreach (var entitled in candidates.ConfigureAwait(false))
        {
            all.Add(entitled);
        }

        foreach (var entitled in all.OrderByDescending(u => u.Usage.Usage ?? 0).ThenBy(u => u.Company.Id, StringComparer.Ordinal))
        {
            yield return entitled;
        }
    }

    /// <summary>
    /// How many companies are entitled to the feature and match <paramref name="q"/>. When every version of every plan
    /// with an entitlement of the feature has one (the usual catalog), holding such a plan is the same as being granted
    /// by it, and the count is SQL's: the companies on those plans without an override of the feature (one index count),
    /// plus the few with an override, read and decided here (an active override decides alone, an expired one leaves it
    /// to the plans). Otherwise every candidate is checked.
    /// </summary>
    public async Task<long> CountAsync(RequestScope scope, string featureId, string? q, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var (feature, flagKey) = FeatureOf(catalog, featureId);
        var granting = CompanyPlanConditions.GrantingPlanIds(catalog, feature.Id);
        if (EveryVersionGrants(catalog, feature.Id, granting))
        {
            return await CountInSqlAsync(scope.EnvironmentId, catalog, feature.Id, granting, q, cancellationToken).ConfigureAwait(false);
        }

        var count = 0L;
        await foreach (var _ in EntitledInIdOrderAsync(scope, catalog, flagKey, Candidates(catalog, feature.Id, q), cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    private async Task<long> CountInSqlAsync(string environmentId, CatalogSnapshot catalog, string featureId, string[] granting, string? q, CancellationToken cancellationToken)
    {
        var sql = new EntitySql(store.Database.Dialect);
        var text = q is null ? null : sql.TextMatches(EntitySql.Row, EntityKeys.Company, q);
        var overrides = await store.ListAsync<CompanyOverrideRecord>(
            environmentId, ResourceKinds.CompanyOverride, null, null, sql.OverrideOf(EntitySql.Row, featureId), int.MaxValue, 0, cancellationToken).ConfigureAwait(false);
        var onGrantingPlan = sql.CompanyOn(EntitySql.Row, new CompanyPlanConditions(catalog, null, granting, null, false, null));
        var withoutOverride = await store.CountAsync(
            environmentId,
            ResourceKinds.Company,
            null,
            null,
            SqlCondition.And(SqlCondition.And(onGrantingPlan, sql.WithoutOverrideOf(EntitySql.Row, featureId)), text),
            cancellationToken).ConfigureAwait(false);
        if (overrides.Count == 0)
        {
            return withoutOverride;
        }

        var now = time.GetUtcNow();
        var active = overrides.Where(o => o.ExpirationDate is not { } at || at > now).Select(o => o.CompanyId).ToHashSet(StringComparer.Ordinal);
        var overridden = overrides.Select(o => o.CompanyId).Distinct(StringComparer.Ordinal).ToList();
        var count = withoutOverride;
        foreach (var chunk in overridden.Chunk(Batch))
        {
            var companies = await store.ListAsync<CompanyRecord>(
                environmentId, ResourceKinds.Company, null, chunk, text, chunk.Length, 0, cancellationToken).ConfigureAwait(false);
            count += companies.Count(c => active.Contains(c.Id) || CompanyPlanVersions.PlanIdsOf(c).Exists(granting.Contains));
        }

        return count;
    }

    /// <summary>Whether each plan with an entitlement of the feature has one in every version.</summary>
    private static bool EveryVersionGrants(CatalogSnapshot catalog, string featureId, string[] granting)
    {
        var grantingVersions = (catalog.EntitlementsByFeature.GetValueOrDefault(featureId) ?? []).Select(catalog.VersionIdOf).ToHashSet(StringComparer.Ordinal);
        return granting.All(planId => catalog.VersionsByPlan.TryGetValue(planId, out var versions) && versions.All(v => grantingVersions.Contains(v.Id)));
    }

    private static (FeatureRecord Feature, string FlagKey) FeatureOf(CatalogSnapshot catalog, string featureId) =>
        catalog.Features.TryGetValue(featureId, out var feature) && catalog.FlagOf(featureId) is { } flag
            ? (feature, flag.Key)
            : throw new RequestException(StatusCodes.Status404NotFound, "feature not found");

    private SqlCondition? Candidates(CatalogSnapshot catalog, string featureId, string? q)
    {
        var sql = new EntitySql(store.Database.Dialect);
        return SqlCondition.And(
            sql.CompanyOn(EntitySql.Row, CompanyPlanConditions.EntitledTo(catalog, featureId)),
            q is null ? null : sql.TextMatches(EntitySql.Row, EntityKeys.Company, q));
    }

    /// <summary>The candidates the check gives an entitlement of the feature, in id order.</summary>
    private async IAsyncEnumerable<CompanyFeatureUsage> EntitledInIdOrderAsync(
        RequestScope scope, CatalogSnapshot catalog, string flagKey, SqlCondition? candidates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? afterId = null;
        while (true)
        {
            var batch = await store.ListAfterAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, candidates, afterId, Batch, cancellationToken).ConfigureAwait(false);
            foreach (var company in batch)
            {
                var answer = await checks.CheckAsync(scope, flagKey, new CheckRequest(company.Keys, null, null), cancellationToken).ConfigureAwait(false);
                if (UsageReports.Describe(catalog, answer) is { } usage)
                {
                    yield return new CompanyFeatureUsage(company, usage);
                }
            }

            if (batch.Count < Batch)
            {
                yield break;
            }

            afterId = batch[^1].Id;
        }
    }
}
