using Tollgate.Server.Audit;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Records scheduled downgrades: the loop's entry first (<see cref="ScheduledChangeEntry"/>), then the company's
/// <see cref="CompanyRecord.ScheduledDowngrade"/> through the company write path, so the change is on every node's
/// view of the company and a schedule is never without its entry.
/// </summary>
internal sealed class ScheduledChanges(ResourceStore store, AuditLog audit, CompanyService companies)
{
    public async Task<CompanyRecord> ScheduleAsync(RequestScope scope, string companyId, ScheduledDowngrade downgrade, CancellationToken cancellationToken)
    {
        var entry = new ScheduledChangeEntry(downgrade.Id, companyId, downgrade.EffectiveAfter);
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutAsync(connection, transaction, scope.EnvironmentId, SubscriptionKinds.ScheduledChange, entry.Id, null, companyId, entry).ConfigureAwait(false);
                await audit.RecordAsync<ScheduledChangeEntry>(connection, transaction, scope, scope.EnvironmentId, "create", SubscriptionKinds.ScheduledChange, entry.Id, companyId, null, entry)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        var written = await companies.WriteSyncedAsync(scope, companyId, (_, before, now) => before is null ? null : before with { ScheduledDowngrade = downgrade, UpdatedAt = now }, cancellationToken)
            .ConfigureAwait(false);
        return written ?? await companies.GetAsync(scope, companyId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Clears the company's scheduled change when it is still <paramref name="scheduleId"/> (any one when null): it was
    /// made, or replaced by a change made now. Its entry is dropped by the loop, which finds it stale.
    /// </summary>
    public async Task ClearAsync(RequestScope scope, string companyId, string? scheduleId, CancellationToken cancellationToken) =>
        await companies.WriteSyncedAsync(
            scope,
            companyId,
            (_, before, now) => before?.ScheduledDowngrade is { } held && (scheduleId is null || held.Id == scheduleId) ? before with { ScheduledDowngrade = null, UpdatedAt = now } : null,
            cancellationToken).ConfigureAwait(false);

    /// <summary>Writes an entry again after a failed pass (<see cref="ScheduledChangeEntry.Failures"/>, <see cref="ScheduledChangeEntry.RetryAfter"/>), audited as <c>retry</c>.</summary>
    public async Task PostponeAsync(RequestScope scope, ScheduledChangeEntry before, ScheduledChangeEntry after, CancellationToken cancellationToken) =>
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutAsync(connection, transaction, scope.EnvironmentId, SubscriptionKinds.ScheduledChange, after.Id, null, after.CompanyId, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "retry", SubscriptionKinds.ScheduledChange, after.Id, after.CompanyId, before, after)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Gives up a change the loop could not make: the company's schedule (when still this one) is marked failed with
    /// <paramref name="reason"/>, then the entry is dropped, audited as <c>give_up</c> with its last state.
    /// </summary>
    public async Task GiveUpAsync(RequestScope scope, ScheduledChangeEntry entry, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await companies.WriteSyncedAsync(
            scope,
            entry.CompanyId,
            (_, before, now) => before?.ScheduledDowngrade is { } held && held.Id == entry.Id
                ? before with { ScheduledDowngrade = held with { FailedAt = at, FailureReason = reason }, UpdatedAt = now }
                : null,
            cancellationToken).ConfigureAwait(false);
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, SubscriptionKinds.ScheduledChange, entry.Id).ConfigureAwait(false);
                await audit.RecordAsync<ScheduledChangeEntry>(connection, transaction, scope, scope.EnvironmentId, "give_up", SubscriptionKinds.ScheduledChange, entry.Id, entry.CompanyId, entry, null)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops an entry once applied or found stale.</summary>
    public async Task RemoveAsync(RequestScope scope, ScheduledChangeEntry entry, CancellationToken cancellationToken) =>
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, SubscriptionKinds.ScheduledChange, entry.Id).ConfigureAwait(false);
                await audit.RecordAsync<ScheduledChangeEntry>(connection, transaction, scope, scope.EnvironmentId, "delete", SubscriptionKinds.ScheduledChange, entry.Id, entry.CompanyId, entry, null)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
}
