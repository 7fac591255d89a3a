namespace Tollgate.Server.Catalog;

/// <summary>A warning tier as Schematic answers it (<c>WarningTierResponseData</c>); its id is the entitlement's and its position.</summary>
public sealed record WarningTierResponse(string Id, string Key, long Value);
