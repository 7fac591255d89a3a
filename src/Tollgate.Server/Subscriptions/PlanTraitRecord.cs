namespace Tollgate.Server.Subscriptions;

/// <summary>
/// A trait value that comes with a plan (Schematic's plan trait, e.g. <c>seat_limit = 10</c> on Pro). Stored as
/// <c>plan_trait</c>, parent the plan, key <c>{plan id}:{trait id}</c> (one value per trait and plan).
/// </summary>
public sealed record PlanTraitRecord
{
    /// <summary><c>pltr_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The plan.</summary>
    public required string PlanId { get; init; }

    /// <summary>The company trait definition.</summary>
    public required string TraitId { get; init; }

    /// <summary>The value, as text.</summary>
    public required string TraitValue { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Body of <c>POST /plan-traits/bulk</c>.</summary>
public sealed record PlanTraitsBulkRequest(string? PlanId, IReadOnlyList<PlanTraitValueRequest?>? Traits, bool? ApplyToExistingCompanies);

/// <summary>One trait of <see cref="PlanTraitsBulkRequest"/>.</summary>
public sealed record PlanTraitValueRequest(string? TraitId, string? TraitValue);
