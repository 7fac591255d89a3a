using System.Globalization;
using Dapper;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>A company's use of one feature, in Schematic's <c>FeatureUsageResponseData</c> shape (the fields Tollgate has).</summary>
public sealed record FeatureUsageResponse(
    bool Access,
    long? Allocation,
    string AllocationType,
    string EntitlementId,
    string EntitlementType,
    FeatureResponse Feature,
    long? Usage,
    string? Period,
    string? MonthReset,
    string? MetricResetAt,
    long? SoftLimit,
    bool IsUnlimited,
    long? EffectiveLimit,
    bool HasValidAllocation,
    double? PercentUsed,
    long? Overuse,
    double? CreditConsumptionRate,
    CompanyResponse? Company);

/// <summary>A company's usage of a feature, with the company it is of (described by the caller, page by page).</summary>
public sealed record CompanyFeatureUsage(CompanyRecord Company, FeatureUsageResponse Usage);

/// <summary><c>GET /usage-by-company</c>: every feature the company is entitled to.</summary>
public sealed record FeatureUsageDetailResponse(IReadOnlyList<FeatureUsageResponse> Features);

/// <summary>One point of a usage time series (<c>UsageTimeSeriesPointResponseData</c>).</summary>
public sealed record UsagePoint(DateTimeOffset Timestamp, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, long Usage);

/// <summary><c>GET /feature-usage-timeseries</c> (<c>FeatureUsageTimeSeriesResponseData</c>).</summary>
public sealed record FeatureUsageTimeSeriesResponse(string FeatureId, string FeatureType, string PeriodType, IReadOnlyList<UsagePoint> UsagePoints, IReadOnlyList<object> Limits);

/// <summary>One row of <c>GET /feature-usage-history</c> (<c>FeatureUsageHistoryResponseData</c>).</summary>
public sealed record FeatureUsageHistoryRow(string CompanyId, string FeatureId, string EventSubtype, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, long Usage);

/// <summary>
/// Usage read API (Schematic's feature-usage endpoints): current usage per company and feature, answered by the same
/// check path as <c>POST /flags/check</c> so the two can never disagree; and history from the stored period counters.
/// </summary>
internal sealed class UsageReports(RuntimeRegistry runtimes, CheckService checks, ResourceStore store)
{
    /// <summary>The longest series one request may ask for.</summary>
    public const int MaxPoints = 1_000;

    public async Task<IReadOnlyList<FeatureUsageResponse>> ForCompanyAsync(RequestScope scope, CompanyRecord company, IReadOnlySet<string>? featureIds, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var answers = await checks.CheckAllAsync(scope, new CheckRequest(company.Keys, null, null), cancellationToken).ConfigureAwait(false);
        return [.. answers.Flags
            .Select(answer => Describe(catalog, answer))
            .OfType<FeatureUsageResponse>()
            .Where(usage => featureIds is null || featureIds.Contains(usage.Feature.Id))];
    }

    /// <summary>A company's usage of an event feature per day, week or month between two instants.</summary>
    public async Task<FeatureUsageTimeSeriesResponse> TimeSeriesAsync(
        RequestScope scope, string companyId, string featureId, DateTimeOffset start, DateTimeOffset end, string granularity, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var feature = catalog.Features.GetValueOrDefault(featureId) ?? throw new RequestException(StatusCodes.Status404NotFound, "feature not found");
        var company = await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
        var period = PeriodOf(granularity);
        var stored = feature.EventSubtype is { } subtype
            ? await CountersAsync(scope.EnvironmentId, [company.Id], subtype, period, start, end, cancellationToken).ConfigureAwait(false)
            : [];
        var points = new List<UsagePoint>();
        for (var at = start; at < end && points.Count < MaxPoints;)
        {
            var periodEnd = UsagePeriods.NextReset(period, at, null)!.Value;
            var periodStart = PreviousBoundary(period, periodEnd);
            points.Add(new UsagePoint(periodStart, periodStart, periodEnd, stored.GetValueOrDefault((company.Id, periodEnd.ToUnixTimeMilliseconds()))));
            at = periodEnd;
        }

        return new FeatureUsageTimeSeriesResponse(feature.Id, Wire(feature.FeatureType), granularity, points, []);
    }

