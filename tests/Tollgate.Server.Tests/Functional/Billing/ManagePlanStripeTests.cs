using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// A company billed through a Stripe subscription: manage-plan refuses to change its plans (they follow the
/// subscription), and it is listed among the companies whose billing product sells the plan.
/// </summary>
public abstract class ManagePlanStripeTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task AStripeBilledCompanyIsRefusedByManagePlanAndMatchesItsPlansBillingProduct()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (pro, _, _, _) = await OutboundGiven.PushedPlanAsync(world, "Pro", 1500, 15000);
        var other = await Given.PlanAsync(world.Api, "Other");
        var company = await Given.CompanyAsync(world.Api, "stripe-co");
        await Given.CompanyAsync(world.Api, "plain-co");
        var checkout = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId = pro, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;
        var subscriptionId = (string)world.Stripe.Simulate.CompleteCheckout(checkout.GetProperty("id").GetString()!)["subscription"]!;
        await OutboundGiven.FollowSubscriptionAsync(world, company, subscriptionId);

        (await world.Api.PostAsync("/manage-plan", new { companyId = company, basePlanId = other })).ShouldFail(HttpStatusCode.Conflict, subscriptionId);
        (await world.Api.PostAsync("/manage-plan/subscription/cancel", new { companyId = company, cancelImmediately = true })).ShouldFail(HttpStatusCode.Conflict, "Stripe");
        var matches = (await world.Api.GetAsync($"/plans/billing-product-match-companies?plan_id={pro}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(company, Assert.Single(matches.Data.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(pro, matches.Params.GetProperty("plan_id").GetString());
        Assert.Equal(1, (await world.Api.GetAsync($"/plans/billing-product-match-companies/count?plan_id={pro}&q=STRIPE")).Data.GetProperty("count").GetInt64());
        Assert.Equal(0, (await world.Api.GetAsync($"/plans/billing-product-match-companies/count?plan_id={pro}&q=plain")).Data.GetProperty("count").GetInt64());
        Assert.Equal(0, (await world.Api.GetAsync($"/plans/billing-product-match-companies/count?plan_id={other}")).Data.GetProperty("count").GetInt64());
    }
}

/// <summary>On SQLite.</summary>
public sealed class ManagePlanStripeTestsOnSqlite(StripeSqliteServer server) : ManagePlanStripeTests(server), IClassFixture<StripeSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class ManagePlanStripeTestsOnPostgres(StripePostgresServer server) : ManagePlanStripeTests(server), IClassFixture<StripePostgresServer>;
