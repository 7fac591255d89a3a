namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// A plan version migration as stored (<c>plan_version_migrations.data</c>): which companies of a plan move from which
/// versions to which, how, and where the whole stands. The per-company state is in <c>plan_version_company_migrations</c>
/// (<see cref="CompanyMigrationRow"/>); the counts of an answer are read from there.
/// </summary>
internal sealed record PlanMigrationRecord
{
    /// <summary>The migration's id (<c>pvm_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The plan (or add-on) whose companies move.</summary>
    public required string PlanId { get; init; }

    /// <summary>The version they move to.</summary>
    public required string PlanVersionIdTo { get; init; }

    /// <summary>The versions they move from: a company on another version of the plan is left where it is.</summary>
    public IReadOnlyList<string> PlanVersionIdsFrom { get; init; } = [];

    /// <summary><see cref="PlanMigrationValues.Strategies"/>.</summary>
    public required string Strategy { get; init; }

    /// <summary>How Stripe prorates the subscription change of a billed company; null for Stripe's default.</summary>
    public string? ProrationBehavior { get; init; }

    /// <summary><see cref="PlanMigrationValues.MigrationStatuses"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Why it failed, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>How many companies it covers (skipped ones included).</summary>
    public int TotalCompanies { get; init; }

    /// <summary>
    /// The key that created it: the background runner writes with it, so every company move is audited under the key
    /// that asked for the migration.
    /// </summary>
    public string? CreatedByKeyId { get; init; }

    /// <summary>Set by <c>complete-now</c>: the companies still to move, and those scheduled for later, move at once.</summary>
    public bool CompleteNow { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When its first batch ran.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When no company was left to move.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The strategy the runner applies now: immediate once <see cref="CompleteNow"/> was asked.</summary>
    public string EffectiveStrategy => CompleteNow ? PlanMigrationValues.Immediate : Strategy;

    /// <summary>True while companies are left to move (pending or in progress).</summary>
    public bool IsOpen => Status is PlanMigrationValues.Pending or PlanMigrationValues.InProgress;
}
