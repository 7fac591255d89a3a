using System.Security.Cryptography;

namespace Tollgate.FakeStripe;

/// <summary>Stripe-like object ids: a prefix and 14 random base-62 characters (<c>cus_Q1w2E3r4T5y6U7</c>).</summary>
public static class StripeIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new id with the given prefix (without the underscore).</summary>
    public static string New(string prefix) => prefix + "_" + RandomNumberGenerator.GetString(Alphabet, 14);
}
