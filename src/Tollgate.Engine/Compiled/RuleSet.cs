using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>
/// The rules one source (a flag, or a company's or user's rules for that flag) contributes, arranged for the visiting
/// order of spec §3.2: per rule type, standard rules stably sorted by priority, and the override and entitlement types
/// split into true-valued and false-valued rules, each in input order.
/// </summary>
internal sealed class RuleSet
{
    // Declared before Empty: static initialisers run in order, and Empty's constructor reads it.
    private static readonly int TypeCount = Enum.GetValues<RuleType>().Length;

    public static readonly RuleSet Empty = new([]);

    public RuleSet(IEnumerable<Rule> rules)
    {
        var compiled = rules.Select(r => new CompiledRule(r)).ToArray();
        InOrder = new CompiledRule[TypeCount][];
        TrueFirst = new CompiledRule[TypeCount][];
        FalseAfter = new CompiledRule[TypeCount][];
        for (var type = 0; type < TypeCount; type++)
        {
            var ofType = compiled.Where(r => (int)r.RuleType == type).ToArray();
            // OrderBy is a stable sort: equal priorities keep input order.
            InOrder[type] = (RuleType)type == RuleType.Standard ? [.. ofType.OrderBy(r => r.Priority)] : ofType;
            TrueFirst[type] = [.. ofType.Where(r => r.Value)];
            FalseAfter[type] = [.. ofType.Where(r => !r.Value)];
        }

        IsEmpty = compiled.Length == 0;
        VisitOrder = [.. Enum.GetValues<RuleType>().SelectMany(type => IsOptimistic(type)
            ? TrueFirst[(int)type].Concat(FalseAfter[(int)type])
            : InOrder[(int)type])];
    }

    /// <summary>
    /// Every rule in the order they are tried when no other source adds rules: the common case, and a single loop.
    /// </summary>
    public CompiledRule[] VisitOrder { get; }

    /// <summary>Override and entitlement types try true-valued rules first.</summary>
    public static bool IsOptimistic(RuleType type) =>
        type is RuleType.CompanyOverride or RuleType.PlanEntitlement or RuleType.CompanyOverrideUsageExceeded or RuleType.PlanEntitlementUsageExceeded;

    public bool IsEmpty { get; }

    /// <summary>Per rule type: input order, or priority order for standard rules.</summary>
    public CompiledRule[][] InOrder { get; }

    /// <summary>Per rule type: the true-valued rules, in input order.</summary>
    public CompiledRule[][] TrueFirst { get; }

    /// <summary>Per rule type: the false-valued rules, in input order.</summary>
    public CompiledRule[][] FalseAfter { get; }
}
