using Tollgate.Server.Environments;

namespace Tollgate.Server.Billing;

/// <summary>Who writes when the Stripe sync changes Tollgate: audit records name the key id <see cref="KeyId"/>.</summary>
internal static class StripeActor
{
    /// <summary>The API key id recorded for writes made by the Stripe sync.</summary>
    public const string KeyId = "stripe-sync";

    /// <summary>The scope of the Stripe sync's writes in an environment.</summary>
    public static RequestScope Scope(string environmentId) => new(environmentId, KeyId, ApiKeyKind.Secret);
}
