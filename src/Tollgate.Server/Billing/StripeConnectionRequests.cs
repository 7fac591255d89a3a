using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing;

/// <summary>
/// Body of <c>PUT /billing/stripe/connection</c>. The secrets are required on the first connect and kept when left out
/// afterwards; settings left out keep their value.
/// </summary>
public sealed record ConnectStripeRequest
{
    /// <summary>A secret (<c>sk_…</c>) or restricted (<c>rk_…</c>) API key of the Stripe account.</summary>
    [JsonPropertyName("secret_key")]
    public string? SecretKey { get; init; }

    /// <summary>The signing secret (<c>whsec_…</c>) of the webhook endpoint that points at this environment.</summary>
    [JsonPropertyName("webhook_secret")]
    public string? WebhookSecret { get; init; }

    /// <summary>
    /// Compatibility input only: sets the plan group's <c>fallback_plan_id</c> (creating the group when the environment
    /// has none); an empty string clears it. The connection no longer holds or shows it.
    /// </summary>
    [JsonPropertyName("fallback_plan_id")]
    public string? FallbackPlanId { get; init; }

    /// <summary>See <see cref="StripeSettings.PastDuePolicy"/>.</summary>
    [JsonPropertyName("past_due_policy")]
    public string? PastDuePolicy { get; init; }

    /// <summary>See <see cref="StripeSettings.CustomerCompanyKey"/>.</summary>
    [JsonPropertyName("customer_company_key")]
    public string? CustomerCompanyKey { get; init; }

    /// <summary>See <see cref="StripeSettings.SeatsTrait"/>; an empty string clears it.</summary>
    [JsonPropertyName("seats_trait")]
    public string? SeatsTrait { get; init; }

    /// <summary>See <see cref="StripeSettings.PublishableKey"/>; an empty string clears it.</summary>
    [JsonPropertyName("publishable_key")]
    public string? PublishableKey { get; init; }

    /// <summary>Start an import of the account once connected. Default: true on the first connect.</summary>
    [JsonPropertyName("import")]
    public bool? Import { get; init; }
}

/// <summary>An environment's Stripe connection as the API shows it: never a secret, only hints of them.</summary>
public sealed record StripeConnectionResponse(
    [property: JsonPropertyName("environment_id")] string EnvironmentId,
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("account_name")] string? AccountName,
    [property: JsonPropertyName("secret_key_hint")] string SecretKeyHint,
    [property: JsonPropertyName("webhook_secret_set")] bool WebhookSecretSet,
    [property: JsonPropertyName("webhook_path")] string WebhookPath,
    [property: JsonPropertyName("webhook_url")] string? WebhookUrl,
    [property: JsonPropertyName("settings")] StripeSettings Settings,
    [property: JsonPropertyName("connected_at")] DateTimeOffset ConnectedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("status")] IReadOnlyDictionary<string, JsonElement> Status);

/// <summary>Answer of <c>POST /billing/stripe/connection/check</c>.</summary>
public sealed record StripeCheckResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("account_name")] string? AccountName,
    [property: JsonPropertyName("error")] string? Error);
