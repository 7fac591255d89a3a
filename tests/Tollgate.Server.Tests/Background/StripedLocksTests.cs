using Tollgate.Server.Background;

namespace Tollgate.Server.Tests.Background;

/// <summary>Striped locks: one holder per key at a time in the process; released on dispose.</summary>
public sealed class StripedLocksTests
{
    [Fact]
    public async Task ASecondHolderOfTheSameKeyWaitsUntilTheFirstReleases()
    {
        using var locks = new StripedLocks(stripes: 4);
        var first = await locks.AcquireAsync(("env", "cus_1"), CancellationToken.None);

        var second = locks.AcquireAsync(("env", "cus_1"), CancellationToken.None).AsTask();
        await Task.Yield();
        Assert.False(second.IsCompleted);

        first.Dispose();
        using var held = await second.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AWaiterGivesUpWhenCancelledAndTheStripeStaysUsable()
    {
        using var locks = new StripedLocks(stripes: 1);
        using var cancel = new CancellationTokenSource();
        var first = await locks.AcquireAsync("a", CancellationToken.None);

        var waiting = locks.AcquireAsync("b", cancel.Token).AsTask(); // one stripe: every key shares it
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        first.Dispose();
        using var again = await locks.AcquireAsync("b", CancellationToken.None);
    }
}
