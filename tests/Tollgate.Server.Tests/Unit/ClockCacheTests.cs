using Tollgate.Server.Memory;

namespace Tollgate.Server.Tests.Unit;

/// <summary>The CLOCK cache holds at most its capacity, evicting an entry not read since the hand last passed it.</summary>
public sealed class ClockCacheTests
{
    [Fact]
    public void AddingPastTheCapacityEvictsAnEntryAndTellsTheOwner()
    {
        var evicted = new List<string>();
        var cache = new ClockCache<string, string>(3, (key, _) => evicted.Add(key), StringComparer.Ordinal);

        foreach (var key in new[] { "a", "b", "c", "d", "e" })
        {
            cache.Set(key, key.ToUpperInvariant());
        }

        Assert.Equal(3, cache.Count);
        Assert.Equal(2, evicted.Count);
        Assert.Equal(2, cache.Evictions);
        Assert.All(evicted, key => Assert.False(cache.TryGet(key, out _)));
    }

    [Fact]
    public void AnEntryReadSinceTheHandLastPassedIsKeptOverOneThatWasNot()
    {
        var cache = new ClockCache<string, string>(3, (_, _) => { }, StringComparer.Ordinal);
        cache.Set("a", "A");
        cache.Set("b", "B");
        cache.Set("c", "C");
        cache.Set("d", "D"); // the first sweep clears every bit and evicts "a"

        Assert.True(cache.TryGet("b", out _)); // "b" is used again, "c" is not
        cache.Set("e", "E");

        Assert.True(cache.TryGet("b", out var b));
        Assert.Equal("B", b);
        Assert.False(cache.TryGet("c", out _));
    }

    [Fact]
    public void AValueThatKeepsItsOwnReferenceBitIsKeptWhileItIsUsed()
    {
        var used = new HashSet<string>(StringComparer.Ordinal) { "hot" };
        var cache = new ClockCache<string, string>(2, (_, _) => { }, StringComparer.Ordinal, takeValueReference: value => used.Contains(value));
        cache.Set("hot", "hot");

        for (var i = 0; i < 10; i++)
        {
            cache.Set($"cold-{i}", $"cold-{i}");
        }

        Assert.True(cache.TryGet("hot", out _));
    }

    [Fact]
    public void ARemovedEntryFreesItsSlotWithoutAnEviction()
    {
        var evicted = new List<string>();
        var cache = new ClockCache<string, string>(2, (key, _) => evicted.Add(key), StringComparer.Ordinal);
        cache.Set("a", "A");
        cache.Set("b", "B");

        Assert.True(cache.Remove("a", out var removed));
        cache.Set("c", "C");

        Assert.Equal("A", removed);
        Assert.Empty(evicted);
        Assert.True(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
    }
}

/// <summary>Concurrent loads of one key share one load; a failure reaches every waiter and the next caller loads again.</summary>
public sealed class LoadCoalescerTests
{
    [Fact]
    public async Task ConcurrentCallersOfOneKeyShareOneLoad()
    {
        var coalescer = new LoadCoalescer<string, int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = 0;

        var waiters = Enumerable.Range(0, 8).Select(_ => coalescer.LoadAsync("co", async () =>
        {
            Interlocked.Increment(ref loads);
            await release.Task;
            return 42;
        }, CancellationToken.None)).ToList();
        release.SetResult();
        var answers = await Task.WhenAll(waiters);

        Assert.Equal(1, loads);
        Assert.All(answers, a => Assert.Equal(42, a));
        Assert.Equal(0, coalescer.InFlight);
    }

    [Fact]
    public async Task AFailedLoadFailsItsWaitersAndTheNextCallerLoadsAgain()
    {
        var coalescer = new LoadCoalescer<string, int>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => coalescer.LoadAsync("co", () => throw new InvalidOperationException("store down"), CancellationToken.None));
        var again = await coalescer.LoadAsync("co", () => Task.FromResult(7), CancellationToken.None);

        Assert.Equal(7, again);
    }

    [Fact]
    public async Task AWaiterThatGivesUpDoesNotCancelTheLoadOfTheOthers()
    {
        var coalescer = new LoadCoalescer<string, int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();

        var first = coalescer.LoadAsync("co", async () =>
        {
            await release.Task;
            return 1;
        }, impatient.Token);
        var second = coalescer.LoadAsync("co", () => Task.FromResult(2), CancellationToken.None);
        await impatient.CancelAsync();
        release.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(1, await second);
    }
}
