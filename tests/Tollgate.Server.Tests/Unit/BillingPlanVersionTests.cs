using Tollgate.Server.Billing;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Tests.Unit;

/// <summary>When a subscription's price decides a company's plan version (BillingPlans.Apply): only when the price is news.</summary>
public sealed class BillingPlanVersionTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 11, 12, 0, 0, TimeSpan.Zero);
    private static readonly PlanRecord Pro = new() { Id = "plan_pro", Name = "Pro", PlanType = PlanType.Plan };
    private static readonly PlanVersionRecord V1 = new() { Id = "plvr_1", PlanId = Pro.Id, Version = 1, Status = PlanVersionStatus.Archived };
    private static readonly PlanVersionRecord V2 = new() { Id = "plvr_2", PlanId = Pro.Id, Version = 2, Status = PlanVersionStatus.Published };
    private static readonly CatalogSnapshot Catalog = new(1, "env", [], [], [], [Pro], [V1, V2], []);

    private static readonly BillingCatalog Prices = new(
        new Dictionary<string, BillingProductRecord> { ["prod_pro"] = new() { Id = "prod_pro", Name = "Pro", PlanId = Pro.Id } },
        new Dictionary<string, BillingPriceRecord>
        {
            ["price_v1"] = new() { Id = "price_v1", ProductId = "prod_pro", PlanVersionId = V1.Id },
            ["price_v2"] = new() { Id = "price_v2", ProductId = "prod_pro", PlanVersionId = V2.Id },
        });

    [Fact]
    public void AnUnchangedPriceLeavesTheCompanyOnTheVersionTollgateMovedItTo()
    {
        var before = Company(V2.Id, Billing("price_v1"));

        var after = Apply(before, Billing("price_v1"));

        Assert.Equal(V2.Id, after.PlanVersions[Pro.Id]);
    }

    [Fact]
    public void ANewPriceNamesItsVersionAndDropsAScheduledMoveToAnother()
    {
        var before = Company(V1.Id, Billing("price_v1")) with { ScheduledPlanVersions = [new ScheduledPlanVersion(Pro.Id, "plvr_3", Now.AddDays(3))] };

        var after = Apply(before, Billing("price_v2"));

        Assert.Equal(V2.Id, after.PlanVersions[Pro.Id]);
        Assert.Empty(after.ScheduledPlanVersions);
    }

    [Fact]
    public void ANewPriceOfTheVersionTheCompanyIsScheduledToMoveToKeepsTheMoveAtItsInstant()
    {
        var move = new ScheduledPlanVersion(Pro.Id, V2.Id, Now.AddDays(3));
        var before = Company(V1.Id, Billing("price_v1")) with { ScheduledPlanVersions = [move] };

        var after = Apply(before, Billing("price_v2"));

        Assert.Equal(V1.Id, after.PlanVersions[Pro.Id]);
        Assert.Equal([move], after.ScheduledPlanVersions);
    }

    private static CompanyRecord Apply(CompanyRecord before, CompanyBilling billing) =>
        BillingPlans.Apply(Catalog, new StripeSettings(), before, billing, new Dictionary<string, (DateTimeOffset, DateTimeOffset)>(), Prices, Now);

    private static CompanyRecord Company(string versionId, CompanyBilling billing) => new()
    {
        Id = "comp_1", BasePlanId = Pro.Id, PlanVersions = new Dictionary<string, string> { [Pro.Id] = versionId }, Billing = billing, CreatedAt = Now, UpdatedAt = Now,
    };

    private static CompanyBilling Billing(string priceId) =>
        new() { CustomerId = "cus_1", SubscriptionId = "sub_1", Status = "active", Items = [new CompanyBillingItem("si_1", priceId, "prod_pro", 1)], SyncedAt = Now };
}
