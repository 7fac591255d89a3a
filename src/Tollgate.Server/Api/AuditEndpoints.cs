using System.Globalization;
using Tollgate.Server.Audit;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// The audit log of management writes, in Schematic's shape (<see cref="AuditLogResponse"/>): list and count filter by
/// <c>actor_type</c>, <c>start_time</c>/<c>end_time</c>, <c>q</c> and <c>environment_id</c> (the caller's; another
/// matches nothing), and by Tollgate's <c>resource_id</c> and <c>company_id</c>.
/// </summary>
internal static class AuditEndpoints
{
    private static readonly (string, string?)[] ActorTypes =
        [
            (AuditLogResponse.ApiKeyActor, AuditLogResponse.ApiKeyActor),
            (AuditLogResponse.SystemActor, AuditLogResponse.SystemActor),
            (AuditLogResponse.ConsoleUserActor, AuditLogResponse.ConsoleUserActor),
            ("stripe_app", null),
            ("temporary_access_token", null),
        ];

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/audit-log").WithTags("Audit log");
        group.MapGet("/", async (HttpContext http, AuditLog audit, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var filter = Filter(http, query, out var none);
            IReadOnlyList<AuditLogResponse> entries = none
                ? []
                : [.. (await audit.ListAsync(http.Scope().EnvironmentId, filter, paging.Limit, paging.Offset, ct).ConfigureAwait(false)).Select(AuditLogResponse.From)];
            return TypedResults.Ok(new Envelope<IReadOnlyList<AuditLogResponse>>(entries, query.PageParams()));
        });
        group.MapGet("/count", async (HttpContext http, AuditLog audit, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var filter = Filter(http, query, out var none);
            var count = none ? 0 : await audit.CountAsync(http.Scope().EnvironmentId, filter, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.PageParams()));
        });
        group.MapGet("/{auditLogId}", async (HttpContext http, string auditLogId, AuditLog audit, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(AuditLogResponse.From(await audit.GetAsync(http.Scope().EnvironmentId, auditLogId, ct).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "audit log entry not found")))));
    }

    /// <summary>The filter of a list or count; <paramref name="none"/> when it can match nothing (an actor Tollgate never records, another environment).</summary>
    private static AuditFilter Filter(HttpContext http, ListQuery query, out bool none)
    {
        var actor = query.One("actor_type") is { } actorType ? Validate.OneOf(actorType, "actor_type", ActorTypes) : null;
        none = (query.One("actor_type") is not null && actor is null)
            || (query.One("environment_id") is { } environmentId && environmentId != http.Scope().EnvironmentId);
        var from = Time(query, "start_time");
        var until = Time(query, "end_time");
        if (from is not null && until is not null && until <= from)
        {
            Errors.BadRequest("end_time", "must be after start_time");
        }

        return new AuditFilter(query.One("resource_id"), query.One("company_id"), from, until, actor, query.One("q"));
    }

    private static DateTimeOffset? Time(ListQuery query, string name) =>
        query.One(name) is not { } text
            ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? at
                : throw new RequestException(StatusCodes.Status400BadRequest, $"{name}: must be an ISO 8601 date-time");
}
