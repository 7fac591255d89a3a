namespace Tollgate.Client;

/// <summary>Optional settings of one tracked event (as the official SDK's <c>TrackOptions</c>).</summary>
public sealed record TrackOptions
{
    /// <summary>The event's idempotency key; Tollgate counts an event once per key. Default: a new key per event.</summary>
    public string? IdempotencyKey { get; init; }
}
