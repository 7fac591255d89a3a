namespace Tollgate.Server.Subscriptions;

/// <summary>
/// One change of a company's plans, as it happened (Schematic's plan change log, <c>GET /plan-changes</c>). Plans are
/// kept as snapshots so a later rename or deletion does not rewrite history. Stored as <c>plan_change</c>, parent the company.
/// </summary>
public sealed record PlanChangeRecord
{
    /// <summary><c>pchg_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The company changed.</summary>
    public required string CompanyId { get; init; }

    /// <summary>Schematic's <c>PlanChangeAction</c> (<c>manage_plan</c>, …).</summary>
    public required string Action { get; init; }

    /// <summary>Schematic's <c>PlanChangeBasePlanAction</c>, when the base plan was set by a rule rather than chosen.</summary>
    public string? BasePlanAction { get; init; }

    /// <summary><c>upgrade</c>, <c>downgrade</c>, <c>subscribe</c>, <c>unsubscribe</c> or <c>adjustment</c>.</summary>
    public string? SubscriptionChangeAction { get; init; }

    /// <summary><c>api_key</c> for a request, <c>system</c> for the scheduled-change loop.</summary>
    public required string ActorType { get; init; }

    /// <summary>The key that made the request, if any.</summary>
    public string? ApiKeyId { get; init; }

    /// <summary>The base plan after.</summary>
    public PlanSnapshot? BasePlan { get; init; }

    /// <summary>Its version after.</summary>
    public PlanVersionSnapshot? BasePlanVersion { get; init; }

    /// <summary>The base plan before.</summary>
    public PlanSnapshot? PreviousBasePlan { get; init; }

    /// <summary>Its version before.</summary>
    public PlanVersionSnapshot? PreviousBasePlanVersion { get; init; }

    /// <summary>Add-ons gained.</summary>
    public IReadOnlyList<PlanSnapshot> AddOnsAdded { get; init; } = [];

    /// <summary>Add-ons lost.</summary>
    public IReadOnlyList<PlanSnapshot> AddOnsRemoved { get; init; } = [];

    /// <summary>When it happened.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A plan as it was (Schematic's <c>PlanSnapshotView</c>).</summary>
public sealed record PlanSnapshot(string Id, string Name, string Description);

/// <summary>A plan version as it was (Schematic's <c>PlanVersionSnapshotView</c>).</summary>
public sealed record PlanVersionSnapshot(string Id, string Name, int Version);
