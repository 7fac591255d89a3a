using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing.Meters;

/// <summary>Body of <c>POST /billing/meters/requeue</c>: which settled rows to send again.</summary>
public sealed record RequeueMeterRowsRequest
{
    /// <summary><c>skipped</c> (no Stripe customer or no meter at the time) or <c>failed</c> (refused by Stripe).</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }
}
