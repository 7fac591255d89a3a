using Tollgate.Server.Storage;

namespace Tollgate.Server.Tests.Unit;

/// <summary>The change feed's bounded queues: in order, never past capacity, and never silently losing a change.</summary>
public sealed class ChangeQueueTests
{
    [Fact]
    public void ChangesComeOutInTheOrderTheyWentIn()
    {
        var queue = new ChangeQueue(10);
        queue.Add(Change.Of("env_a", ChangeKind.Company, "comp_1"), 1);
        queue.Add(Change.Of("env_a", ChangeKind.Catalog, "x"), 2);
        queue.Add(Change.Of("env_b", ChangeKind.User, "user_1"), 3);

        var taken = queue.TakeAll();

        Assert.Equal([ChangeKind.Company, ChangeKind.Catalog, ChangeKind.User], taken.Select(q => q.Change.Kind));
        Assert.Equal([1L, 2L, 3L], taken.Select(q => q.PublishedAtMs));
        Assert.Empty(queue.TakeAll());
    }

    [Fact]
    public void ConsecutiveChangesOfOneEnvironmentAndKindMergeIntoOneOfAllTheirIdsAndTheRestKeepTheirOrder()
    {
        List<QueuedChange> arrived =
        [
            new(Change.Of("env_a", ChangeKind.Usage, "comp_1"), 10),
            new(new Change("env_a", ChangeKind.Usage, ["comp_2", "comp_1"]), 11),
            new(Change.Of("env_a", ChangeKind.Catalog, "x"), 12),
            new(Change.Of("env_a", ChangeKind.Usage, "comp_3"), 13),
            new(Change.Of("env_b", ChangeKind.Usage, "comp_4"), 14),
            new(Change.Everything("env_b"), 15),
            new(Change.Everything("env_b"), 16),
        ];

        var merged = ChangeQueue.MergeAdjacent(arrived);

        Assert.Equal(
            [("env_a", ChangeKind.Usage, "comp_1,comp_2", 10L), ("env_a", ChangeKind.Catalog, "x", 12L), ("env_a", ChangeKind.Usage, "comp_3", 13L),
             ("env_b", ChangeKind.Usage, "comp_4", 14L), ("env_b", ChangeKind.Everything, "", 15L), ("env_b", ChangeKind.Everything, "", 16L)],
            merged.Select(q => (q.Change.EnvironmentId, q.Change.Kind, string.Join(',', q.Change.Ids), q.PublishedAtMs)));
    }

    [Fact]
    public void AFullQueueCoalescesIntoEverythingChangedPerEnvironmentWithTheOldestPublicationTime()
    {
        var queue = new ChangeQueue(4);
        Assert.False(queue.Add(Change.Of("env_a", ChangeKind.Company, "comp_1"), 10));
        Assert.False(queue.Add(Change.Of("env_b", ChangeKind.Usage, "comp_2"), 11));
        Assert.False(queue.Add(Change.Of("env_a", ChangeKind.Credits, "comp_3"), 12));
        Assert.False(queue.Add(Change.Of("env_b", ChangeKind.ApiKey, "key_1"), 13));

        Assert.True(queue.Add(Change.Of("env_a", ChangeKind.User, "user_1"), 14));

        Assert.Equal(2, queue.Count);
        Assert.Equal(1, queue.Coalesced);
        var taken = queue.TakeAll();
        Assert.Equal([("env_a", 10L), ("env_b", 11L)], taken.Select(q => (q.Change.EnvironmentId, q.PublishedAtMs)));
        Assert.All(taken, q => Assert.Equal(ChangeKind.Everything, q.Change.Kind));
    }

    [Fact]
    public void AQueueFullOfManyEnvironmentsCoalescesIntoOneChangeForAll()
    {
        var queue = new ChangeQueue(4);
        for (var i = 0; i < 5; i++)
        {
            queue.Add(Change.Of($"env_{i}", ChangeKind.Company, "comp_1"), 100 - i);
        }

        var only = Assert.Single(queue.TakeAll());
        Assert.Equal(Change.AllEnvironments, only.Change.EnvironmentId);
        Assert.Equal(ChangeKind.Everything, only.Change.Kind);
        Assert.Equal(96, only.PublishedAtMs);
        Assert.True(only.Change.ResetsEnvironment("env_42"));
    }

    [Fact]
    public void AQueueNeverHoldsMoreThanItsCapacity()
    {
        var queue = new ChangeQueue(8);
        for (var i = 0; i < 10_000; i++)
        {
            queue.Add(Change.Of($"env_{i % 3}", ChangeKind.Company, $"comp_{i}"), i);
            Assert.InRange(queue.Count, 1, 8);
        }

        Assert.True(queue.Coalesced > 0);
        Assert.Equal(["env_0", "env_1", "env_2"], queue.TakeAll().Where(q => q.Change.Kind == ChangeKind.Everything).Select(q => q.Change.EnvironmentId).Order());
    }

    [Fact]
    public async Task AWaiterWakesOnTheNextChangeAndEndsOnceCompletedAndEmpty()
    {
        var queue = new ChangeQueue(4);
        var waiting = queue.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        queue.Add(Change.Of("env_a", ChangeKind.Company, "comp_1"), 1);
        Assert.True(await waiting);

        queue.Complete();
        Assert.True(await queue.WaitAsync(CancellationToken.None));
        Assert.Single(queue.TakeAll());
        Assert.False(await queue.WaitAsync(CancellationToken.None));
        Assert.False(queue.Add(Change.Of("env_a", ChangeKind.Company, "comp_2"), 2));
        Assert.Equal(0, queue.Count);
    }
}
