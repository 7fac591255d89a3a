using System.Text;
using Tollgate.Server.Notifications;

namespace Tollgate.Client.Tests;

/// <summary><see cref="WebhookVerifier"/> accepts what the server's webhook sender signs, and nothing else.</summary>
public sealed class WebhookVerifierTests
{
    [Fact]
    public void VerifierAcceptsTheServersSignatureAndRefusesAnyChangeToBodyTimestampSecretOrAge()
    {
        const string Body = """{"type":"company.updated","data":{"id":"comp_1"}}""";
        const string Secret = "whsec_client_test";
        var now = DateTimeOffset.UtcNow;
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = WebhookSignature.Compute(Encoding.UTF8.GetBytes(Body), timestamp, Secret);
        var headers = new Dictionary<string, string> { ["x-schematic-webhook-signature"] = signature, [WebhookVerifier.TimestampHeader] = timestamp };

        WebhookVerifier.VerifyWebhookSignature(Body, headers, Secret, TimeSpan.FromMinutes(5));
        Assert.True(WebhookVerifier.IsValid(Encoding.UTF8.GetBytes(Body), signature, timestamp, Secret));
        Assert.False(WebhookVerifier.IsValid(Encoding.UTF8.GetBytes(Body + " "), signature, timestamp, Secret));
        Assert.False(WebhookVerifier.IsValid(Encoding.UTF8.GetBytes(Body), signature, timestamp + "1", Secret));
        Assert.False(WebhookVerifier.IsValid(Encoding.UTF8.GetBytes(Body), signature, timestamp, Secret + "x"));
        Assert.False(WebhookVerifier.IsValid(Encoding.UTF8.GetBytes(Body), "zz", timestamp, Secret));
        Assert.Throws<WebhookSignatureException>(() => WebhookVerifier.VerifyWebhookSignature(Body, new Dictionary<string, string>(), Secret));
        Assert.Throws<WebhookSignatureException>(() => WebhookVerifier.VerifyWebhookSignature(Body, headers, Secret, TimeSpan.FromMinutes(5), new FixedTime(now.AddMinutes(10))));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
