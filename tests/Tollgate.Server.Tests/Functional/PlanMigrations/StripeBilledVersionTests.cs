using System.Net;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Billing;

namespace Tollgate.Server.Tests.Functional.PlanMigrations;

/// <summary>
/// A Stripe-billed company moved to a newer plan version by Tollgate stays there when its subscription is synced again:
/// an unchanged price does not name the version back (before this, <c>BillingPlans</c> let the price decide and the
/// next sync put the company back on the old version).
/// </summary>
public abstract class StripeBilledVersionTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task ACompanyMovedToANewVersionIsNotPutBackByTheNextSyncOfAnUnchangedSubscription()
    {
        var s = await BillingScenario.CreateAsync(server);
        var subscription = await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 2));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        Assert.Equal([s.ProVersion], await VersionIdsAsync(s));
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { migrationStrategy = "immediate" })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([draft], await VersionIdsAsync(s));

        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        Assert.Equal([draft], await VersionIdsAsync(s));
    }

    [Fact]
    public async Task AChangedPriceStillNamesItsVersion()
    {
        var s = await BillingScenario.CreateAsync(server);
        var subscription = await s.SubscribeAsync(s.Acme, null, (s.StarterMonthly, 1));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { migrationStrategy = "immediate" })).ShouldBe(HttpStatusCode.OK);

        // The customer moves to Pro in Stripe on the price of Pro's first version: that version is the company's.
        await s.Stripe.V1.Subscriptions.UpdateAsync(subscription.Id, new global::Stripe.SubscriptionUpdateOptions
        {
            Items = [new() { Id = subscription.Items.Data[0].Id, Price = s.ProMonthly.Id, Quantity = 1 }],
        });
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        Assert.Equal([s.ProVersion], await VersionIdsAsync(s));
    }

    private static async Task<List<string?>> VersionIdsAsync(BillingScenario s) =>
        [.. (await s.CompanyOfAsync(s.Acme.Id)).GetProperty("plan_version_ids").EnumerateArray().Select(v => v.GetString())];
}

/// <summary>On SQLite.</summary>
public sealed class StripeBilledVersionTestsOnSqlite(StripeSqliteServer server) : StripeBilledVersionTests(server), IClassFixture<StripeSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class StripeBilledVersionTestsOnPostgres(StripePostgresServer server) : StripeBilledVersionTests(server), IClassFixture<StripePostgresServer>;
