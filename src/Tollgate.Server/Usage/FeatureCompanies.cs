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
/// first, then by id. Where SQL can decide who has an entitlement of the feature (<see cref="FeatureHolders"/>: every
/// version of each plan granting it agrees), SQL chooses exactly the entitled companies and counts them. Otherwise SQL
/// chooses candidates: the companies on a plan with an entitlement of the feature (base plan or add-on) or with an
/// override of it (<see cref="EntitySql"/>, the filters of the company list), and the check path decides each one,
/// since a scheduled version move may take an entitlement away. Either way each company answered is checked: the
/// answer's value and usage are the check's, so these lists never disagree with <c>POST /flags/check</c>. Companies
/// are read a batch at a time in id order, each query starting after the last id read, so memory holds one batch,
/// not the environment. A metered feature whose usage order is its counters' is read in that order instead
/// (<see cref="CounterOrder"/>), checking only the companies a page needs. A text search <c>q</c> is run first and its ids named to the walk (up to
/// <see cref="FeatureHolders.MostTextIds"/>), so that the walk starts from the few companies it matches.
/// </summary>
internal sealed class FeatureCompanies(RuntimeRegistry runtimes, CheckService checks, ResourceStore store, TimeProvider time)
{
    /// <summary>
    /// The entitled companies in answer order. A boolean feature has no usage (its grants can only be boolean), so its
    /// answer order is the id order the candidates are read in, and a page stops reading once it is full. Any other
    /// feature sorts by usage: from its counters where they give the order (<see cref="CounterOrder"/>), otherwise by the
    /// exact walk (<see cref="CheckedInOrderAsync"/>). <paramref name="needed"/> is how many the caller expects to read (a
    /// page's offset and limit): the first query reads that many (<see cref="CandidateBatches"/>).
    /// </summary>
    public async IAsyncEnumerable<CompanyFeatureUsage> InOrderAsync(
        RequestScope scope, string featureId, string? q, long needed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var (feature, flagKey) = FeatureOf(catalog, featureId);
        var now = time.GetUtcNow();
        var holders = await FeatureHolders.ForAsync(store, catalog, scope.EnvironmentId, feature.Id, FeatureHolding.Entitlement, now, cancellationToken).ConfigureAwait(false);
        var text = await TextAsync(scope.EnvironmentId, q, cancellationToken).ConfigureAwait(false);
        var ordered = feature.FeatureType != FeatureType.Boolean
            && await CounterOrder.ForAsync(store, catalog, feature, holders, scope.EnvironmentId, now, cancellationToken).ConfigureAwait(false) is { } counters
                ? counters.InOrderAsync(scope, checks, catalog, flagKey, text, needed, cancellationToken)
                : CheckedInOrderAsync(scope, catalog, feature, flagKey, holders, text, needed, cancellationToken);
        await foreach (var entitled in ordered.ConfigureAwait(false))
        {
            yield return entitled;
        }
    }

