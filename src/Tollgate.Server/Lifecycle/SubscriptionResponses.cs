using Tollgate.Server.Companies;
using Tollgate.Stripe;

namespace Tollgate.Server.Lifecycle;

/// <summary>
/// A company's subscription in Schematic's <c>CompanySubscriptionResponseData</c> shape (<c>GET /company-subscriptions</c>).
/// Tollgate keeps no currency, interval or price total for a subscription: those are empty and zero, as for an account
/// without that data; products are not listed.
/// </summary>
internal sealed record CompanySubscriptionResponse(
    string? CancelAt,
    bool CancelAtPeriodEnd,
    string Currency,
    string CustomerExternalId,
    IReadOnlyList<object> Discounts,
    string? ExpiredAt,
    string Interval,
    bool IsInitial,
    object? LatestInvoice,
    object? PaymentMethod,
    IReadOnlyList<object> Products,
    string ProviderType,
    string Status,
    string SubscriptionExternalId,
    double TotalPrice,
    string? TrialEnd)
{
    public static CompanySubscriptionResponse From(CompanySubscription s) => new(
        Iso(s.CancelAt), s.CancelAtPeriodEnd, string.Empty, s.CustomerExternalId, [], Iso(s.ExpiredAt), string.Empty, false, null, null, [], s.ProviderType, s.Status,
        s.SubscriptionId, 0, Iso(s.TrialEnd));

    private static string? Iso(DateTimeOffset? at) => at?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A subscription in Schematic's <c>BillingSubscriptionView</c> shape (the answer of <c>edit-trial-end</c>); instants are Unix seconds.</summary>
internal sealed record BillingSubscriptionViewResponse(
    string? ApplicationId,
    long? CancelAt,
    bool CancelAtPeriodEnd,
    string? CompanyId,
    DateTimeOffset CreatedAt,
    string Currency,
    string CustomerExternalId,
    string? DefaultPaymentMethodId,
    IReadOnlyList<object> Discounts,
    DateTimeOffset? ExpiredAt,
    string Id,
    string Interval,
    object? LatestInvoice,
    object? Metadata,
    object? PaymentMethod,
    long PeriodEnd,
    long PeriodStart,
    IReadOnlyList<object> Products,
    string ProviderType,
    string Status,
    string SubscriptionExternalId,
    double TotalPrice,
    long? TrialEnd,
    string? TrialEndSetting)
{
    public static BillingSubscriptionViewResponse From(CompanySubscription s) => new(
        null, s.CancelAt?.ToUnixTimeSeconds(), s.CancelAtPeriodEnd, s.CompanyId, s.CreatedAt, string.Empty, s.CustomerExternalId, s.PaymentMethodId, [], s.ExpiredAt, s.SubscriptionId,
        string.Empty, null, null, null, s.PeriodEnd?.ToUnixTimeSeconds() ?? 0, s.PeriodStart?.ToUnixTimeSeconds() ?? 0, [], s.ProviderType, s.Status, s.SubscriptionId, 0,
        s.TrialEnd?.ToUnixTimeSeconds(), s.TrialEndSetting);
}

/// <summary>
/// A company's subscription, whoever runs it: its Stripe subscription as last synced, else the trial Tollgate runs
/// (<c>trialing</c> while active, <c>active</c> once converted, <c>expired</c> after expiring; provider <c>schematic</c>).
/// </summary>
internal sealed record CompanySubscription(
    string CompanyId,
    string SubscriptionId,
    string CustomerExternalId,
    string ProviderType,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    DateTimeOffset? TrialEnd,
    string? TrialEndSetting,
    bool CancelAtPeriodEnd,
    DateTimeOffset? CancelAt,
    DateTimeOffset? ExpiredAt,
    string? PaymentMethodId)
{
    /// <summary>Statuses of a subscription that has ended.</summary>
    public bool IsEnded => Status is StripeSubscriptionStatuses.Canceled or StripeSubscriptionStatuses.IncompleteExpired or "expired";

    /// <summary>The company's subscription, or null when it has none.</summary>
    public static CompanySubscription? Of(CompanyRecord company)
    {
        ArgumentNullException.ThrowIfNull(company);
        // A native trial started after the Stripe subscription ended is the newer one.
        if (company.Billing is { SubscriptionId: { } stripeId } billing && !(company.Trial is not null && StripeSubscriptionStatuses.IsEnded(billing.Status ?? string.Empty)))
        {
            return new(
                company.Id, stripeId, billing.CustomerId, "stripe", billing.Status ?? string.Empty, company.CreatedAt, billing.PeriodStart, billing.PeriodEnd, billing.TrialEnd, null,
                billing.CancelAtPeriodEnd, billing.CancelAt, billing.CanceledAt, null);
        }

        if (company.Trial is not { } trial)
        {
            return null;
        }

        var status = trial.Status switch
        {
            TrialStatuses.Active => StripeSubscriptionStatuses.Trialing,
            TrialStatuses.Converted => StripeSubscriptionStatuses.Active,
            _ => "expired",
        };
        var period = company.Subscription;
        return new(
            company.Id, trial.SubscriptionId, company.Id, "schematic", status, trial.StartedAt,
            trial.Status == TrialStatuses.Converted && period is not null ? period.PeriodStart : trial.StartedAt,
            trial.Status == TrialStatuses.Converted && period is not null ? period.PeriodEnd : trial.EndsAt,
            trial.EndsAt,

            // What happens at the end: without conversion the company leaves the plan (Stripe's "cancel").
            "cancel",
            false, null, trial.Status == TrialStatuses.Expired ? trial.EndedAt : null, trial.PaymentMethodExternalId);
    }
}
