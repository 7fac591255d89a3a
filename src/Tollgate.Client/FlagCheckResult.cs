namespace Tollgate.Client;

/// <summary>
/// The answer to a check with its reason and entitlement (the official SDK's <c>CheckFlagWithEntitlementResponse</c>),
/// and how fresh it is: <see cref="Source"/> and <see cref="AsOf"/>.
/// </summary>
public sealed record FlagCheckResult
{
    /// <summary>The flag checked.</summary>
    public required string FlagKey { get; init; }

    /// <summary>The flag's value for this company and user.</summary>
    public required bool Value { get; init; }

    /// <summary>Why: the matched rule, that none matched, or why the default was answered.</summary>
    public required string Reason { get; init; }

    /// <summary>Where the answer came from.</summary>
    public required CheckSource Source { get; init; }

    /// <summary>
    /// The instant the answer was true of Tollgate's data: now for a live datastream or a fresh REST answer, the
    /// disconnection for a stale replica, the fetch for a cached answer; null for a default (nothing was known).
    /// </summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Why no answer could be had (<see cref="CheckSource.Default"/>), or the engine's error.</summary>
    public string? Error { get; init; }

    /// <summary>The flag's id.</summary>
    public string? FlagId { get; init; }

    /// <summary>The matched rule's id.</summary>
    public string? RuleId { get; init; }

    /// <summary>The matched rule's type (<c>plan_entitlement</c>…).</summary>
    public string? RuleType { get; init; }

    /// <summary>The company checked.</summary>
    public string? CompanyId { get; init; }

    /// <summary>The user checked.</summary>
    public string? UserId { get; init; }

    /// <summary>The limit, when a usage rule matched.</summary>
    public long? FeatureAllocation { get; init; }

    /// <summary>The usage, when a usage rule matched.</summary>
    public long? FeatureUsage { get; init; }

    /// <summary>The company's entitlement to the flag's feature.</summary>
    public EntitlementInfo? Entitlement { get; init; }
}
