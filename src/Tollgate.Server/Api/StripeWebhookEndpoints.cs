using Tollgate.Server.Billing.Webhooks;
using Tollgate.Server.Requests;
using Tollgate.Stripe;

namespace Tollgate.Server.Api;

/// <summary>
/// Stripe's webhook endpoint of each environment (authenticated by its signature, not an API key) and the received
/// events as the API shows them (secret keys).
/// </summary>
internal static class StripeWebhookEndpoints
{
    /// <summary>The endpoint Stripe posts to; outside the API-key group.</summary>
    public static void MapReceiver(IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/stripe/{environmentId}", async (HttpContext http, string environmentId, WebhookReceiver receiver, CancellationToken ct) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
            var signature = http.Request.Headers[StripeWebhooks.SignatureHeader].ToString();
            return TypedResults.Ok(await receiver.ReceiveAsync(environmentId, buffer.ToArray(), signature, ct).ConfigureAwait(false));
        }).WithTags("Stripe").WithSummary("Stripe's webhook deliveries for an environment (Stripe-Signature checked on the raw body)");

    public static void Map(RouteGroupBuilder api)
    {
        var events = api.MapGroup("/billing/stripe/webhook-events").WithTags("Stripe");
        events.MapGet(string.Empty, async (HttpContext http, WebhookInbox inbox, CancellationToken ct) =>
        {
            var paging = Paging.From(http.Request);
            var status = http.Request.Query["status"].ToString();
            if (status.Length > 0 && status is not (WebhookInbox.Pending or WebhookInbox.Done or WebhookInbox.Ignored or WebhookInbox.Failed))
            {
                Errors.BadRequest("status", "must be pending, done, ignored or failed");
            }

            var entries = await inbox.ListAsync(http.Scope().EnvironmentId, status.Length == 0 ? null : status, paging.Limit, paging.Offset, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Page(entries.Select(WebhookEventResponse.From).ToList(), paging));
        }).WithSummary("Webhook events received from Stripe, newest first (status: pending, done, ignored, failed)");
        events.MapPost("/{eventId}/retry", async (HttpContext http, string eventId, WebhookInbox inbox, WebhookWorker worker, TimeProvider time, CancellationToken ct) =>
        {
            var environmentId = http.Scope().EnvironmentId;
            if (!await inbox.RequeueAsync(environmentId, eventId, time.GetUtcNow(), ct).ConfigureAwait(false))
            {
                Errors.NotFound("webhook event");
            }

            worker.Wake(environmentId);
            return TypedResults.Ok(Envelope.Of(new { requeued = true, event_id = eventId }));
        }).WithSummary("Process a received event again (e.g. one given up after repeated failures)");
    }
}
