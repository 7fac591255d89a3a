using System.Data.Common;
using Tollgate.Server.Audit;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Describes each change of a company's plans as a <see cref="PlanChangeRecord"/>: kept in the log with its audit record
/// when its cause is logged, and always raised as <c>company.plan_changed</c> with the record as its body, so the webhook
/// says from and to which plans (and versions) exactly as the log does.
/// </summary>
internal sealed class PlanChangeLog(ResourceStore store, AuditLog audit, Notifications.INoticeOutbox notices, TimeProvider time)
{
    /// <summary>
    /// Records the move from <paramref name="stored"/>'s plans to <paramref name="after"/>'s, in the transaction that
    /// writes <paramref name="after"/>, so that a change of plans is never stored or told without its record; nothing for
    /// a new company (no <paramref name="stored"/>) or when they hold the same plans. <paramref name="stored"/> is taken
    /// with its due version moves made.
    /// </summary>
    public async Task<PlanChangeRecord?> RecordAsync(
        DbConnection connection, DbTransaction transaction, RequestScope scope, PlanChangeCause cause, CatalogSnapshot catalog, CompanyRecord? stored, CompanyRecord after)
    {
        ArgumentNullException.ThrowIfNull(cause);
        ArgumentNullException.ThrowIfNull(after);
        if (stored is null)
        {
            return null;
        }

        var before = CompanyPlanVersions.Settle(stored, time.GetUtcNow());
        var added = after.AddOnIds.Except(before.AddOnIds, StringComparer.Ordinal).ToList();
        var removed = before.AddOnIds.Except(after.AddOnIds, StringComparer.Ordinal).ToList();
        string? VersionOf(CompanyRecord company) => company.BasePlanId is { } id ? company.PlanVersions.GetValueOrDefault(id) : null;
        if (before.BasePlanId == after.BasePlanId && VersionOf(before) == VersionOf(after) && added.Count == 0 && removed.Count == 0)
        {
            return null;
        }

        var change = new PlanChangeRecord
        {
            Id = Ids.New("pchg"),
            CompanyId = after.Id,
            Action = cause.Action,
            // A change asked for from the console is the signed-in person's, whatever path it took.
            ActorType = scope.User is not null ? Audit.AuditLogResponse.ConsoleUserActor : cause.ActorType,
            ApiKeyId = scope.User is null && cause.ActorType == "api_key" ? scope.ApiKeyId : null,
            SubscriptionChangeAction = cause.Downgrade is not { } downgrade ? null : (before.BasePlanId, after.BasePlanId) switch
            {
                (null, not null) => "subscribe",
                (not null, null) => "unsubscribe",
                var (from, to) when from == to => "adjustment",
                _ => downgrade ? "downgrade" : "upgrade",
            },
            BasePlan = Snapshot(catalog, after.BasePlanId),
            BasePlanVersion = VersionSnapshot(catalog, VersionOf(after)),
            PreviousBasePlan = Snapshot(catalog, before.BasePlanId),
            PreviousBasePlanVersion = VersionSnapshot(catalog, VersionOf(before)),
            AddOnsAdded = [.. added.Select(id => Snapshot(catalog, id)).OfType<PlanSnapshot>()],
            AddOnsRemoved = [.. removed.Select(id => Snapshot(catalog, id)).OfType<PlanSnapshot>()],
            CreatedAt = time.GetUtcNow(),
        };
        if (cause.Logged)
        {
            await store.PutAsync(connection, transaction, scope.EnvironmentId, SubscriptionKinds.PlanChange, change.Id, null, change.CompanyId, change).ConfigureAwait(false);
            await audit.RecordAsync<PlanChangeRecord>(connection, transaction, scope, scope.EnvironmentId, "create", SubscriptionKinds.PlanChange, change.Id, change.CompanyId, null, change)
                .ConfigureAwait(false);
        }

        await notices.AppendAsync(connection, transaction, new Notifications.Notice(scope.EnvironmentId, Lifecycle.LifecycleEventTypes.CompanyPlanChanged, change.CompanyId, null, change))
            .ConfigureAwait(false);
        return change;
    }

    private static PlanSnapshot? Snapshot(CatalogSnapshot catalog, string? planId) =>
        planId is not null && catalog.Plans.TryGetValue(planId, out var plan) ? new PlanSnapshot(plan.Id, plan.Name, plan.Description ?? string.Empty) : null;

    private static PlanVersionSnapshot? VersionSnapshot(CatalogSnapshot catalog, string? versionId) =>
        versionId is not null && catalog.VersionsById.TryGetValue(versionId, out var version) && catalog.Plans.TryGetValue(version.PlanId, out var plan)
            ? new PlanVersionSnapshot(version.Id, plan.Name, version.Version)
            : null;
}
