using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing.Meters;

/// <summary>Body of <c>POST /billing/meters</c>: the event subtype to bill through a new Stripe meter.</summary>
public sealed record CreateBillingMeterRequest
{
    /// <summary>The Tollgate event subtype (the <c>event</c> of a track); becomes the meter's <c>event_name</c>.</summary>
    [JsonPropertyName("event_subtype")]
    public string? EventSubtype { get; init; }

    /// <summary>The meter's name in Stripe's dashboard. Default: the subtype.</summary>
    [JsonPropertyName("display_name")]
    public string? DisplayName { get; init; }
}
