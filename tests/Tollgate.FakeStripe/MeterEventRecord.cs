namespace Tollgate.FakeStripe;

/// <summary>A meter event the fake accepted.</summary>
/// <param name="EventName">The meter's <c>event_name</c>.</param>
/// <param name="Identifier">The dedupe identifier (generated when the caller sent none).</param>
/// <param name="CustomerId">Value of the meter's customer payload key.</param>
/// <param name="Value">The whole-number value.</param>
/// <param name="Timestamp">Unix seconds of the event.</param>
/// <param name="Source"><c>v1</c> for /v1/billing/meter_events, <c>v2-stream</c> for the v2 stream.</param>
/// <param name="Canceled">True once a meter event adjustment canceled it (it then counts in no summary).</param>
public sealed record MeterEventRecord(string EventName, string Identifier, string CustomerId, long Value, long Timestamp, string Source, bool Canceled = false);
