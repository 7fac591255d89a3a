using System.Diagnostics;
using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>The background meter sync drains the outbox on its own: every poll interval, and at once after a commit.</summary>
public abstract class MeterBackgroundSyncTests(StoreKind store)
{
    [Fact]
    public async Task ACommitWakesTheSyncWithoutWaitingForThePoll()
    {
        await using var fake = await FakeStripeServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TollgateFactory.Start));
        await using var database = await SharedDatabase.CreateAsync(store);
        await using var node = await StripeNode.StartAsync(store, database.Name, fake, backgroundSync: true, pollInterval: TimeSpan.FromHours(1));
        var world = await MeterWorld.CreateAsync(node, fake);

        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 4);

        var clock = Stopwatch.StartNew();
        while (world.StripeTotal(world.CustomerId) < 4 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Equal(4, world.StripeTotal(world.CustomerId));
    }

    [Fact]
    public async Task TheBackgroundSyncDeliversTrackedUsageWithoutBeingAsked()
    {
        await using var fake = await FakeStripeServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TollgateFactory.Start));
        await using var database = await SharedDatabase.CreateAsync(store);
        await using var node = await StripeNode.StartAsync(store, database.Name, fake, backgroundSync: true);
        var world = await MeterWorld.CreateAsync(node, fake);

        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 6, 7);

        var clock = Stopwatch.StartNew();
        while (world.StripeTotal(world.CustomerId) < 13 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Equal(13, world.StripeTotal(world.CustomerId));
        Assert.Equal(2, world.Stripe.Store.MeterEvents.Count);
    }
}

public sealed class MeterBackgroundSyncTestsOnSqlite() : MeterBackgroundSyncTests(StoreKind.Sqlite);

public sealed class MeterBackgroundSyncTestsOnPostgres() : MeterBackgroundSyncTests(StoreKind.Postgres);
