using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Webhooks;

/// <summary>
/// Which events Tollgate acts on, and on what: the event's object is synced (re-read from Stripe). Subscriptions,
/// customers, products, prices, invoices (paid, failed, … — each re-reads its subscription), completed checkouts and
/// billing meters (the meters are read again); everything else is recorded as ignored.
/// </summary>
internal static class WebhookTopics
{
    private static readonly HashSet<string> FollowedObjects = new(StringComparer.Ordinal)
    {
        StripeObjectTypes.Subscription, StripeObjectTypes.Customer, StripeObjectTypes.Product, StripeObjectTypes.Price, StripeObjectTypes.Invoice,
        StripeObjectTypes.Meter,
    };

    /// <summary>True when the event's object is synced; false when the event is only recorded.</summary>
    public static bool IsFollowed(StripeEventNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.ObjectId is null || notice.ObjectType is null)
        {
            return false;
        }

        if (notice.ObjectType == StripeObjectTypes.CheckoutSession)
        {
            return notice.Type is "checkout.session.completed" or "checkout.session.async_payment_succeeded";
        }

        return FollowedObjects.Contains(notice.ObjectType);
    }
}
