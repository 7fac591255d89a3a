using System.Text.RegularExpressions;

namespace Tollgate.Server.Requests;

/// <summary>Field checks that answer 400 with the field's name.</summary>
public static partial class Validate
{
    /// <summary>The longest name or key accepted.</summary>
    public const int MaxTextLength = 500;

    /// <summary>A required, non-blank string of bounded length.</summary>
    public static string Required(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Errors.BadRequest(field, "is required");
        }

        return Bounded(value, field)!;
    }

    /// <summary>An optional string of bounded length.</summary>
    public static string? Bounded(string? value, string field)
    {
        if (value is { Length: > MaxTextLength })
        {
            Errors.BadRequest(field, $"must be at most {MaxTextLength} characters");
        }

        return value;
    }

    /// <summary>A flag key: lowercase letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
    public static string Key(string? value, string field)
    {
        var key = Required(value, field);
        if (!KeyPattern().IsMatch(key))
        {
            Errors.BadRequest(field, "must be lowercase letters, digits, '-', '_' or '.', starting with a letter or digit");
        }

        return key;
    }

    /// <summary>One of the named values of an enum, by its snake_case wire name.</summary>
    public static T OneOf<T>(string? value, string field, params (string Name, T Value)[] choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        foreach (var (name, choice) in choices)
        {
            if (string.Equals(value, name, StringComparison.Ordinal))
            {
                return choice;
            }
        }

        Errors.BadRequest(field, $"must be one of {string.Join(", ", choices.Select(c => c.Name))}");
        return default;
    }

    /// <summary>Makes a flag key from a name: "AI Credits" → "ai-credits".</summary>
    public static string KeyFromName(string name) => NonKeyRun().Replace(name.Trim().ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("[^a-z0-9._]+")]
    private static partial Regex NonKeyRun();
}
