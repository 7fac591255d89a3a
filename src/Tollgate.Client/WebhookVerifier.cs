using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Client;

/// <summary>
/// Verifies Tollgate's (and Schematic's) outgoing webhooks: <c>X-Schematic-Webhook-Signature</c> is the hex
/// HMAC-SHA256, keyed by the endpoint's secret, of the raw body followed by <c>+</c> and the
/// <c>X-Schematic-Webhook-Timestamp</c> header (Unix seconds). Compared in constant time.
/// </summary>
public static class WebhookVerifier
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-Schematic-Webhook-Signature";

    /// <summary>The timestamp header.</summary>
    public const string TimestampHeader = "X-Schematic-Webhook-Timestamp";

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="body"/> at <paramref name="timestamp"/> with <paramref name="secret"/>.</summary>
    public static bool IsValid(ReadOnlySpan<byte> body, string? signature, string? timestamp, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp) || signature.Length != 64)
        {
            return false;
        }

        var suffix = Encoding.UTF8.GetBytes("+" + timestamp);
        var signed = new byte[body.Length + suffix.Length];
        body.CopyTo(signed);
        suffix.CopyTo(signed, body.Length);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>
    /// Verifies a webhook as the official SDK's <c>VerifyWebhookSignature</c> does, from its body and headers (names
    /// compared case-insensitively); with <paramref name="tolerance"/>, also that its timestamp is that recent.
    /// </summary>
    /// <exception cref="WebhookSignatureException">The signature is missing, wrong or too old.</exception>
    public static void VerifyWebhookSignature(string body, IReadOnlyDictionary<string, string> headers, string secret, TimeSpan? tolerance = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(headers);
        var signature = Header(headers, SignatureHeader);
        var timestamp = Header(headers, TimestampHeader);
        if (signature is null || timestamp is null)
        {
            throw new WebhookSignatureException($"{SignatureHeader} and {TimestampHeader} are required.");
        }

        if (!IsValid(Encoding.UTF8.GetBytes(body), signature, timestamp, secret))
        {
            throw new WebhookSignatureException("The webhook signature does not match its body, timestamp and secret.");
        }

        if (tolerance is { } window)
        {
            var now = (time ?? TimeProvider.System).GetUtcNow();
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > window)
            {
                throw new WebhookSignatureException($"The webhook timestamp is not within {window} of now.");
            }
        }
    }

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name)
    {
        foreach (var (key, value) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
