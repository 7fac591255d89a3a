using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// A node stops in the middle of a drain (Stripe failing after some rows) and another server on the same database
/// finishes it: every row reaches Stripe exactly once, and none is sent twice.
/// </summary>
public abstract class MeterSyncRestartTests(StoreKind store)
{
    private const string MeterEventsPath = "/v1/billing/meter_events";

    [Fact]
    public async Task AServerStartedOnTheSameDatabaseFinishesADrainThatStoppedHalfway()
    {
        await using var fake = await FakeStripeServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TollgateFactory.Start));
        await using var database = await SharedDatabase.CreateAsync(store);
        long[] quantities = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        MeterWorld world;
        await using (var first = await StripeNode.StartAsync(store, database.Name, fake, backgroundSync: false))
        {
            world = await MeterWorld.CreateAsync(first, fake);
            await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, quantities);
            // Stripe answers four events, then fails until the node is gone.
            fake.Faults.Enqueue(Fault.Latency(TimeSpan.Zero), MeterEventsPath, times: 4).Enqueue(Fault.ServerError(500), MeterEventsPath, times: 1_000);

            var partial = await world.SyncAsync();

            Assert.Equal(4L, partial.GetProperty("sent").GetInt64());
            Assert.Equal(6L, partial.GetProperty("status").GetProperty("pending").GetInt64());
        }

        fake.Faults.Clear();
        await using var second = await StripeNode.StartAsync(store, database.Name, fake, backgroundSync: false);
        var resumed = world.On(second);
        await resumed.SyncUntilSettledAsync();

        Assert.Equal(quantities.Sum(), resumed.StripeTotal(world.CustomerId));
        Assert.Equal(quantities.Length, world.Stripe.Store.MeterEvents.Select(e => e.Identifier).Distinct().Count());
        Assert.DoesNotContain(world.Stripe.RequestsTo(MeterEventsPath), r => r.Status == 400);
        Assert.Equal(10L, (await resumed.StatusAsync()).GetProperty("sent").GetInt64());
    }
}

public sealed class MeterSyncRestartTestsOnSqlite() : MeterSyncRestartTests(StoreKind.Sqlite);

public sealed class MeterSyncRestartTestsOnPostgres() : MeterSyncRestartTests(StoreKind.Postgres);
