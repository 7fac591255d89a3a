namespace Tollgate.Server.Credits;

/// <summary>One balance: a company's credits of one credit type in one environment.</summary>
internal readonly record struct BalanceKey(string EnvironmentId, string CompanyId, string CreditTypeId);
