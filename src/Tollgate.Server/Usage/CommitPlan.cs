using System.Globalization;
using Tollgate.Server.Companies;

namespace Tollgate.Server.Usage;

/// <summary>
/// What one commit of the ingestion writer does with its events: which are repeats of a key already used, which are
/// refused because they would take a counter past <see cref="UsageCounters.Ceiling"/>, and the counter deltas and
/// billable usage of the rest. Events are taken in order, so of several that together would overflow a counter the first
/// ones are kept.
/// </summary>
internal sealed class CommitPlan
{
    private CommitPlan()
    {
    }

    /// <summary>The events to write.</summary>
    public List<PendingEvent> Fresh { get; } = [];

    /// <summary>Events whose idempotency key was used before (not written).</summary>
    public List<PendingEvent> Duplicates { get; } = [];

    /// <summary>Events refused, with the reason (not written).</summary>
    public List<(PendingEvent Event, string Reason)> Refused { get; } = [];

    /// <summary>The sum of the fresh events' usage per counter.</summary>
    public Dictionary<CounterKey, long> Deltas { get; } = [];

    /// <summary>The fresh events' billable usage per company, subtype and billing period (backfill bills nothing).</summary>
    public Dictionary<BillableUsageKey, (long Quantity, long OccurredAt)> BillableUsage { get; } = [];

    /// <summary>
    /// Plans the commit of <paramref name="events"/>. <paramref name="isRepeat"/> tells a repeated key (it is asked
    /// once per keyed event, in order); <paramref name="stored"/> holds the counters known to be near the ceiling (any
    /// other is taken as 0 — the store refuses the commit if it was not, and the writer plans again knowing it).
    /// </summary>
    public static CommitPlan Build(IReadOnlyList<PendingEvent> events, Func<PendingEvent, bool> isRepeat, IReadOnlyDictionary<CounterKey, long> stored)
    {
        var plan = new CommitPlan();
        // While no counter is known to be stored above zero, no counter of the plan can hold more than the sum of the
        // quantities counted so far; as long as that sum stays within the ceiling no event can overflow one, so the
        // events are folded per counter identity (one lookup each) and the counters are computed once per identity at
        // the end. Otherwise every event is checked against every counter it adds to, in order.
        var folded = stored.Count == 0 ? new Dictionary<CounterIdentity, long>() : null;
        long counted = 0;
        foreach (var pending in events)
        {
            var e = pending.Event;
            if (e.IdempotencyKey is not null && isRepeat(pending))
            {
                plan.Duplicates.Add(pending);
                continue;
            }

            if (!e.CountsUsage)
            {
                plan.Fresh.Add(pending);
                continue;
            }

            if (folded is not null && e.Quantity <= UsageCounters.Ceiling - counted)
            {
                counted += e.Quantity;
                var identity = CounterIdentity.Of(e);
                folded[identity] = folded.GetValueOrDefault(identity) + e.Quantity;
                plan.Fresh.Add(pending);
                continue;
            }

            if (folded is not null)
            {
                plan.Expand(folded);
                folded = null;
            }

            if (plan.Overflows(e, stored) is { } full)
            {
                plan.Refused.Add((pending, string.Create(
                    CultureInfo.InvariantCulture,
                    $"body.quantity: {e.Quantity} more would take the company's {full.Period} usage of '{e.Subtype}' past {UsageCounters.Ceiling}, the most a counter holds; the event was not counted")));
                continue;
            }

            plan.Fresh.Add(pending);
            plan.Count(CounterIdentity.Of(e), e.Quantity);
        }

        if (folded is not null)
        {
            plan.Expand(folded);
        }

        return plan;
    }

    /// <summary>A plan that only appends <paramref name="events"/> (no counters, no billable usage): the load test's raw insert.</summary>
    public static CommitPlan AppendOnly(IEnumerable<AcceptedEvent> events)
    {
        var plan = new CommitPlan();
        plan.Fresh.AddRange(events.Select(e => new PendingEvent(e)));
        return plan;
    }

    private void Expand(Dictionary<CounterIdentity, long> folded)
    {
        foreach (var (identity, quantity) in folded)
        {
            Count(identity, quantity);
        }
    }

    /// <summary>Adds <paramref name="quantity"/> uses of one counter identity to its counters and billable usage.</summary>
    private void Count(CounterIdentity identity, long quantity)
    {
        foreach (var period in UsagePeriods.All)
        {
            var key = identity.KeyOf(period);
            Deltas[key] = Deltas.GetValueOrDefault(key) + quantity;
        }

        // Backfill, and publishable usage the environment keeps from billing, count for metrics, never for billing.
        if (identity.Bills)
        {
            var key = new BillableUsageKey(identity.EnvironmentId, identity.CompanyId, identity.Subtype, identity.KeyOf(UsagePeriod.MonthFromBillingAnchor).Bucket);
            var (sum, occurredAt) = BillableUsage.GetValueOrDefault(key);
            BillableUsage[key] = (checked(sum + quantity), Math.Max(occurredAt, identity.OccurredAt.ToUnixTimeMilliseconds()));
        }
    }

    /// <summary>The first counter the event would take past the ceiling, if any.</summary>
    private CounterKey? Overflows(AcceptedEvent e, IReadOnlyDictionary<CounterKey, long> stored)
    {
        var identity = CounterIdentity.Of(e);
        foreach (var period in UsagePeriods.All)
        {
            var key = identity.KeyOf(period);
            // Both terms are at most the ceiling (the plan never adds past it), so their sum cannot overflow a long.
            var value = stored.GetValueOrDefault(key) + Deltas.GetValueOrDefault(key);
            if (value > UsageCounters.Ceiling || e.Quantity > UsageCounters.Ceiling - value)
            {
                return key;
            }
        }

        return null;
    }
}

/// <summary>
/// What decides the counters a track adds to and its billable usage: events alike in all of it (the tracks of one
/// request for one company, which share the time they were received) add to the same counters.
/// </summary>
internal readonly record struct CounterIdentity(
    string EnvironmentId, string CompanyId, string Subtype, DateTimeOffset OccurredAt, SubscriptionPeriod? Subscription, bool Bills)
{
    public static CounterIdentity Of(AcceptedEvent e) =>
        new(e.EnvironmentId, e.CompanyId!, e.Subtype!, e.OccurredAt, e.Subscription, !e.Backfill && e.ReachesBilling);

    public CounterKey KeyOf(UsagePeriod period) =>
        new(EnvironmentId, CompanyId, Subtype, period, UsagePeriods.BucketOf(period, OccurredAt, Subscription));
}

/// <summary>One event of a request waiting in the ingestion writer, and what became of it.</summary>
internal sealed class PendingEvent(AcceptedEvent e)
{
    /// <summary>The event.</summary>
    public AcceptedEvent Event { get; } = e;

    /// <summary>What became of it (set once a commit that took it succeeded, or it was refused).</summary>
    public EventFate Fate { get; set; }

    /// <summary>Why it was refused.</summary>
    public string? Reason { get; set; }
}

/// <summary>What became of an event given to the ingestion writer.</summary>
internal enum EventFate
{
    /// <summary>Not decided yet.</summary>
    Pending,

    /// <summary>Written and counted.</summary>
    Appended,

    /// <summary>Its idempotency key was used in the last 24 hours: not counted again.</summary>
    Duplicate,

    /// <summary>Refused for a reason of its own (<see cref="PendingEvent.Reason"/>); nothing was written.</summary>
    Refused,

    /// <summary>The store failed for a reason not the event's; nothing was written, a retry may succeed.</summary>
    Unavailable,
}
