using System.Security.Cryptography;

namespace Tollgate.Server.Storage;

/// <summary>Prefixed random identifiers (<c>comp_…</c>, <c>feat_…</c>), as <c>DESIGN.md</c> decides.</summary>
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new id: the prefix, an underscore and 22 base-62 characters (131 random bits).</summary>
    public static string New(string prefix) => $"{prefix}_{RandomNumberGenerator.GetString(Alphabet, 22)}";

    /// <summary>A random secret of the given length in base 62.</summary>
    public static string Secret(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
