using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing.Meters;

/// <summary>
/// A Stripe billing meter that Tollgate reports one event subtype to (resource kind <c>billing_meter</c>: id = Stripe's
/// meter id, key = the subtype). Usage tracked with subtype <see cref="EventSubtype"/> goes to this meter as events
/// named <see cref="EventName"/>, the customer and value under the meter's payload keys.
/// </summary>
public sealed record BillingMeterRecord
{
    /// <summary>Stripe's meter id (<c>mtr_…</c>).</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The Tollgate event subtype (the <c>event</c> of a track) this meter bills.</summary>
    [JsonPropertyName("event_subtype")]
    public required string EventSubtype { get; init; }

    /// <summary>The meter's <c>event_name</c> in Stripe (equal to the subtype).</summary>
    [JsonPropertyName("event_name")]
    public required string EventName { get; init; }

    /// <summary>The meter's name in Stripe's dashboard.</summary>
    [JsonPropertyName("display_name")]
    public required string DisplayName { get; init; }

    /// <summary>How Stripe aggregates the events (<c>sum</c> for the meters Tollgate creates).</summary>
    [JsonPropertyName("formula")]
    public string Formula { get; init; } = "sum";

    /// <summary>The payload key that names the Stripe customer.</summary>
    [JsonPropertyName("customer_payload_key")]
    public string CustomerPayloadKey { get; init; } = Tollgate.Stripe.StripeMeters.DefaultCustomerPayloadKey;

    /// <summary>The payload key that carries the quantity.</summary>
    [JsonPropertyName("value_payload_key")]
    public string ValuePayloadKey { get; init; } = Tollgate.Stripe.StripeMeters.DefaultValuePayloadKey;

    /// <summary>
    /// The billing system of the meter: <c>stripe</c>, or the provider that pushed it (<c>POST /billing/meter/upsert</c>);
    /// the meter sync reports usage to Stripe meters only, and a refresh from Stripe leaves the others alone.
    /// </summary>
    [JsonPropertyName("provider_type")]
    public string ProviderType { get; init; } = BillingProviders.Stripe;

    /// <summary>When Stripe created the meter.</summary>
    [JsonPropertyName("stripe_created_at")]
    public DateTimeOffset StripeCreatedAt { get; init; }

    /// <summary>When Tollgate last wrote it (created here or refreshed from Stripe).</summary>
    [JsonPropertyName("updated_at")]
    public DateTimeOffset UpdatedAt { get; init; }
}
