namespace Tollgate.Server.Startup;

/// <summary>
/// The rule a configured secret key (<c>TOLLGATE_API_KEY</c>) must meet: at least <see cref="MinimumLength"/>
/// characters and an estimated entropy of at least <see cref="MinimumBits"/> bits. The estimate is the key's length
/// times the Shannon entropy of its own character frequencies: it is what a random key of that length over those
/// characters would carry, and it refuses short keys, repeated characters, short repeated patterns and tiny
/// alphabets. It cannot see that a long dictionary phrase is guessable; it is a floor, not a proof of randomness.
/// Keys Tollgate makes (<c>tg_sk_</c> and 32 base-62 characters) and <c>openssl rand -hex 32</c> pass with room.
/// </summary>
internal static class ApiKeyStrength
{
    /// <summary>The shortest key accepted.</summary>
    public const int MinimumLength = 32;

    /// <summary>The least estimated entropy accepted, in bits.</summary>
    public const double MinimumBits = 128;

    /// <summary>Length × the Shannon entropy per character of the key's character frequencies.</summary>
    public static double EstimatedBits(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var counts = new Dictionary<char, int>();
        foreach (var c in key)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        var perCharacter = 0.0;
        foreach (var count in counts.Values)
        {
            var p = (double)count / key.Length;
            perCharacter -= p * Math.Log2(p);
        }

        return perCharacter * key.Length;
    }

    /// <summary>Why <paramref name="key"/> is too weak to be a secret key, or null when it meets the rule.</summary>
    public static string? Weakness(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumLength)
        {
            return $"it has {key.Length} characters; at least {MinimumLength} are required";
        }

        if (key.Any(char.IsWhiteSpace))
        {
            return "it contains white space";
        }

        var bits = EstimatedBits(key);
        return bits < MinimumBits
            ? $"its estimated entropy is {Math.Floor(bits)} bits (length × Shannon entropy of its characters); at least {MinimumBits} are required — too few distinct characters or a repeated pattern"
            : null;
    }

    /// <summary>Refuses a weak configured key, naming the variable, what is wrong and how to make a good one.</summary>
    public static void Check(string key)
    {
        if (Weakness(key) is { } weakness)
        {
            throw new StartupRefusal(
                $"TOLLGATE_API_KEY (Tollgate:ApiKey) is too weak: {weakness}. Use a random key, e.g. `openssl rand -hex 32`, or unset it to have one made.");
        }
    }
}
