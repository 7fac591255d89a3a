using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Billing;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Lifecycle;

/// <summary>
/// The plan group with Stripe connected: the Stripe import puts a new company on the default plan, an ended subscription
/// puts its company on the plan group's fallback plan, and a trial on a Stripe subscription shows the same
/// <c>trial_end</c>/<c>trial_status</c> as a native one, Stripe's events driving it to <c>converted</c>.
/// </summary>
public abstract class StripeLifecycleTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task TheImportStartsNewCompaniesOnTheDefaultPlanAndAnEndedSubscriptionFallsBackToThePlanGroupsFallback()
    {
        var s = await BillingScenario.CreateAsync(server);

        // The connection's fallback_plan_id (Free) went to the plan group; the group now says Starter.
        var group = (await s.Api.GetAsync("/plan-groups")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(s.Free, group.GetProperty("fallback_plan_id").GetString());
        var body = LifecycleWorld.Group(s.Free, s.Pro);
        body["fallback_plan_id"] = s.Starter;
        body["trial_expiry_plan_id"] = null;
        (await s.Api.PutAsync($"/plan-groups/{group.GetProperty("id").GetString()}", body)).ShouldBe(HttpStatusCode.OK);
        var newcomer = await s.CustomerAsync("Newcomer");
        var leaver = await s.CustomerAsync("Leaver");
        var ended = await s.SubscribeAsync(leaver, null, (s.ProMonthly, 1));
        await s.Stripe.V1.Subscriptions.CancelAsync(ended.Id);

        await s.ImportAsync();

        Assert.Equal(s.Free, (await s.CompanyOfAsync(newcomer.Id)).GetProperty("base_plan_id").GetString());
        Assert.Equal(s.Starter, (await s.CompanyOfAsync(leaver.Id)).GetProperty("base_plan_id").GetString());

        // A live subscription that then ends moves its company to the fallback too.
        var live = await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 1));
        await s.SyncAsync(StripeObjectTypes.Subscription, live.Id);
        Assert.Equal(s.Pro, (await s.CompanyOfAsync(s.Acme.Id)).GetProperty("base_plan_id").GetString());
        s.World.Stripe.Simulate.Cancel(live.Id);
        await s.SyncAsync(StripeObjectTypes.Subscription, live.Id);
        Assert.Equal(s.Starter, (await s.CompanyOfAsync(s.Acme.Id)).GetProperty("base_plan_id").GetString());
        var connection = (await s.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.False(connection.GetProperty("settings").TryGetProperty("fallback_plan_id", out _));
    }

    [Fact]
    public async Task AStripeTrialShowsTheSameTrialFieldsAndStripeDrivesItToConverted()
    {
        var s = await BillingScenario.CreateAsync(server);
        var subscription = await s.SubscribeAsync(s.Acme, 14, (s.ProMonthly, 1));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        var plan = await PlanOfCheckAsync(s);
        Assert.Equal((s.Pro, "active"), (plan.GetProperty("id").GetString(), plan.GetProperty("trial_status").GetString()));
        Assert.Equal(subscription.TrialEnd!.Value, plan.GetProperty("trial_end_date").GetDateTimeOffset().UtcDateTime);
        var listed = (await s.Api.GetAsync($"/company-subscriptions?company_id={s.AcmeCompany}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single();
        Assert.Equal(("stripe", "trialing", subscription.Id), (listed.GetProperty("provider_type").GetString(), listed.GetProperty("status").GetString(), listed.GetProperty("subscription_external_id").GetString()));

        // edit-trial-end on a Stripe subscription moves the trial at Stripe, and the company follows Stripe's answer.
        var movedEnd = DateTimeOffset.FromUnixTimeSeconds(server.Time.GetUtcNow().AddDays(20).ToUnixTimeSeconds());
        var edited = (await s.Api.PutAsync($"/subscription/{subscription.Id}/edit-trial-end", new { trialEnd = movedEnd.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }))
            .ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((movedEnd.ToUnixTimeSeconds(), "stripe"), (edited.GetProperty("trial_end").GetInt64(), edited.GetProperty("provider_type").GetString()));
        Assert.Equal(movedEnd, (await PlanOfCheckAsync(s)).GetProperty("trial_end_date").GetDateTimeOffset());
        var atStripe = await s.Stripe.V1.Subscriptions.GetAsync(subscription.Id);
        Assert.Equal(movedEnd.UtcDateTime, atStripe.TrialEnd);

        s.World.Stripe.Simulate.EndTrial(subscription.Id);
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        (await s.Api.PutAsync($"/subscription/{subscription.Id}/edit-trial-end", new { trialEnd = movedEnd.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture) }))
            .ShouldFail(HttpStatusCode.Conflict, "trialing");
        Assert.Equal("converted", (await PlanOfCheckAsync(s)).GetProperty("trial_status").GetString());
        Assert.Equal("converted", (await s.CompanyOfAsync(s.Acme.Id)).GetProperty("billing_subscription").GetProperty("trial_status").GetString());
        await using var db = await s.World.Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var ended = await db.QuerySingleAsync<string>(
            "SELECT data FROM lifecycle_events WHERE environment_id = @env AND company_id = @company AND event_type = 'subscription.trial.ended'",
            new { env = s.Api.EnvironmentId, company = s.AcmeCompany });
        Assert.Equal("converted", JsonDocument.Parse(ended).RootElement.GetProperty("trial_status").GetString());
        (await s.Api.PostAsync($"/companies/{s.AcmeCompany}/trial", new { planId = s.Starter, trialDays = 7 })).ShouldFail(HttpStatusCode.Conflict, "Stripe");
    }

    private static async Task<JsonElement> PlanOfCheckAsync(BillingScenario s) =>
        (await s.Api.PostAsync("/flags/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("plan");
}

public sealed class StripeLifecycleTestsOnSqlite(StripeSqliteServer server) : StripeLifecycleTests(server), IClassFixture<StripeSqliteServer>;

public sealed class StripeLifecycleTestsOnPostgres(StripePostgresServer server) : StripeLifecycleTests(server), IClassFixture<StripePostgresServer>;
