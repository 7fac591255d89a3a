using System.Globalization;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>A rule ready to evaluate, with its reason text built once.</summary>
internal sealed class CompiledRule
{
    public CompiledRule(Rule rule)
    {
        Source = rule;
        Id = rule.Id;
        RuleType = rule.RuleType;
        Value = rule.Value;
        Priority = rule.Priority;
        Reason = string.Create(CultureInfo.InvariantCulture, $"Matched {RuleTypeNames.DisplayName(rule.RuleType)} rule \"{rule.Name}\" ({rule.Id})");
        Conditions = [.. rule.Conditions.Select(c => new CompiledCondition(c))];
        ConditionGroups = [.. rule.ConditionGroups.Select(g => g.Conditions.Select(c => new CompiledCondition(c)).ToArray())];
        IsEntitlement = rule.RuleType is RuleType.PlanEntitlement or RuleType.PlanEntitlementUsageExceeded
            or RuleType.CompanyOverride or RuleType.CompanyOverrideUsageExceeded;
        UsageCondition = Array.Find(Conditions, c => c.IsUsageCondition);
    }

    /// <summary>The rule this was compiled from (read by explanations, never by a check).</summary>
    public Rule Source { get; }

    public string Id { get; }

    public RuleType RuleType { get; }

    public bool Value { get; }

    public long Priority { get; }

    /// <summary><c>Matched &lt;type&gt; rule "&lt;name&gt;" (&lt;id&gt;)</c> (spec §3.2 step 7).</summary>
    public string Reason { get; }

    /// <summary>All must hold.</summary>
    public CompiledCondition[] Conditions { get; }

    /// <summary>Each must have at least one condition that holds.</summary>
    public CompiledCondition[][] ConditionGroups { get; }

    /// <summary>Plan entitlements and company overrides report usage and allocation.</summary>
    public bool IsEntitlement { get; }

    /// <summary>The first metric or trait condition, which supplies usage fields when an entitlement matches.</summary>
    public CompiledCondition? UsageCondition { get; }

    /// <summary>Global overrides and defaults match whatever their conditions say.</summary>
    public bool MatchesUnconditionally => RuleType is RuleType.GlobalOverride or RuleType.Default;
}
