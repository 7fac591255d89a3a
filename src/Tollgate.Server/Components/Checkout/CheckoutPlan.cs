using Tollgate.Server.Billing;
using Tollgate.Server.Companies;
using Tollgate.Server.Lifecycle;
using Tollgate.Stripe;

namespace Tollgate.Server.Components.Checkout;

/// <summary>
/// What a checkout would do in Stripe, decided once for the preview and the checkout alike: either a change to the
/// company's live subscription (<see cref="SubscriptionId"/> set; <see cref="Changes"/> with <see cref="Proration"/>)
/// or a new subscription (<see cref="NewLines"/>, trial and payment method).
/// </summary>
internal sealed record CheckoutPlan(
    CompanyRecord Company,
    StripeConnection Connection,
    PlanGroupRecord? Group,
    string CustomerId,
    string? SubscriptionId,
    BillingPriceRecord BasePrice,
    IReadOnlyList<SubscriptionItemChange> Changes,
    IReadOnlyList<CheckoutLine> NewLines,
    string Proration,
    bool Downgrade,
    DateTimeOffset? ScheduledChangeTime,
    long? TrialDays,
    string? PaymentMethodId,
    bool PaymentMethodRequired,
    long TotalPerPeriod,
    IReadOnlyDictionary<string, string> Metadata);
