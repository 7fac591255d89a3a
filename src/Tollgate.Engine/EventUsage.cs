namespace Tollgate.Engine;

/// <summary>Preflight usage of one event subtype.</summary>
public sealed record EventUsage
{
    /// <summary>The event subtype.</summary>
    public required string EventSubtype { get; init; }

    /// <summary>How many units the use would add.</summary>
    public required long Quantity { get; init; }
}
