namespace Tollgate.FakeStripe;

/// <summary>A v2 stream event dropped by validation after the request was accepted.</summary>
/// <param name="Identifier">The event's identifier, if it had one.</param>
/// <param name="EventName">The event name sent.</param>
/// <param name="Code">Stripe-like error code, e.g. <c>resource_missing</c>.</param>
/// <param name="Message">Why it was dropped.</param>
public sealed record MeterEventError(string? Identifier, string? EventName, string? Code, string Message);
