using System.Net;
using Stripe.Billing;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>A meter pushed from another billing system beside the connected Stripe account's: Stripe never hears of it.</summary>
public abstract class BillingMeterPushTests(ManualMeterSyncServer server)
{
    [Fact]
    public async Task APushedMeterSurvivesAStripeRefreshAndItsUsageIsNeverSentToStripe()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake, meter: false);
        var stripe = world.Stripe.CreateClient();
        var export = await stripe.V1.Billing.Meters.CreateAsync(new MeterCreateOptions { DisplayName = "Exports", EventName = "export", DefaultAggregation = new() { Formula = "sum" } });
        (await world.Api.PostAsync("/billing/meter/upsert", new { externalId = "orb-meter-1", eventName = MeterWorld.Subtype, eventPayloadKey = "qty", displayName = "Orb calls", providerType = "orb" }))
            .ShouldBe(HttpStatusCode.OK);

        (await world.Api.PostAsync("/billing/meters/refresh", null)).ShouldBe(HttpStatusCode.OK);
        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 3);
        await world.SyncUntilSettledAsync();

        var listed = (await world.Api.GetAsync("/billing/meter")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("provider_type").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["orb-meter-1"] = "orb", [export.Id] = "stripe" }, listed);
        Assert.Empty(world.Stripe.Store.MeterEvents);
        Assert.Equal(1L, (await world.StatusAsync()).GetProperty("skipped").GetInt64());
    }
}

/// <summary>On SQLite.</summary>
public sealed class BillingMeterPushTestsOnSqlite(ManualMeterSyncSqliteServer s) : BillingMeterPushTests(s), IClassFixture<ManualMeterSyncSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class BillingMeterPushTestsOnPostgres(ManualMeterSyncPostgresServer s) : BillingMeterPushTests(s), IClassFixture<ManualMeterSyncPostgresServer>;
