using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// Every write of a webhook endpoint, by a person (the API, the console) or by the delivery worker, each in one
/// transaction with its audit entry. The entry leaves the signing secret out: the audit log is read by every console
/// role that may read the log, and the secret is shown only once, to whoever made the endpoint.
/// </summary>
internal sealed class WebhookWrites(Database database, WebhookStore store, AuditLog audit)
{
    /// <summary>The audit log's resource type of an endpoint.</summary>
    public const string ResourceType = "webhook";

    /// <summary>What an audit entry holds in place of the secret.</summary>
    public const string RedactedSecret = "[redacted]";

    public Task InsertAsync(RequestScope scope, WebhookRecord webhook, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await WebhookStore.InsertAsync(connection, transaction, scope.EnvironmentId, webhook).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "create", ResourceType, webhook.Id, null, null, Redacted(webhook))
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the endpoint as stored now; answers the endpoint as written, or null when
    /// the environment has no such endpoint.
    /// </summary>
    public Task<WebhookRecord?> UpdateAsync(RequestScope scope, string id, Func<WebhookRecord, WebhookRecord> change, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                if (await store.GetForUpdateAsync(connection, transaction, scope.EnvironmentId, id).ConfigureAwait(false) is not { } before)
                {
                    return null;
                }

                var after = change(before);
                await WebhookStore.UpdateAsync(connection, transaction, scope.EnvironmentId, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "update", ResourceType, id, null, Redacted(before), Redacted(after))
                    .ConfigureAwait(false);
                return after;
            },
            cancellationToken);

    /// <summary>Answers whether the environment had the endpoint.</summary>
    public Task<bool> DeleteAsync(RequestScope scope, string id, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                if (await store.GetForUpdateAsync(connection, transaction, scope.EnvironmentId, id).ConfigureAwait(false) is not { } before)
                {
                    return false;
                }

                await WebhookStore.DeleteAsync(connection, transaction, scope.EnvironmentId, id).ConfigureAwait(false);
                await audit.RecordAsync<WebhookRecord>(connection, transaction, scope, scope.EnvironmentId, "delete", ResourceType, id, null, Redacted(before), null)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>
    /// The worker disables an endpoint that keeps failing, saying why in the document; audited with no user. The
    /// endpoint is read again here, so a change a person made since the worker's pass began is kept.
    /// </summary>
    public Task DisableAsync(string id, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                if (await store.GetForUpdateAsync(connection, transaction, id).ConfigureAwait(false) is not { } found)
                {
                    return false;
                }

                var (before, environmentId) = found;

                var after = before with { Status = WebhookStatuses.Inactive, DisabledReason = reason, UpdatedAt = now };
                await WebhookStore.UpdateAsync(connection, transaction, environmentId, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, null, environmentId, "update", ResourceType, id, null, Redacted(before), Redacted(after))
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    private static WebhookRecord Redacted(WebhookRecord webhook) => webhook with { Secret = RedactedSecret };
}
