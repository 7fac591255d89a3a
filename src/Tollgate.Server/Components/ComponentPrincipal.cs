using Tollgate.Server.Environments;

namespace Tollgate.Server.Components;

/// <summary>
/// Who a temporary access token speaks for: one company of one environment, until <see cref="ExpiresAt"/>. Endpoints
/// marked with <see cref="ComponentAccess.RequireComponentAccess{TBuilder}"/> get it through
/// <see cref="ComponentAccess.Principal"/>; the company is the token's, never one named by the request.
/// </summary>
/// <param name="TokenId">The token's id (<c>tat_…</c>); the audit log names it as the acting key.</param>
/// <param name="EnvironmentId">The environment the token was issued in.</param>
/// <param name="CompanyId">The one company the token may read and check out.</param>
/// <param name="ExpiresAt">When the token stops working.</param>
public sealed record ComponentPrincipal(string TokenId, string EnvironmentId, string CompanyId, DateTimeOffset ExpiresAt)
{
    /// <summary>The request scope of the token: its environment, acting as the token.</summary>
    public RequestScope Scope { get; } = new(EnvironmentId, TokenId, ApiKeyKind.TemporaryToken);
}
