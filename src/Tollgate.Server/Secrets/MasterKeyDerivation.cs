using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Tollgate.Server.Secrets;

/// <summary>
/// The 256-bit AES key made from <c>TOLLGATE_MASTER_KEY</c>. A value that is 32 bytes in base64 is a key and is used
/// as it is. Anything else is a passphrase, stretched with PBKDF2-HMAC-SHA-256 at <see cref="DefaultIterations"/>
/// iterations (OWASP's 2023 figure) and a random 128-bit salt, so a guess at a stolen database costs that much work.
/// Each encrypted element names its derivation (<see cref="DerivationElement"/>: salt and iterations, or none), so
/// the iteration count can rise later without losing what was written before. Elements written before this
/// derivation existed carry no such element: their key was SHA-256 of the passphrase (<see cref="Legacy"/>); they
/// are read with it and re-encrypted at start-up by <see cref="MasterKeyUpgrade"/>.
/// </summary>
internal sealed class MasterKeyDerivation
{
    /// <summary>PBKDF2-HMAC-SHA-256 iterations for new elements.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The name of the element recording how an element's key was derived.</summary>
    public const string DerivationElement = "kdf";

    private const string Pbkdf2Name = "pbkdf2-sha256";
    private const string RawName = "none";

    private readonly string? _configured;
    private readonly int _iterations;
    private readonly Lazy<(byte[] Key, XElement Derivation)> _forEncryption;

    // Derived keys by salt and iterations: PBKDF2 is deliberately slow, and a key ring holds a few keys.
    private readonly ConcurrentDictionary<string, byte[]> _derived = new(StringComparer.Ordinal);

    /// <summary>The derivation of a configured master key (null or empty: none configured).</summary>
    public MasterKeyDerivation(string? configured, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        _configured = configured is { Length: > 0 } ? configured : null;
        _iterations = iterations;
        _forEncryption = new(MakeEncryptionKey);
    }

    /// <summary>True when a master key is configured.</summary>
    public bool IsConfigured => _configured is not null;

    /// <summary>The key to encrypt with and the element that records its derivation (one salt per process).</summary>
    public (byte[] Key, XElement Derivation) ForEncryption() => _forEncryption.Value;

    /// <summary>The key an element was encrypted with, from its derivation element (null: the pre-KDF form).</summary>
    public byte[] ForDecryption(XElement? derivation)
    {
        var configured = Configured();
        if (derivation is null)
        {
            return Legacy(configured);
        }

        var name = (string?)derivation.Attribute("name");
        if (name == RawName)
        {
            // Written under a base64 key: a passphrase now cannot be the same key.
            return RawKey(configured) ?? throw NotTheMasterKey(null);
        }

        if (name != Pbkdf2Name
            || !int.TryParse((string?)derivation.Attribute("iterations"), NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1
            || (string?)derivation.Attribute("salt") is not { } salt)
        {
            throw new InvalidOperationException($"A stored key names an unknown master-key derivation: {derivation}.");
        }

        return _derived.GetOrAdd($"{iterations}:{salt}", _ => Pbkdf2(configured, Convert.FromBase64String(salt), iterations));
    }

    /// <summary>The key of the form written before PBKDF2: the base64 key as it is, or SHA-256 of the passphrase.</summary>
    public static byte[] Legacy(string configured) =>
        RawKey(configured) ?? SHA256.HashData(Encoding.UTF8.GetBytes(configured));

    /// <summary>The key itself when <paramref name="configured"/> is 32 bytes in base64; otherwise null (a passphrase).</summary>
    public static byte[]? RawKey(string configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var buffer = new byte[configured.Length];
        return Convert.TryFromBase64String(configured, buffer, out var written) && written == 32 ? buffer[..32] : null;
    }

    /// <summary>PBKDF2-HMAC-SHA-256 of the passphrase to 32 bytes.</summary>
    public static byte[] Pbkdf2(string passphrase, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, iterations, HashAlgorithmName.SHA256, 32);

    /// <summary>The error for a master key that does not open what was stored.</summary>
    public static InvalidOperationException NotTheMasterKey(Exception? inner) =>
        new("TOLLGATE_MASTER_KEY is not the master key the stored keys were encrypted with.", inner);

    private string Configured() => _configured
        ?? throw new InvalidOperationException("The stored keys were encrypted with a master key: set TOLLGATE_MASTER_KEY (Tollgate:MasterKey) to the one used.");

    private (byte[] Key, XElement Derivation) MakeEncryptionKey()
    {
        var configured = Configured();
        if (RawKey(configured) is { } raw)
        {
            return (raw, new XElement(DerivationElement, new XAttribute("name", RawName)));
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        var key = Pbkdf2(configured, salt, _iterations);
        var saltText = Convert.ToBase64String(salt);
        _derived[$"{_iterations}:{saltText}"] = key;
        return (key, new XElement(
            DerivationElement,
            new XAttribute("name", Pbkdf2Name),
            new XAttribute("iterations", _iterations.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("salt", saltText)));
    }
}
