using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Components.Checkout;

/// <summary>
/// A Stripe world for the components' checkout: plans Pro (1,500 a seat a month) and Enterprise (5,000 a seat a month)
/// pushed to the fake Stripe, a plan group offering both with the settings a test gives, and temporary access tokens.
/// </summary>
internal sealed record CheckoutWorld(StripeWorld Stripe, string Pro, string ProMonthly, string Enterprise, string EnterpriseMonthly, string GroupId)
{
    public ApiClient Api => Stripe.Api;

    public static async Task<CheckoutWorld> CreateAsync(StripeTollgateFactory server, object? group = null)
    {
        var world = await StripeWorld.CreateAsync(server);
        var (pro, _, proMonthly, _) = await OutboundGiven.PushedPlanAsync(world, "Pro", 1500, 15000);
        var (enterprise, _, enterpriseMonthly, _) = await OutboundGiven.PushedPlanAsync(world, "Enterprise", 5000, 50000);
        var created = (await world.Api.PostAsync("/plan-groups", GroupBody(pro, enterprise, group))).ShouldBe(HttpStatusCode.Created);
        return new CheckoutWorld(world, pro, proMonthly, enterprise, enterpriseMonthly, created.Id);
    }

    /// <summary>A temporary access token for the company keyed <c>{"id": key}</c>, as the customer's backend mints it.</summary>
    public async Task<ApiClient> TokenAsync(string key)
    {
        var issued = (await Api.PostAsync("/temporary-access-tokens", new { resource_type = "company", lookup = Given.Keys(key) })).ShouldBe(HttpStatusCode.OK).Data;
        return Stripe.Server.Api(issued.GetProperty("token").GetString());
    }

    /// <summary>A company subscribed to Pro with <paramref name="seats"/> seats through Stripe Checkout, followed by Tollgate through the Stripe sync.</summary>
    public async Task<(string Company, string SubscriptionId, string ItemId)> SubscribedToProAsync(string key, long seats)
    {
        var company = await Given.CompanyAsync(Api, key);
        var checkout = (await Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId = Pro, seats, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;
        var subscriptionId = (string)Stripe.Stripe.Simulate.CompleteCheckout(checkout.GetProperty("id").GetString()!)["subscription"]!;
        await SyncAsync(subscriptionId);
        return (company, subscriptionId, (string)Stripe.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]![0]!["id"]!);
    }

    /// <summary>Reads the subscription from Stripe into Tollgate, as the webhook worker does for each event.</summary>
    public async Task SyncAsync(string subscriptionId)
    {
        var services = Stripe.Server.Services;
        var connection = await services.GetRequiredService<StripeConnections>().RequireAsync(Api.EnvironmentId!, CancellationToken.None);
        await services.GetRequiredService<IStripeObjectSync>().SyncAsync(connection, StripeObjectTypes.Subscription, subscriptionId, CancellationToken.None);
    }

    /// <summary>Replaces the plan group's settings (both plans stay offered).</summary>
    public async Task SetGroupAsync(object settings) =>
        (await Api.PutAsync($"/plan-groups/{GroupId}", GroupBody(Pro, Enterprise, settings))).ShouldBe(HttpStatusCode.OK);

    /// <summary>A plan group body offering both plans, with <paramref name="settings"/>' properties as snake_case fields.</summary>
    private static Dictionary<string, object?> GroupBody(string pro, string enterprise, object? settings)
    {
        var body = new Dictionary<string, object?>
        {
            ["ordered_plans"] = new[] { new { planId = pro }, new { planId = enterprise } },
            ["ordered_add_ons"] = Array.Empty<object>(),
            ["add_on_ids"] = Array.Empty<string>(),
            ["ordered_bundle_list"] = Array.Empty<object>(),
        };
        foreach (var property in settings?.GetType().GetProperties() ?? [])
        {
            body[System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)] = property.GetValue(settings);
        }

        return body;
    }
}
