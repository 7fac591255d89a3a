using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.FakeStripe;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// The meter sync drains the meter outbox into Stripe meter events exactly once: through failures, rate limits and a
/// lost acknowledgement; backfill is never sent; what cannot be billed is skipped or failed with its reason, visibly.
/// </summary>
public abstract class MeterSyncTests(ManualMeterSyncServer server)
{
    private const string MeterEventsPath = "/v1/billing/meter_events";

    [Fact]
    public async Task TrackedUsageReachesStripeOnceWithAStableIdentifierPerOutboxRow()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 3, 4, 5);

        var run = await world.SyncUntilSettledAsync();
        var again = await world.SyncAsync();

        Assert.Equal(12, world.StripeTotal(world.CustomerId));
        var events = world.Stripe.Store.MeterEvents;
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.StartsWith($"tg_{world.Api.EnvironmentId}_", e.Identifier, StringComparison.Ordinal));
        Assert.Equal(3, events.Select(e => e.Identifier).Distinct().Count());
        Assert.Equal((3L, 0L), (run.GetProperty("sent").GetInt64(), again.GetProperty("sent").GetInt64()));
        var status = await world.StatusAsync();
        Assert.Equal((3L, 0L, 0L, 0L), (status.GetProperty("sent").GetInt64(), status.GetProperty("pending").GetInt64(), status.GetProperty("skipped").GetInt64(), status.GetProperty("failed").GetInt64()));
        Assert.False(MeterWorld.IsUnset(status, "last_success_at"));
    }

    [Fact]
    public async Task ServerErrorsAreRetriedAfterABackoffAndTheUsageStillCountsOnce()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 2, 3, 4);
        server.Fake.Faults.Enqueue(Fault.ServerError(500), MeterEventsPath, times: 3);

        // Faulted requests are answered before the fake looks at the key: count them server-wide.
        var before = server.Fake.RequestsTo(MeterEventsPath).Count;
        var failed = await world.SyncAsync();
        var calls = server.Fake.RequestsTo(MeterEventsPath).Count - before;
        var early = await world.SyncAsync();
        var callsWhileBackingOff = server.Fake.RequestsTo(MeterEventsPath).Count - before - calls;
        await world.SyncUntilSettledAsync();

        var status = failed.GetProperty("status");
        Assert.Equal((0L, 3L, 1), (failed.GetProperty("sent").GetInt64(), status.GetProperty("pending").GetInt64(), status.GetProperty("consecutive_failures").GetInt32()));
        Assert.Contains("500", status.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.False(MeterWorld.IsUnset(status, "retry_at"));
        Assert.Equal("backing_off", early.GetProperty("outcome").GetString());
        Assert.Equal((1, 0), (calls, callsWhileBackingOff));
        Assert.Equal(0, server.Fake.Faults.Pending);
        Assert.Equal(9, world.StripeTotal(world.CustomerId));
        Assert.Equal(3, world.Stripe.Store.MeterEvents.Count);
        var settled = await world.StatusAsync();
        Assert.Equal((3L, 0), (settled.GetProperty("sent").GetInt64(), settled.GetProperty("consecutive_failures").GetInt32()));
    }

    [Fact]
    public async Task ARateLimitIsHonouredForAsLongAsStripeAsks()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 7);
        server.Fake.Faults.Enqueue(Fault.TooManyRequests(retryAfterSeconds: 600), MeterEventsPath);

        var limited = (await world.SyncAsync()).GetProperty("status");
        server.Time.Advance(TimeSpan.FromMinutes(5));
        var tooSoon = await world.SyncAsync();
        server.Time.Advance(TimeSpan.FromMinutes(6));
        var later = await world.SyncAsync();

        var waited = limited.GetProperty("retry_at").GetDateTimeOffset() - limited.GetProperty("last_error_at").GetDateTimeOffset();
        Assert.True(waited >= TimeSpan.FromSeconds(600), $"waits {waited}, Stripe asked for 600 s");
        Assert.Contains("429", limited.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal("backing_off", tooSoon.GetProperty("outcome").GetString());
        Assert.Equal((1L, 0L), (later.GetProperty("sent").GetInt64(), later.GetProperty("status").GetProperty("pending").GetInt64()));
        Assert.Equal(7, world.StripeTotal(world.CustomerId));
    }

    [Fact]
    public async Task ARowResentAfterALostAcknowledgementIsADuplicateAtStripeAndCountsOnce()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 5);
        await world.SyncUntilSettledAsync();

        // What a crash between Stripe's answer and the commit that marks the row leaves behind: a row still pending.
        await ExecuteAsync("UPDATE meter_outbox SET status = 'pending', delivered_at = NULL WHERE environment_id = @environment", world.Api.EnvironmentId!);
        var resent = await world.SyncUntilSettledAsync();

        Assert.Equal(1L, resent.GetProperty("sent").GetInt64());
        Assert.Equal(5, world.StripeTotal(world.CustomerId));
        Assert.Single(world.Stripe.Store.MeterEvents);
        Assert.Single(world.Stripe.RequestsTo(MeterEventsPath), r => r.Status == 400);
    }

    [Fact]
    public async Task BackfilledUsageIsNeverSentToStripe()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        await Events.SendAsync(
            world.Api,
            Events.Track(MeterWorld.Subtype, MeterWorld.Company, 100, sentAt: server.Time.GetUtcNow().AddHours(-1), trustedClock: true, backfill: true),
            Events.Track(MeterWorld.Subtype, MeterWorld.Company, 7));

        var run = await world.SyncUntilSettledAsync();

        Assert.Equal(7, world.StripeTotal(world.CustomerId));
        Assert.Single(world.Stripe.Store.MeterEvents);
        Assert.Equal(1L, run.GetProperty("status").GetProperty("sent").GetInt64());
    }

    [Fact]
    public async Task UsageOfACompanyWithoutCustomerOrOfASubtypeWithoutMeterIsSkippedAndShown()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        await world.CompanyAsync("no-customer", customerId: null);
        await world.TrackAsync(MeterWorld.Subtype, "no-customer", 5);
        await world.TrackAsync("unmetered", MeterWorld.Company, 6);
        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 1);

        await world.SyncUntilSettledAsync();
        var status = await world.StatusAsync();

        Assert.Equal(1, world.StripeTotal(world.CustomerId));
        Assert.Single(world.Stripe.Store.MeterEvents);
        Assert.Equal((1L, 2L, 0L), (status.GetProperty("sent").GetInt64(), status.GetProperty("skipped").GetInt64(), status.GetProperty("failed").GetInt64()));
        Assert.Equal(["company … has no stripe_customer_id key", "event subtype 'unmetered' has no billing meter"], await ErrorsAsync(world, "skipped"));
    }

    [Fact]
    public async Task SkippedUsageRequeuedOnceTheCompanyHasACustomerIsSentOnce()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        await world.CompanyAsync("late", customerId: null);
        await world.TrackAsync(MeterWorld.Subtype, "late", 4, 5);
        await world.SyncUntilSettledAsync();
        var customer = await MeterWorld.NewCustomerAsync(world.Stripe);
        await world.CompanyAsync("late", customer);

        var requeued = (await world.Api.PostAsync("/billing/meters/requeue", new { status = "skipped" })).ShouldBe(HttpStatusCode.OK).Data;
        await world.SyncUntilSettledAsync();
        var again = (await world.Api.PostAsync("/billing/meters/requeue", new { status = "skipped" })).ShouldBe(HttpStatusCode.OK).Data;
        var status = await world.StatusAsync();

        Assert.Equal((2, 0), (requeued.GetProperty("requeued").GetInt32(), again.GetProperty("requeued").GetInt32()));
        Assert.Equal(9, world.StripeTotal(customer));
        Assert.Equal((2L, 0L, 0L), (status.GetProperty("sent").GetInt64(), status.GetProperty("skipped").GetInt64(), status.GetProperty("pending").GetInt64()));
        (await world.Api.PostAsync("/billing/meters/requeue", new { status = "delivered" })).ShouldFail(HttpStatusCode.BadRequest, "status");
    }

    [Fact]
    public async Task UsageOlderThanStripeAcceptsFailsWithTheReasonInsteadOfVanishing()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        await Events.SendAsync(world.Api, Events.Track(MeterWorld.Subtype, MeterWorld.Company, 9, sentAt: server.Time.GetUtcNow().AddDays(-40), trustedClock: true));
        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 2);

        await world.SyncUntilSettledAsync();
        var status = await world.StatusAsync();

        Assert.Equal(2, world.StripeTotal(world.CustomerId));
        Assert.Equal((1L, 1L), (status.GetProperty("sent").GetInt64(), status.GetProperty("failed").GetInt64()));
        Assert.Contains("older than Stripe accepts", status.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Contains("older than Stripe accepts", Assert.Single(await ErrorsAsync(world, "failed")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEventStripeRefusesFailsVisiblyWhileTheOthersAreDelivered()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        var gone = await MeterWorld.NewCustomerAsync(world.Stripe);
        await world.CompanyAsync("gone", gone);
        await world.Stripe.CreateClient().V1.Customers.DeleteAsync(gone);
        await world.TrackAsync(MeterWorld.Subtype, "gone", 4);
        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 5);

        await world.SyncUntilSettledAsync();
        var status = await world.StatusAsync();

        Assert.Equal(5, world.StripeTotal(world.CustomerId));
        Assert.Equal((1L, 1L, 0L), (status.GetProperty("sent").GetInt64(), status.GetProperty("failed").GetInt64(), status.GetProperty("pending").GetInt64()));
        Assert.Contains(gone, status.GetProperty("last_error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSyncFindsAMeterMadeInStripeWhenItKnowsNone()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake, meter: false);
        var made = await world.Stripe.CreateClient().V1.Billing.Meters.CreateAsync(new global::Stripe.Billing.MeterCreateOptions
        {
            DisplayName = "API calls", EventName = MeterWorld.Subtype, DefaultAggregation = new() { Formula = "sum" },
        });
        await world.TrackAsync(MeterWorld.Subtype, MeterWorld.Company, 8);

        await world.SyncUntilSettledAsync();
        var meters = (await world.Api.GetAsync("/billing/meters")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(8, world.StripeTotal(world.CustomerId));
        Assert.Equal(made.Id, Assert.Single(meters.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task SyncingAnEnvironmentWithoutStripeIsAConflict()
    {
        var api = await server.NewEnvironmentAsync();

        (await api.PostAsync("/billing/meters/sync", null)).ShouldFail(HttpStatusCode.Conflict, "not connected");
    }

    private async Task ExecuteAsync(string sql, string environmentId)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@environment";
        parameter.Value = environmentId;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The reasons recorded on the environment's outbox rows of a status (company ids elided), sorted.</summary>
    private async Task<List<string>> ErrorsAsync(MeterWorld world, string status)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_error FROM meter_outbox WHERE environment_id = @environment AND status = @status";
        foreach (var (name, value) in new[] { ("@environment", world.Api.EnvironmentId!), ("@status", status) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        var errors = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            errors.Add(System.Text.RegularExpressions.Regex.Replace(reader.GetString(0), "company \\S+ has", "company … has"));
        }

        return [.. errors.Order(StringComparer.Ordinal)];
    }
}

public sealed class MeterSyncTestsOnSqlite(ManualMeterSyncSqliteServer s) : MeterSyncTests(s), IClassFixture<ManualMeterSyncSqliteServer>;

public sealed class MeterSyncTestsOnPostgres(ManualMeterSyncPostgresServer s) : MeterSyncTests(s), IClassFixture<ManualMeterSyncPostgresServer>;
