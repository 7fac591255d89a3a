using Tollgate.Engine.Compiled;
using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine;

/// <summary>
/// A flag compiled once for checking. Immutable and thread-safe: one instance serves any number of concurrent checks,
/// and a check allocates nothing.
/// </summary>
public sealed partial class CompiledFlag
{
    internal const string NoRulesMatched = "No rules matched; default value for flag";

    private static readonly RuleType[] VisitOrder = Enum.GetValues<RuleType>();

    private readonly RuleSet _rules;

    private CompiledFlag(Flag flag)
    {
        Source = flag;
        Id = flag.Id;
        Key = flag.Key;
        DefaultValue = flag.DefaultValue;
        _rules = new RuleSet(flag.Rules);
    }

    /// <summary>The flag this was compiled from.</summary>
    public Flag Source { get; }

    /// <summary>The flag's id.</summary>
    public string Id { get; }

    /// <summary>The flag's key.</summary>
    public string Key { get; }

    /// <summary>The value when no rule matches.</summary>
    public bool DefaultValue { get; }

    /// <summary>Compiles a flag.</summary>
    public static CompiledFlag Compile(Flag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return new CompiledFlag(flag);
    }

    /// <summary>
    /// Checks the flag for a company and user (either may be absent) at <paramref name="now"/>, which only decides
    /// <see cref="CheckResult.FeatureUsageResetAt"/>. Never throws; allocates nothing.
    /// </summary>
    public CheckResult Check(CompiledCompany? company, CompiledUser? user, CheckOptions? options, DateTimeOffset now)
    {
        var preflight = new Preflight(options);
        var noUsage = default(UsageFields);
        if (preflight.Validate() is { } error)
        {
            // The reference answers a rejected preflight without the entitlement.
            return new CheckResult(DefaultValue, NoRulesMatched, error, null, company?.Id, user?.Id, null, Id, Key, noUsage);
        }

        var entitlement = company?.EntitlementFor(Key);
        var companyRules = company?.Rules.For(Id) ?? RuleSet.Empty;
        var userRules = user?.Rules.For(Id) ?? RuleSet.Empty;
        var probe = default(MatchingProbe);
        var match = FindMatch(companyRules, userRules, company, user, preflight, ref probe);
        if (match is null)
        {
            return new CheckResult(DefaultValue, NoRulesMatched, null, null, company?.Id, user?.Id, entitlement, Id, Key, noUsage);
        }

        var usage = default(UsageFields);
        if (match.IsEntitlement && company is not null && match.UsageCondition is { } usageCondition)
        {
            UsageReport.Fill(ref usage, usageCondition, company, Timestamp.FromDateTimeOffset(now));
        }

        return new CheckResult(match.Value, match.Reason, null, match, company?.Id, user?.Id, entitlement, Id, Key, usage);
    }

    /// <summary>
    /// The first matching rule in the order of spec §3.2: by rule type; standard rules by priority (ties: flag, then
    /// company, then user rules); override and entitlement types true-valued first; each in input order otherwise.
    /// </summary>
    private CompiledRule? FindMatch<TProbe>(RuleSet companyRules, RuleSet userRules, CompiledCompany? company, CompiledUser? user, in Preflight preflight, ref TProbe probe)
        where TProbe : struct, IRuleProbe
    {
        if (companyRules.IsEmpty && userRules.IsEmpty)
        {
            return First(_rules.VisitOrder, company, user, preflight, ref probe);
        }

        foreach (var type in VisitOrder)
        {
            var index = (int)type;
            var found = type switch
            {
                RuleType.Standard => FirstByPriority(
                    _rules.InOrder[index], companyRules.InOrder[index], userRules.InOrder[index], company, user, preflight, ref probe),
                RuleType.GlobalOverride or RuleType.Default => First(_rules.InOrder[index], company, user, preflight, ref probe)
                    ?? First(companyRules.InOrder[index], company, user, preflight, ref probe)
                    ?? First(userRules.InOrder[index], company, user, preflight, ref probe),
                _ => First(_rules.TrueFirst[index], company, user, preflight, ref probe)
                    ?? First(companyRules.TrueFirst[index], company, user, preflight, ref probe)
                    ?? First(userRules.TrueFirst[index], company, user, preflight, ref probe)
                    ?? First(_rules.FalseAfter[index], company, user, preflight, ref probe)
                    ?? First(companyRules.FalseAfter[index], company, user, preflight, ref probe)
                    ?? First(userRules.FalseAfter[index], company, user, preflight, ref probe),
            };
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static CompiledRule? First<TProbe>(CompiledRule[] rules, CompiledCompany? company, CompiledUser? user, in Preflight preflight, ref TProbe probe)
        where TProbe : struct, IRuleProbe
    {
        foreach (var rule in rules)
        {
            if (probe.Matches(rule, company, user, preflight))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>A three-way merge of lists each already sorted by priority; ties go to the earlier list.</summary>
    private static CompiledRule? FirstByPriority<TProbe>(
        CompiledRule[] flagRules, CompiledRule[] companyRules, CompiledRule[] userRules, CompiledCompany? company, CompiledUser? user, in Preflight preflight, ref TProbe probe)
        where TProbe : struct, IRuleProbe
    {
        if (companyRules.Length == 0 && userRules.Length == 0)
        {
            return First(flagRules, company, user, preflight, ref probe);
        }

        int f = 0, c = 0, u = 0;
        while (f < flagRules.Length || c < companyRules.Length || u < userRules.Length)
        {
            CompiledRule next;
            if (f < flagRules.Length
                && (c >= companyRules.Length || flagRules[f].Priority <= companyRules[c].Priority)
                && (u >= userRules.Length || flagRules[f].Priority <= userRules[u].Priority))
            {
                next = flagRules[f++];
            }
            else if (c < companyRules.Length && (u >= userRules.Length || companyRules[c].Priority <= userRules[u].Priority))
            {
                next = companyRules[c++];
            }
            else
            {
                next = userRules[u++];
            }

            if (probe.Matches(next, company, user, preflight))
            {
                return next;
            }
        }

        return null;
    }
}
