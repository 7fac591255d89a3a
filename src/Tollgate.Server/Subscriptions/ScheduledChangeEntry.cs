namespace Tollgate.Server.Subscriptions;

/// <summary>
/// The scheduled-change loop's work list: one entry per <see cref="Companies.ScheduledDowngrade"/>, same id, written
/// before the company is (so a schedule never exists without an entry). An entry whose company no longer holds a
/// schedule of that id is stale and dropped. Stored as <c>plan_change_schedule</c>, parent the company.
/// </summary>
public sealed record ScheduledChangeEntry(string Id, string CompanyId, DateTimeOffset EffectiveAfter);
