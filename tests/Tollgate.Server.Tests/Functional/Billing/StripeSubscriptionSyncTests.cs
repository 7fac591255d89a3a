using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Stripe;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// After a subscription change Tollgate asks the registered <see cref="IStripeObjectSync"/> (the inbound sync's seam) to
/// bring the subscription in at once; a sync that fails leaves it to the webhook and the change still succeeds.
/// </summary>
public abstract class StripeSubscriptionSyncTests(StripeTollgateFactory server, RecordingObjectSync sync)
{
    [Fact]
    public async Task AChangeIsSyncedAtOnceWhenASyncIsRegisteredAndAFailedSyncLeavesItToTheWebhook()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (pro, _, _, _) = await OutboundGiven.PushedPlanAsync(world, "Pro", 1500, 15000);
        var company = await Given.CompanyAsync(world.Api, "acme");
        var checkout = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId = pro, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;
        var subscriptionId = (string)world.Stripe.Simulate.CompleteCheckout(checkout.GetProperty("id").GetString()!)["subscription"]!;
        await OutboundGiven.FollowSubscriptionAsync(world, company, subscriptionId);

        var synced = (await world.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, seats = 4 })).ShouldBe(HttpStatusCode.OK).Data;
        sync.FailNext = true;
        var unsynced = (await world.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, seats = 6 })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.True(synced.GetProperty("synced").GetBoolean());
        Assert.False(unsynced.GetProperty("synced").GetBoolean());
        Assert.Equal(6L, (long)world.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]![0]!["quantity"]!);
        Assert.Equal(
            [(world.Api.EnvironmentId!, "subscription", subscriptionId), (world.Api.EnvironmentId!, "subscription", subscriptionId)],
            sync.Calls.Where(c => c.EnvironmentId == world.Api.EnvironmentId));
    }
}

/// <summary>An <see cref="IStripeObjectSync"/> that records what it is asked, and fails when told to.</summary>
public sealed class RecordingObjectSync : IStripeObjectSync
{
    /// <summary>Environment, object type and id of every call, in order.</summary>
    public ConcurrentQueue<(string EnvironmentId, string ObjectType, string ObjectId)> Calls { get; } = new();

    /// <summary>Makes the next call fail as Stripe being unreachable would.</summary>
    public bool FailNext { get; set; }

    Task IStripeObjectSync.SyncAsync(StripeConnection connection, string objectType, string objectId, CancellationToken cancellationToken)
    {
        Calls.Enqueue((connection.EnvironmentId, objectType, objectId));
        if (FailNext)
        {
            FailNext = false;
            throw new StripeCallException("Stripe was not reached", null, null, null, null, retryable: true, null, null);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The Stripe server fixture with a <see cref="RecordingObjectSync"/> registered.</summary>
public abstract class StripeServerWithSync(StoreKind store) : StripeTollgateFactory(store)
{
    /// <summary>The registered sync.</summary>
    public RecordingObjectSync Sync { get; } = new();

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStripeObjectSync>(Sync));
    }
}

/// <summary>On SQLite, with a sync.</summary>
public sealed class StripeSqliteServerWithSync() : StripeServerWithSync(StoreKind.Sqlite);

/// <summary>On PostgreSQL, with a sync.</summary>
public sealed class StripePostgresServerWithSync() : StripeServerWithSync(StoreKind.Postgres);

/// <summary>On SQLite.</summary>
public sealed class StripeSubscriptionSyncTestsOnSqlite(StripeSqliteServerWithSync server) : StripeSubscriptionSyncTests(server, server.Sync), IClassFixture<StripeSqliteServerWithSync>;

/// <summary>On PostgreSQL.</summary>
public sealed class StripeSubscriptionSyncTestsOnPostgres(StripePostgresServerWithSync server) : StripeSubscriptionSyncTests(server, server.Sync), IClassFixture<StripePostgresServerWithSync>;
