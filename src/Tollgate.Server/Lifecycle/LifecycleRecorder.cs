using System.Data.Common;
using Dapper;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Lifecycle;

/// <summary>
/// Called by every company write, inside its transaction, with the company before and after: appends the lifecycle
/// events the change makes (a trial's end before the plan change it causes) to the <c>lifecycle_events</c> outbox and keeps the trial schedule (<c>company_trials</c>) equal to
/// the company's trial. Being in the one place companies are written, no path (API, events, Stripe sync, trial expiry)
/// changes a plan or ends a trial without its record.
/// </summary>
internal static class LifecycleRecorder
{
    public static async Task RecordAsync(
        DbConnection connection, DbTransaction transaction, Notifications.INoticeOutbox notices, string environmentId, CompanyRecord? before, CompanyRecord after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (TrialState.Of(before) is { IsActive: true } running && TrialState.Of(after) is { IsActive: false } ended && ended.SubscriptionId == running.SubscriptionId)
        {
            await AppendAsync(connection, transaction, notices, environmentId, LifecycleEventTypes.TrialEnded, after.Id, new
            {
                company_id = after.Id,
                subscription_id = ended.SubscriptionId,
                plan_id = running.PlanId,
                trial_status = ended.Status,
                trial_end = ended.End,
            }, now, notify: true).ConfigureAwait(false);
        }

        // Webhooks are told of a plan change by its record (Subscriptions' PlanChangeLog, in the same transaction).
        if (before is not null && (before.BasePlanId != after.BasePlanId || !before.AddOnIds.SequenceEqual(after.AddOnIds, StringComparer.Ordinal)))
        {
            await AppendAsync(connection, transaction, notices, environmentId, LifecycleEventTypes.CompanyPlanChanged, after.Id, new
            {
                company_id = after.Id,
                previous_plan_id = before.BasePlanId,
                plan_id = after.BasePlanId,
                previous_add_on_ids = before.AddOnIds,
                add_on_ids = after.AddOnIds,
            }, now, notify: false).ConfigureAwait(false);
        }

        if (after.Trial is { } trial && before?.Trial != trial)
        {
            await TrialSchedule.SaveAsync(connection, transaction, environmentId, after.Id, trial).ConfigureAwait(false);
        }
    }

    private static async Task AppendAsync(
        DbConnection connection, DbTransaction transaction, Notifications.INoticeOutbox notices, string environmentId, string type, string companyId, object data, DateTimeOffset now, bool notify)
    {
        if (notify)
        {
            // The webhooks' outbox gets the same event, in the same transaction (its body is the record's data).
            await notices.AppendAsync(connection, transaction, new Notifications.Notice(environmentId, type, companyId, null, data)).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO lifecycle_events (id, environment_id, event_type, company_id, data, created_at)
            VALUES (@id, @environmentId, @type, @companyId, @data, @now)
            """,
            new { id = Ids.New("lcev"), environmentId, type, companyId, data = StoredJson.Serialize(data), now = now.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
    }
}
