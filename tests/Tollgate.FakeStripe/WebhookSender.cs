using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe;

/// <summary>
/// Delivers Stripe events to a webhook endpoint, signed exactly as Stripe signs them (<c>Stripe-Signature:
/// t={unix},v1={hex HMAC-SHA256 of "{t}.{payload}" keyed by the whole endpoint secret}</c>), and misbehaves on demand:
/// duplicates, reordering, delays, bad signatures and stale timestamps.
/// </summary>
public sealed class WebhookSender
{
    /// <summary>Stripe's default signature tolerance in seconds.</summary>
    public const int ToleranceSeconds = 300;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly List<string> _pending = [];
    private readonly Lock _gate = new();

    /// <summary>A sender for an endpoint whose signing secret is <paramref name="secret"/> (e.g. <c>whsec_…</c>).</summary>
    public WebhookSender(string secret, HttpClient? http = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        Secret = secret;
        _http = http ?? new HttpClient();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The endpoint signing secret.</summary>
    public string Secret { get; }

    /// <summary>Events collected from a fake and not yet delivered, oldest first (payloads).</summary>
    public IReadOnlyList<string> Pending
    {
        get { lock (_gate) return [.. _pending]; }
    }

    /// <summary>An event payload (<c>id evt_…</c>, <c>api_version</c> = Stripe.net's pinned version unless overridden).</summary>
    public static string BuildEvent(string type, JsonObject dataObject, JsonObject? previousAttributes = null,
        DateTimeOffset? created = null, string? apiVersion = null) =>
        StripeEventJson.Build(type, dataObject, previousAttributes, (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), apiVersion).ToJsonString();

    /// <summary>Queues every event the fake emits from now on, for <see cref="FlushAsync"/>.</summary>
    public void Collect(FakeStripeServer fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        Collect(fake.Default);
    }

    /// <summary>Queues every event one account of the fake emits from now on, for <see cref="FlushAsync"/>.</summary>
    public void Collect(FakeStripeAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        account.Store.EventEmitted += e =>
        {
            lock (_gate) _pending.Add(e.ToJsonString());
        };
    }

    /// <summary>The <c>Stripe-Signature</c> header for <paramref name="payload"/> signed at <paramref name="timestamp"/> (unix seconds).</summary>
    public string Sign(string payload, long timestamp, string? secret = null) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={ComputeSignature(secret ?? Secret, timestamp, payload)}";

    /// <summary>Lowercase hex HMAC-SHA256 of <c>"{timestamp}.{payload}"</c> keyed by the UTF-8 secret string.</summary>
    public static string ComputeSignature(string secret, long timestamp, string payload)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}.{payload}"));
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>The body actually sent and its header for the given signature mode.</summary>
    public (string Body, string? Header) Prepare(string payload, WebhookSignature signature = WebhookSignature.Valid)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return signature switch
        {
            WebhookSignature.Valid => (payload, Sign(payload, now)),
            WebhookSignature.WrongSecret => (payload, Sign(payload, now, "whsec_wrong_" + Secret)),
            WebhookSignature.TamperedBody => (payload.Insert(payload.Length - 1, " "), Sign(payload, now)),
            WebhookSignature.Stale => (payload, Sign(payload, now - ToleranceSeconds - 60)),
            WebhookSignature.FromTheFuture => (payload, Sign(payload, now + ToleranceSeconds + 60)),
            WebhookSignature.Malformed => (payload, "garbage"),
            WebhookSignature.Missing => (payload, null),
            _ => throw new ArgumentOutOfRangeException(nameof(signature)),
        };
    }

    /// <summary>POSTs one event payload to <paramref name="endpoint"/>.</summary>
    public async Task<WebhookDelivery> SendAsync(Uri endpoint, string payload, WebhookSignature signature = WebhookSignature.Valid,
        CancellationToken cancellationToken = default)
    {
        var (body, header) = Prepare(payload, signature);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (header is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", header);
        request.Headers.TryAddWithoutValidation("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        using var response = await _http.SendAsync(request, cancellationToken);
        var evt = JsonNode.Parse(payload)!;
        return new WebhookDelivery((string)evt["id"]!, (string)evt["type"]!, body, header, (int)response.StatusCode,
            await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Delivers <paramref name="payloads"/> per <paramref name="plan"/> (copies, order, delays, signature), one at a time.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> SendAllAsync(Uri endpoint, IEnumerable<string> payloads, WebhookDeliveryPlan? plan = null,
        CancellationToken cancellationToken = default)
    {
        plan ??= new WebhookDeliveryPlan();
        var batch = Arrange([.. payloads], plan);
        var results = new List<WebhookDelivery>(batch.Count);
        foreach (var payload in batch)
        {
            if (results.Count > 0 && plan.DelayBetween > TimeSpan.Zero) await Task.Delay(plan.DelayBetween, cancellationToken);
            for (var attempt = 1; ; attempt++)
            {
                var delivery = await TrySendAsync(endpoint, payload, plan.Signature, cancellationToken);
                results.Add(delivery);
                if (delivery.Status is >= 200 and < 300 || attempt >= plan.Attempts) break;
                if (plan.RetryDelay > TimeSpan.Zero) await Task.Delay(plan.RetryDelay, cancellationToken);
            }
        }
        return results;
    }

    /// <summary>Like <see cref="SendAsync"/>, but a connection failure is a delivery with status 0 (Stripe counts it as failed).</summary>
    private async Task<WebhookDelivery> TrySendAsync(Uri endpoint, string payload, WebhookSignature signature, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(endpoint, payload, signature, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            var evt = JsonNode.Parse(payload)!;
            return new WebhookDelivery((string)evt["id"]!, (string)evt["type"]!, payload, null, 0, e.Message);
        }
    }

    /// <summary>Delivers and clears the events collected by <c>Collect</c>.</summary>
    public Task<IReadOnlyList<WebhookDelivery>> FlushAsync(Uri endpoint, WebhookDeliveryPlan? plan = null, CancellationToken cancellationToken = default)
    {
        List<string> batch;
        lock (_gate)
        {
            batch = [.. _pending];
            _pending.Clear();
        }
        return SendAllAsync(endpoint, batch, plan, cancellationToken);
    }

    /// <summary>The delivery sequence a plan produces: each event repeated <c>Copies</c> times, then ordered.</summary>
    public static List<string> Arrange(IReadOnlyList<string> payloads, WebhookDeliveryPlan plan)
    {
        var ordered = plan.Order switch
        {
            WebhookOrder.Reversed => payloads.Reverse().ToList(),
            _ => [.. payloads],
        };
        var batch = ordered.SelectMany(p => Enumerable.Repeat(p, Math.Max(1, plan.Copies))).ToList();
        if (plan.Order == WebhookOrder.Shuffled) new Random(plan.Seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batch));
        return batch;
    }
}
