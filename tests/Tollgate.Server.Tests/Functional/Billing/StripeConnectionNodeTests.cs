using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.FakeStripe;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>Two nodes: the Stripe connection one node holds follows a disconnect made on the other, through the change feed.</summary>
public sealed class StripeConnectionNodeTests
{
    [Fact]
    public async Task AConnectionRemovedOnOneNodeIsForgottenByTheOtherWithinOneSecond()
    {
        await using var fake = await FakeStripeServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TollgateFactory.Start));
        await using var database = await SharedDatabase.CreateAsync(StoreKind.Postgres);
        await using var a = await StripeNode.StartAsync(StoreKind.Postgres, database.Name, fake, backgroundSync: false);
        await using var b = await StripeNode.StartAsync(StoreKind.Postgres, database.Name, fake, backgroundSync: false);
        var api = await a.NewEnvironmentAsync();
        (await api.PutAsync("/billing/stripe/connection", new Dictionary<string, object?>
        {
            ["secret_key"] = fake.NewAccount().ApiKey, ["webhook_secret"] = "whsec_connection_node_tests_0123456789", ["import"] = false,
        })).ShouldBe(HttpStatusCode.OK);
        var onB = b.Services.GetRequiredService<StripeConnections>();
        Assert.NotNull(await onB.GetAsync(api.EnvironmentId!, CancellationToken.None)); // cached on B

        (await api.DeleteAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK);

        // B's clock moves 1 ms a reading, far from the cache's 5 s: only the change can make B forget the connection.
        var clock = Stopwatch.StartNew();
        while (await onB.GetAsync(api.EnvironmentId!, CancellationToken.None) is not null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "node B still uses the removed connection after one second");
            await Task.Delay(10);
        }

        Assert.True(b.Time.GetUtcNow() - TollgateFactory.Start < StripeConnections.CacheFor);
    }
}
