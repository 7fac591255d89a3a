namespace Tollgate.Server.Evaluation;

/// <summary>Body of the check endpoints: who is asking, and optional preflight usage.</summary>
public sealed record CheckRequest(
    IReadOnlyDictionary<string, string>? Company,
    IReadOnlyDictionary<string, string>? User,
    PreflightRequest? Preflight);

/// <summary>What-if usage for a check (spec §3.6).</summary>
public sealed record PreflightRequest(long? Usage, EventUsageRequest? EventUsage, IReadOnlyDictionary<string, double>? CreditCost);

/// <summary>Usage of one event subtype.</summary>
public sealed record EventUsageRequest(string? EventSubtype, long? Quantity);

/// <summary>Body of <c>POST /flags/check-bulk</c>.</summary>
public sealed record CheckBulkRequest(IReadOnlyList<CheckRequest>? Contexts);
