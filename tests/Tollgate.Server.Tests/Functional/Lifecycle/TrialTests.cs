using System.Globalization;
using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Lifecycle;

/// <summary>
/// Trials Tollgate runs (no Stripe): a trial of Pro ends by itself at its instant on the server's clock, moving the
/// company to the expiry plan and recording <c>subscription.trial.ended</c> and <c>company.plan_changed</c>; converting
/// ends it as <c>converted</c> and keeps the plan; <c>edit-trial-end</c> moves the instant; the trial shows on the
/// company, in the check-all answer's <c>plan</c> and in <c>/company-subscriptions</c>.
/// </summary>
public abstract class TrialTests(TollgateFactory server)
{
    [Fact]
    public async Task ATrialEndsByItselfAtItsInstantAndMovesTheCompanyToTheExpiryPlan()
    {
        var w = await LifecycleWorld.CreateAsync(server);
        var company = await w.CompanyAsync("trialer");
        var started = server.Time.GetUtcNow();

        var subscription = await w.StartTrialAsync(company);

        Assert.Equal(("trialing", "schematic"), (subscription.GetProperty("status").GetString(), subscription.GetProperty("provider_type").GetString()));
        var trialEnd = DateTimeOffset.FromUnixTimeSeconds(subscription.GetProperty("trial_end").GetInt64());
        Assert.InRange(trialEnd, started.AddDays(14).AddSeconds(-2), started.AddDays(14).AddSeconds(2));
        var plan = await w.CheckPlanAsync("trialer");
        Assert.Equal((w.Pro, "active"), (plan.GetProperty("id").GetString(), plan.GetProperty("trial_status").GetString()));
        Assert.Equal(trialEnd.ToUnixTimeSeconds(), plan.GetProperty("trial_end_date").GetDateTimeOffset().ToUnixTimeSeconds());
        var listed = (await w.Api.GetAsync($"/company-subscriptions?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single();
        Assert.Equal((subscription.GetProperty("id").GetString(), "trialing"), (listed.GetProperty("subscription_external_id").GetString(), listed.GetProperty("status").GetString()));

        // A day before the end nothing happens; past the end the worker moves the company with no request.
        server.Time.Advance(TimeSpan.FromDays(13));
        await Task.Delay(200);
        Assert.Equal(w.Pro, (await w.CompanyOfAsync(company)).GetProperty("base_plan_id").GetString());
        server.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var expired = await w.EventuallyOnPlanAsync(company, w.Free);

        var billing = expired.GetProperty("billing_subscription");
        Assert.Equal(("expired", "expired"), (billing.GetProperty("trial_status").GetString(), billing.GetProperty("status").GetString()));
        var planAfter = await w.CheckPlanAsync("trialer");
        Assert.Equal((w.Free, JsonValueKind.Null), (planAfter.GetProperty("id").GetString(), planAfter.GetProperty("trial_status").ValueKind));
        Assert.Empty((await w.Api.GetAsync($"/company-subscriptions?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        var events = await w.EventsOfAsync(company);
        Assert.Equal(
            ["company.plan_changed", "subscription.trial.ended", "company.plan_changed"],
            events.Select(e => e.Type));
        var ended = events[1].Data;
        Assert.Equal(("expired", w.Pro), (ended.GetProperty("trial_status").GetString(), ended.GetProperty("plan_id").GetString()));
        Assert.Equal((w.Pro, w.Free), (events[2].Data.GetProperty("previous_plan_id").GetString(), events[2].Data.GetProperty("plan_id").GetString()));
    }

    [Fact]
    public async Task ConvertingEndsTheTrialAsConvertedAndTheCompanyKeepsThePlan()
    {
        var w = await LifecycleWorld.CreateAsync(server);
        var company = await w.CompanyAsync("converter");
        await w.StartTrialAsync(company, new { planId = w.Pro, trialDays = 3, paymentMethodExternalId = "pm_card" });

        var converted = (await w.Api.PostAsync($"/companies/{company}/trial/convert", null)).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal("active", converted.GetProperty("status").GetString());
        Assert.Equal("converted", (await w.CheckPlanAsync("converter")).GetProperty("trial_status").GetString());
        server.Time.Advance(TimeSpan.FromDays(4));
        await Task.Delay(200);
        var after = await w.CompanyOfAsync(company);
        Assert.Equal(w.Pro, after.GetProperty("base_plan_id").GetString());
        Assert.Equal("converted", after.GetProperty("billing_subscription").GetProperty("trial_status").GetString());
        var events = await w.EventsOfAsync(company);
        Assert.Equal(["company.plan_changed", "subscription.trial.ended"], events.Select(e => e.Type));
        Assert.Equal("converted", events[1].Data.GetProperty("trial_status").GetString());
        (await w.Api.PostAsync($"/companies/{company}/trial/convert", null)).ShouldFail(HttpStatusCode.Conflict, "no active trial");
    }

    [Fact]
    public async Task EditingTheTrialEndMovesTheInstantTheCompanyMoves()
    {
        var w = await LifecycleWorld.CreateAsync(server);
        var company = await w.CompanyAsync("extended");
        var subscriptionId = (await w.StartTrialAsync(company)).GetProperty("id").GetString();
        var newEnd = server.Time.GetUtcNow().AddDays(30);

        var edited = (await w.Api.PutAsync($"/subscription/{subscriptionId}/edit-trial-end", new { trialEnd = newEnd.ToString("O", CultureInfo.InvariantCulture) }))
            .ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(newEnd.ToUnixTimeSeconds(), edited.GetProperty("trial_end").GetInt64());
        server.Time.Advance(TimeSpan.FromDays(15));
        await Task.Delay(200);
        Assert.Equal(w.Pro, (await w.CompanyOfAsync(company)).GetProperty("base_plan_id").GetString());
        server.Time.Advance(TimeSpan.FromDays(16));
        await w.EventuallyOnPlanAsync(company, w.Free);

        (await w.Api.PutAsync($"/subscription/{subscriptionId}/edit-trial-end", new { trialEnd = server.Time.GetUtcNow().AddDays(1).ToString("O", CultureInfo.InvariantCulture) }))
            .ShouldFail(HttpStatusCode.Conflict, "expired");
        (await w.Api.PutAsync("/subscription/bilsub_missing/edit-trial-end", new { trialEnd = server.Time.GetUtcNow().AddDays(1).ToString("O", CultureInfo.InvariantCulture) }))
            .ShouldFail(HttpStatusCode.NotFound, "subscription");
        (await w.Api.PutAsync($"/subscription/{subscriptionId}/edit-trial-end", new { trialEnd = "soon" })).ShouldFail(HttpStatusCode.BadRequest, "trial_end");
    }

    [Fact]
    public async Task ATrialStartsOnlyAsThePlanGroupAllows()
    {
        var w = await LifecycleWorld.CreateAsync(server);
        var body = LifecycleWorld.Group(w.Free, w.Pro);
        body["trial_payment_method_required"] = true;
        (await w.Api.PutAsync($"/plan-groups/{w.GroupId}", body)).ShouldBe(HttpStatusCode.OK);
        var company = await w.CompanyAsync("eager");

        (await w.Api.PostAsync($"/companies/{company}/trial", new { planId = w.Pro })).ShouldFail(HttpStatusCode.BadRequest, "payment_method_external_id");
        (await w.Api.PostAsync($"/companies/{company}/trial", new { planId = w.Free, paymentMethodExternalId = "pm_1" })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await w.Api.PostAsync("/companies/comp_missing/trial", new { planId = w.Pro, paymentMethodExternalId = "pm_1" })).ShouldFail(HttpStatusCode.NotFound, "company");
        await w.StartTrialAsync(company, new { planId = w.Pro, paymentMethodExternalId = "pm_1" });
        (await w.Api.PostAsync($"/companies/{company}/trial", new { planId = w.Pro, paymentMethodExternalId = "pm_1" })).ShouldFail(HttpStatusCode.Conflict, "active trial");
        (await w.Api.PostAsync($"/companies/{company}/trial/convert", null)).ShouldBe(HttpStatusCode.OK);
        (await w.Api.PostAsync($"/companies/{company}/trial", new { planId = w.Pro, paymentMethodExternalId = "pm_1" })).ShouldFail(HttpStatusCode.Conflict, "already had a trial");
    }
}

public sealed class TrialTestsOnSqlite(SqliteServer server) : TrialTests(server), IClassFixture<SqliteServer>;

public sealed class TrialTestsOnPostgres(PostgresServer server) : TrialTests(server), IClassFixture<PostgresServer>;
