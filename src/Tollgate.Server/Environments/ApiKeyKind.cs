namespace Tollgate.Server.Environments;

/// <summary>What a key may do.</summary>
public enum ApiKeyKind
{
    /// <summary>Full access to its environment; for servers.</summary>
    Secret,

    /// <summary>Check endpoints only, read-only; safe in browsers.</summary>
    Publishable,

    /// <summary>A temporary access token: one company's component data and checkout only (Components/ComponentAccess).</summary>
    TemporaryToken,
}
