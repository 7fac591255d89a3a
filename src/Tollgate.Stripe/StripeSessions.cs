using Stripe;
using CheckoutSessionCreateOptions = Stripe.Checkout.SessionCreateOptions;
using CheckoutSessionLineItemOptions = Stripe.Checkout.SessionLineItemOptions;
using CheckoutSessionSubscriptionDataOptions = Stripe.Checkout.SessionSubscriptionDataOptions;
using PortalFlowDataOptions = Stripe.BillingPortal.SessionFlowDataOptions;
using PortalFlowSubscriptionCancelOptions = Stripe.BillingPortal.SessionFlowDataSubscriptionCancelOptions;
using PortalFlowSubscriptionUpdateOptions = Stripe.BillingPortal.SessionFlowDataSubscriptionUpdateOptions;
using PortalSessionCreateOptions = Stripe.BillingPortal.SessionCreateOptions;

namespace Tollgate.Stripe;

/// <summary>
/// Where a customer pays or manages billing: customers, subscription Checkout sessions and Billing Portal sessions.
/// Customers and Checkout sessions are created under a key derived from what they create (<see cref="IdempotencyKeys"/>):
/// asked twice within Stripe's 24-hour key window, Stripe answers the first (a Checkout session stays open 24 hours,
/// so the buyer gets the same page). Portal sessions are not: their URL lives minutes, and a replayed one would be dead.
/// </summary>
public sealed class StripeSessions(StripeAccount account)
{
    private readonly StripeClient _client = (account ?? throw new ArgumentNullException(nameof(account))).Client;

    /// <summary>Creates a customer.</summary>
    public Task<StripeCustomerInfo> CreateCustomerAsync(NewStripeCustomer customer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var options = new CustomerCreateOptions
        {
            Email = customer.Email,
            Name = customer.Name,
            Metadata = IdempotencyKeys.Ordered(customer.Metadata),
        };
        var request = new RequestOptions { IdempotencyKey = IdempotencyKeys.For("customer", customer.Email, customer.Name, customer.Metadata) };
        return StripeCallException.Wrap(async () =>
        {
            var created = await _client.V1.Customers.CreateAsync(options, request, cancellationToken).ConfigureAwait(false);
            return new StripeCustomerInfo(created.Id, created.Email, created.Name, created.Metadata ?? new Dictionary<string, string>());
        });
    }

    /// <summary>Creates a subscription Checkout session.</summary>
    public Task<CheckoutSessionInfo> CreateCheckoutSessionAsync(NewCheckoutSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var options = new CheckoutSessionCreateOptions
        {
            Mode = "subscription",
            Customer = session.CustomerId,
            LineItems = [.. session.Lines.Select(l => new CheckoutSessionLineItemOptions { Price = l.PriceId, Quantity = l.Quantity })],
            SuccessUrl = session.SuccessUrl,
            CancelUrl = session.CancelUrl,
            ClientReferenceId = session.ClientReferenceId,
            Metadata = IdempotencyKeys.Ordered(session.Metadata),
            SubscriptionData = session.TrialPeriodDays is { } days ? new CheckoutSessionSubscriptionDataOptions { TrialPeriodDays = days } : null,
            AllowPromotionCodes = session.AllowPromotionCodes ? true : null,
        };
        var request = new RequestOptions
        {
            IdempotencyKey = IdempotencyKeys.For(
                "checkout", session.CustomerId, session.Lines, session.SuccessUrl, session.CancelUrl, session.ClientReferenceId, session.Metadata,
                session.TrialPeriodDays, session.AllowPromotionCodes),
        };
        return StripeCallException.Wrap(async () =>
        {
            var created = await _client.V1.Checkout.Sessions.CreateAsync(options, request, cancellationToken).ConfigureAwait(false);
            return new CheckoutSessionInfo(created.Id, created.Url, created.Status, created.CustomerId, new DateTimeOffset(DateTime.SpecifyKind(created.ExpiresAt, DateTimeKind.Utc)));
        });
    }

    /// <summary>Creates a Billing Portal session, optionally starting in a flow on one subscription.</summary>
    public Task<PortalSessionInfo> CreatePortalSessionAsync(NewPortalSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var options = new PortalSessionCreateOptions { Customer = session.CustomerId, ReturnUrl = session.ReturnUrl, FlowData = Flow(session) };
        return StripeCallException.Wrap(async () =>
        {
            var created = await _client.V1.BillingPortal.Sessions.CreateAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new PortalSessionInfo(created.Id, created.Url);
        });
    }

    private static PortalFlowDataOptions? Flow(NewPortalSession session) => session.Flow switch
    {
        null => null,
        PortalFlows.SubscriptionUpdate => new PortalFlowDataOptions
        {
            Type = PortalFlows.SubscriptionUpdate,
            SubscriptionUpdate = new PortalFlowSubscriptionUpdateOptions { Subscription = RequireSubscription(session) },
        },
        PortalFlows.SubscriptionCancel => new PortalFlowDataOptions
        {
            Type = PortalFlows.SubscriptionCancel,
            SubscriptionCancel = new PortalFlowSubscriptionCancelOptions { Subscription = RequireSubscription(session) },
        },
        _ => throw new ArgumentException($"Unknown portal flow '{session.Flow}'.", nameof(session)),
    };

    private static string RequireSubscription(NewPortalSession session) =>
        session.SubscriptionId ?? throw new ArgumentException("A portal flow needs the subscription it acts on.", nameof(session));
}
