namespace Tollgate.Server.Companies;

/// <summary>A note of an override (<c>CompanyOverrideNoteResponseData</c>); Tollgate keeps one, without its author.</summary>
public sealed record OverrideNoteResponse(string Id, string Note, string ExternalUserId, string ExternalUserName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
