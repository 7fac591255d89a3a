using Tollgate.Server.Companies;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Usage;

/// <summary>
/// The ingestion writer's plan of a commit: repeats are dropped, and of the events that would together take a counter
/// past its ceiling the first ones that fit are kept and the rest refused, each with its reason; sums never overflow.
/// </summary>
public sealed class CommitPlanTests
{
    private static readonly DateTimeOffset At = new(2025, 6, 11, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EventsThatDoNotFitUnderTheCeilingAreRefusedAndTheFirstThatFitAreKept()
    {
        var events = new[] { Track("full", 11), Track("calm", EventIntake.MaxQuantity), Track("full", 10), Track("full", 1) };
        var stored = new Dictionary<CounterKey, long> { [AllTime("full")] = UsageCounters.Ceiling - 10 };

        var plan = CommitPlan.Build(events, _ => false, stored);

        Assert.Equal([events[1], events[2]], plan.Fresh);
        Assert.Equal([events[0], events[3]], plan.Refused.Select(r => r.Event));
        Assert.All(plan.Refused, r => Assert.StartsWith("body.quantity:", r.Reason, StringComparison.Ordinal));
        Assert.Equal(10, plan.Deltas[AllTime("full")]);
        Assert.Equal(EventIntake.MaxQuantity, plan.Deltas[AllTime("calm")]);
    }

    [Fact]
    public void ACounterAlreadyPastTheCeilingTakesNothingMore()
    {
        var stored = new Dictionary<CounterKey, long> { [AllTime("legacy")] = long.MaxValue };

        var plan = CommitPlan.Build([Track("legacy", 0), Track("legacy", 1)], _ => false, stored);

        Assert.Empty(plan.Fresh);
        Assert.Equal(2, plan.Refused.Count);
    }

    [Fact]
    public void RepeatedKeysAreDroppedBeforeAnythingIsCounted()
    {
        var first = Track("keyed", 3, key: "k");
        var repeat = Track("keyed", 3, key: "k");
        var seen = new HashSet<string>(StringComparer.Ordinal);

        var plan = CommitPlan.Build([first, repeat], e => !seen.Add(e.Event.IdempotencyKey!), new Dictionary<CounterKey, long>());

        Assert.Equal([first], plan.Fresh);
        Assert.Equal([repeat], plan.Duplicates);
        Assert.Equal(3, plan.Deltas[AllTime("keyed")]);
        Assert.Equal(3, Assert.Single(plan.BillableUsage).Value.Quantity);
    }

    [Fact]
    public void FoldedCountsEqualTheCountsOfEventByEventPlanning()
    {
        // Three companies, two receive times a day apart, a backfilled event and a billing period: folded (nothing stored)
        // and checked one by one (a stored counter of another company forces that path) the counters must be the same.
        var subscription = new SubscriptionPeriod("sub", At.AddDays(-20), At.AddDays(10));
        var events = Enumerable.Range(0, 60).Select(i => new PendingEvent(new AcceptedEvent(
            "env", EventType.Track, "api_call", $"c{i % 3}", null, 1 + (i % 5), At.AddDays(i % 2), At, i % 7 == 0, null, "{}", i % 2 == 0 ? subscription : null))).ToList();
        var unrelated = new Dictionary<CounterKey, long> { [AllTime("other")] = 1 };

        var folded = CommitPlan.Build(events, _ => false, new Dictionary<CounterKey, long>());
        var oneByOne = CommitPlan.Build(events, _ => false, unrelated);

        Assert.Equal(events, folded.Fresh);
        Assert.Equal(oneByOne.Deltas.OrderBy(d => d.Key.ToString()), folded.Deltas.OrderBy(d => d.Key.ToString()));
        Assert.Equal(oneByOne.BillableUsage.OrderBy(d => d.Key.ToString()), folded.BillableUsage.OrderBy(d => d.Key.ToString()));
        Assert.Equal(events.Sum(e => e.Event.Quantity), folded.Deltas[AllTime("c0")] + folded.Deltas[AllTime("c1")] + folded.Deltas[AllTime("c2")]);
    }

    private static CounterKey AllTime(string company) => new("env", company, "api_call", UsagePeriod.AllTime, UsagePeriods.Forever);

    private static PendingEvent Track(string company, long quantity, string? key = null) =>
        new(new AcceptedEvent("env", EventType.Track, "api_call", company, null, quantity, At, At, false, key, "{}", null));
}
