using System.Globalization;
using System.Text;
using Dapper;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// A company's usage of its metered features per day, week or month, summed in SQL from the event log, with the limit
/// of the entitlement the check path sees (plans and overrides) and the current period's total. The buckets are cut
/// where the usage counters' periods end (<see cref="UsageBuckets"/>), so the current period summed from the log is
/// the counter checks read — as long as the log still holds the period's events (raw events are kept 400 days by
/// default, <c>Tollgate:Retention:Events</c>; counters forever).
/// </summary>
internal sealed class UsageHistory(ResourceStore store, RuntimeRegistry runtimes, UsageReports reports, UsageCounters counters, TimeProvider time)
{
    /// <summary>The number of buckets shown when the caller does not ask: 30 days, 12 weeks or 12 months.</summary>
    public static int DefaultCount(UsageGranularity granularity) => granularity == UsageGranularity.Day ? 30 : 12;

    /// <summary>The history of every event feature the company is entitled to, by feature name.</summary>
    public async Task<IReadOnlyList<FeatureUsageHistory>> ForCompanyAsync(
        RequestScope scope, string companyId, UsageGranularity granularity, int count, CancellationToken cancellationToken)
    {
        var company = await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var entitlements = await reports.ForCompanyAsync(scope, company, null, cancellationToken).ConfigureAwait(false);
        var result = new List<FeatureUsageHistory>();
        foreach (var entitlement in entitlements.OrderBy(e => e.Feature.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (catalog.Features.TryGetValue(entitlement.Feature.Id, out var feature) && feature.FeatureType == FeatureType.Event && feature.EventSubtype is not null)
            {
                result.Add(await HistoryAsync(scope, company, catalog, feature, entitlement, granularity, count, cancellationToken).ConfigureAwait(false));
            }
        }

        return result;
    }

    /// <summary>The history of one event feature (with or without an entitlement to it).</summary>
    public async Task<FeatureUsageHistory> ForFeatureAsync(
        RequestScope scope, string companyId, string featureId, UsageGranularity granularity, int count, CancellationToken cancellationToken)
    {
        var company = await CompanyAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Features.TryGetValue(featureId, out var feature))
        {
            Errors.NotFound("feature");
        }

        if (feature.FeatureType != FeatureType.Event || feature.EventSubtype is null)
        {
            Errors.BadRequest("feature_id", "is not an event feature: only event features have usage over time");
        }

        var entitlements = await reports.ForCompanyAsync(scope, company, new HashSet<string>(StringComparer.Ordinal) { featureId }, cancellationToken).ConfigureAwait(false);
        var entitlement = entitlements.Count > 0 ? entitlements[0] : null;
        return await HistoryAsync(scope, company, catalog, feature, entitlement, granularity, count, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CompanyRecord> CompanyAsync(RequestScope scope, string companyId, CancellationToken cancellationToken) =>
        await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");

    private async Task<FeatureUsageHistory> HistoryAsync(
        RequestScope scope, CompanyRecord company, CatalogSnapshot catalog, FeatureRecord feature, FeatureUsageResponse? entitlement,
        UsageGranularity granularity, int count, CancellationToken cancellationToken)
    {
        if (count is < 1 or > UsageBuckets.MaxCount)
        {
            Errors.BadRequest("count", $"must be from 1 to {UsageBuckets.MaxCount}");
        }

        var subtype = feature.EventSubtype!;
        var now = time.GetUtcNow();
        // Without an entitlement there is no limit period; the calendar month stands in for "current period".
        var limitPeriod = entitlement?.Period is { } period ? PeriodOf(period, entitlement.MonthReset) : UsagePeriod.MonthFromFirst;
        var bucketPeriod = UsageBuckets.PeriodOf(granularity, limitPeriod);
        var (starts, end) = UsageBuckets.Ending(bucketPeriod, count, now, company.Subscription);
        var (currentStart, currentEnd) = UsageBuckets.Current(limitPeriod, now, company.Subscription);

        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var sums = await BucketSumsAsync(connection, scope.EnvironmentId, company.Id, subtype, starts, end, cancellationToken).ConfigureAwait(false);
        var currentUsage = await SumAsync(connection, scope.EnvironmentId, company.Id, subtype, currentStart, currentEnd, cancellationToken).ConfigureAwait(false);
        var usage = await counters.ForCompanyAsync(scope.EnvironmentId, company.Id, cancellationToken).ConfigureAwait(false);

        var buckets = new List<UsageBucket>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            buckets.Add(new UsageBucket(starts[i], i + 1 < starts.Count ? starts[i + 1] : end, sums.GetValueOrDefault(i)));
        }

        return new FeatureUsageHistory
        {
            FeatureId = feature.Id,
            FeatureName = feature.Name,
            FlagKey = catalog.FlagOf(feature.Id)?.Key,
            EventSubtype = subtype,
            Granularity = granularity,
            Buckets = buckets,
            AllocationType = entitlement?.AllocationType,
            Limit = entitlement?.Allocation,
            SoftLimit = entitlement?.SoftLimit,
            IsUnlimited = entitlement?.IsUnlimited ?? false,
            Access = entitlement?.Access ?? false,
            LimitPeriod = entitlement?.Period,
            MonthReset = entitlement?.MonthReset,
            BucketIsLimitPeriod = entitlement?.Period is not null && bucketPeriod == limitPeriod,
            CurrentPeriodStart = currentStart,
            CurrentPeriodEnd = currentEnd,
            CurrentPeriodUsage = currentUsage,
            CounterUsage = usage.ValueAt(subtype, limitPeriod, now, company.Subscription),
        };
    }

    /// <summary>
    /// The usage per bucket index, grouped in SQL. Days and weeks have one width, so the index is arithmetic; months
    /// (and billing months) are not, so it is a CASE over the bucket starts, newest first.
    /// </summary>
    private static async Task<Dictionary<int, long>> BucketSumsAsync(
        System.Data.Common.DbConnection connection, string environmentId, string companyId, string subtype,
        IReadOnlyList<DateTimeOffset> starts, DateTimeOffset? end, CancellationToken cancellationToken)
    {
        if (starts.Count == 0)
        {
            return [];
        }

        var parameters = Filter(environmentId, companyId, subtype, starts[0], end, out var where);
        var origin = starts[0].ToUnixTimeMilliseconds();
        var width = starts.Count > 1 ? starts[1].ToUnixTimeMilliseconds() - origin : 0;
        string index;
        if (starts.Count == 1)
        {
            index = "0";
        }
        else if (Enumerable.Range(1, starts.Count - 1).All(i => starts[i].ToUnixTimeMilliseconds() - starts[i - 1].ToUnixTimeMilliseconds() == width))
        {
            parameters.Add("origin", origin);
            parameters.Add("width", width);
            index = "(occurred_at - @origin) / @width";
        }
        else
        {
            var cases = new StringBuilder("CASE");
            for (var i = starts.Count - 1; i > 0; i--)
            {
                parameters.Add($"start{i}", starts[i].ToUnixTimeMilliseconds());
                cases.Append(CultureInfo.InvariantCulture, $" WHEN occurred_at >= @start{i} THEN {i}");
            }

            index = cases.Append(" ELSE 0 END").ToString();
        }

        // GROUP BY 1: the index expression's parameters would be bound twice were it repeated.
        var rows = await connection.QueryAsync<(long Index, long Usage)>(new CommandDefinition(
            $"SELECT CAST({index} AS BIGINT), CAST(SUM(quantity) AS BIGINT) FROM events WHERE {where} GROUP BY 1",
            parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => (int)r.Index, r => r.Usage);
    }

    private static async Task<long> SumAsync(
        System.Data.Common.DbConnection connection, string environmentId, string companyId, string subtype, DateTimeOffset from, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var parameters = Filter(environmentId, companyId, subtype, from, until, out var where);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM events WHERE {where}",
            parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The events the counters count (<see cref="AcceptedEvent.CountsUsage"/>: a company's track events of the subtype,
    /// backfill included) dated in [from, until); the range leads with the columns of index <c>events_company_time</c>.
    /// </summary>
    private static DynamicParameters Filter(string environmentId, string companyId, string subtype, DateTimeOffset from, DateTimeOffset? until, out string where)
    {
        var parameters = new DynamicParameters(new { environmentId, companyId, subtype, from = from.ToUnixTimeMilliseconds() });
        where = "environment_id = @environmentId AND company_id = @companyId AND occurred_at >= @from AND event_type = 'track' AND event_subtype = @subtype";
        if (until is { } u)
        {
            parameters.Add("until", u.ToUnixTimeMilliseconds());
            where += " AND occurred_at < @until";
        }

        return parameters;
    }

    private static UsagePeriod PeriodOf(string period, string? monthReset) => period switch
    {
        "current_day" => UsagePeriod.Day,
        "current_week" => UsagePeriod.Week,
        "current_month" when monthReset == "billing_cycle" => UsagePeriod.MonthFromBillingAnchor,
        "current_month" => UsagePeriod.MonthFromFirst,
        _ => UsagePeriod.AllTime,
    };
}
