using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Stripe;
using Stripe.Billing;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>Set-ups for the outbound tests: plans pushed to the fake Stripe, companies, and their billing state.</summary>
internal static class OutboundGiven
{
    /// <summary>A plan and the id of its (first, published) version.</summary>
    public static async Task<(string PlanId, string VersionId)> PlanAsync(ApiClient api, string name)
    {
        var planId = await Given.PlanAsync(api, name);
        var versions = (await api.GetAsync($"/plans/{planId}/versions")).ShouldBe(HttpStatusCode.OK).Data;
        return (planId, versions[0].GetProperty("id").GetString()!);
    }

    /// <summary>A plan pushed with a per-seat monthly price and a flat yearly one; answers the ids.</summary>
    public static async Task<(string PlanId, string VersionId, string Monthly, string Yearly)> PushedPlanAsync(StripeWorld world, string name, long monthly, long yearly)
    {
        var (planId, versionId) = await PlanAsync(world.Api, name);
        var pushed = (await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", new
        {
            prices = new object[] { new { interval = "month", unitAmount = monthly, perSeat = true }, new { interval = "year", unitAmount = yearly, perSeat = false } },
        })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("prices");
        return (planId, versionId, pushed[0].GetProperty("id").GetString()!, pushed[1].GetProperty("id").GetString()!);
    }

    /// <summary>A meter on the world's Stripe account.</summary>
    public static async Task<string> MeterAsync(StripeWorld world, string eventName) =>
        (await world.Stripe.CreateClient().V1.Billing.Meters.CreateAsync(new MeterCreateOptions
        {
            DisplayName = eventName, EventName = eventName, DefaultAggregation = new MeterDefaultAggregationOptions { Formula = "sum" },
        })).Id;

    /// <summary>Every price on the world's Stripe account (active or not).</summary>
    public static async Task<IReadOnlyList<Price>> StripePricesAsync(StripeWorld world) =>
        [.. (await world.Stripe.CreateClient().V1.Prices.ListAsync(new PriceListOptions { Limit = 100 })).Data];

    /// <summary>Every product on the world's Stripe account.</summary>
    public static async Task<IReadOnlyList<Product>> StripeProductsAsync(StripeWorld world) =>
        [.. (await world.Stripe.CreateClient().V1.Products.ListAsync(new ProductListOptions { Limit = 100 })).Data];

    /// <summary>
    /// Writes the company's billing state from a subscription in the fake, as the inbound sync would (the sync is not
    /// on this branch, so the test writes the company document directly and drops the warm view).
    /// </summary>
    public static async Task FollowSubscriptionAsync(StripeWorld world, string companyId, string subscriptionId)
    {
        var sub = world.Stripe.Store.Snapshot(subscriptionId) ?? throw new InvalidOperationException($"No {subscriptionId} in the fake.");
        var items = ((JsonArray)sub["items"]!["data"]!)
            .Select(i => new CompanyBillingItem((string)i!["id"]!, (string)i["price"]!["id"]!, (string)i["price"]!["product"]!, (long?)i["quantity"]))
            .ToList();
        var services = world.Server.Services;
        var store = services.GetRequiredService<ResourceStore>();
        var environmentId = world.Api.EnvironmentId!;
        var company = await store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyId, CancellationToken.None)
            ?? throw new InvalidOperationException($"No company {companyId}.");
        var billing = new CompanyBilling
        {
            CustomerId = (string)sub["customer"]!, SubscriptionId = subscriptionId, Status = (string?)sub["status"], Items = items, Seats = items[0].Quantity,
            SyncedAt = world.Server.Time.GetUtcNow(),
        };
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutAsync(connection, transaction, environmentId, ResourceKinds.Company, company.Id, null, null, company with { Billing = billing });
                return 0;
            },
            CancellationToken.None);
        await services.GetRequiredService<ChangeFeed>().PublishAsync(new Change(environmentId, ChangeKind.Company, [companyId]));
    }

    /// <summary>Forgets the billing product and price links Tollgate stored, as if it stopped between Stripe's answers and its own writes.</summary>
    public static async Task ForgetStoredLinksAsync(StripeWorld world)
    {
        var store = world.Server.Services.GetRequiredService<ResourceStore>();
        var environmentId = world.Api.EnvironmentId!;
        foreach (var kind in new[] { ResourceKinds.BillingPrice, ResourceKinds.BillingProduct })
        {
            var ids = (await store.ListAllAsync<JsonObject>(environmentId, kind, CancellationToken.None)).Select(d => (string)d["id"]!).ToList();
            await store.Database.WriteAsync(
                async (connection, transaction) =>
                {
                    foreach (var id in ids)
                    {
                        await ResourceStore.DeleteAsync(connection, transaction, environmentId, kind, id);
                    }

                    return 0;
                },
                CancellationToken.None);
        }
    }
}
