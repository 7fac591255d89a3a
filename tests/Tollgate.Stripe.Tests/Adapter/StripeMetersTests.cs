using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Stripe;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Adapter;

/// <summary>The meter adapter against the fake Stripe: meters, v1 meter events, duplicates, refusals and failures.</summary>
public sealed class StripeMetersTests
{
    private static StripeMeters Meters(FakeStripeServer fake, HttpMessageHandler? handler = null) =>
        new(new StripeAccount(fake.ApiKey, StripeEndpoints.At(fake.BaseUrl), new HttpClient(handler ?? new SocketsHttpHandler()), maxNetworkRetries: 0));

    private static async Task<string> CustomerAsync(FakeStripeServer fake) =>
        (await fake.CreateClient().V1.Customers.CreateAsync(new CustomerCreateOptions())).Id;

    private static StripeMeterEvent Event(string customer, string identifier, long value, string eventName = "api_call") =>
        new(eventName, identifier, customer, value, DateTimeOffset.UtcNow.AddMinutes(-1));

    [Fact]
    public async Task ACreatedMeterSumsByTheCustomerIdPayloadKeyAndCanBeDeactivated()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var meters = Meters(fake);

        var meter = await meters.CreateAsync(new NewStripeMeter("API calls", "api_call"), CancellationToken.None);
        var deactivated = await meters.DeactivateAsync(meter.Id, CancellationToken.None);

