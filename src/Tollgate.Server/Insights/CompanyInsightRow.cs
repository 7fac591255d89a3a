namespace Tollgate.Server.Insights;

/// <summary>One <c>company_insights</c> row: what the summary and plan growth count, and when the signals lapse.</summary>
internal sealed record CompanyInsightRow(string CompanyId, string? PlanId, DateTimeOffset CreatedAt, long? Mrr, string? Currency, DateTimeOffset? StaleAt);
