using System.Net;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// After a subscription change Tollgate asks the registered <see cref="IStripeObjectSync"/> (the inbound sync's seam) to
/// bring the subscription in at once; a sync that fails leaves it to the webhook and the change still succeeds.
/// </summary>
public abstract class StripeSubscriptionSyncTests(ScriptedSyncFactory server)
{
    [Fact]
    public async Task AChangeIsSyncedAtOnceWhenASyncIsRegisteredAndAFailedSyncLeavesItToTheWebhook()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (pro, _, _, _) = await OutboundGiven.PushedPlanAsync(world, "Pro", 1500, 15000);
        var company = await Given.CompanyAsync(world.Api, "acme");
        var checkout = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId = pro, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;
        var subscriptionId = (string)world.Stripe.Simulate.CompleteCheckout(checkout.GetProperty("id").GetString()!)["subscription"]!;
        await OutboundGiven.FollowSubscriptionAsync(world, company, subscriptionId);

        var synced = (await world.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, seats = 4 })).ShouldBe(HttpStatusCode.OK).Data;
        server.Sync.Fail(subscriptionId, times: 1);
        var unsynced = (await world.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, seats = 6 })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.True(synced.GetProperty("synced").GetBoolean());
        Assert.False(unsynced.GetProperty("synced").GetBoolean());
        Assert.Equal(6L, (long)world.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]![0]!["quantity"]!);
        Assert.Equal(2, server.Sync.Calls.Count(c => c == $"subscription/{subscriptionId}"));
    }
}

/// <summary>On SQLite.</summary>
public sealed class StripeSubscriptionSyncTestsOnSqlite(ScriptedSyncSqliteServer server) : StripeSubscriptionSyncTests(server), IClassFixture<ScriptedSyncSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class StripeSubscriptionSyncTestsOnPostgres(ScriptedSyncPostgresServer server) : StripeSubscriptionSyncTests(server), IClassFixture<ScriptedSyncPostgresServer>;
