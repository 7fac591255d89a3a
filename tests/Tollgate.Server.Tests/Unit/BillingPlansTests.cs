using Tollgate.Server.Billing;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Tests.Unit;

/// <summary>What a company's Stripe billing state means for its plans (BillingPlans.Apply), without a server.</summary>
public sealed class BillingPlansTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 11, 12, 0, 0, TimeSpan.Zero);
    private static readonly PlanRecord Free = Plan("plan_free", PlanType.Plan);
    private static readonly PlanRecord Pro = Plan("plan_pro", PlanType.Plan);
    private static readonly PlanRecord Team = Plan("plan_team", PlanType.Plan);
    private static readonly PlanRecord Extra = Plan("plan_extra", PlanType.AddOn);
    private static readonly PlanVersionRecord ProV1 = Version(Pro, "plvr_pro1", 1, PlanVersionStatus.Archived);
    private static readonly PlanVersionRecord ProV2 = Version(Pro, "plvr_pro2", 2, PlanVersionStatus.Published);
    private static readonly CatalogSnapshot Catalog = new(1, "env", [], [], [], [Free, Pro, Team, Extra], [ProV1, ProV2], [])
    {
        PlanGroup = new Lifecycle.PlanGroupRecord { Id = "plgr_test", FallbackPlanId = Free.Id },
    };

    private static readonly CatalogSnapshot CatalogWithoutFallback = new(1, "env", [], [], [], [Free, Pro, Team, Extra], [ProV1, ProV2], []);
    private static readonly StripeSettings Settings = new() { SeatsTrait = "seats" };

    private static readonly BillingCatalog Prices = new(
        new Dictionary<string, BillingProductRecord>
        {
            ["prod_pro"] = new() { Id = "prod_pro", Name = "Pro", PlanId = Pro.Id },
            ["prod_team"] = new() { Id = "prod_team", Name = "Team", PlanId = Team.Id },
            ["prod_extra"] = new() { Id = "prod_extra", Name = "Extra", PlanId = Extra.Id },
            ["prod_other"] = new() { Id = "prod_other", Name = "Other" },
        },
        new Dictionary<string, BillingPriceRecord>
        {
            ["price_pro_old"] = new() { Id = "price_pro_old", ProductId = "prod_pro", PlanVersionId = ProV1.Id },
        });

    [Fact]
    public void TheFirstItemMappedToABasePlanIsTheBasePlanAndItsQuantityTheSeats()
    {
        var after = Apply(Billing("active", Item("price_other", "prod_other", 40), Item("price_team", "prod_team", 3), Item("price_pro", "prod_pro", 9), Item("price_extra", "prod_extra", 1)));

        Assert.Equal(Team.Id, after.BasePlanId);
        Assert.Equal([Extra.Id], after.AddOnIds);
        Assert.Equal(3, after.Billing!.Seats);
        Assert.Equal(3, after.Traits["seats"].GetInt32());
        Assert.Equal(("sub_1", Now.AddDays(-1), Now.AddDays(29)), (after.Subscription!.Id, after.Subscription.PeriodStart, after.Subscription.PeriodEnd));
    }

    [Fact]
    public void APriceNamingAnOlderVersionPutsTheCompanyOnItAndDropsAScheduledMoveOfThatPlan()
    {
        var before = Company() with
        {
            BasePlanId = Pro.Id,
            PlanVersions = new Dictionary<string, string> { [Pro.Id] = ProV2.Id },
            ScheduledPlanVersions = [new ScheduledPlanVersion(Pro.Id, ProV2.Id, Now.AddDays(3))],
        };

        var after = BillingPlans.Apply(Catalog, Settings, before, Billing("active", Item("price_pro_old", "prod_pro", 1)), Periods(), Prices, Now);

        Assert.Equal(ProV1.Id, after.PlanVersions[Pro.Id]);
        Assert.Empty(after.ScheduledPlanVersions);
    }

    [Fact]
    public void ANewPlanWithoutAVersionFromThePriceGetsThePublishedVersion()
    {
        var after = Apply(Billing("trialing", Item("price_pro", "prod_pro", 1)));

        Assert.Equal(ProV2.Id, after.PlanVersions[Pro.Id]);
    }

    [Theory]
    [InlineData("canceled")]
    [InlineData("unpaid")]
    [InlineData("incomplete")]
    [InlineData("incomplete_expired")]
    [InlineData("paused")]
    [InlineData("a_status_stripe_adds_later")]
    public void ASubscriptionThatIsNotLiveMeansTheFallbackPlanWithoutAddOnsOrPeriod(string status)
    {
        var after = Apply(Billing(status, Item("price_pro", "prod_pro", 5), Item("price_extra", "prod_extra", 1)));

        Assert.Equal(Free.Id, after.BasePlanId);
        Assert.Empty(after.AddOnIds);
        Assert.Null(after.Subscription);
        Assert.Equal(status, after.Billing!.Status);
    }

    [Fact]
    public void PastDueKeepsThePlansOrFallsBackAsThePolicySays()
    {
        var billing = Billing("past_due", Item("price_pro", "prod_pro", 2));

        Assert.Equal(Pro.Id, BillingPlans.Apply(Catalog, Settings, Company(), billing, Periods(), Prices, Now).BasePlanId);
        Assert.Equal(Free.Id, BillingPlans.Apply(Catalog, Settings with { PastDuePolicy = PastDuePolicies.Fallback }, Company(), billing, Periods(), Prices, Now).BasePlanId);
        Assert.Null(BillingPlans.Apply(CatalogWithoutFallback, new StripeSettings { PastDuePolicy = PastDuePolicies.Fallback }, Company(), billing, Periods(), Prices, Now).BasePlanId);
    }

    [Fact]
    public void ACustomerWithoutASubscriptionLeavesThePlansAlone()
    {
        var before = Company() with { BasePlanId = Team.Id };

        var after = BillingPlans.Apply(Catalog, Settings, before, new CompanyBilling { CustomerId = "cus_1" }, null, Prices, Now);

        Assert.Equal(Team.Id, after.BasePlanId);
        Assert.Equal("cus_1", after.Billing!.CustomerId);
    }

    private static CompanyRecord Apply(CompanyBilling billing) => BillingPlans.Apply(Catalog, Settings, Company(), billing, Periods(), Prices, Now);

    private static Dictionary<string, (DateTimeOffset, DateTimeOffset)> Periods() => new()
    {
        ["si_price_team"] = (Now.AddDays(-1), Now.AddDays(29)),
        ["si_price_pro"] = (Now.AddDays(-2), Now.AddDays(28)),
    };

    private static CompanyRecord Company() => new() { Id = "comp_1", CreatedAt = Now, UpdatedAt = Now };

    private static CompanyBilling Billing(string status, params CompanyBillingItem[] items) =>
        new() { CustomerId = "cus_1", SubscriptionId = "sub_1", Status = status, Items = items, SyncedAt = Now };

    private static CompanyBillingItem Item(string priceId, string productId, long quantity) => new($"si_{priceId}", priceId, productId, quantity);

    private static PlanRecord Plan(string id, PlanType type) => new() { Id = id, Name = id, PlanType = type };

    private static PlanVersionRecord Version(PlanRecord plan, string id, int number, PlanVersionStatus status) =>
        new() { Id = id, PlanId = plan.Id, Version = number, Status = status };
}
