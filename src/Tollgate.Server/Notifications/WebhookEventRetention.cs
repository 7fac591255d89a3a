using Microsoft.Extensions.Options;
using Tollgate.Server.Retention;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// Deletes delivered events (<c>success</c>) older than <see cref="WebhookOptions.DeliveredRetention"/> from the
/// delivery log, and the dedupe keys of notices whose period ended longer than that ago (a key of an ended period can no
/// longer stop a duplicate: its counter takes no more usage). Pending and failed deliveries stay whatever their age:
/// they are notices still owed, or ones a user may retry; keys without an end (all-time limits, credit grants) stay.
/// Runs in the worker's pass, under the lock that makes one node at a time dispatch.
/// </summary>
/// <remarks>
/// The Retention area's deletions (<see cref="ChunkedDeletion"/>), <see cref="WebhookOptions.CleanupBatchSize"/> rows per
/// transaction: the log is walked from its oldest row (a row delivered before the cutoff was created before it), the
/// keys are found by their expiry's index.
/// </remarks>
internal sealed class WebhookEventRetention(Database database, IOptions<WebhookOptions> options)
{
    /// <summary>One bounded pass at <paramref name="now"/>; answers how many deliveries and keys it deleted.</summary>
    public async Task<(long Deliveries, long NoticeKeys)> RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.Value.DeliveredRetention is not { } keep)
        {
            return (0, 0);
        }

        var cutoff = (now - keep).ToUnixTimeMilliseconds();
        var batch = options.Value.CleanupBatchSize;
        var deliveries = await ChunkedDeletion.DeleteOldestAsync(
            database, "webhook_events", "created_at", "status = 'success' AND sent_at < @cutoff", cutoff, batch, cancellationToken).ConfigureAwait(false);
        var keys = await ChunkedDeletion.DeleteExpiredAsync(
            database, "webhook_notice_keys", "environment_id, dedupe_key", "expires_at", cutoff, batch, cancellationToken).ConfigureAwait(false);
        return (deliveries, keys);
    }
}
