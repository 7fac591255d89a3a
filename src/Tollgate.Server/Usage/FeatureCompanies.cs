using System.Runtime.CompilerServices;
using Dapper;
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
    /// <summary>
    /// The entitled companies in answer order. A boolean feature has no usage (its grants can only be boolean), so its
    /// answer order is the id order the candidates are read in, and a page stops reading once it is full. Any other
    /// feature sorts by usage, which only the check knows: every candidate is checked before the first is answered.
    /// <paramref name="needed"/> is how many the caller expects to read (a page's offset and limit): the first query
    /// reads that many candidates (<see cref="CandidateBatches"/>).
    /// </summary>
    public async IAsyncEnumerable<CompanyFeatureUsage> InOrderAsync(
        RequestScope scope, string featureId, string? q, long needed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var (feature, flagKey) = FeatureOf(catalog, featureId);
        var firstBatch = feature.FeatureType == FeatureType.Boolean ? needed : CandidateBatches.Largest;
        var candidates = EntitledInIdOrderAsync(scope, catalog, flagKey, Candidates(catalog, feature.Id, q), firstBatch, cancellationToken);
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
    /// by it, and the count is SQL's (<see cref="CountInSqlAsync"/>). Otherwise every candidate is checked.
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
        await foreach (var _ in EntitledInIdOrderAsync(scope, catalog, flagKey, Candidates(catalog, feature.Id, q), CandidateBatches.Largest, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The count as sets of ids, each read by its own index (G: on a granting plan, O: with an override of the feature,
    /// T: matching <paramref name="q"/>, C: the companies). An override decides alone while active and leaves the answer
    /// to the plans once expired, so the entitled are (G \ O) ∪ (O with an active override) ∪ (O with only expired
    /// ones, in G). SQL counts |G ∩ T \ O| + |C ∩ O ∩ T|; from that are taken the companies of C ∩ T whose overrides of
    /// the feature have all expired and that are not in G. Those are found from the overrides with an expiration date
    /// (usually few), and looked up a chunk at a time.
    /// </summary>
    private async Task<long> CountInSqlAsync(string environmentId, CatalogSnapshot catalog, string featureId, string[] grantingPlanIds, string? q, CancellationToken cancellationToken)
    {
        var sql = new EntitySql(store.Database.Dialect);
        var granting = sql.CompanyIdsOnAnyOf(catalog, grantingPlanIds);
        var overridden = EntitySql.OverriddenCompanyIds(featureId);
        var text = q is null ? null : sql.IdsMatching(EntityKeys.Company, q);
        string Matching(string alias) => text is null ? string.Empty : $" AND {alias}.id IN ({text.Sql})";
        var parameters = new DynamicParameters(new { environmentId });
        foreach (var part in new[] { granting, overridden, text })
        {
            if (part is not null)
            {
                parameters.AddDynamicParams(part.Parameters);
            }
        }

        long count;
        await using (var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"""
                SELECT
                    (SELECT COUNT(*) FROM ({granting.Sql}) g WHERE g.id NOT IN ({overridden.Sql}){Matching("g")})
                    + (SELECT COUNT(*) FROM resources c WHERE c.environment_id = @environmentId AND c.kind = '{ResourceKinds.Company}'
                        AND c.id IN ({overridden.Sql}){Matching("c")})
                """,
                parameters,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var expiring = await store.ListAsync<CompanyOverrideRecord>(
            environmentId,
            ResourceKinds.CompanyOverride,
            null,
            null,
            SqlCondition.And(EntitySql.OverrideOf(EntitySql.Row, featureId), new SqlCondition($"{store.Database.Dialect.JsonText($"{EntitySql.Row}.data", "expiration_date")} IS NOT NULL", new Dictionary<string, object?>())),
            int.MaxValue,
            0,
            cancellationToken).ConfigureAwait(false);
        var withExpired = expiring.Where(o => o.ExpirationDate <= now).Select(o => o.CompanyId).Distinct(StringComparer.Ordinal).ToList();
        var textCondition = q is null ? null : sql.TextMatches(EntitySql.Row, EntityKeys.Company, q);
        foreach (var chunk in withExpired.Chunk(CandidateBatches.Largest))
        {
            var stillActive = (await store.ListByParentsAsync<CompanyOverrideRecord>(environmentId, ResourceKinds.CompanyOverride, chunk, cancellationToken).ConfigureAwait(false))
                .Where(o => o.FeatureId == featureId && (o.ExpirationDate is not { } at || at > now))
                .Select(o => o.CompanyId)
                .ToHashSet(StringComparer.Ordinal);
            var onlyExpired = chunk.Where(id => !stillActive.Contains(id)).ToArray();
            if (onlyExpired.Length == 0)
            {
                continue;
            }

            var companies = await store.ListAsync<CompanyRecord>(
                environmentId, ResourceKinds.Company, null, onlyExpired, textCondition, onlyExpired.Length, 0, cancellationToken).ConfigureAwait(false);
            count -= companies.Count(c => !CompanyPlanVersions.PlanIdsOf(c).Exists(grantingPlanIds.Contains));
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

    /// <summary>The candidates the check gives an entitlement of the feature, in id order, the first batch of <paramref name="firstBatch"/>.</summary>
    private async IAsyncEnumerable<CompanyFeatureUsage> EntitledInIdOrderAsync(
        RequestScope scope, CatalogSnapshot catalog, string flagKey, SqlCondition? candidates, long firstBatch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? afterId = null;
        foreach (var size in CandidateBatches.Sizes(firstBatch))
        {
            var batch = await store.ListAfterAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, candidates, afterId, size, cancellationToken).ConfigureAwait(false);
            foreach (var company in batch)
            {
                var answer = await checks.CheckAsync(scope, flagKey, new CheckRequest(company.Keys, null, null), cancellationToken).ConfigureAwait(false);
                if (UsageReports.Describe(catalog, answer) is { } usage)
                {
                    yield return new CompanyFeatureUsage(company, usage);
                }
            }

            if (batch.Count < size)
            {
                yield break;
            }

            afterId = batch[^1].Id;
        }
    }
}
