namespace Tollgate.Server.Companies;

/// <summary>
/// Keys an integration owns: it sets them, and everything it does relies on them (the Stripe connector bills usage to
/// the customer in <c>stripe_customer_id</c> and finds the company of a webhook by it). A publishable key may never
/// set one. An integration that comes to own a key adds it here, and only here.
/// </summary>
public static class ReservedKeys
{
    /// <summary>Each reserved key name, with the integration that owns it.</summary>
    public static IReadOnlyDictionary<string, string> Owners { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Billing.StripeCompanyKeys.CustomerId] = "the Stripe connector",
    };
}