    /// <summary>
    /// The exact walk: the candidates in id order, each checked. A boolean feature's answer is that order, and a page
    /// stops reading once it is full; any other feature's is sorted by the checks' usage (none as 0), then by id, so
    /// every candidate is checked before the first is answered.
    /// </summary>
    internal async IAsyncEnumerable<CompanyFeatureUsage> CheckedInOrderAsync(
        RequestScope scope, CatalogSnapshot catalog, FeatureRecord feature, string flagKey, FeatureHolders? holders, SqlCondition? text, long needed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var firstBatch = feature.FeatureType == FeatureType.Boolean ? needed : CandidateBatches.Largest;
        var candidates = EntitledInIdOrderAsync(scope, catalog, flagKey, Candidates(catalog, feature.Id, holders, text), firstBatch, cancellationToken);
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
    /// How many companies are entitled to the feature and match <paramref name="q"/>. Where SQL decides the entitled
    /// companies (<see cref="FeatureHolders"/>), SQL counts them: by its disjoint parts without <paramref name="q"/>, and
    /// among the companies <paramref name="q"/> matches with it. Otherwise every candidate is checked.
    /// </summary>
    public async Task<long> CountAsync(RequestScope scope, string featureId, string? q, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var (feature, flagKey) = FeatureOf(catalog, featureId);
        var holders = await FeatureHolders.ForAsync(store, catalog, scope.EnvironmentId, feature.Id, FeatureHolding.Entitlement, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var text = await TextAsync(scope.EnvironmentId, q, cancellationToken).ConfigureAwait(false);
        if (holders is not null)
        {
            return text is null
                ? await holders.CountAsync(cancellationToken).ConfigureAwait(false)
                : await store.CountAsync(scope.EnvironmentId, ResourceKinds.Company, null, null, Candidates(catalog, feature.Id, holders, text), cancellationToken).ConfigureAwait(false);
        }

        var count = 0L;
        await foreach (var _ in EntitledInIdOrderAsync(scope, catalog, flagKey, Candidates(catalog, feature.Id, null, text), CandidateBatches.Largest, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// How many rows <c>/feature-users</c> has without a text search: each user link of each company entitled to the
    /// feature (a user of two such companies is a row of each), summed from tallies where SQL decides the entitled
    /// companies (<see cref="FeatureHolders.UserLinksAsync"/>: migrations 59, 60, 61 and 62); null otherwise, where the
    /// caller walks and checks them. Counting the entitled companies' links in SQL took 3.9-7.8 s at 1,000,000
    /// companies (<see cref="MemberCountByProbesAsync"/>, kept to check the tallies against).
    /// </summary>
    public async Task<long?> MemberCountAsync(RequestScope scope, string featureId, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var (feature, _) = FeatureOf(catalog, featureId);
        var holders = await FeatureHolders.ForAsync(store, catalog, scope.EnvironmentId, feature.Id, FeatureHolding.Entitlement, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return holders is null ? null : await holders.UserLinksAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="MemberCountAsync"/> as it was counted before the tallies: from the companies that can hold the feature
    /// (on a plan with an entitlement of it, or with an override of it), those that hold it, and their user links.
    /// </summary>
    internal async Task<long?> MemberCountByProbesAsync(RequestScope scope, string featureId, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var (feature, _) = FeatureOf(catalog, featureId);
        var holders = await FeatureHolders.ForAsync(store, catalog, scope.EnvironmentId, feature.Id, FeatureHolding.Entitlement, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (holders is null)
        {
            return null;
        }

        var sql = new EntitySql(store.Database.Dialect);
        var onPlans = sql.CompanyIdsOnAnyOf(catalog, CompanyPlanConditions.GrantingPlanIds(catalog, feature.Id));
        var overridden = EntitySql.OverriddenCompanyIds(feature.Id);
        var holds = holders.Holds("c");
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in onPlans.Parameters.Concat(overridden.Parameters).Concat(holds.Parameters))
        {
            parameters[name] = value;
        }

        return await store.CountAsync(
            scope.EnvironmentId,
            new SqlCount(
                $"""
                SELECT COUNT(*) FROM ({onPlans.Sql} UNION {overridden.Sql}) can_hold
                    JOIN resources c ON c.environment_id = @environmentId AND c.id = can_hold.id
                    JOIN resource_links ul ON ul.environment_id = @environmentId AND ul.kind = '{ResourceKinds.User}' AND ul.linked_id = c.id
                WHERE {holds.Sql}
                """,
                parameters),
            cancellationToken).ConfigureAwait(false);
    }

    private static (FeatureRecord Feature, string FlagKey) FeatureOf(CatalogSnapshot catalog, string featureId) =>
        catalog.Features.TryGetValue(featureId, out var feature) && catalog.FlagOf(featureId) is { } flag
            ? (feature, flag.Key)
            : throw new RequestException(StatusCodes.Status404NotFound, "feature not found");

    /// <summary>The companies SQL keeps: exactly the entitled ones where <paramref name="holders"/> decides them, candidates otherwise.</summary>
    private SqlCondition? Candidates(CatalogSnapshot catalog, string featureId, FeatureHolders? holders, SqlCondition? text) =>
        SqlCondition.And(
            holders?.Holds(EntitySql.Row) ?? new EntitySql(store.Database.Dialect).CompanyOn(EntitySql.Row, CompanyPlanConditions.EntitledTo(catalog, featureId)),
            text);

    /// <summary>
    /// The companies <paramref name="q"/> matches (null: no search), as their ids where they are at most
    /// <see cref="FeatureHolders.MostTextIds"/>. Named ids make the walk start from them; as a subquery PostgreSQL
    /// planned a hash join over every candidate company (4.2-7.8 s for 233 matches at 1,000,000 companies).
    /// </summary>
    private async Task<SqlCondition?> TextAsync(string environmentId, string? q, CancellationToken cancellationToken)
    {
        if (q is null)
        {
            return null;
        }

        var sql = new EntitySql(store.Database.Dialect);
        var matching = sql.IdsMatching(EntityKeys.Company, q);
        List<string> ids;
        await using (var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            var parameters = new DynamicParameters(new { environmentId, limit = FeatureHolders.MostTextIds + 1 });
            parameters.AddDynamicParams(matching.Parameters);
            ids = [.. await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT t.id FROM ({matching.Sql}) t LIMIT @limit", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)];
        }

        return ids.Count > FeatureHolders.MostTextIds
            ? sql.TextMatches(EntitySql.Row, EntityKeys.Company, q)
            : new SqlCondition(store.Database.Dialect.IsAnyOf($"{EntitySql.Row}.id", "f_text_ids"), new Dictionary<string, object?>(StringComparer.Ordinal) { ["f_text_ids"] = ids.ToArray() });
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
