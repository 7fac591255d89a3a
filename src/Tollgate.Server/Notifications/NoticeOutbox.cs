using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>Writes notices to <c>webhook_notices</c> (and their dedupe keys to <c>webhook_notice_keys</c>).</summary>
internal sealed class NoticeOutbox(WebhookWakeSignal wake, TimeProvider time) : INoticeOutbox
{
    /// <summary>Bodies are written as the API writes: snake_case, nulls kept.</summary>
    internal static readonly JsonSerializerOptions BodyJson = CreateBodyJson();

    public async Task<bool> AppendAsync(DbConnection connection, DbTransaction transaction, Notice notice)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(notice);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (notice.DedupeKey is { } key)
        {
            var claimed = await connection.ExecuteAsync(
                "INSERT INTO webhook_notice_keys (environment_id, dedupe_key, created_at, expires_at) VALUES (@environmentId, @key, @now, @expiresAt) ON CONFLICT DO NOTHING",
                new { environmentId = notice.EnvironmentId, key, now, expiresAt = notice.DedupeUntil?.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            if (claimed == 0)
            {
                return false;
            }
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_notices (id, environment_id, request_type, subject_id, body, created_at)
            VALUES (@id, @environmentId, @requestType, @subjectId, @body, @now)
            """,
            new
            {
                id = Ids.New("whn"),
                environmentId = notice.EnvironmentId,
                requestType = notice.RequestType,
                subjectId = notice.SubjectId,
                body = JsonSerializer.Serialize(notice.Body, BodyJson),
                now,
            },
            transaction).ConfigureAwait(false);

        // Before the commit: the worker may look too early and find nothing, and then finds the notice on its next poll.
        wake.Wake();

        return true;
    }

    public async Task AppendWriteAsync(
        DbConnection connection, DbTransaction transaction, string environmentId, string action, string resourceType, string resourceId, object? before, object? after)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (WebhookRequestTypes.OfWrite(resourceType, action) is not { } requestType)
        {
            return;
        }

        await AppendAsync(connection, transaction, new Notice(environmentId, requestType, resourceId, null, after ?? before)).ConfigureAwait(false);
        if (resourceType == ResourceKinds.Company && after is Companies.CompanyRecord { ScheduledDowngrade: { } scheduled } company
            && scheduled.Id != (before as Companies.CompanyRecord)?.ScheduledDowngrade?.Id)
        {
            // Raised once per schedule (its id), not on every later write of the company while it waits.
            await AppendAsync(connection, transaction, new Notice(
                environmentId, WebhookRequestTypes.CompanyScheduledDowngrade, company.Id, null, new ScheduledDowngradeNotice(company.Id, scheduled))).ConfigureAwait(false);
        }

        if (resourceType == ResourceKinds.CompanyOverride)
        {
            await OverrideExpiries.ScheduleAsync(connection, transaction, environmentId, resourceId, (after as Companies.CompanyOverrideRecord)?.ExpirationDate).ConfigureAwait(false);
        }
    }

    private static JsonSerializerOptions CreateBodyJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Api.ApiJson.Configure(options);
        return options;
    }
}
