using System.Globalization;
using System.Net;
using Stripe.Billing;

namespace Tollgate.Stripe;

/// <summary>
/// Sending usage as v1 meter events (<c>POST /v1/billing/meter_events</c>). v1 rather than the v2 stream because v1
/// validates each event before answering: an accepted event is counted, a refused one says why at once, and a
/// duplicate <c>identifier</c> is recognised — which together give exactly-once delivery with visible errors. (The v2
/// stream validates asynchronously: its errors only surface later as <c>v1.billing.meter.error_report_triggered</c>
/// events, so a sender cannot tell which of its events were dropped.)
/// </summary>
public sealed partial class StripeMeters
{
    /// <summary>
    /// Sends one event. Answers <see cref="MeterEventOutcome.Accepted"/>, or <see cref="MeterEventOutcome.Duplicate"/>
    /// when Stripe already holds an event with its identifier (an earlier attempt got through: it counts as delivered).
    /// Throws <see cref="StripeCallException"/> for every other failure.
    /// </summary>
    public async Task<MeterEventOutcome> SendOneAsync(StripeMeterEvent meterEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meterEvent);
        try
        {
            await StripeCallException.Wrap(() => _account.Client.V1.Billing.MeterEvents.CreateAsync(
                new MeterEventCreateOptions
                {
                    EventName = meterEvent.EventName,
                    Identifier = meterEvent.Identifier,
                    Timestamp = meterEvent.Timestamp.UtcDateTime,
                    Payload = new Dictionary<string, string>
                    {
                        [meterEvent.CustomerPayloadKey] = meterEvent.CustomerId,
                        [meterEvent.ValuePayloadKey] = meterEvent.Value.ToString(CultureInfo.InvariantCulture),
                    },
                },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return MeterEventOutcome.Accepted;
        }
        catch (StripeCallException e) when (IsDuplicateIdentifier(e))
        {
            return MeterEventOutcome.Duplicate;
        }
    }

    /// <summary>
    /// Sends events with at most <paramref name="maxConcurrency"/> calls in flight, but never two at once for the
    /// same customer and event name (Stripe allows one concurrent call per customer per meter); the events of one
    /// customer and meter go in their given order. An event Stripe refuses (400/404: unknown customer, no active meter,
    /// timestamp out of range…) is <see cref="MeterEventOutcome.Rejected"/> and the others go on. Any other failure
    /// (429, 5xx, no answer, a refused key) is <see cref="MeterEventOutcome.Failed"/> and stops the sending: events
    /// not yet started are <see cref="MeterEventOutcome.NotAttempted"/>, for the caller to retry later.
    /// </summary>
    public async Task<IReadOnlyList<MeterEventDelivery>> SendAsync(IReadOnlyList<StripeMeterEvent> events, int maxConcurrency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        var deliveries = new MeterEventDelivery[events.Count];
        var queues = Enumerable.Range(0, events.Count)
            .GroupBy(i => (events[i].CustomerId, events[i].EventName))
            .Select(g => g.ToArray())
            .ToList();
        var stop = 0;
        await Parallel.ForEachAsync(
            queues,
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (queue, ct) =>
            {
                foreach (var index in queue)
                {
                    var meterEvent = events[index];
                    if (Volatile.Read(ref stop) != 0)
                    {
                        deliveries[index] = new MeterEventDelivery(meterEvent, MeterEventOutcome.NotAttempted, null);
                        continue;
                    }

                    try
                    {
                        deliveries[index] = new MeterEventDelivery(meterEvent, await SendOneAsync(meterEvent, ct).ConfigureAwait(false), null);
                    }
                    catch (StripeCallException e) when (IsAboutTheEvent(e))
                    {
                        deliveries[index] = new MeterEventDelivery(meterEvent, MeterEventOutcome.Rejected, e);
                    }
                    catch (StripeCallException e)
                    {
                        deliveries[index] = new MeterEventDelivery(meterEvent, MeterEventOutcome.Failed, e);
                        Interlocked.Exchange(ref stop, 1);
                    }
                }
            }).ConfigureAwait(false);
        return deliveries;
    }

    /// <summary>
    /// Stripe's answer to a second event with an identifier it holds (400 on <c>identifier</c>,
    /// <c>resource_already_exists</c>). Tollgate's identifiers are short and well-formed, so no other 400 names it.
    /// </summary>
    private static bool IsDuplicateIdentifier(StripeCallException e) =>
        e.Status == HttpStatusCode.BadRequest && string.Equals(e.Param, "identifier", StringComparison.Ordinal);

    /// <summary>
    /// A 400 (invalid event) or 404 (a customer it names does not exist) refuses this event only; other failures (429,
    /// 5xx, 401…) would refuse any event now.
    /// </summary>
    private static bool IsAboutTheEvent(StripeCallException e) => e.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound;
}

/// <summary>
/// One usage report to a meter: <see cref="Value"/> for the customer at <see cref="Timestamp"/> (Stripe accepts the
/// past 35 days up to 5 minutes ahead). <see cref="Identifier"/> makes it idempotent: Stripe counts one event per
/// identifier (over at least 24 hours), so a resend after a lost answer is recognised.
/// </summary>
public sealed record StripeMeterEvent(
    string EventName,
    string Identifier,
    string CustomerId,
    long Value,
    DateTimeOffset Timestamp,
    string CustomerPayloadKey = StripeMeters.DefaultCustomerPayloadKey,
    string ValuePayloadKey = StripeMeters.DefaultValuePayloadKey);

/// <summary>What became of one meter event.</summary>
public enum MeterEventOutcome
{
    /// <summary>Stripe accepted it.</summary>
    Accepted,

    /// <summary>Stripe already had an event with its identifier: delivered before.</summary>
    Duplicate,

    /// <summary>Stripe refused the event itself (400, or 404 for an unknown customer); sending it again will not help.</summary>
    Rejected,

    /// <summary>The call failed for a reason that may pass (429, 5xx, no answer, a refused key); try again later.</summary>
    Failed,

    /// <summary>Not sent: an earlier failure stopped the sending.</summary>
    NotAttempted,
}

/// <summary>One event's outcome, with Stripe's error when it was refused or failed.</summary>
public sealed record MeterEventDelivery(StripeMeterEvent Event, MeterEventOutcome Outcome, StripeCallException? Error)
{
    /// <summary>True when Stripe holds the event (accepted now or before).</summary>
    public bool Delivered => Outcome is MeterEventOutcome.Accepted or MeterEventOutcome.Duplicate;
}
