namespace Tollgate.Server.Credits;

/// <summary>What a check-and-reserve hold is for: the feature, the usage it covers and the rate it was priced at.</summary>
internal sealed record ReservationDetails(string? FeatureId, double Quantity, double ConsumptionRate, string? EventSubtype);
