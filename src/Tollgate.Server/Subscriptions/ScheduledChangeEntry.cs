namespace Tollgate.Server.Subscriptions;

/// <summary>
/// The scheduled-change loop's work list: one entry per <see cref="Companies.ScheduledDowngrade"/>, same id, written
/// before the company is (so a schedule never exists without an entry). An entry whose company no longer holds a
/// schedule of that id is stale and dropped. Stored as <c>plan_change_schedule</c>, parent the company.
/// </summary>
public sealed record ScheduledChangeEntry(string Id, string CompanyId, DateTimeOffset EffectiveAfter)
{
    /// <summary>How many passes in a row failed to make the change (Stripe refused it or could not be reached); 0 before the first.</summary>
    public int Failures { get; init; }

    /// <summary>Not tried again before this instant (<see cref="ScheduledChangeRetries.PauseAfter"/>); null until a pass fails.</summary>
    public DateTimeOffset? RetryAfter { get; init; }

    /// <summary>Why the last pass failed, as Stripe (or the missing connection) said it.</summary>
    public string? LastFailure { get; init; }
}
