namespace Tollgate.Server.Credits;

/// <summary>Credits one event burns for one feature: <see cref="Amount"/> = quantity × <see cref="ConsumptionRate"/>.</summary>
public sealed record CreditBurn(string FeatureId, string CreditTypeId, double Amount, double ConsumptionRate);
