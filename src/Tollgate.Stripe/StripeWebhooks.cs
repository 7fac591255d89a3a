using System.Text.Json;
using Stripe;

namespace Tollgate.Stripe;

/// <summary>
/// Webhook deliveries: the signature is checked on the raw body with Stripe.net's own <see cref="EventUtility"/> (HMAC
/// over <c>{t}.{body}</c>, timestamp within the tolerance of now), then only the event's envelope is read — its id,
/// type, creation time and the type and id of its object. Tollgate never acts on the payload's copy of the object
/// (it re-reads the object from Stripe), so an event rendered in another API version is as good as any.
/// </summary>
public static class StripeWebhooks
{
    /// <summary>The header Stripe signs deliveries with.</summary>
    public const string SignatureHeader = "Stripe-Signature";

    /// <summary>Verifies a delivery and reads its envelope; throws <see cref="StripeWebhookException"/> when it is not a genuine, fresh Stripe event.</summary>
    public static StripeEventNotice Verify(string payload, string? signatureHeader, string secret, long toleranceSeconds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            throw new StripeWebhookException($"{SignatureHeader}: the header is missing");
        }

        try
        {
            EventUtility.ValidateSignature(payload, signatureHeader, secret, toleranceSeconds, now.ToUnixTimeSeconds());
        }
        catch (StripeException e)
        {
            throw new StripeWebhookException($"{SignatureHeader}: {e.Message}");
        }

        return ReadEnvelope(payload);
    }

    private static StripeEventNotice ReadEnvelope(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new StripeWebhookException("body: must be a JSON object");
            }

            var objectKind = Text(root, "object");
            if (objectKind == "v2.core.event")
            {
                throw new StripeWebhookException("body: thin (v2) events are not supported; send snapshot events to this endpoint");
            }

            if (objectKind != "event")
            {
                throw new StripeWebhookException("body.object: must be \"event\"");
            }

            var id = Text(root, "id") ?? throw new StripeWebhookException("body.id: is missing");
            var type = Text(root, "type") ?? throw new StripeWebhookException("body.type: is missing");
            var created = root.TryGetProperty("created", out var c) && c.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : throw new StripeWebhookException("body.created: is missing");
            string? objectType = null, objectId = null;
            if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("object", out var obj) && obj.ValueKind == JsonValueKind.Object)
            {
                objectType = Text(obj, "object");
                objectId = Text(obj, "id");
            }

            var liveMode = root.TryGetProperty("livemode", out var live) && live.ValueKind == JsonValueKind.True;
            return new StripeEventNotice(id, type, created, objectType, objectId, Text(root, "api_version"), liveMode);
        }
        catch (JsonException e)
        {
            throw new StripeWebhookException($"body: not valid JSON ({e.Message})");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>What a verified webhook delivery says happened: the event and the object it is about.</summary>
/// <param name="Id">Stripe's event id (<c>evt_…</c>), the same on every redelivery.</param>
/// <param name="Type">The event type, e.g. <c>customer.subscription.updated</c>.</param>
/// <param name="Created">When Stripe created the event.</param>
/// <param name="ObjectType">The <c>object</c> of <c>data.object</c> (<c>subscription</c>, <c>invoice</c>, <c>checkout.session</c>…).</param>
/// <param name="ObjectId">The id of <c>data.object</c>.</param>
/// <param name="ApiVersion">The API version the event was rendered in.</param>
/// <param name="LiveMode">True for live-mode events.</param>
public sealed record StripeEventNotice(string Id, string Type, DateTimeOffset Created, string? ObjectType, string? ObjectId, string? ApiVersion, bool LiveMode);

/// <summary>A webhook delivery that is not a genuine, fresh Stripe event; the message names the part at fault.</summary>
public sealed class StripeWebhookException(string message) : Exception(message);
