using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>A company's or user's rules grouped by the flag they belong to; rules without a flag id never apply.</summary>
internal sealed class RulesByFlag
{
    // Never written after construction: a company without rules of its own (most) shares the empty one.
    private static readonly Dictionary<string, RuleSet> NoRules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RuleSet> _byFlagId;

    public RulesByFlag(IReadOnlyList<Rule> rules)
    {
        _byFlagId = rules.Count == 0 ? NoRules : rules
            .Where(r => r.FlagId is not null)
            .GroupBy(r => r.FlagId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new RuleSet(g), StringComparer.Ordinal);
    }

    public RuleSet For(string flagId) =>
        _byFlagId.Count != 0 && _byFlagId.TryGetValue(flagId, out var set) ? set : RuleSet.Empty;
}
