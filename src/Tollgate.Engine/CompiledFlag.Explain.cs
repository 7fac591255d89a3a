using Tollgate.Engine.Compiled;
using Tollgate.Engine.Explanations;
using Tollgate.Engine.Internal;

namespace Tollgate.Engine;

/// <summary>The explain API: for people asking why, never on a check's path.</summary>
public sealed partial class CompiledFlag
{
    /// <summary>
    /// Checks the flag as <see cref="Check"/> does and explains the answer: every rule in the order the check visits
    /// them, whether each was reached and matched, and each condition with the values it compared. The result is
    /// <see cref="Check"/>'s own; the order is recorded from the check's own visit (<see cref="OrderRecorder"/>), and
    /// each rule and condition is evaluated by the check's condition code, so the explanation cannot disagree with the
    /// answer. Allocates freely; never throws for any input <see cref="Check"/> accepts.
    /// </summary>
    public FlagExplanation Explain(CompiledCompany? company, CompiledUser? user, CheckOptions? options, DateTimeOffset now)
    {
        var result = Check(company, user, options, now);
        var preflight = new Preflight(options);
        var companyRules = company?.Rules.For(Id) ?? RuleSet.Empty;
        var userRules = user?.Rules.For(Id) ?? RuleSet.Empty;
        var visited = new List<CompiledRule>();
        var recorder = new OrderRecorder(visited);
        FindMatch(companyRules, userRules, company, user, preflight, ref recorder);

        var fromCompany = new HashSet<CompiledRule>(companyRules.VisitOrder, ReferenceEqualityComparer.Instance);
        var fromUser = new HashSet<CompiledRule>(userRules.VisitOrder, ReferenceEqualityComparer.Instance);

        // A rejected preflight answers the default before any rule is tried.
        var reached = preflight.Validate() is null;
        var rules = new List<RuleExplanation>(visited.Count);
        for (var i = 0; i < visited.Count; i++)
        {
            var rule = visited[i];
            var source = fromCompany.Contains(rule) ? RuleSource.Company : fromUser.Contains(rule) ? RuleSource.User : RuleSource.Flag;
            var explained = ConditionExplainer.Rule(rule, source, i + 1, reached, company, user, preflight);
            rules.Add(explained);
            if (explained.Decided)
            {
                reached = false;
            }
        }

        return new FlagExplanation(result, rules);
    }
}
