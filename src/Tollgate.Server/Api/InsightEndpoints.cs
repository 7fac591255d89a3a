using System.Globalization;
using Tollgate.Server.Insights;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// Schematic's <c>/insights/*</c> (summary, activity, top features, plan growth, feature and trait usage series) and
/// Tollgate's signal lists, <c>GET /insights/signals/{over-users|under-users|expansion|at-risk}</c> and their counts.
/// Secret key only (management routes refuse a publishable key).
/// </summary>
internal static class InsightEndpoints
{
    private static readonly (string, string?)[] Granularities = [("daily", "daily"), ("weekly", "weekly"), ("monthly", "monthly")];

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/insights").WithTags("Insights");
        group.MapGet("/summary", async (HttpContext http, InsightService insights, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await insights.SummaryAsync(http.Scope(), ct).ConfigureAwait(false))));
        group.MapGet("/activity", async (HttpContext http, InsightService insights, CancellationToken ct) =>
        {
            var limit = Limit(new ListQuery(http.Request), "limit", 20, 100);
            return TypedResults.Ok(new Envelope<ActivityResponse>(
                await insights.ActivityAsync(http.Scope().EnvironmentId, limit, ct).ConfigureAwait(false), new Dictionary<string, object?> { ["limit"] = limit }));
        });
        group.MapGet("/top-features", async (HttpContext http, InsightService insights, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var (from, until) = Window(query);
            var limit = Limit(query, "limit", 10, 100);
            return TypedResults.Ok(new Envelope<TopFeaturesResponse>(
                await insights.TopFeaturesAsync(http.Scope().EnvironmentId, from, until, limit, ct).ConfigureAwait(false),
                new Dictionary<string, object?> { ["start_time"] = from, ["end_time"] = until, ["limit"] = limit }));
        });
        group.MapGet("/plan-growth", async (HttpContext http, InsightService insights, CancellationToken ct) =>
        {
            var months = Limit(new ListQuery(http.Request), "months", 6, 36);
            return TypedResults.Ok(new Envelope<PlanGrowthResponse>(
                await insights.PlanGrowthAsync(http.Scope().EnvironmentId, months, ct).ConfigureAwait(false), new Dictionary<string, object?> { ["months"] = months }));
        });
        group.MapGet("/feature-usage-timeseries", async (HttpContext http, InsightService insights, CancellationToken ct) =>
        {
            var (query, featureId, from, until, granularity) = Series(http);
            return TypedResults.Ok(new Envelope<FeatureUsageTimeSeriesResponse>(
                await insights.FeatureSeriesAsync(http.Scope().EnvironmentId, featureId, from, until, granularity, ct).ConfigureAwait(false), SeriesParams(featureId, from, until, granularity)));
        });
        group.MapGet("/trait-usage-timeseries", async (HttpContext http, InsightService insights, CancellationToken ct) =>
        {
            var (query, featureId, from, until, granularity) = Series(http);
            return TypedResults.Ok(new Envelope<TraitUsageTimeSeriesResponse>(
                await insights.TraitSeriesAsync(http.Scope().EnvironmentId, featureId, from, until, granularity, ct).ConfigureAwait(false), SeriesParams(featureId, from, until, granularity)));
        });
        group.MapGet("/signals/{kind}", async (HttpContext http, string kind, InsightService insights, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var page = await insights.ListAsync(http.Scope().EnvironmentId, kind, query.Paging, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<SignalResponse>>([.. page.Select(ToResponse)], query.PageParams()));
        });
        group.MapGet("/signals/{kind}/count", async (HttpContext http, string kind, InsightService insights, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(await insights.CountAsync(http.Scope().EnvironmentId, kind, ct).ConfigureAwait(false)), query.PageParams()));
        });
    }

    internal static SignalResponse ToResponse(CompanySignal s) =>
        new(s.Kind, s.CompanyId, s.CompanyName, s.PlanId, s.FeatureId, s.Score, s.Reason, s.Evidence, s.Mrr, s.Currency);

    private static (ListQuery Query, string FeatureId, DateTimeOffset From, DateTimeOffset Until, string Granularity) Series(HttpContext http)
    {
        var query = new ListQuery(http.Request);
        var featureId = query.One("feature_id") ?? throw new RequestException(StatusCodes.Status400BadRequest, "feature_id: required");
        var (from, until) = Window(query);
        var granularity = query.One("granularity") is { } g
            ? g == "hourly"
                ? throw new RequestException(StatusCodes.Status400BadRequest, "granularity: hourly is not kept (usage is rolled up per day); use daily, weekly or monthly")
                : Validate.OneOf(g, "granularity", Granularities) ?? "daily"
            : "daily";
        if ((until - from).TotalDays > 3700)
        {
            Errors.BadRequest("end_time", "at most about ten years after start_time");
        }

        return (query, featureId, from, until, granularity);
    }

    private static Dictionary<string, object?> SeriesParams(string featureId, DateTimeOffset from, DateTimeOffset until, string granularity) =>
        new() { ["feature_id"] = featureId, ["start_time"] = from, ["end_time"] = until, ["granularity"] = granularity };

    private static (DateTimeOffset From, DateTimeOffset Until) Window(ListQuery query)
    {
        var from = Time(query, "start_time");
        var until = Time(query, "end_time");
        if (until <= from)
        {
            Errors.BadRequest("end_time", "must be after start_time");
        }

        return (from, until);
    }

    private static DateTimeOffset Time(ListQuery query, string name) =>
        query.One(name) is not { } text
            ? throw new RequestException(StatusCodes.Status400BadRequest, $"{name}: required")
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                && at.Year is >= 2000 and <= 9000
                ? at
                : throw new RequestException(StatusCodes.Status400BadRequest, $"{name}: must be an ISO 8601 date-time");

    private static int Limit(ListQuery query, string name, int fallback, int max) =>
        query.One(name) is not { } text
            ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
                ? Math.Min(n, max)
                : throw new RequestException(StatusCodes.Status400BadRequest, $"{name}: must be a positive integer");
}
