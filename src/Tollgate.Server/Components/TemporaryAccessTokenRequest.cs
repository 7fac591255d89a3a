namespace Tollgate.Server.Components;

/// <summary>
/// Body of <c>POST /temporary-access-tokens</c> (Schematic's <c>IssueTemporaryAccessTokenRequestBody</c>, to which
/// the SDKs add <c>resource_type: "company"</c>): the company the token is for, found by any of its keys.
/// </summary>
public sealed record TemporaryAccessTokenRequest(string? ResourceType, IReadOnlyDictionary<string, string>? Lookup);
