namespace Tollgate.Server.Catalog;

/// <summary>A plan or add-on.</summary>
public sealed record PlanRecord
{
    /// <summary>The plan's id (<c>plan_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Display name, quoted in check reasons.</summary>
    public required string Name { get; init; }

    /// <summary>Optional description.</summary>
    public string? Description { get; init; }

    /// <summary>Base plan or add-on.</summary>
    public required PlanType PlanType { get; init; }

    /// <summary>For a custom plan (a sales-led deal): the only company it may be assigned to; null for a catalog plan.</summary>
    public string? CompanyId { get; init; }

    /// <summary>For a custom plan: the plan whose published entitlements it was created from.</summary>
    public string? CopiedFromPlanId { get; init; }

    /// <summary>The colour the plan is shown in (one of <see cref="PlanIcons.All"/>); null until one is chosen.</summary>
    public string? Icon { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