        Assert.Equal(("API calls", "api_call", "sum", "stripe_customer_id", "value", true), (meter.DisplayName, meter.EventName, meter.Formula, meter.CustomerPayloadKey, meter.ValuePayloadKey, meter.IsActive));
        var sent = Assert.Single(fake.RequestsTo("/v1/billing/meters", "POST")).Params;
        Assert.Equal("by_id", sent["customer_mapping"]!["type"]!.ToString());
        Assert.False(deactivated.IsActive);
        Assert.Equal("inactive", (await meters.ListAsync(null, CancellationToken.None)).Single().Status);
    }

    [Fact]
    public async Task ASecondActiveMeterForAnEventNameIsRefusedNamingTheEventName()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var meters = Meters(fake);
        await meters.CreateAsync(new NewStripeMeter("API calls", "api_call"), CancellationToken.None);

        var e = await Assert.ThrowsAsync<StripeCallException>(() => meters.CreateAsync(new NewStripeMeter("Again", "api_call"), CancellationToken.None));

        Assert.Equal((HttpStatusCode.BadRequest, "event_name", false), (e.Status, e.Param, e.Retryable));
    }

    [Fact]
    public async Task ListingPagesThroughEveryMeterAndFiltersByStatus()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var meters = Meters(fake);
        for (var i = 0; i < 103; i++)
        {
            await meters.CreateAsync(new NewStripeMeter($"Meter {i}", string.Create(CultureInfo.InvariantCulture, $"event_{i}")), CancellationToken.None);
        }

        var first = (await meters.ListAsync("active", CancellationToken.None)).Last();
        await meters.DeactivateAsync(first.Id, CancellationToken.None);

        Assert.Equal(103, (await meters.ListAsync(null, CancellationToken.None)).Select(m => m.Id).Distinct().Count());
        Assert.Equal(102, (await meters.ListAsync("active", CancellationToken.None)).Count);
        // Three listings of more than 100 meters: each took a second page.
        Assert.Equal(3, fake.RequestsTo("/v1/billing/meters", "GET").Count(r => r.Query.Contains("starting_after", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnEventIsAcceptedOnceAndItsResendIsADuplicateNotASecondCount()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var meters = Meters(fake);
        await meters.CreateAsync(new NewStripeMeter("API calls", "api_call"), CancellationToken.None);
        var customer = await CustomerAsync(fake);
        var meterEvent = Event(customer, "tg_env_1", 25);

        var first = await meters.SendOneAsync(meterEvent, CancellationToken.None);
        var again = await meters.SendOneAsync(meterEvent, CancellationToken.None);

        Assert.Equal((MeterEventOutcome.Accepted, MeterEventOutcome.Duplicate), (first, again));
        var recorded = Assert.Single(fake.Store.MeterEvents);
        Assert.Equal(("tg_env_1", customer, 25L, meterEvent.Timestamp.ToUnixTimeSeconds()), (recorded.Identifier, recorded.CustomerId, recorded.Value, recorded.Timestamp));
    }

    [Fact]
    public async Task ARefusedEventIsRejectedWithStripesReasonAndTheOthersStillGo()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var meters = Meters(fake);
        await meters.CreateAsync(new NewStripeMeter("API calls", "api_call"), CancellationToken.None);
        var customer = await CustomerAsync(fake);

        var deliveries = await meters.SendAsync(
            [Event(customer, "a", 1), Event("cus_missing", "b", 2), Event(customer, "c", 3), Event(customer, "d", 4, "no_meter")], 4, CancellationToken.None);

        Assert.Equal([MeterEventOutcome.Accepted, MeterEventOutcome.Rejected, MeterEventOutcome.Accepted, MeterEventOutcome.Rejected], deliveries.Select(d => d.Outcome));
        Assert.Contains("cus_missing", deliveries[1].Error!.Message, StringComparison.Ordinal);
        Assert.Equal("event_name", deliveries[3].Error!.Param);
        Assert.Equal(4, fake.Store.MeterEvents.Sum(e => e.Value));
    }

    [Fact]
    public async Task AServerErrorStopsTheSendingAndLeavesTheRestNotAttempted()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var meters = Meters(fake);
        await meters.CreateAsync(new NewStripeMeter("API calls", "api_call"), CancellationToken.None);
        var customer = await CustomerAsync(fake);
        fake.Faults.Enqueue(Fault.Latency(TimeSpan.Zero), "/v1/billing/meter_events", times: 2).Enqueue(Fault.ServerError(503), "/v1/billing/meter_events");

        var deliveries = await meters.SendAsync([.. Enumerable.Range(1, 5).Select(i => Event(customer, $"e{i}", i))], 1, CancellationToken.None);

        Assert.Equal(
            [MeterEventOutcome.Accepted, MeterEventOutcome.Accepted, MeterEventOutcome.Failed, MeterEventOutcome.NotAttempted, MeterEventOutcome.NotAttempted],
            deliveries.Select(d => d.Outcome));
        Assert.True(deliveries[2].Error!.Retryable);
        Assert.Equal(["e1", "e2"], fake.Store.MeterEvents.Select(e => e.Identifier));
    }

    [Fact]
    public async Task TooManyRequestsIsRetryableAndCarriesRetryAfter()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var meters = Meters(fake);
        await meters.CreateAsync(new NewStripeMeter("API calls", "api_call"), CancellationToken.None);
        var customer = await CustomerAsync(fake);
        fake.Faults.Enqueue(Fault.TooManyRequests(retryAfterSeconds: 7), "/v1/billing/meter_events");

        var delivery = Assert.Single(await meters.SendAsync([Event(customer, "e1", 1)], 2, CancellationToken.None));

        Assert.Equal(MeterEventOutcome.Failed, delivery.Outcome);
        Assert.Equal((HttpStatusCode.TooManyRequests, true, TimeSpan.FromSeconds(7)), (delivery.Error!.Status, delivery.Error.Retryable, delivery.Error.RetryAfter));
        Assert.Empty(fake.Store.MeterEvents);
    }

    [Fact]
    public async Task EventsGoInParallelButNeverTwoAtOnceForOneCustomerAndMeterAndInOrderPerCustomer()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var probe = new ConcurrencyProbe { InnerHandler = new SocketsHttpHandler() };
        var meters = Meters(fake, probe);
        await meters.CreateAsync(new NewStripeMeter("API calls", "api_call"), CancellationToken.None);
        var customers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            customers.Add(await CustomerAsync(fake));
        }

        var events = Enumerable.Range(0, 24).Select(i => Event(customers[i % 4], $"e{i:00}", 1)).ToList();
        var deliveries = await meters.SendAsync(events, 8, CancellationToken.None);

        Assert.All(deliveries, d => Assert.Equal(MeterEventOutcome.Accepted, d.Outcome));
        Assert.Equal(1, probe.MostAtOnceForOneCustomer);
        Assert.True(probe.MostAtOnce > 1, "different customers are sent in parallel");
        foreach (var customer in customers)
        {
            var sent = fake.Store.MeterEvents.Where(e => e.CustomerId == customer).Select(e => e.Identifier).ToList();
            Assert.Equal([.. sent.Order(StringComparer.Ordinal)], sent);
        }
    }

    /// <summary>Counts meter event calls in flight, overall and per customer payload, holding each a little.</summary>
    private sealed class ConcurrencyProbe : DelegatingHandler
    {
        private readonly ConcurrentDictionary<string, int> _perCustomer = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();
        private int _inFlight;

        public int MostAtOnce { get; private set; }

        public int MostAtOnceForOneCustomer { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath != "/v1/billing/meter_events")
            {
                return await base.SendAsync(request, cancellationToken);
            }

            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var customer = Uri.UnescapeDataString(body).Split('&').Single(p => p.StartsWith("payload[stripe_customer_id]=", StringComparison.Ordinal));
            lock (_gate)
            {
                MostAtOnce = Math.Max(MostAtOnce, ++_inFlight);
                MostAtOnceForOneCustomer = Math.Max(MostAtOnceForOneCustomer, _perCustomer.AddOrUpdate(customer, 1, (_, n) => n + 1));
            }

            try
            {
                await Task.Delay(15, cancellationToken);
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                lock (_gate)
                {
                    _inFlight--;
                    _perCustomer.AddOrUpdate(customer, 0, (_, n) => n - 1);
                }
            }
        }
    }
}
