using Tollgate.Server.Catalog;

namespace Tollgate.Server.WebConsole.Pages.Flags;

/// <summary>
/// One flag rule as the rules editor's form holds it. Property names follow the API's fields (snake_case there,
/// PascalCase here), so an error the API names (<c>rules[2].conditions[0].trait_id</c>) maps onto the form's field
/// (<see cref="RuleFormFields"/>).
/// </summary>
public sealed class RuleInput
{
    /// <summary>The rule's id; empty for a new rule.</summary>
    public string? Id { get; set; }

    /// <summary>Its name, quoted in check reasons.</summary>
    public string? Name { get; set; }

    /// <summary><c>standard</c>, <c>global_override</c> or <c>default</c>.</summary>
    public string RuleType { get; set; } = "standard";

    /// <summary>Order among standard rules, lowest first.</summary>
    public long Priority { get; set; }

    /// <summary>The flag's value when the rule matches.</summary>
    public bool Value { get; set; } = true;

    /// <summary>Conditions that must all hold.</summary>
    public List<ConditionInput> Conditions { get; set; } = [];

    /// <summary>Groups of which each must have one condition that holds.</summary>
    public List<ConditionGroupInput> ConditionGroups { get; set; } = [];

    /// <summary>The form of a stored rule.</summary>
    public static RuleInput From(FlagRuleRecord rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new RuleInput
        {
            Id = rule.Id,
            Name = rule.Name,
            RuleType = rule.RuleType,
            Priority = rule.Priority,
            Value = rule.Value,
            Conditions = [.. rule.Conditions.Select(ConditionInput.From)],
            ConditionGroups = [.. rule.ConditionGroups.Select(g => new ConditionGroupInput { Conditions = [.. g.Conditions.Select(ConditionInput.From)] })],
        };
    }

    /// <summary>The request <see cref="FeatureService.UpdateRulesAsync"/> takes for this rule.</summary>
    public FlagRuleRequest ToRequest() => new(
        string.IsNullOrWhiteSpace(Id) ? null : Id,
        Name?.Trim(),
        RuleType,
        Priority,
        Value,
        [.. Conditions.Select(c => c.ToRequest())],
        [.. ConditionGroups.Select(g => new ConditionGroupRequest([.. g.Conditions.Select(c => c.ToRequest())]))]);

    /// <summary>The request for a stored rule, unchanged (the other rules of a flag when one is edited).</summary>
    public static FlagRuleRequest ToRequest(FlagRuleRecord rule) => From(rule).ToRequest();
}

/// <summary>A condition group of the rules editor.</summary>
public sealed class ConditionGroupInput
{
    /// <summary>The alternatives.</summary>
    public List<ConditionInput> Conditions { get; set; } = [];
}
