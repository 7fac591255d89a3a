namespace Tollgate.Engine.Model;

/// <summary>A user as the engine sees it.</summary>
public sealed record User
{
    /// <summary>The user's id (<c>user_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The account that owns the user.</summary>
    public required string AccountId { get; init; }

    /// <summary>The environment the user lives in.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>The keys that identify the user.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; init; } = EmptyMaps.Strings;

    /// <summary>The user's traits.</summary>
    public IReadOnlyList<Trait> Traits { get; init; } = [];

    /// <summary>Rules delivered with the user; only those whose flag id is the checked flag's take part.</summary>
    public IReadOnlyList<Rule> Rules { get; init; } = [];
}
