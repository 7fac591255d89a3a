using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Tollgate.Server.Notifications;

/// <summary>The answer to one delivery attempt: success is any 2xx; a failure has a code (an HTTP answer) or none (no answer).</summary>
internal readonly record struct DeliveryOutcome(bool Success, int? ResponseCode, string? Error);

/// <summary>Posts a payload to an endpoint, signed with its secret.</summary>
internal sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string ClientName = "tollgate-webhooks";

    public async Task<DeliveryOutcome> SendAsync(WebhookRecord webhook, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var body = Encoding.UTF8.GetBytes(payload);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(body, timestamp, webhook.Secret));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new DeliveryOutcome(true, code, null)
                : new DeliveryOutcome(false, code, string.Create(CultureInfo.InvariantCulture, $"the endpoint answered HTTP {code}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(false, null, $"no answer within {options.Value.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException exception)
        {
            return new DeliveryOutcome(false, null, "the endpoint could not be reached: " + exception.Message);
        }
    }
}
