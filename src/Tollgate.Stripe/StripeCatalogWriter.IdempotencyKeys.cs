using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tollgate.Stripe;

/// <summary>
/// Idempotency keys derived from what a call creates: the same object asked for twice (a retried push, a crash between
/// Stripe's answer and Tollgate's write) gets the same key, so Stripe answers the first result instead of creating a
/// second object. Stripe keeps a key for at least 24 hours; a different request under the same key is refused
/// (<c>idempotency_error</c>), which is why the key covers every parameter sent and not only the object's identity.
/// </summary>
internal static class IdempotencyKeys
{
    /// <summary>
    /// <c>tollgate-{purpose}-{hash}</c> where the hash covers <paramref name="parts"/> (metadata dictionaries are
    /// ordered first, so equal requests always give equal keys). Stripe allows keys of up to 255 characters.
    /// </summary>
    public static string For(string purpose, params object?[] parts)
    {
        var canonical = JsonSerializer.Serialize(parts.Select(Canonical).ToArray());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return $"tollgate-{purpose}-{hash[..40]}";
    }

    /// <summary>
    /// A copy of <paramref name="metadata"/> in key order: Stripe.net encodes a dictionary in its order, and a replay
    /// must send the same body as the first request, so equal metadata is always sent alike.
    /// </summary>
    public static Dictionary<string, string> Ordered(IReadOnlyDictionary<string, string> metadata)
    {
        var ordered = new Dictionary<string, string>(metadata.Count, StringComparer.Ordinal);
        foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            ordered[key] = value;
        }

        return ordered;
    }

    private static object? Canonical(object? part) => part switch
    {
        IReadOnlyDictionary<string, string> map => new SortedDictionary<string, string>(map.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal),
        _ => part,
    };
}
