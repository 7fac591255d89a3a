namespace Tollgate.Engine.Model;

/// <summary>One test inside a rule (spec §3.3).</summary>
public sealed record Condition
{
    /// <summary>The condition's id (<c>cond_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The account that owns the condition.</summary>
    public required string AccountId { get; init; }

    /// <summary>The environment the condition lives in.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>What the condition tests.</summary>
    public required ConditionType ConditionType { get; init; }

    /// <summary>How the two sides are compared.</summary>
    public required ComparisonOperator Operator { get; init; }

    /// <summary>Company, user, plan, plan version or billing product ids, for the set conditions.</summary>
    public IReadOnlyList<string> ResourceIds { get; init; } = [];

    /// <summary>The event subtype of a metric condition (or of the preflight usage a credit condition prices).</summary>
    public string? EventSubtype { get; init; }

    /// <summary>The limit of a metric condition; without it a metric condition never matches.</summary>
    public long? MetricValue { get; init; }

    /// <summary>The period of a metric condition; absent means all time.</summary>
    public MetricPeriod? MetricPeriod { get; init; }

    /// <summary>When a monthly metric resets; absent means the first of the month.</summary>
    public MonthReset? MetricPeriodMonthReset { get; init; }

    /// <summary>The credit a credit condition draws on.</summary>
    public string? CreditId { get; init; }

    /// <summary>Credits per unit of usage; absent means 1.</summary>
    public double? ConsumptionRate { get; init; }

    /// <summary>The trait a trait condition reads.</summary>
    public TraitDefinition? TraitDefinition { get; init; }

    /// <summary>The right-hand side of a trait condition.</summary>
    public required string TraitValue { get; init; }

    /// <summary>A trait of the same entity whose value replaces <see cref="TraitValue"/> or <see cref="MetricValue"/>.</summary>
    public TraitDefinition? ComparisonTraitDefinition { get; init; }
}
