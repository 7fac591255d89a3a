namespace Tollgate.Server.Catalog;

/// <summary>A flag: its key, default and its own targeting rules. Plan entitlements and overrides add rules at compile time.</summary>
public sealed record FlagRecord
{
    /// <summary>The flag's id (<c>flag_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The key applications check.</summary>
    public required string Key { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Optional description.</summary>
    public string? Description { get; init; }

    /// <summary>The value when no rule matches.</summary>
    public bool DefaultValue { get; init; }

    /// <summary>The feature this flag belongs to, if any.</summary>
    public string? FeatureId { get; init; }

    /// <summary>Targeting rules (standard, global override, default).</summary>
    public IReadOnlyList<FlagRuleRecord> Rules { get; init; } = [];

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A targeting rule of a flag.</summary>
public sealed record FlagRuleRecord
{
    /// <summary>The rule's id (<c>rule_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Name, quoted in check reasons.</summary>
    public required string Name { get; init; }

    /// <summary><c>standard</c>, <c>global_override</c> or <c>default</c>.</summary>
    public required string RuleType { get; init; }

    /// <summary>Order among standard rules, lowest first.</summary>
    public long Priority { get; init; }

    /// <summary>The flag's value when the rule matches.</summary>
    public bool Value { get; init; }

    /// <summary>All must hold.</summary>
    public IReadOnlyList<ConditionRecord> Conditions { get; init; } = [];

    /// <summary>Each must have one condition that holds.</summary>
    public IReadOnlyList<ConditionGroupRecord> ConditionGroups { get; init; } = [];
}

/// <summary>Alternatives within a rule.</summary>
public sealed record ConditionGroupRecord
{
    /// <summary>At least one must hold.</summary>
    public IReadOnlyList<ConditionRecord> Conditions { get; init; } = [];
}

/// <summary>A condition as the API takes it: traits named by trait definition id.</summary>
public sealed record ConditionRecord
{
    /// <summary>The condition's id (<c>cond_…</c>).</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary><c>company, user, plan, base_plan, plan_version, billing_product, trait, metric, credit</c>.</summary>
    public required string ConditionType { get; init; }

    /// <summary><c>eq ne gt lt gte lte is_empty not_empty</c>.</summary>
    public required string Operator { get; init; }

    /// <summary>Ids for the set conditions.</summary>
    public IReadOnlyList<string> ResourceIds { get; init; } = [];

    /// <summary>The trait definition of a trait condition.</summary>
    public string? TraitId { get; init; }

    /// <summary>The value compared with.</summary>
    public string TraitValue { get; init; } = string.Empty;

    /// <summary>A trait definition whose value replaces <see cref="TraitValue"/> or <see cref="MetricValue"/>.</summary>
    public string? ComparisonTraitId { get; init; }

    /// <summary>The event subtype of a metric condition.</summary>
    public string? EventSubtype { get; init; }

    /// <summary>The limit of a metric condition.</summary>
    public long? MetricValue { get; init; }

    /// <summary><c>all_time, current_day, current_week, current_month</c>.</summary>
    public string? MetricPeriod { get; init; }

    /// <summary><c>first_of_month, billing_cycle</c>.</summary>
    public string? MetricPeriodMonthReset { get; init; }

    /// <summary>The credit of a credit condition.</summary>
    public string? CreditId { get; init; }

    /// <summary>Credits per unit of usage.</summary>
    public double? ConsumptionRate { get; init; }
}
