using Microsoft.Extensions.Time.Testing;
using Stripe;
using Stripe.Billing;
using Stripe.V2.Billing;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>Billing meters, v1 meter events and the v2 meter event stream (on MeterEventsBase), recorded for assertions.</summary>
public sealed class MeterTests
{
    private static async Task<(Meter Meter, Customer Customer)> MeterAsync(StripeClient client)
    {
        var meter = await client.V1.Billing.Meters.CreateAsync(new MeterCreateOptions
        {
            DisplayName = "API calls", EventName = "api_calls", DefaultAggregation = new MeterDefaultAggregationOptions { Formula = "sum" },
        });
        return (meter, await client.V1.Customers.CreateAsync(new CustomerCreateOptions()));
    }

    [Fact]
    public async Task V1MeterEventsAreRecordedAndADuplicateIdentifierIsRejected()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (_, customer) = await MeterAsync(client);
        var options = new global::Stripe.Billing.MeterEventCreateOptions
        {
            EventName = "api_calls", Identifier = "acme-2026-11-25T23", Timestamp = DateTime.UtcNow.AddMinutes(-5),
            Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = "25" },
        };

        var accepted = await client.V1.Billing.MeterEvents.CreateAsync(options);
        await StripeAssert.ThrowsAsync(() => client.V1.Billing.MeterEvents.CreateAsync(options), 400, "invalid_request_error");

        Assert.Equal("acme-2026-11-25T23", accepted.Identifier);
        Assert.Equal("25", accepted.Payload["value"]);
        var recorded = Assert.Single(fake.Store.MeterEvents);
        Assert.Equal(("api_calls", customer.Id, 25L, "v1"), (recorded.EventName, recorded.CustomerId, recorded.Value, recorded.Source));
    }

    [Fact]
    public async Task V1MeterEventsAreValidatedLikeStripe()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (_, customer) = await MeterAsync(client);
        global::Stripe.Billing.MeterEventCreateOptions Event(string name, string value, DateTime? at = null) => new()
        {
            EventName = name, Timestamp = at, Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = value },
        };

        await StripeAssert.ThrowsAsync(() => client.V1.Billing.MeterEvents.CreateAsync(Event("unknown_meter", "1")), 400, "invalid_request_error");
        await StripeAssert.ThrowsAsync(() => client.V1.Billing.MeterEvents.CreateAsync(Event("api_calls", "1.5")), 400, "invalid_request_error", "parameter_invalid_integer");
        await StripeAssert.ThrowsAsync(() => client.V1.Billing.MeterEvents.CreateAsync(Event("api_calls", "1", DateTime.UtcNow.AddDays(-36))), 400, "invalid_request_error");
        Assert.Empty(fake.Store.MeterEvents);
    }

    [Fact]
    public async Task TheV2StreamAcceptsBatchesOnMeterEventsBaseWithASessionToken()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (_, customer) = await MeterAsync(client);

        var session = await client.V2.Billing.MeterEventSession.CreateAsync(new MeterEventSessionCreateOptions());
        await client.V2.Billing.MeterEventStream.CreateAsync(new MeterEventStreamCreateOptions
        {
            Events =
            [
                new MeterEventStreamCreateEventOptions { EventName = "api_calls", Identifier = "s-1", Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = "3" } },
                new MeterEventStreamCreateEventOptions { EventName = "api_calls", Identifier = "s-2", Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = "4" }, Timestamp = DateTime.UtcNow },
            ],
        }, new RequestOptions { ApiKey = session.AuthenticationToken });

        Assert.True(session.ExpiresAt > DateTime.UtcNow);
        Assert.Equal(["s-1", "s-2"], fake.Store.MeterEvents.Select(e => e.Identifier));
        Assert.All(fake.Store.MeterEvents, e => Assert.Equal("v2-stream", e.Source));
        var stream = Assert.Single(fake.RequestsTo("/v2/billing/meter_event_stream"));
        Assert.StartsWith("application/json", stream.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredSessionTokenIsTemporarySessionExpired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var fake = await FakeStripeServer.StartAsync(time);
        var client = fake.CreateClient();
        var (_, customer) = await MeterAsync(client);
        var session = await client.V2.Billing.MeterEventSession.CreateAsync(new MeterEventSessionCreateOptions());
        time.Advance(TimeSpan.FromMinutes(16));

        var e = await Assert.ThrowsAnyAsync<StripeException>(() => client.V2.Billing.MeterEventStream.CreateAsync(new MeterEventStreamCreateOptions
        {
            Events = [new MeterEventStreamCreateEventOptions { EventName = "api_calls", Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = "1" } }],
        }, new RequestOptions { ApiKey = session.AuthenticationToken }));

        Assert.IsType<global::Stripe.V2.TemporarySessionExpiredException>(e);
        Assert.Empty(fake.Store.MeterEvents);
    }

    [Fact]
    public async Task SummariesAggregateByTheMeterFormulaAndAnAdjustmentCancelsAnEvent()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (meter, customer) = await MeterAsync(client);
        var at = DateTime.UtcNow.AddMinutes(-10);
        foreach (var (id, value) in new[] { ("u-1", "5"), ("u-2", "7"), ("u-3", "100") })
            await client.V1.Billing.MeterEvents.CreateAsync(new global::Stripe.Billing.MeterEventCreateOptions
            {
                EventName = "api_calls", Identifier = id, Timestamp = at, Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = value },
            });

        var adjustment = await client.V1.Billing.MeterEventAdjustments.CreateAsync(new global::Stripe.Billing.MeterEventAdjustmentCreateOptions
        {
            EventName = "api_calls", Type = "cancel", Cancel = new global::Stripe.Billing.MeterEventAdjustmentCancelOptions { Identifier = "u-3" },
        });
        var summaries = await client.V1.Billing.Meters.EventSummaries.ListAsync(meter.Id, new MeterEventSummaryListOptions
        {
            Customer = customer.Id, StartTime = at.AddMinutes(-1), EndTime = at.AddMinutes(1),
        });

        Assert.Equal("cancel", adjustment.Type);
        Assert.Equal(12, Assert.Single(summaries.Data).AggregatedValue);
        Assert.True(fake.Store.MeterEvents.Single(e => e.Identifier == "u-3").Canceled);
        await StripeAssert.ThrowsAsync(() => client.V1.Billing.MeterEventAdjustments.CreateAsync(new global::Stripe.Billing.MeterEventAdjustmentCreateOptions
        {
            EventName = "api_calls", Type = "cancel", Cancel = new global::Stripe.Billing.MeterEventAdjustmentCancelOptions { Identifier = "u-3" },
        }), 404, "invalid_request_error", "resource_missing");
    }

    [Fact]
    public async Task TheV2StreamAcceptsTheRequestButDropsInvalidEventsAsynchronously()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (_, customer) = await MeterAsync(client);
        var session = await client.V2.Billing.MeterEventSession.CreateAsync(new MeterEventSessionCreateOptions());

        await client.V2.Billing.MeterEventStream.CreateAsync(new MeterEventStreamCreateOptions
        {
            Events =
            [
                new MeterEventStreamCreateEventOptions { EventName = "api_calls", Identifier = "ok", Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = "1" } },
                new MeterEventStreamCreateEventOptions { EventName = "no_such_meter", Identifier = "bad", Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = "1" } },
            ],
        }, new RequestOptions { ApiKey = session.AuthenticationToken });

        Assert.Equal(["ok"], fake.Store.MeterEvents.Select(e => e.Identifier));
        Assert.Equal("bad", Assert.Single(fake.Store.MeterEventErrors).Identifier);
    }
}
