namespace Tollgate.Server.Insights;

/// <summary><c>GET /insights/summary</c> (Schematic's <c>InsightsSummaryResponseData</c>).</summary>
public sealed record InsightsSummaryResponse(long ActiveCredits, IReadOnlyList<MrrResponse> Mrr, long PaidCompanies, long TotalCompanies, long TotalFeatures, long TotalPlans);

/// <summary>An amount of monthly recurring revenue in one currency's smallest unit.</summary>
public sealed record MrrResponse(long Amount, string Currency);

/// <summary><c>GET /insights/activity</c>.</summary>
public sealed record ActivityResponse(IReadOnlyList<ActivityEntryResponse> Entries);

/// <summary>One recent management write (from the audit log).</summary>
public sealed record ActivityEntryResponse(string ActorName, string Method, string ResourceName, string ResourceType, DateTimeOffset Timestamp, string Title);

/// <summary><c>GET /insights/top-features</c>.</summary>
public sealed record TopFeaturesResponse(IReadOnlyList<TopFeatureResponse> Features);

/// <summary>A feature's usage in the window and in the window of the same length before it.</summary>
public sealed record TopFeatureResponse(string FeatureId, string FeatureName, string? PluralName, long Usage, long PriorUsage, double? ChangePct);

/// <summary><c>GET /insights/plan-growth</c>.</summary>
public sealed record PlanGrowthResponse(IReadOnlyList<PlanGrowthPointResponse> Points);

/// <summary>Companies on a plan at the end of a month.</summary>
public sealed record PlanGrowthPointResponse(DateTimeOffset Month, string PlanId, string PlanName, long Subscribers);

/// <summary><c>GET /insights/feature-usage-timeseries</c>.</summary>
public sealed record FeatureUsageTimeSeriesResponse(string EventSubtype, string FeatureId, IReadOnlyList<UsagePointResponse> Points);

/// <summary><c>GET /insights/trait-usage-timeseries</c>.</summary>
public sealed record TraitUsageTimeSeriesResponse(string FeatureId, IReadOnlyList<UsagePointResponse> Points, string TraitDefinitionId);

/// <summary>The usage of one bucket, starting at <see cref="Timestamp"/>.</summary>
public sealed record UsagePointResponse(DateTimeOffset Timestamp, long Usage);

/// <summary>One company of a signal list (<c>/insights/signals/{kind}</c>).</summary>
public sealed record SignalResponse(
    string Kind, string CompanyId, string? CompanyName, string? PlanId, string? FeatureId, double Score, string Reason, object Evidence, long? Mrr, string? Currency);
