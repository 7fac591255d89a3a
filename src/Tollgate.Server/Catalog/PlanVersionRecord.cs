namespace Tollgate.Server.Catalog;

/// <summary>
/// One version of a plan: what the plan grants is held per version, so a plan can change without moving every company
/// at once (DESIGN.md "Plan … with versions"). Stored as <c>plan_version</c> with the plan as parent.
/// </summary>
public sealed record PlanVersionRecord
{
    /// <summary>The version's id (<c>plvr_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The plan it is a version of.</summary>
    public required string PlanId { get; init; }

    /// <summary>1 for the version a plan is created with, then one more for each new draft.</summary>
    public required int Version { get; init; }

    /// <summary>Draft, published or archived.</summary>
    public required PlanVersionStatus Status { get; init; }

    /// <summary>How companies were moved when it was published.</summary>
    public MigrationStrategy? MigrationStrategy { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was published.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>When a newer version replaced it.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }
}
