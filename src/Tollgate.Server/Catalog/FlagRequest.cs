namespace Tollgate.Server.Catalog;

/// <summary>
/// Body of <c>POST /flags</c> and <c>PUT /flags/{id}</c> (Schematic's <c>CreateFlagRequestBody</c>). On a PUT a field
/// left out keeps its value.
/// </summary>
public sealed record FlagRequest(
    string? Key,
    string? Name,
    string? Description,
    bool? DefaultValue,
    string? FeatureId,
    string? FlagType,
    string? MaintainerAccountMemberId);
