namespace Tollgate.Server.Companies;

/// <summary>
/// A company's Stripe subscription as Schematic shows a billing subscription (<c>billing_subscription</c> of a company):
/// ids at Stripe, status, trial, period, cancellation and the subscribed prices.
/// </summary>
public sealed record CompanyBillingSubscriptionResponse(
    string? SubscriptionExternalId,
    string CustomerExternalId,
    string? Status,
    DateTimeOffset? TrialEnd,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? CancelAt,
    DateTimeOffset? CanceledAt,
    long? Seats,
    IReadOnlyList<CompanyBillingProductResponse> Products,
    DateTimeOffset SyncedAt)
{
    /// <summary>Describes a company's billing state; null for a company not billed through Stripe.</summary>
    public static CompanyBillingSubscriptionResponse? From(CompanyBilling? billing) => billing is null
        ? null
        : new(
            billing.SubscriptionId, billing.CustomerId, billing.Status, billing.TrialEnd, billing.PeriodStart, billing.PeriodEnd, billing.CancelAtPeriodEnd,
            billing.CancelAt, billing.CanceledAt, billing.Seats, [.. billing.Items.Select(i => new CompanyBillingProductResponse(i.PriceId, i.ProductId, i.Quantity))], billing.SyncedAt);
}

/// <summary>One subscribed price of a billing subscription.</summary>
public sealed record CompanyBillingProductResponse(string PriceId, string ProductId, long? Quantity);
