using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.FakeStripe;
using Tollgate.Server.Billing;
using Tollgate.Server.PlanMigrations;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.PlanMigrations;

/// <summary>
/// A Stripe-billed company moved to a newer plan version by Tollgate stays there when its subscription is synced again:
/// an unchanged price does not name the version back (before this, <c>BillingPlans</c> let the price decide and the
/// next sync put the company back on the old version). A migration changes the subscription's items to the new
/// version's prices through the connector, and the sync agrees.
/// </summary>
public abstract class StripeBilledVersionTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task ACompanyMovedToANewVersionIsNotPutBackByTheNextSyncOfAnUnchangedSubscription()
    {
        var s = await BillingScenario.CreateAsync(server);
        var subscription = await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 2));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        Assert.Equal([s.ProVersion], await BilledMigrationGiven.AcmeVersionIdsAsync(s));
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { migrationStrategy = "immediate" })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([draft], await BilledMigrationGiven.AcmeVersionIdsAsync(s));

        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        Assert.Equal([draft], await BilledMigrationGiven.AcmeVersionIdsAsync(s));
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

        Assert.Equal([s.ProVersion], await BilledMigrationGiven.AcmeVersionIdsAsync(s));
    }

    [Fact]
    public async Task AMigrationMovesAStripeBilledCompanysItemsToTheNewVersionsPriceAndTheNextSyncAgrees()
    {
        var (s, subscription, draft, price) = await BilledMigrationGiven.ProVersionTwoWithItsOwnPriceAsync(server);

        var preview = Assert.Single((await s.Api.PostAsync("/plan-version-migrations/preview", new { planId = s.Pro, planVersionIdTo = draft, targetPlanType = "plan" }))
            .ShouldBe(HttpStatusCode.OK).Data.GetProperty("companies").EnumerateArray());
        Assert.True(preview.GetProperty("will_update_subscription").GetBoolean());
        Assert.True(preview.GetProperty("has_billing_changes").GetBoolean());
        Assert.Equal((2_000, 3_000), (preview.GetProperty("price_change").GetProperty("from").GetProperty("unit_amount").GetInt64(), preview.GetProperty("price_change").GetProperty("to").GetProperty("unit_amount").GetInt64()));
        Assert.Empty(s.World.Stripe.RequestsTo($"/v1/subscriptions/{subscription.Id}", "POST"));
        // The publish page's count (one statement over the subscriptions) agrees with the per-company preview.
        var billing = server.Services.GetRequiredService<IPlanMigrationBilling>();
        Assert.Equal(new BillingMoveCounts(1, 0), await billing.CountAsync(s.Api.EnvironmentId!, s.ProVersion, draft, default));
        Assert.Equal(BillingMoveCounts.None, await billing.CountAsync(s.Api.EnvironmentId!, draft, s.ProVersion, default));

        var created = (await s.Api.PostAsync("/plan-version-migrations", new { planId = s.Pro, planVersionIdTo = draft, strategy = "immediate", targetPlanType = "plan", prorationBehavior = "none" }))
            .ShouldBe(HttpStatusCode.OK).Id;
        var done = await MigrationGiven.FinishedAsync(s.Api, created);

        Assert.Equal(("completed", 1), (done.GetProperty("status").GetString(), done.GetProperty("completed_companies").GetInt32()));
        var update = Assert.Single(s.World.Stripe.RequestsTo($"/v1/subscriptions/{subscription.Id}", "POST")).Params;
        Assert.Equal((subscription.Items.Data[0].Id, price, null), ((string?)update["items"]![0]!["id"], (string?)update["items"]![0]!["price"], (string?)update["items"]![0]!["quantity"]));
        Assert.Equal("none", (string?)update["proration_behavior"]);
        var item = s.World.Stripe.Store.Snapshot(subscription.Id)!["items"]!["data"]![0]!;
        Assert.Equal((price, 2L), ((string?)item["price"]!["id"], (long)item["quantity"]!));
        Assert.Equal([draft], await BilledMigrationGiven.AcmeVersionIdsAsync(s));

        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        Assert.Equal([draft], await BilledMigrationGiven.AcmeVersionIdsAsync(s));
        var company = await s.CompanyOfAsync(s.Acme.Id);
        Assert.Equal(price, company.GetProperty("billing_subscription").GetProperty("products")[0].GetProperty("price_id").GetString());
        Assert.True(await s.CheckAsync("sso", s.Acme.Id));
    }

    [Fact]
    public async Task AtTheEndOfTheBillingPeriodStripeGetsTheNewPriceWithoutProrationAndTheSyncKeepsTheScheduledMove()
    {
        var (s, subscription, draft, price) = await BilledMigrationGiven.ProVersionTwoWithItsOwnPriceAsync(server);
        var periodEnd = DateTimeOffset.FromUnixTimeSeconds((await s.CompanyOfAsync(s.Acme.Id)).GetProperty("billing_subscription").GetProperty("period_end").GetInt64());

        var created = (await s.Api.PostAsync("/plan-version-migrations", new { planId = s.Pro, planVersionIdTo = draft, strategy = "end_of_billing_period", targetPlanType = "plan" }))
            .ShouldBe(HttpStatusCode.OK).Id;
        await MigrationGiven.FinishedAsync(s.Api, created);

        var update = Assert.Single(s.World.Stripe.RequestsTo($"/v1/subscriptions/{subscription.Id}", "POST")).Params;
        Assert.Equal((price, "none"), ((string?)update["items"]![0]!["price"], (string?)update["proration_behavior"]));
        Assert.Equal(periodEnd, (await MigrationGiven.RowsAsync(s.Api, created))[s.AcmeCompany].GetProperty("scheduled_for").GetDateTimeOffset());
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        Assert.Equal([s.ProVersion], await BilledMigrationGiven.AcmeVersionIdsAsync(s));
        var scheduled = Assert.Single((await s.CompanyOfAsync(s.Acme.Id)).GetProperty("scheduled_plan_versions").EnumerateArray());
        Assert.Equal((draft, periodEnd), (scheduled.GetProperty("plan_version_id").GetString(), scheduled.GetProperty("at").GetDateTimeOffset()));

        server.Time.SetUtcNow(periodEnd);

        Assert.Equal([draft], await BilledMigrationGiven.AcmeVersionIdsAsync(s));
    }

    [Fact]
    public async Task ACompanyWhoseSubscriptionChangeFailedStaysWhereItWasAndIsRetriedAlone()
    {
        var (s, subscription, draft, price) = await BilledMigrationGiven.ProVersionTwoWithItsOwnPriceAsync(server);
        server.Fake.Faults.Enqueue(Fault.ServerError(), $"/v1/subscriptions/{subscription.Id}", times: 1, method: "POST");

        var created = (await s.Api.PostAsync("/plan-version-migrations", new { planId = s.Pro, planVersionIdTo = draft, strategy = "immediate", targetPlanType = "plan" }))
            .ShouldBe(HttpStatusCode.OK).Id;
        var failed = await MigrationGiven.FinishedAsync(s.Api, created);
        var row = (await MigrationGiven.RowsAsync(s.Api, created))[s.AcmeCompany];

        Assert.Equal(("failed", 1), (failed.GetProperty("status").GetString(), failed.GetProperty("failed_companies").GetInt32()));
        Assert.Equal(("failed", "transient_stripe"), (row.GetProperty("status").GetString(), row.GetProperty("error_code").GetString()));
        Assert.Equal([s.ProVersion], await BilledMigrationGiven.AcmeVersionIdsAsync(s));
        Assert.Equal(s.ProMonthly.Id, (string?)s.World.Stripe.Store.Snapshot(subscription.Id)!["items"]!["data"]![0]!["price"]!["id"]);
        var untouched = (await s.Api.PostAsync($"/plan-version-migrations/{created}/retry", new { errorCodes = new[] { "permanent_config" } })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("failed", untouched.GetProperty("status").GetString());

        var retried = (await s.Api.PostAsync($"/plan-version-company-migrations/{row.GetProperty("id").GetString()}/retry", null)).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(("pending", JsonValueKind.Null), (retried.GetProperty("status").GetString(), retried.GetProperty("error_code").ValueKind));
        var done = await MigrationGiven.FinishedAsync(s.Api, created);

        Assert.Equal(("completed", 1, 0), (done.GetProperty("status").GetString(), done.GetProperty("completed_companies").GetInt32(), done.GetProperty("failed_companies").GetInt32()));
        Assert.Equal([draft], await BilledMigrationGiven.AcmeVersionIdsAsync(s));
        Assert.Equal(price, (string?)s.World.Stripe.Store.Snapshot(subscription.Id)!["items"]!["data"]![0]!["price"]!["id"]);
    }
}

/// <summary>On SQLite.</summary>
public sealed class StripeBilledVersionTestsOnSqlite(StripeSqliteServer server) : StripeBilledVersionTests(server), IClassFixture<StripeSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class StripeBilledVersionTestsOnPostgres(StripePostgresServer server) : StripeBilledVersionTests(server), IClassFixture<StripePostgresServer>;
