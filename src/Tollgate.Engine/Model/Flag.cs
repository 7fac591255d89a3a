namespace Tollgate.Engine.Model;

/// <summary>A feature flag: a key, a default value and the rules that may change it (spec §3.1).</summary>
public sealed record Flag
{
    /// <summary>The flag's id (<c>flag_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The account that owns the flag.</summary>
    public required string AccountId { get; init; }

    /// <summary>The environment the flag lives in.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>The key applications check.</summary>
    public required string Key { get; init; }

    /// <summary>The value when no rule matches.</summary>
    public required bool DefaultValue { get; init; }

    /// <summary>The flag's own rules; company and user rules for this flag are added at check time.</summary>
    public IReadOnlyList<Rule> Rules { get; init; } = [];
}
