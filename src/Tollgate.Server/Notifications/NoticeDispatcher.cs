using System.Text.Json.Nodes;
using Dapper;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// Turns the outbox's notices into deliveries: one <c>webhook_events</c> row per active endpoint subscribed to the
/// notice's type (and, for trigger types, to its feature or credit type), deleting the notice in the same transaction,
/// so a notice becomes its deliveries exactly once. Also raises <c>company.override.expired</c> for overrides past their
/// expiry. Callers hold <see cref="AdvisoryLockNames.WebhookNotices"/>.
/// </summary>
internal sealed class NoticeDispatcher(Database database, INoticeOutbox outbox, NoticeBodies bodies, TimeProvider time)
{
    private const int BatchSize = 200;

    /// <summary>
    /// Dispatches a batch of notices; answers how many were taken. Their bodies are described first, outside the write
    /// transaction (describing reads the store); the lock the caller holds keeps another node from taking them meanwhile.
    /// </summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        List<(string Id, string EnvironmentId, string RequestType, string? SubjectId, string Body, long CreatedAt)> notices;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            notices = [.. await connection.QueryAsync<(string Id, string EnvironmentId, string RequestType, string? SubjectId, string Body, long CreatedAt)>(new CommandDefinition(
                "SELECT id, environment_id, request_type, subject_id, body, created_at FROM webhook_notices ORDER BY seq LIMIT @limit",
                new { limit = BatchSize },
                cancellationToken: cancellationToken)).ConfigureAwait(false)];
        }

        var payloads = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var notice in notices)
        {
            var body = await bodies.RenderAsync(notice.EnvironmentId, notice.RequestType, notice.Body, cancellationToken).ConfigureAwait(false);
            payloads[notice.Id] = Payload(notice.EnvironmentId, notice.RequestType, body);
        }

        return await database.WriteAsync(
            async (connection, transaction) =>
            {
                var endpoints = new Dictionary<string, IReadOnlyList<WebhookRecord>>(StringComparer.Ordinal);
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var notice in notices)
                {
                    if (await connection.ExecuteAsync("DELETE FROM webhook_notices WHERE id = @Id", new { notice.Id }, transaction).ConfigureAwait(false) == 0)
                    {
                        continue;
                    }

                    if (!endpoints.TryGetValue(notice.EnvironmentId, out var active))
                    {
                        active = await WebhookStore.ActiveAsync(connection, transaction, notice.EnvironmentId).ConfigureAwait(false);
                        endpoints[notice.EnvironmentId] = active;
                    }

                    foreach (var webhook in active.Where(w => Subscribed(w, notice.RequestType, notice.SubjectId)))
                    {
                        await connection.ExecuteAsync(
                            """
                            INSERT INTO webhook_events (id, environment_id, webhook_id, request_type, payload, status, attempt_count, next_attempt_at, created_at, updated_at)
                            VALUES (@id, @environmentId, @webhookId, @requestType, @payload, 'pending', 0, @now, @now, @now)
                            """,
                            new
                            {
                                id = Ids.New("whev"),
                                environmentId = notice.EnvironmentId,
                                webhookId = webhook.Id,
                                requestType = notice.RequestType,
                                payload = payloads[notice.Id],
                                now,
                            },
                            transaction).ConfigureAwait(false);
                    }
                }

                return notices.Count;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Raises <c>company.override.expired</c> for each override whose expiry has come; answers how many.</summary>
    public async Task<int> ExpireOverridesAsync(CancellationToken cancellationToken)
    {
        var raised = 0;
        foreach (var (environmentId, overrideId, expiresAt) in await OverrideExpiries.DueAsync(database, time.GetUtcNow(), BatchSize, cancellationToken).ConfigureAwait(false))
        {
            raised += await database.WriteAsync(
                async (connection, transaction) =>
                {
                    if (!await OverrideExpiries.ClaimAsync(connection, transaction, environmentId, overrideId, expiresAt).ConfigureAwait(false))
                    {
                        return 0;
                    }

                    var record = await connection.QueryFirstOrDefaultAsync<string>(
                        "SELECT data FROM resources WHERE environment_id = @environmentId AND kind = @kind AND id = @overrideId",
                        new { environmentId, kind = ResourceKinds.CompanyOverride, overrideId },
                        transaction).ConfigureAwait(false);
                    if (record is null)
                    {
                        return 0;
                    }

                    var expired = StoredJson.Deserialize<CompanyOverrideRecord>(record);
                    await outbox.AppendAsync(connection, transaction, new Notice(environmentId, WebhookRequestTypes.CompanyOverrideExpired, expired.FeatureId, null, expired)).ConfigureAwait(false);
                    return 1;
                },
                cancellationToken).ConfigureAwait(false);
        }

        return raised;
    }

    /// <summary>
    /// Schematic's webhook structure: the request type as <c>action</c>, the environment, the object's type and the
    /// body. Built once per delivery, so every attempt sends (and signs) the same bytes.
    /// </summary>
    public static string Payload(string environmentId, string requestType, string body)
    {
        var payload = new JsonObject
        {
            ["action"] = requestType,
            ["account_id"] = Evaluation.EngineIds.Account,
            ["environment_id"] = environmentId,
            ["object_type"] = ObjectTypeOf(requestType),
            ["body"] = JsonNode.Parse(body),
        };
        return payload.ToJsonString();
    }

    private static string ObjectTypeOf(string requestType)
    {
        var dot = requestType.LastIndexOf('.');
        return (dot < 0 ? requestType : requestType[..dot]).Replace('.', '_');
    }

    private static bool Subscribed(WebhookRecord webhook, string requestType, string? subjectId)
    {
        if (!webhook.RequestTypes.Contains(requestType, StringComparer.Ordinal))
        {
            return false;
        }

        if (WebhookRequestTypes.IsEntitlementTrigger(requestType) && webhook.EntitlementTriggerConfigs.Count > 0)
        {
            return webhook.EntitlementTriggerConfigs.Any(c => string.Equals(c.FeatureId, subjectId, StringComparison.Ordinal));
        }

        if (WebhookRequestTypes.IsCreditTrigger(requestType) && webhook.CreditTriggerConfigs.Count > 0)
        {
            return webhook.CreditTriggerConfigs.Any(c => string.Equals(c.CreditId, subjectId, StringComparison.Ordinal));
        }

        return true;
    }
}