    /// <summary>Usage per company, feature and period between two instants, as stored (periods without usage are left out).</summary>
    public async Task<IReadOnlyList<FeatureUsageHistoryRow>> HistoryAsync(
        RequestScope scope, IReadOnlyList<string> companyIds, IReadOnlyList<string> featureIds, DateTimeOffset start, DateTimeOffset end, string granularity, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var period = PeriodOf(granularity);
        var rows = new List<FeatureUsageHistoryRow>();
        var features = featureIds.Count > 0
            ? featureIds.Select(id => catalog.Features.GetValueOrDefault(id) ?? throw new RequestException(StatusCodes.Status404NotFound, $"feature {id} not found"))
            : catalog.Features.Values.Where(f => f.EventSubtype is not null).OrderBy(f => f.Id, StringComparer.Ordinal);
        foreach (var feature in features.Where(f => f.EventSubtype is not null))
        {
            var stored = await CountersAsync(scope.EnvironmentId, companyIds, feature.EventSubtype!, period, start, end, cancellationToken).ConfigureAwait(false);
            rows.AddRange(stored.OrderBy(s => s.Key.CompanyId, StringComparer.Ordinal).ThenBy(s => s.Key.Bucket).Select(s =>
            {
                var periodEnd = DateTimeOffset.FromUnixTimeMilliseconds(s.Key.Bucket);
                return new FeatureUsageHistoryRow(s.Key.CompanyId, feature.Id, feature.EventSubtype!, PreviousBoundary(period, periodEnd), periodEnd, s.Value);
            }));
        }

        return rows;
    }

    /// <summary>The stored counters of a period whose bucket (period end) falls after <paramref name="start"/> and at most one period after <paramref name="end"/>.</summary>
    private async Task<Dictionary<(string CompanyId, long Bucket), long>> CountersAsync(
        string environmentId, IReadOnlyList<string> companyIds, string subtype, UsagePeriod period, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var companyFilter = companyIds.Count == 0 ? string.Empty : " AND " + store.Database.Dialect.IsAnyOf("company_id", "companyIds");
        var rows = await connection.QueryAsync<(string CompanyId, long Bucket, long Value)>(
            new CommandDefinition(
                $"""
                SELECT company_id, bucket, value FROM usage_counters
                WHERE environment_id = @environmentId AND event_subtype = @subtype AND period = @period AND bucket > @from AND bucket <= @to{companyFilter}
                """,
                new
                {
                    environmentId, subtype, period = (int)period, companyIds = companyIds.ToArray(),
                    from = start.ToUnixTimeMilliseconds(), to = UsagePeriods.NextReset(period, end, null)!.Value.ToUnixTimeMilliseconds(),
                },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => (r.CompanyId, r.Bucket), r => r.Value);
    }

    /// <summary>The usage a check answers, or null when it gives no entitlement of a feature.</summary>
    internal static FeatureUsageResponse? Describe(CatalogSnapshot catalog, CheckFlagResponse answer)
    {
        if (answer.Entitlement is not { } entitlement || !catalog.Features.TryGetValue(entitlement.FeatureId, out var feature))
        {
            return null;
        }

        var unlimited = entitlement.ValueType == "unlimited";
        var allocation = entitlement.Allocation;
        var usage = entitlement.Usage;
        return new FeatureUsageResponse(
            answer.Value,
            allocation,
            entitlement.ValueType,
            answer.RuleId is { } ruleId ? GrantRuleIds.GrantIdOf(ruleId) : string.Empty,
            answer.RuleType?.StartsWith("company_override", StringComparison.Ordinal) == true ? "company_override" : "plan_entitlement",
            FeatureResponse.From(feature, catalog),
            usage,
            entitlement.MetricPeriod,
            entitlement.MonthReset,
            entitlement.MetricResetAt,
            entitlement.SoftLimit,
            unlimited,
            allocation,
            unlimited || allocation is not null,
            allocation is > 0 && usage is { } used ? Math.Round(100.0 * used / allocation.Value, 2) : null,
            allocation is { } limit && usage is { } u ? Math.Max(0, u - limit) : null,
            entitlement.ConsumptionRate,
            null);
    }

    private static UsagePeriod PeriodOf(string granularity) => granularity switch
    {
        "daily" => UsagePeriod.Day,
        "weekly" => UsagePeriod.Week,
        "monthly" => UsagePeriod.MonthFromFirst,
        _ => throw new RequestException(StatusCodes.Status400BadRequest, "granularity: must be daily, weekly or monthly"),
    };

    private static DateTimeOffset PreviousBoundary(UsagePeriod period, DateTimeOffset periodEnd) => period switch
    {
        UsagePeriod.Day => periodEnd.AddDays(-1),
        UsagePeriod.Week => periodEnd.AddDays(-7),
        _ => periodEnd.AddMonths(-1),
    };

    private static string Wire(FeatureType type) => type.ToString().ToLower(CultureInfo.InvariantCulture);
}
