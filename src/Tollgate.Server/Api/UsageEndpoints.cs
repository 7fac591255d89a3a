using System.Globalization;
using Tollgate.Server.Companies;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Api;

/// <summary>Schematic's feature-usage endpoints: current usage per company and feature, companies by usage, history.</summary>
internal static class UsageEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var usage = api.MapGroup(string.Empty).WithTags("Usage");
        usage.MapGet("/feature-usage", async (HttpContext http, UsageReports reports, EntityKeys keys, ResourceStore store, CancellationToken ct) =>
        {
            var company = await CompanyAsync(http, keys, store, ct).ConfigureAwait(false);
            var featureIds = Many(http, "feature_ids");
            var features = await reports.ForCompanyAsync(http.Scope(), company, featureIds.Count > 0 ? featureIds.ToHashSet(StringComparer.Ordinal) : null, ct).ConfigureAwait(false);
            var paging = Paging.From(http.Request);
            return TypedResults.Ok(Envelope.Page<FeatureUsageResponse>([.. features.Skip(paging.Offset).Take(paging.Limit)], paging));
        }).WithSummary("A company's usage of each feature it is entitled to (company_id or company_keys)");
        usage.MapGet("/usage-by-company", async (HttpContext http, UsageReports reports, EntityKeys keys, ResourceStore store, CancellationToken ct) =>
        {
            var lookup = QueryKeys.From(http.Request, "keys");
            var id = await keys.FindAsync(http.Scope().EnvironmentId, EntityKeys.Company, lookup, ct).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
            var company = await store.GetAsync<CompanyRecord>(http.Scope().EnvironmentId, ResourceKinds.Company, id, ct).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
            var features = await reports.ForCompanyAsync(http.Scope(), company, null, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<FeatureUsageDetailResponse>(new FeatureUsageDetailResponse(features), new Dictionary<string, object?> { ["keys"] = lookup }));
        }).WithSummary("A company's usage of each feature it is entitled to, by the company's keys");
        usage.MapGet("/feature-companies", async (HttpContext http, FeatureCompanies entitled, EntityDescriber describer, CancellationToken ct) =>
        {
            var featureId = Validate.Required(http.Request.Query["feature_id"].ToString(), "feature_id");
            var q = http.Request.Query["q"].ToString() is { Length: > 0 } text ? text : null;
            var paging = Paging.From(http.Request);
            var page = new List<CompanyFeatureUsage>(paging.Limit);
            var toSkip = paging.Offset;
            await foreach (var company in entitled.InOrderAsync(http.Scope(), featureId, q, (long)paging.Offset + paging.Limit, ct).ConfigureAwait(false))
            {
                if (toSkip > 0)
                {
                    toSkip--;
                    continue;
                }

                page.Add(company);
                if (page.Count >= paging.Limit)
                {
                    break;
                }
            }

            var described = await describer.CompaniesAsync(http.Scope(), [.. page.Select(p => p.Company)], ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<FeatureUsageResponse>>(
                [.. page.Select((p, i) => p.Usage with { Company = described[i] })],
                new Dictionary<string, object?> { ["feature_id"] = featureId, ["q"] = q, ["limit"] = paging.Limit, ["offset"] = paging.Offset }));
        }).WithSummary("Companies entitled to a feature, most used first");
        usage.MapGet("/feature-usage-timeseries", async (HttpContext http, UsageReports reports, CancellationToken ct) =>
        {
            var companyId = Validate.Required(http.Request.Query["company_id"].ToString(), "company_id");
            var featureId = Validate.Required(http.Request.Query["feature_id"].ToString(), "feature_id");
            var (start, end) = Window(http);
            var granularity = Granularity(http);
            return TypedResults.Ok(Envelope.Of(await reports.TimeSeriesAsync(http.Scope(), companyId, featureId, start, end, granularity, ct).ConfigureAwait(false)));
        }).WithSummary("A company's usage of an event feature per day, week or month");
        usage.MapGet("/feature-usage-history", async (HttpContext http, UsageReports reports, CancellationToken ct) =>
        {
            var (start, end) = Window(http);
            var rows = await reports.HistoryAsync(http.Scope(), Many(http, "company_ids"), Many(http, "feature_ids"), start, end, Granularity(http), ct).ConfigureAwait(false);
            var paging = Paging.From(http.Request);
            return TypedResults.Ok(Envelope.Page<FeatureUsageHistoryRow>([.. rows.Skip(paging.Offset).Take(paging.Limit)], paging));
        }).WithSummary("Usage per company, event feature and period");
    }

    private static async Task<CompanyRecord> CompanyAsync(HttpContext http, EntityKeys keys, ResourceStore store, CancellationToken cancellationToken)
    {
        var environmentId = http.Scope().EnvironmentId;
        var id = http.Request.Query["company_id"].ToString() is { Length: > 0 } companyId
            ? companyId
            : await keys.FindAsync(environmentId, EntityKeys.Company, QueryKeys.From(http.Request, "company_keys"), cancellationToken).ConfigureAwait(false);
        return (id is null ? null : await store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, id, cancellationToken).ConfigureAwait(false))
            ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
    }

    /// <summary>A repeated query parameter, as <c>name[]=a&amp;name[]=b</c> or <c>name=a&amp;name=b</c>.</summary>
    private static List<string> Many(HttpContext http, string name) =>
        [.. http.Request.Query[name + "[]"].Concat(http.Request.Query[name]).OfType<string>().Where(v => v.Length > 0)];

    private static (DateTimeOffset Start, DateTimeOffset End) Window(HttpContext http)
    {
        var start = Time(http, "start_time");
        var end = Time(http, "end_time");
        if (end <= start)
        {
            Errors.BadRequest("end_time", "must be after start_time");
        }

        return (start, end);
    }

    private static DateTimeOffset Time(HttpContext http, string name) =>
        DateTimeOffset.TryParse(http.Request.Query[name].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new RequestException(StatusCodes.Status400BadRequest, $"{name}: is required, as an ISO 8601 date-time");

    private static string Granularity(HttpContext http) =>
        http.Request.Query["granularity"].ToString() is { Length: > 0 } granularity ? granularity : "daily";
}
