namespace Tollgate.Server.Components;

/// <summary>
/// A temporary access token in Schematic's shape (<c>IssueTemporaryAccessTokenResponseData</c>); <c>token</c> is
/// answered only when it is issued (only its hash is kept). <c>company_id</c> is Tollgate's addition.
/// </summary>
public sealed record TemporaryAccessTokenResponse(
    string Id,
    string? ApiKeyId,
    string EnvironmentId,
    string IssuerType,
    string ResourceType,
    string CompanyId,
    string Token,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset ExpiredAt);
