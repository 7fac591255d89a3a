using Tollgate.Server.Notifications;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>Outgoing webhooks: endpoints (<c>/webhooks</c>) and the delivery log (<c>/webhook-events</c>). Secret keys only.</summary>
internal static class WebhookEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapGet("/", async (HttpContext http, WebhookService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var q = query.One("q");
            var page = await service.ListAsync(http.Scope(), q, query.Paging, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<WebhookResponse>>([.. page.Select(WebhookResponse.From)], query.PageParams()));
        });
        webhooks.MapGet("/count", async (HttpContext http, WebhookService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var count = await service.CountAsync(http.Scope(), query.One("q"), ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.PageParams()));
        });
        webhooks.MapPost("/", async (HttpContext http, CreateWebhookRequest body, WebhookService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(WebhookResponse.From(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)))));
        webhooks.MapGet("/{webhookId}", async (HttpContext http, string webhookId, WebhookService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(WebhookResponse.From(await service.GetAsync(http.Scope(), webhookId, ct).ConfigureAwait(false)))));
        webhooks.MapPut("/{webhookId}", async (HttpContext http, string webhookId, UpdateWebhookRequest body, WebhookService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(WebhookResponse.From(await service.UpdateAsync(http.Scope(), webhookId, body, ct).ConfigureAwait(false)))));
        webhooks.MapDelete("/{webhookId}", async (HttpContext http, string webhookId, WebhookService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), webhookId, ct).ConfigureAwait(false), "webhook"));
        webhooks.MapPost("/{webhookId}/test", async (HttpContext http, string webhookId, TestWebhookRequest? body, WebhookService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.TestAsync(http.Scope(), webhookId, body, ct).ConfigureAwait(false))));

        var events = api.MapGroup("/webhook-events").WithTags("Webhooks");
        events.MapGet("/", async (HttpContext http, WebhookService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var (page, _) = await service.EventsAsync(http.Scope(), query.One("webhook_id"), Ids(query), query.Paging, ct).ConfigureAwait(false);
            query.One("q");
            return TypedResults.Ok(new Envelope<IReadOnlyList<WebhookEventResponse>>(page, query.PageParams()));
        });
        events.MapGet("/count", async (HttpContext http, WebhookService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var (_, count) = await service.EventsAsync(http.Scope(), query.One("webhook_id"), Ids(query), null, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.PageParams()));
        });
        events.MapGet("/{webhookEventId}", async (HttpContext http, string webhookEventId, WebhookService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.EventAsync(http.Scope(), webhookEventId, ct).ConfigureAwait(false))));

        // Tollgate's: a manual retry of a delivery (Schematic's dashboard has one; its API does not).
        events.MapPost("/{webhookEventId}/retry", async (HttpContext http, string webhookEventId, WebhookService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.RetryAsync(http.Scope(), webhookEventId, ct).ConfigureAwait(false))));
    }

    private static IReadOnlyList<string>? Ids(ListQuery query) => query.Many("ids") is { Count: > 0 } ids ? ids : null;
}
