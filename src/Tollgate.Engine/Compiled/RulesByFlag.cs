using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>A company's or user's rules grouped by the flag they belong to; rules without a flag id never apply.</summary>
internal sealed class RulesByFlag
{
    private readonly Dictionary<string, RuleSet> _byFlagId;

    public RulesByFlag(IReadOnlyList<Rule> rules)
    {
        _byFlagId = rules
            .Where(r => r.FlagId is not null)
            .GroupBy(r => r.FlagId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new RuleSet(g), StringComparer.Ordinal);
    }

    public RuleSet For(string flagId) =>
        _byFlagId.Count != 0 && _byFlagId.TryGetValue(flagId, out var set) ? set : RuleSet.Empty;
}
