using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Lifecycle;

/// <summary>
/// <c>/plan-groups</c>: one plan group per environment, created once, read with its plans, replaced by an update; bad
/// input refused naming the field; publishable keys refused. And <c>default_plan_id</c>: every new company starts on it
/// however it was created (<c>POST /companies</c>, identify and track events), while a named plan and existing
/// companies are left alone.
/// </summary>
public abstract class PlanGroupTests(TollgateFactory server)
{
    [Fact]
    public async Task ThePlanGroupIsCreatedOnceReadWithItsPlansAndReplacedByAnUpdate()
    {
        var w = await LifecycleWorld.CreateAsync(server);

        var again = await w.Api.PostAsync("/plan-groups", LifecycleWorld.Group(w.Free, w.Pro));
        again.ShouldFail(HttpStatusCode.Conflict, w.GroupId);

        var read = (await w.Api.GetAsync("/plan-groups?include_company_counts=true")).ShouldBe(HttpStatusCode.OK);
        Assert.True(read.Params.GetProperty("include_company_counts").GetBoolean());
        var group = read.Data;
        Assert.Equal(w.GroupId, group.GetProperty("id").GetString());
        Assert.Equal((w.Free, w.Free), (group.GetProperty("default_plan_id").GetString(), group.GetProperty("initial_plan_id").GetString()));
        Assert.Equal(new[] { w.Free, w.Pro }, group.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(new[] { w.Free, w.Pro }, group.GetProperty("ordered_plan_list").EnumerateArray().Select(p => p.GetProperty("plan_id").GetString()));
        var pro = group.GetProperty("plans")[1];
        Assert.True(pro.GetProperty("is_trialable").GetBoolean());
        Assert.Equal(14, pro.GetProperty("trial_days").GetInt32());
        Assert.False(pro.GetProperty("is_default").GetBoolean());
        Assert.True(group.GetProperty("plans")[0].GetProperty("is_default").GetBoolean());
        Assert.False(group.GetProperty("plans")[0].GetProperty("is_trialable").GetBoolean(), "the trial expiry plan is not trialable");
        Assert.Equal(w.Free, group.GetProperty("trial_expiry_plan").GetProperty("id").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, group.GetProperty("fallback_plan").ValueKind);

        var body = LifecycleWorld.Group(w.Free, w.Pro);
        body["fallback_plan_id"] = w.Free;
        body["trial_days"] = 30;
        body["trial_payment_method_required"] = true;
        body["prevent_downgrades_when_over_limit"] = true;
        body["scheduled_downgrade_behavior"] = "end_of_billing_period";
        body["checkout_collect_email"] = true;
        body["show_credits"] = true;
        body["add_on_compatibilities"] = new[] { new { sourcePlanId = w.Pro, compatiblePlanIds = new[] { w.Free } } };
        var updated = (await w.Api.PutAsync($"/plan-groups/{w.GroupId}", body)).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(w.Free, updated.GetProperty("fallback_plan_id").GetString());
        Assert.Equal(30, updated.GetProperty("trial_days").GetInt32());
        Assert.True(updated.GetProperty("trial_payment_method_required").GetBoolean());
        Assert.True(updated.GetProperty("prevent_downgrades_when_over_limit").GetBoolean());
        Assert.Equal("end_of_billing_period", updated.GetProperty("scheduled_downgrade_behavior").GetString());
        Assert.True(updated.GetProperty("checkout_settings").GetProperty("collect_email").GetBoolean());
        Assert.True(updated.GetProperty("component_settings").GetProperty("show_credits").GetBoolean());
        var reread = (await w.Api.GetAsync("/plan-groups")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(w.Free, reread.GetProperty("fallback_plan").GetProperty("id").GetString());
        Assert.Equal(new[] { w.Free }, reread.GetProperty("plans")[1].GetProperty("compatible_plan_ids").EnumerateArray().Select(p => p.GetString()));

        (await w.Api.PutAsync("/plan-groups/plgr_missing", body)).ShouldFail(HttpStatusCode.NotFound, "plan group");
    }

    [Theory]
    [InlineData("ordered_plans", "addon", "ordered_plans[0].plan_id")]
    [InlineData("initial_plan_id", "missing", "initial_plan_id")]
    [InlineData("trial_days", "-1", "trial_days")]
    [InlineData("proration_behavior", "sometimes", "proration_behavior")]
    [InlineData("scheduled_downgrade_behavior", "later", "scheduled_downgrade_behavior")]
    public async Task BadPlanGroupInputIsRefusedNamingTheField(string field, string value, string named)
    {
        var api = await server.NewEnvironmentAsync();
        var addOn = await Given.PlanAsync(api, "Extra", "add_on");
        var body = new Dictionary<string, object?>();
        body[field] = (field, value) switch
        {
            ("ordered_plans", _) => new[] { new { planId = addOn } },
            ("trial_days", _) => int.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => value,
        };

        (await api.PostAsync("/plan-groups", body)).ShouldFail(HttpStatusCode.BadRequest, named);
        (await api.GetAsync("/plan-groups")).ShouldFail(HttpStatusCode.NotFound, "plan group");
    }

    [Fact]
    public async Task PublishableKeysMayNotReadOrWriteThePlanGroup()
    {
        var api = await server.NewEnvironmentAsync();
        var browser = server.Api((await api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString());

        (await browser.GetAsync("/plan-groups")).ShouldFail(HttpStatusCode.Forbidden, "publishable");
        (await browser.PostAsync("/plan-groups", new { })).ShouldFail(HttpStatusCode.Forbidden, "publishable");
        (await browser.PutAsync("/subscription/bilsub_x/edit-trial-end", new { trialEnd = "2030-01-01T00:00:00Z" })).ShouldFail(HttpStatusCode.Forbidden, "publishable");
    }

    [Fact]
    public async Task ANewCompanyStartsOnTheDefaultPlanHoweverItWasCreated()
    {
        var w = await LifecycleWorld.CreateAsync(server);

        var posted = await w.CompanyAsync("posted");
        var created = (await w.Api.PostAsync("/companies/create", new { keys = Given.Keys("created") })).ShouldBe(HttpStatusCode.Created).Id;
        var named = await Given.CompanyAsync(w.Api, "named", w.Pro);
        await Events.SendAsync(
            w.Api,
            new { type = "identify", body = new { keys = new { email = "ana@identified.test" }, company = new { keys = Given.Keys("identified"), name = "Identified" } } },
            Events.Track("api_call", "tracked"));

        Assert.Equal(w.Free, (await w.CompanyOfAsync(posted)).GetProperty("base_plan_id").GetString());
        Assert.Equal(w.Free, (await w.CompanyOfAsync(created)).GetProperty("base_plan_id").GetString());
        Assert.Equal(w.Pro, (await w.CompanyOfAsync(named)).GetProperty("base_plan_id").GetString());
        foreach (var key in new[] { "identified", "tracked" })
        {
            var company = (await w.Api.GetAsync($"/companies/lookup?keys[id]={key}")).ShouldBe(HttpStatusCode.OK).Data;
            Assert.Equal(w.Free, company.GetProperty("base_plan_id").GetString());
            Assert.NotEmpty(company.GetProperty("plan_version_ids").EnumerateArray());
        }

        // An existing company without a plan is not given one by a later upsert: the default is for new companies.
        (await w.Api.PutAsync($"/company-plans/{posted}", new { basePlanId = (string?)null })).ShouldBe(HttpStatusCode.OK);
        await Given.CompanyAsync(w.Api, "posted");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await w.CompanyOfAsync(posted)).GetProperty("base_plan_id").ValueKind);
    }
}

public sealed class PlanGroupTestsOnSqlite(SqliteServer server) : PlanGroupTests(server), IClassFixture<SqliteServer>;

public sealed class PlanGroupTestsOnPostgres(PostgresServer server) : PlanGroupTests(server), IClassFixture<PostgresServer>;
