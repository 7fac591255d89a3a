namespace Tollgate.Server.Catalog;

/// <summary>What a plan grants of one feature (spec §5 plan entitlements).</summary>
public sealed record PlanEntitlementRecord : GrantRecord
{
    /// <summary>The plan granting it.</summary>
    public required string PlanId { get; init; }

    /// <summary>
    /// The version of the plan that holds it. Absent only on entitlements stored before plans had versions: those belong
    /// to the plan's version 1.
    /// </summary>
    public string? PlanVersionId { get; init; }

    /// <summary>The next tier or overage boundary, shown to users.</summary>
    public long? SoftLimit { get; init; }

    /// <summary>Usage levels that warrant a warning.</summary>
    public IReadOnlyList<WarningTierRecord>? WarningTiers { get; init; }
}

/// <summary>A usage level at which to warn.</summary>
public sealed record WarningTierRecord(string Key, long Value);
