namespace Tollgate.Server.Companies;

/// <summary>
/// A plan or add-on of a company (<c>CompanyPlanWithBillingSubView</c>, the fields Tollgate has), with the version it is
/// on and, when its subscription bills it, the billing product and price it is billed at (<c>plan_price</c> in the
/// currency's smallest unit per <c>plan_period</c>: the portal's plan card draws these as the current plan's price).
/// </summary>
public sealed record CompanyPlanResponse(
    string Id,
    string Name,
    string Description,
    string? ImageUrl,
    string? PlanVersionId,
    IReadOnlyList<object> IncludedCreditGrants,
    string? BillingProductId,
    string? BillingProductExternalId,
    long? PlanPrice,
    string? PlanPeriod)
{
    /// <summary>This plan billed at <paramref name="price"/> (a price of the plan's billing product): its amount and period.</summary>
    internal CompanyPlanResponse BilledAt(Billing.BillingPriceRecord price)
    {
        ArgumentNullException.ThrowIfNull(price);
        return this with
        {
            BillingProductId = price.ProductId,
            BillingProductExternalId = price.ProductId,
            PlanPrice = price.UnitAmount ?? 0,
            PlanPeriod = Billing.BillingIntervals.OnTheWire(price).Interval,
        };
    }
}
