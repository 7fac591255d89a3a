using System.Net;
using Stripe;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.PlanMigrations;

/// <summary>Set-ups shared by the tests of migrations that change a Stripe subscription (the API's and the console's).</summary>
internal static class BilledMigrationGiven
{
    /// <summary>Acme subscribed to Pro's monthly price (2 seats) and synced; Pro's version 2 published with <c>leave</c> and a monthly Stripe price of its own (3,000).</summary>
    public static async Task<(BillingScenario S, Subscription Subscription, string Draft, string Price)> ProVersionTwoWithItsOwnPriceAsync(StripeTollgateFactory server)
    {
        var s = await BillingScenario.CreateAsync(server);
        var subscription = await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 2));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { migrationStrategy = "leave" })).ShouldBe(HttpStatusCode.OK);
        var price = await s.Stripe.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = s.ProProduct.Id, Currency = "usd", UnitAmount = 3_000, Recurring = new PriceRecurringOptions { Interval = "month" },
            Metadata = new() { ["tollgate_plan_version_id"] = draft },
        });
        await s.SyncAsync(StripeObjectTypes.Price, price.Id);
        Assert.Equal([s.ProVersion], await AcmeVersionIdsAsync(s));
        return (s, subscription, draft, price.Id);
    }

    /// <summary>Acme's plan versions, as the API answers them.</summary>
    public static async Task<List<string?>> AcmeVersionIdsAsync(BillingScenario s) =>
        [.. (await s.CompanyOfAsync(s.Acme.Id)).GetProperty("plan_version_ids").EnumerateArray().Select(v => v.GetString())];
}
