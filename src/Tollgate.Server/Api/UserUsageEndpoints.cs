using System.Globalization;
using System.Runtime.CompilerServices;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Api;

/// <summary>
/// Usage per user and the usage counts. Tollgate counts usage per company; per-user usage is summed from the event log
/// (<see cref="EventLog"/>, in SQL) over the company's track events. <c>/feature-users</c> lists the members of each
/// company entitled to the feature with the company's entitlement and the user's own usage in the current period.
/// Credits are counted per company, not per user, so the per-user credit lists are empty.
/// </summary>
internal static class UserUsageEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var usage = api.MapGroup(string.Empty).WithTags("Usage");
        usage.MapGet("/feature-companies/count", async (HttpContext http, FeatureCompanies entitled, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            _ = query.Paging;
            var count = await entitled.CountAsync(http.Scope(), Validate.Required(query.One("feature_id"), "feature_id"), query.One("q"), ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.PageParams()));
        });
        usage.MapGet("/feature-usage/count", async (HttpContext http, UsageReports reports, EntityKeys keys, ResourceStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            _ = query.Paging;
            var environmentId = http.Scope().EnvironmentId;
            var id = query.One("company_id") ?? await keys.FindAsync(environmentId, EntityKeys.Company, QueryKeys.From(http.Request, "company_keys"), ct).ConfigureAwait(false);
            var company = (id is null ? null : await store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, id, ct).ConfigureAwait(false))
                ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
            var featureIds = query.Many("feature_ids");
            var features = await reports.ForCompanyAsync(http.Scope(), company, featureIds.Count > 0 ? featureIds.ToHashSet(StringComparer.Ordinal) : null, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(features.Count), query.PageParams()));
        });
        usage.MapGet("/feature-users", async (HttpContext http, FeatureCompanies entitled, EventLog log, ResourceStore store, TimeProvider time, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var rows = await FeatureUsersAsync(http, query, entitled, log, store, time, paging.Offset + paging.Limit, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<FeatureUserResponse>>([.. rows.Skip(paging.Offset).Take(paging.Limit)], query.PageParams()));
        }).WithSummary("The users of the companies entitled to a feature, with the company's entitlement and each user's usage this period");
        usage.MapGet("/feature-users/count", async (HttpContext http, FeatureCompanies entitled, ResourceStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            _ = query.Paging;
            if (query.One("q") is null
                && await entitled.MemberCountAsync(http.Scope(), Validate.Required(query.One("feature_id"), "feature_id"), ct).ConfigureAwait(false) is { } counted)
            {
                return TypedResults.Ok(new Envelope<CountResult>(new CountResult(counted), query.PageParams()));
            }

            var count = 0L;
            await foreach (var (_, members) in MembersOfEntitledAsync(http, query, entitled, store, CandidateBatches.Largest, ct).ConfigureAwait(false))
            {
                count += members.Count;
            }

            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.PageParams()));
        });
        usage.MapGet("/user-usage-by-company", async (HttpContext http, EventLog log, ResourceStore store, TimeProvider time, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var companyId = Validate.Required(query.One("company_id"), "company_id");
            var featureId = query.One("feature_id");
            var (from, until) = Window(query, time);
            var catalog = await http.CatalogAsync(ct).ConfigureAwait(false);
            var features = EventFeatures(catalog, featureId);
            var sums = await log.UsageByUserAsync(http.Scope().EnvironmentId, companyId, null, featureId is null ? null : [.. features.Keys], from, until, ct).ConfigureAwait(false);
            var users = await UsersAsync(http, store, sums.Select(s => s.UserId), ct).ConfigureAwait(false);
            var rows = Rows(sums, features, users);
            return TypedResults.Ok(new Envelope<UserUsageByCompanyResponse>(new UserUsageByCompanyResponse(from, until, rows, []), query.Filters));
        }).WithSummary("A company's usage of its event features per user over a window (default: the last 30 days)");
        usage.MapGet("/user-usage-detail", async (HttpContext http, EventLog log, ResourceStore store, TimeProvider time, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var companyId = Validate.Required(query.One("company_id"), "company_id");
            var userId = Validate.Required(query.One("user_id"), "user_id");
            var (from, until) = Window(query, time);
            var environmentId = http.Scope().EnvironmentId;
            var catalog = await http.CatalogAsync(ct).ConfigureAwait(false);
            var features = EventFeatures(catalog, null);
            var users = await UsersAsync(http, store, [userId], ct).ConfigureAwait(false);
            var totals = Rows(await log.UsageByUserAsync(environmentId, companyId, userId, null, from, until, ct).ConfigureAwait(false), features, users);
            var daily = await log.DailyUsageAsync(environmentId, companyId, userId, from, until, ct).ConfigureAwait(false);
            IReadOnlyList<DailyPointResponse> points = [.. daily
                .SelectMany(d => (features.TryGetValue(d.Subtype, out var fs) ? fs : []).Select(f => new DailyPointResponse(d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Summary(f), d.Quantity)))];
            return TypedResults.Ok(new Envelope<UserUsageDetailResponse>(
                new UserUsageDetailResponse(from, until, users.GetValueOrDefault(userId), totals, points, [], []), query.Filters));
        }).WithSummary("One user's usage in a company over a window, in total and per day");
    }

    /// <summary>
    /// The companies entitled to the feature in answer order (<see cref="FeatureCompanies"/>), each with its users whose
    /// name or key value holds <c>q</c>, by id; companies without such a user are left out. Users are read per company
    /// through the link index, only for the companies walked. Each company given has a user at least, so
    /// <paramref name="needed"/> users need that many companies at most: the first query reads as many candidates.
    /// </summary>
    private static async IAsyncEnumerable<(CompanyFeatureUsage Company, IReadOnlyList<UserRecord> Members)> MembersOfEntitledAsync(
        HttpContext http, ListQuery query, FeatureCompanies entitled, ResourceStore store, long needed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var featureId = Validate.Required(query.One("feature_id"), "feature_id");
        var text = query.One("q");
        var scope = http.Scope();
        await foreach (var company in entitled.InOrderAsync(scope, featureId, null, needed, cancellationToken).ConfigureAwait(false))
        {
            var users = await store.ListLinkedAsync<UserRecord>(scope.EnvironmentId, ResourceKinds.User, company.Company.Id, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<UserRecord> members = [.. users
                .Where(u => text is null || (u.Name?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false) || u.Keys.Values.Any(v => v.Contains(text, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(u => u.Id, StringComparer.Ordinal)];
            if (members.Count > 0)
            {
                yield return (company, members);
            }
        }
    }

    /// <summary>The first <paramref name="wanted"/> rows of <c>/feature-users</c>: the walk stops once they are read.</summary>
    private static async Task<IReadOnlyList<FeatureUserResponse>> FeatureUsersAsync(
        HttpContext http, ListQuery query, FeatureCompanies entitled, EventLog log, ResourceStore store, TimeProvider time, int wanted, CancellationToken cancellationToken)
    {
        var scope = http.Scope();
        var catalog = await http.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var featureId = Validate.Required(query.One("feature_id"), "feature_id");
        var subtype = catalog.Features.TryGetValue(featureId, out var feature) ? feature.EventSubtype : null;
        var now = time.GetUtcNow();
        var result = new List<FeatureUserResponse>();
        await foreach (var (entry, members) in MembersOfEntitledAsync(http, query, entitled, store, wanted, cancellationToken).ConfigureAwait(false))
        {
            var (company, entitlement) = entry;
            var byUser = new Dictionary<string, long>(StringComparer.Ordinal);
            if (subtype is not null)
            {
                var start = UsageWindows.StartOf(entitlement.Period, entitlement.MonthReset, now, company.Subscription?.PeriodStart);
                foreach (var sum in await log.UsageByUserAsync(scope.EnvironmentId, company.Id, null, [subtype], start, now.AddTicks(1), cancellationToken).ConfigureAwait(false))
                {
                    if (sum.UserId is not null)
                    {
                        byUser[sum.UserId] = sum.Quantity;
                    }
                }
            }

            result.AddRange(members.Select(u => new FeatureUserResponse(
                entitlement.Access,
                entitlement.Allocation,
                entitlement.AllocationType,
                entitlement.EntitlementId,
                entitlement.EntitlementType,
                entitlement.Period,
                entitlement.MonthReset,
                entitlement.MetricResetAt,
                subtype is null ? null : byUser.GetValueOrDefault(u.Id),
                UserSummaryResponse.From(u, scope.EnvironmentId),
                company.Id,
                null,
                null,
                null)));
            if (result.Count >= wanted)
            {
                break;
            }
        }

        return result;
    }

    private static Dictionary<string, List<FeatureRecord>> EventFeatures(Evaluation.CatalogSnapshot catalog, string? featureId) =>
        catalog.Features.Values
            .Where(f => f.EventSubtype is not null && (featureId is null || f.Id == featureId))
            .GroupBy(f => f.EventSubtype!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.Id, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

    private static async Task<Dictionary<string, UserSummaryResponse>> UsersAsync(HttpContext http, ResourceStore store, IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var environmentId = http.Scope().EnvironmentId;
        var users = await store.GetManyAsync<UserRecord>(environmentId, ResourceKinds.User, [.. ids.OfType<string>().Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        return users.ToDictionary(u => u.Id, u => UserSummaryResponse.From(u, environmentId), StringComparer.Ordinal);
    }

    /// <summary>One row per (user, feature) of the sums; each row's share is its part of that feature's total.</summary>
    private static IReadOnlyList<UserFeatureUsageResponse> Rows(IReadOnlyList<UserSubtypeUsage> sums, Dictionary<string, List<FeatureRecord>> features, Dictionary<string, UserSummaryResponse> users)
    {
        var totals = sums.GroupBy(s => s.Subtype, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(s => s.Quantity), StringComparer.Ordinal);
        return [.. sums.SelectMany(s => (features.TryGetValue(s.Subtype, out var fs) ? fs : []).Select(f => new UserFeatureUsageResponse(
            s.UserId,
            s.UserId is null ? null : users.GetValueOrDefault(s.UserId),
            Summary(f),
            s.Quantity,
            totals[s.Subtype] == 0 ? 0 : (double)s.Quantity / totals[s.Subtype],
            s.LastSeen)))];
    }

    private static FeatureSummaryResponse Summary(FeatureRecord feature) => new(
        feature.Id, feature.Name, feature.Description ?? string.Empty, feature.FeatureType.ToString().ToLowerInvariant(), feature.EventSubtype, string.Empty, feature.TraitId, feature.CreatedAt, feature.UpdatedAt);

    private static (DateTimeOffset From, DateTimeOffset Until) Window(ListQuery query, TimeProvider time)
    {
        var until = Time(query, "end_time") ?? time.GetUtcNow();
        var from = Time(query, "start_time") ?? until.AddDays(-30);
        if (until <= from)
        {
            Errors.BadRequest("end_time", "must be after start_time");
        }

        return (from, until);
    }

    private static DateTimeOffset? Time(ListQuery query, string name) =>
        query.One(name) is not { } text
            ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? at
                : throw new RequestException(StatusCodes.Status400BadRequest, $"{name}: must be an ISO 8601 date-time");

    /// <summary>A feature in short (<c>FeatureResponseData</c>).</summary>
    public sealed record FeatureSummaryResponse(
        string Id, string Name, string Description, string FeatureType, string? EventSubtype, string Icon, string? TraitId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    /// <summary>A user of a company entitled to a feature (<c>FeatureCompanyUserResponseData</c>); the company, plan and feature details are not repeated (null), <c>company_id</c> is Tollgate's.</summary>
    public sealed record FeatureUserResponse(
        bool Access,
        long? Allocation,
        string AllocationType,
        string EntitlementId,
        string EntitlementType,
        string? Period,
        string? MonthReset,
        string? MetricResetAt,
        long? Usage,
        UserSummaryResponse User,
        string CompanyId,
        object? Company,
        object? Plan,
        object? Feature);

    /// <summary>A user's usage of a feature over the window (<c>UserFeatureUsageResponseData</c>).</summary>
    public sealed record UserFeatureUsageResponse(string? UserId, UserSummaryResponse? User, FeatureSummaryResponse Feature, long Value, double Share, DateTimeOffset LastSeen);

    /// <summary>One day's usage of a feature (<c>UserDailyUsagePointResponseData</c>).</summary>
    public sealed record DailyPointResponse(string Date, FeatureSummaryResponse Feature, long Value);

    /// <summary><c>UserUsageByCompanyResponseData</c>.</summary>
    public sealed record UserUsageByCompanyResponse(DateTimeOffset StartTime, DateTimeOffset EndTime, IReadOnlyList<UserFeatureUsageResponse> Rows, IReadOnlyList<object> Credits);

    /// <summary><c>UserUsageDetailResponseData</c>.</summary>
    public sealed record UserUsageDetailResponse(
        DateTimeOffset StartTime,
        DateTimeOffset EndTime,
        UserSummaryResponse? User,
        IReadOnlyList<UserFeatureUsageResponse> FeatureTotals,
        IReadOnlyList<DailyPointResponse> DailyPoints,
        IReadOnlyList<object> Credits,
        IReadOnlyList<object> DailyCreditPoints);
}
