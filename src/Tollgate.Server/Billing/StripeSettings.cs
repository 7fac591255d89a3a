using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing;

/// <summary>
/// How an environment follows its Stripe account; stored with the connection, changed with it. The plan a company falls
/// back to when its subscription ends is the plan group's <c>fallback_plan_id</c> (migration 11 moved it there).
/// </summary>
public sealed record StripeSettings
{
    /// <summary>What a <c>past_due</c> subscription means: <c>keep</c> its plans while Stripe retries (default) or <c>fallback</c> at once.</summary>
    [JsonPropertyName("past_due_policy")]
    public string PastDuePolicy { get; init; } = PastDuePolicies.Keep;

    /// <summary>
    /// A customer metadata field whose value is a company key of the same name: a Stripe customer with
    /// <c>metadata[&lt;this&gt;] = acme</c> is matched to the company with key <c>{&lt;this&gt;: "acme"}</c>. Default:
    /// <c>id</c>. Customers Tollgate creates carry it, and every customer also gets the company key
    /// <c>stripe_customer_id</c>.
    /// </summary>
    [JsonPropertyName("customer_company_key")]
    public string CustomerCompanyKey { get; init; } = "id";

    /// <summary>A company trait that receives the seat count (the base plan item's quantity); null: not written.</summary>
    [JsonPropertyName("seats_trait")]
    public string? SeatsTrait { get; init; }

    /// <summary>
    /// The account's publishable key (<c>pk_…</c>), which Schematic's components load Stripe.js with for the card form
    /// (<c>stripe_embed</c>, setup intents); null: not given, and the card form cannot load. Not a secret.
    /// </summary>
    [JsonPropertyName("publishable_key")]
    public string? PublishableKey { get; init; }
}

/// <summary>Values of <see cref="StripeSettings.PastDuePolicy"/>.</summary>
public static class PastDuePolicies
{
    /// <summary>Keep the subscription's plans while Stripe retries the payment.</summary>
    public const string Keep = "keep";

    /// <summary>Move the company to the fallback plan until the invoice is paid.</summary>
    public const string Fallback = "fallback";
}
