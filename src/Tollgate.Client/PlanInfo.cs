namespace Tollgate.Client;

/// <summary>A plan (or add-on) that includes a feature: what to offer a customer who is not entitled to it.</summary>
public sealed record PlanInfo(string Id, string Name);
