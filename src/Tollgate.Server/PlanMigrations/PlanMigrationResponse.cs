namespace Tollgate.Server.PlanMigrations;

/// <summary>
/// Schematic's <c>PlanVersionMigrationResponseData</c>. The counts are read from the company rows; a migration is never
/// tied to a feature rollout here, so <c>feature_id</c> and <c>feature_plan_rollout_id</c> are null.
/// </summary>
internal sealed record PlanMigrationResponse(
    DateTimeOffset? CompletedAt,
    int CompletedCompanies,
    DateTimeOffset CreatedAt,
    string? Error,
    int FailedCompanies,
    string? FeatureId,
    string? FeaturePlanRolloutId,
    string Id,
    DateTimeOffset? NextDueAt,
    string PlanId,
    string? PlanVersionIdFrom,
    string PlanVersionIdTo,
    IReadOnlyList<string> PlanVersionIdsFrom,
    string? ProrationBehavior,
    int SkippedCompanies,
    DateTimeOffset? StartedAt,
    string Status,
    string Strategy,
    int TotalCompanies,
    DateTimeOffset UpdatedAt)
{
    public static PlanMigrationResponse From(PlanMigrationRecord m, IReadOnlyDictionary<(string, string), int> counts, IReadOnlyDictionary<string, long> nextDue) => new(
        m.CompletedAt,
        counts.GetValueOrDefault((m.Id, PlanMigrationValues.Completed)),
        m.CreatedAt,
        m.Error,
        counts.GetValueOrDefault((m.Id, PlanMigrationValues.Failed)),
        null,
        null,
        m.Id,
        nextDue.TryGetValue(m.Id, out var due) ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null,
        m.PlanId,
        m.PlanVersionIdsFrom.Count == 1 ? m.PlanVersionIdsFrom[0] : null,
        m.PlanVersionIdTo,
        m.PlanVersionIdsFrom,
        m.ProrationBehavior,
        counts.GetValueOrDefault((m.Id, PlanMigrationValues.Skipped)),
        m.StartedAt,
        m.Status,
        m.Strategy,
        m.TotalCompanies,
        m.UpdatedAt);
}

/// <summary>Schematic's <c>PlanVersionCompanyMigrationResponseData</c>: one company of a migration.</summary>
internal sealed record CompanyMigrationResponse(
    string CompanyId,
    string CompanyName,
    DateTimeOffset? CompletedAt,
    DateTimeOffset CreatedAt,
    string? Error,
    string? ErrorCode,
    string Id,
    string MigrationId,
    string? PlanVersionIdFrom,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset? StartedAt,
    string Status,
    DateTimeOffset UpdatedAt)
{
    public static CompanyMigrationResponse From(CompanyMigrationRow row) => new(
        row.CompanyId,
        row.CompanyName,
        Time(row.CompletedAt),
        DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
        row.Error,
        row.ErrorCode,
        row.Id,
        row.MigrationId,
        row.PlanVersionIdFrom,
        Time(row.ScheduledFor),
        Time(row.StartedAt),
        row.Status,
        DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt));

    private static DateTimeOffset? Time(long? milliseconds) => milliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
