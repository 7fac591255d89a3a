using Tollgate.Engine.Internal;

namespace Tollgate.Engine.Compiled;

/// <summary>
/// What <see cref="CompiledFlag"/> asks of each rule it visits, in its visiting order. A check uses
/// <see cref="MatchingProbe"/>; an explanation records the order with <see cref="OrderRecorder"/>, so the order it shows
/// is the check's own, not a copy of it. Implementations are structs: the JIT compiles the check's instantiation with the
/// call inlined, as if the probe were not there.
/// </summary>
internal interface IRuleProbe
{
    bool Matches(CompiledRule rule, CompiledCompany? company, CompiledUser? user, in Preflight preflight);
}

/// <summary>The check's probe: a rule matches when its conditions hold.</summary>
internal readonly struct MatchingProbe : IRuleProbe
{
    public bool Matches(CompiledRule rule, CompiledCompany? company, CompiledUser? user, in Preflight preflight) =>
        ConditionEvaluator.Matches(rule, company, user, preflight);
}

/// <summary>
/// Records every rule visited and matches none, so the visit runs to the end: the visiting order does not depend on
/// which rules match (a visit only stops early on a match), so the check visits a prefix of this list and stops at the
/// first rule in it that matches.
/// </summary>
internal readonly struct OrderRecorder(List<CompiledRule> visited) : IRuleProbe
{
    public bool Matches(CompiledRule rule, CompiledCompany? company, CompiledUser? user, in Preflight preflight)
    {
        visited.Add(rule);
        return false;
    }
}
