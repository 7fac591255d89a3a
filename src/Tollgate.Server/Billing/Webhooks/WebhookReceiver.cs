using System.Text;
using Microsoft.Extensions.Options;
using Tollgate.Server.Requests;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Webhooks;

/// <summary>
/// Receives a webhook delivery: verifies it against the environment's signing secret, stores it in the inbox (the
/// 2xx is sent only after that commit: an acknowledged event is never lost), and wakes the worker. Nothing else
/// happens on the request path, so Stripe gets its answer in milliseconds.
/// </summary>
internal sealed class WebhookReceiver(StripeConnections connections, WebhookInbox inbox, WebhookWorker worker, IOptions<TollgateOptions> options, TimeProvider time)
{
    /// <summary>Handles one delivery of <paramref name="body"/> to the environment's endpoint.</summary>
    public async Task<WebhookReceipt> ReceiveAsync(string environmentId, byte[] body, string? signature, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(environmentId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "stripe connection not found for this environment");
        var now = time.GetUtcNow();
        StripeEventNotice notice;
        try
        {
            notice = StripeWebhooks.Verify(DecodeUtf8(body), signature, connection.WebhookSecret, options.Value.Stripe.WebhookToleranceSeconds, now);
        }
        catch (StripeWebhookException e)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, e.Message);
        }

        var followed = WebhookTopics.IsFollowed(notice);
        var added = await inbox.AddAsync(environmentId, notice, followed ? WebhookInbox.Pending : WebhookInbox.Ignored, now, cancellationToken).ConfigureAwait(false);
        if (added)
        {
            worker.Wake(environmentId);
        }

        return new WebhookReceipt(true, notice.Id, Duplicate: !added, Ignored: !followed);
    }

    /// <summary>The body as text, refusing bytes that are not UTF-8 (Stripe signs UTF-8 JSON; a lossy decode could not verify anyway).</summary>
    private static string DecodeUtf8(byte[] body)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, "body: is not UTF-8");
        }
    }
}

/// <summary>The answer to a webhook delivery.</summary>
public sealed record WebhookReceipt(
    [property: System.Text.Json.Serialization.JsonPropertyName("received")] bool Received,
    [property: System.Text.Json.Serialization.JsonPropertyName("event_id")] string EventId,
    [property: System.Text.Json.Serialization.JsonPropertyName("duplicate")] bool Duplicate,
    [property: System.Text.Json.Serialization.JsonPropertyName("ignored")] bool Ignored);
