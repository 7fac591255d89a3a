using Tollgate.Server.Environments;

namespace Tollgate.Server.Lifecycle;

/// <summary>Who writes when a trial expires by itself: audit records name the key id <see cref="KeyId"/>.</summary>
internal static class TrialActor
{
    /// <summary>The API key id recorded for the expiry worker's writes.</summary>
    public const string KeyId = "trial-expiry";

    /// <summary>The scope of the expiry worker's writes in an environment.</summary>
    public static RequestScope Scope(string environmentId) => new(environmentId, KeyId, ApiKeyKind.Secret);
}
