using System.Net;
using Stripe.Billing;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>Billing meters: made in Stripe from Tollgate, adopted when Stripe has one, read from Stripe's list.</summary>
public abstract class BillingMeterTests(ManualMeterSyncServer server)
{
    [Fact]
    public async Task CreatingAMeterMakesASumMeterInStripeKeyedByTheStripeCustomerId()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake, meter: false);

        var created = (await world.Api.PostAsync("/billing/meters", new { event_subtype = "api_call", display_name = "API calls" })).ShouldBe(HttpStatusCode.Created).Data;
        var listed = (await world.Api.GetAsync("/billing/meters")).ShouldBe(HttpStatusCode.OK).Data;

        var inStripe = Assert.Single(await world.Stripe.CreateClient().V1.Billing.Meters.ListAsync(new MeterListOptions()));
        Assert.Equal(inStripe.Id, created.GetProperty("id").GetString());
        Assert.Equal(("api_call", "API calls", "sum", "stripe_customer_id", "value"), (inStripe.EventName, inStripe.DisplayName, inStripe.DefaultAggregation.Formula, inStripe.CustomerMapping.EventPayloadKey, inStripe.ValueSettings.EventPayloadKey));
        Assert.Equal("api_call", created.GetProperty("event_subtype").GetString());
        Assert.Equal(inStripe.Id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task ASubtypeGetsOneMeterAndBadRequestsNameTheField()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);

        (await world.Api.PostAsync("/billing/meters", new { event_subtype = MeterWorld.Subtype })).ShouldFail(HttpStatusCode.Conflict, "event_subtype");
        (await world.Api.PostAsync("/billing/meters", new { display_name = "x" })).ShouldFail(HttpStatusCode.BadRequest, "event_subtype");
        (await world.Api.PostAsync("/billing/meters", new { event_subtype = new string('a', 101) })).ShouldFail(HttpStatusCode.BadRequest, "event_subtype");
        Assert.Single(await world.Stripe.CreateClient().V1.Billing.Meters.ListAsync(new MeterListOptions()));
    }

    [Fact]
    public async Task AMeterStripeAlreadyHasIsAdoptedAndARefreshReadsTheOthers()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake, meter: false);
        var stripe = world.Stripe.CreateClient();
        var search = await stripe.V1.Billing.Meters.CreateAsync(new MeterCreateOptions { DisplayName = "Searches", EventName = "search", DefaultAggregation = new() { Formula = "sum" } });

        var adopted = (await world.Api.PostAsync("/billing/meters", new { event_subtype = "search" })).ShouldBe(HttpStatusCode.OK).Data;
        var export = await stripe.V1.Billing.Meters.CreateAsync(new MeterCreateOptions { DisplayName = "Exports", EventName = "export", DefaultAggregation = new() { Formula = "sum" } });
        await stripe.V1.Billing.Meters.DeactivateAsync(search.Id);
        var refreshed = (await world.Api.PostAsync("/billing/meters/refresh", null)).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(search.Id, adopted.GetProperty("id").GetString());
        Assert.Equal([export.Id], refreshed.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("export", Assert.Single((await world.Api.GetAsync("/billing/meters")).Data.EnumerateArray()).GetProperty("event_subtype").GetString());
    }

    [Fact]
    public async Task DeletingAMeterDeactivatesItInStripeAndItsUsageIsSkippedThen()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        var meterId = Assert.Single((await world.Api.GetAsync("/billing/meters")).Data.EnumerateArray()).GetProperty("id").GetString();

        (await world.Api.DeleteAsync($"/billing/meters/{meterId}")).ShouldBe(HttpStatusCode.OK);
        (await world.Api.DeleteAsync($"/billing/meters/{meterId}")).ShouldFail(HttpStatusCode.NotFound, "billing meter");
        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 3, 0);
        await world.SyncUntilSettledAsync();

        Assert.Equal("inactive", (await world.Stripe.CreateClient().V1.Billing.Meters.GetAsync(meterId)).Status);
        Assert.Empty((await world.Api.GetAsync("/billing/meters")).Data.EnumerateArray());
        Assert.Empty(world.Stripe.Store.MeterEvents);
        Assert.Equal(2L, (await world.StatusAsync()).GetProperty("skipped").GetInt64());
    }

    [Fact]
    public async Task MetersNeedAConnectedEnvironment()
    {
        var api = await server.NewEnvironmentAsync();

        (await api.PostAsync("/billing/meters", new { event_subtype = "api_call" })).ShouldFail(HttpStatusCode.Conflict, "not connected");
        (await api.PostAsync("/billing/meters/refresh", null)).ShouldFail(HttpStatusCode.Conflict, "not connected");
        Assert.Empty((await api.GetAsync("/billing/meters")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
    }
}

public sealed class BillingMeterTestsOnSqlite(ManualMeterSyncSqliteServer s) : BillingMeterTests(s), IClassFixture<ManualMeterSyncSqliteServer>;

public sealed class BillingMeterTestsOnPostgres(ManualMeterSyncPostgresServer s) : BillingMeterTests(s), IClassFixture<ManualMeterSyncPostgresServer>;
