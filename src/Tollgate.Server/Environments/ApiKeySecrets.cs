using System.Security.Cryptography;
using System.Text;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Environments;

/// <summary>
/// Key text and hashing. Keys carry 190 random bits, so a fast SHA-256 is the right hash (a slow password hash adds
/// nothing against guessing and would cost every request).
/// </summary>
public static class ApiKeySecrets
{
    /// <summary>The prefix of secret keys.</summary>
    public const string SecretPrefix = "tg_sk_";

    /// <summary>The prefix of publishable keys.</summary>
    public const string PublishablePrefix = "tg_pk_";

    /// <summary>A new key of the kind.</summary>
    public static string NewKey(ApiKeyKind kind) => (kind == ApiKeyKind.Secret ? SecretPrefix : PublishablePrefix) + Ids.Secret(32);

    /// <summary>The stored hash of a key.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>What listings show of a key: its prefix and last four characters.</summary>
    public static string Hint(string key) => key.Length <= 12 ? "…" : $"{key[..6]}…{key[^4..]}";
}
