namespace Tollgate.Server.Companies;

/// <summary>
/// A company's subscription as Schematic shows a billing subscription (<c>billing_subscription</c> of a company): its
/// Stripe subscription (ids at Stripe, status, trial, period, cancellation and the subscribed prices), or else the
/// trial Tollgate runs for it (its <c>bilsub_…</c> id, the company id as customer, <c>trialing</c>, <c>active</c> once
/// converted, <c>expired</c>; the trial's start and end as period). <c>trial_status</c> is the trial's
/// (<c>active</c>, <c>converted</c>, <c>expired</c>) when there was one.
/// </summary>
public sealed record CompanyBillingSubscriptionResponse(
    string? SubscriptionExternalId,
    string CustomerExternalId,
    string? Status,
    DateTimeOffset? TrialEnd,
    string? TrialStatus,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? CancelAt,
    DateTimeOffset? CanceledAt,
    long? Seats,
    IReadOnlyList<CompanyBillingProductResponse> Products,
    DateTimeOffset SyncedAt)
{
    /// <summary>
    /// The subscription's discounts: none are kept. Schematic's <c>BillingSubscriptionView</c> requires the list, and
    /// its generated clients (the components' hydrate) fail on a subscription without it.
    /// </summary>
    public IReadOnlyList<object> Discounts { get; } = [];

    /// <summary>Describes a company's subscription; null for a company neither billed through Stripe nor ever on a Tollgate trial.</summary>
    internal static CompanyBillingSubscriptionResponse? From(CompanyRecord company)
    {
        ArgumentNullException.ThrowIfNull(company);
        var trial = TrialState.Of(company);
        if (company.Trial is { } native && trial?.SubscriptionId == native.SubscriptionId)
        {
            var status = native.Status switch { TrialStatuses.Active => "trialing", TrialStatuses.Converted => "active", _ => "expired" };
            return new(
                native.SubscriptionId, company.Id, status, native.EndsAt, native.Status, native.StartedAt, native.EndsAt, false, null, native.EndedAt, null, [], company.UpdatedAt);
        }

        return company.Billing is not { } billing
            ? null
            : new(
                billing.SubscriptionId, billing.CustomerId, billing.Status, billing.TrialEnd, trial?.Status, billing.PeriodStart, billing.PeriodEnd, billing.CancelAtPeriodEnd,
                billing.CancelAt, billing.CanceledAt, billing.Seats, [.. billing.Items.Select(i => new CompanyBillingProductResponse(i.PriceId, i.ProductId, i.Quantity))], billing.SyncedAt);
    }
}

/// <summary>One subscribed price of a billing subscription.</summary>
public sealed record CompanyBillingProductResponse(string PriceId, string ProductId, long? Quantity)
{
    /// <summary>The price's tiers: none are listed. Required by Schematic's shape, whose generated clients fail without it.</summary>
    public IReadOnlyList<object> PriceTier { get; } = [];
}
