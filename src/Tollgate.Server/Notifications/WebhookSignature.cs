using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Server.Notifications;

/// <summary>
/// Schematic's webhook signature, as the official SDKs verify it (the Node SDK's <c>computeSignature</c>): the hex
/// HMAC-SHA256, keyed by the endpoint's secret, of the body followed by <c>+</c> and the timestamp header's value.
/// </summary>
internal static class WebhookSignature
{
    public const string SignatureHeader = "X-Schematic-Webhook-Signature";
    public const string TimestampHeader = "X-Schematic-Webhook-Timestamp";

    public static string Compute(byte[] body, string timestamp, string secret)
    {
        ArgumentNullException.ThrowIfNull(body);
        var suffix = Encoding.UTF8.GetBytes("+" + timestamp);
        var signed = new byte[body.Length + suffix.Length];
        body.CopyTo(signed, 0);
        suffix.CopyTo(signed, body.Length);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
