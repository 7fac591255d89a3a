using Tollgate.Server.Companies;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Api;

/// <summary>
/// Reading the event log (secret keys only): <c>GET /events</c> newest first with Schematic's filters
/// (<c>company_id</c>, <c>user_id</c>, <c>event_subtype</c>, <c>event_types</c>, <c>idempotency_key</c>;
/// <c>flag_id</c> matches no event, as flag checks are not logged as events with a flag), <c>GET /events/{id}</c>, and
/// <c>GET /event-types</c>, the subtypes seen in track events with their counts.
/// </summary>
internal static class EventLogEndpoints
{
    private static readonly (string, string)[] EventTypes = [("track", "track"), ("identify", "identify"), ("flag_check", "flag_check"), ("inference", "inference")];

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup(string.Empty).WithTags("Events");
        group.MapGet("/events", async (HttpContext http, EventLog log, ResourceStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var types = query.Many("event_types").Select(t => Validate.OneOf(t, "event_types", EventTypes)).ToList();
            var filter = new EventLogFilter(query.One("company_id"), query.One("user_id"), query.One("event_subtype"), types, query.One("idempotency_key"));
            var flagId = query.One("flag_id");
            var events = flagId is not null
                ? []
                : await log.ListAsync(http.Scope().EnvironmentId, filter, paging.Limit, paging.Offset, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<EventDetailResponse>>(await DescribeAsync(http, store, events, ct).ConfigureAwait(false), query.PageParams()));
        }).WithSummary("The environment's events, newest first");
        group.MapGet("/events/{eventId}", async (HttpContext http, string eventId, EventLog log, ResourceStore store, CancellationToken ct) =>
        {
            var e = await log.GetAsync(http.Scope().EnvironmentId, eventId, ct).ConfigureAwait(false) ?? throw new RequestException(StatusCodes.Status404NotFound, "event not found");
            return TypedResults.Ok(Envelope.Of((await DescribeAsync(http, store, [e], ct).ConfigureAwait(false))[0]));
        });
        group.MapGet("/event-types", async (HttpContext http, EventLog log, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var environmentId = http.Scope().EnvironmentId;
            var subtypes = await log.SubtypesAsync(environmentId, query.Many("event_subtypes"), query.One("q"), paging.Limit, paging.Offset, ct).ConfigureAwait(false);
            IReadOnlyList<EventSummaryResponse> data = [.. subtypes.Select(s => new EventSummaryResponse(s.EventSubtype, environmentId, s.EventCount, s.CompanyCount, s.UserCount, s.LastSeenAt))];
            return TypedResults.Ok(new Envelope<IReadOnlyList<EventSummaryResponse>>(data, query.PageParams()));
        }).WithSummary("The event subtypes of the environment's track events, with how many events, companies and users");
    }

    private static async Task<IReadOnlyList<EventDetailResponse>> DescribeAsync(HttpContext http, ResourceStore store, IReadOnlyList<LoggedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        var environmentId = http.Scope().EnvironmentId;
        var catalog = await http.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var companyIds = events.Select(e => e.CompanyId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var userIds = events.Select(e => e.UserId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var companies = (await store.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyIds, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Id, c => c.Name);
        var users = (await store.GetManyAsync<UserRecord>(environmentId, ResourceKinds.User, userIds, cancellationToken).ConfigureAwait(false)).ToDictionary(u => u.Id, u => u.Name);
        var bySubtype = catalog.Features.Values.Where(f => f.EventSubtype is not null).ToLookup(f => f.EventSubtype!, StringComparer.Ordinal);
        return [.. events.Select(e => EventDetailResponse.From(
            e,
            e.Subtype is null ? [] : [.. bySubtype[e.Subtype].OrderBy(f => f.Id, StringComparer.Ordinal)],
            e.CompanyId is null ? null : companies.GetValueOrDefault(e.CompanyId),
            e.UserId is null ? null : users.GetValueOrDefault(e.UserId)))];
    }

    /// <summary>One subtype of track events (<c>EventSummaryResponseData</c>).</summary>
    public sealed record EventSummaryResponse(string EventSubtype, string EnvironmentId, long EventCount, long CompanyCount, long UserCount, DateTimeOffset? LastSeenAt);
}
