using System.Diagnostics;
using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// Two live nodes on one PostgreSQL, both running the background meter sync and asked to sync at the same time: one
/// drains an environment at a time, so no row is ever sent twice (Stripe sees no duplicate identifier at all).
/// </summary>
public sealed class MeterSyncTwoNodeTests
{
    [Fact]
    public async Task TwoNodesDrainingOneEnvironmentNeverSendARowTwice()
    {
        await using var fake = await FakeStripeServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TollgateFactory.Start));
        await using var database = await SharedDatabase.CreateAsync(StoreKind.Postgres);
        await using var a = await StripeNode.StartAsync(StoreKind.Postgres, database.Name, fake, backgroundSync: true);
        await using var b = await StripeNode.StartAsync(StoreKind.Postgres, database.Name, fake, backgroundSync: true);
        var onA = await MeterWorld.CreateAsync(a, fake);
        var onB = onA.On(b);
        var expected = 0L;

        for (var i = 1; i <= 40; i++)
        {
            await (i % 2 == 0 ? onA : onB).TrackAsync(MeterWorld.Subtype, MeterWorld.Company, i);
            expected += i;
            if (i % 10 == 0)
            {
                var runs = await Task.WhenAll(onA.SyncAsync(), onB.SyncAsync());
                Assert.All(runs, r => Assert.Contains(r.GetProperty("outcome").GetString(), new[] { "done", "busy" }));
            }
        }

        var clock = Stopwatch.StartNew();
        while (onA.StripeTotal(onA.CustomerId) < expected && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Equal(expected, onA.StripeTotal(onA.CustomerId));
        Assert.Equal(40, onA.Stripe.Store.MeterEvents.Count);
        Assert.DoesNotContain(onA.Stripe.RequestsTo("/v1/billing/meter_events"), r => r.Status != 200);
    }
}
