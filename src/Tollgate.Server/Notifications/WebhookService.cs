using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>Webhook endpoints (<c>/webhooks</c>) and their delivery log (<c>/webhook-events</c>).</summary>
internal sealed class WebhookService(
    WebhookStore store, WebhookWrites writes, WebhookEventLog log, WebhookSender sender, UsageThresholds thresholds, CreditThresholds creditThresholds, WebhookWakeSignal wake, TimeProvider time)
{
    public Task<IReadOnlyList<WebhookRecord>> ListAsync(RequestScope scope, string? q, Paging paging, CancellationToken cancellationToken) =>
        store.ListAsync(scope.EnvironmentId, q, paging.Limit, paging.Offset, cancellationToken);

    public Task<long> CountAsync(RequestScope scope, string? q, CancellationToken cancellationToken) => store.CountAsync(scope.EnvironmentId, q, cancellationToken);

    public async Task<WebhookRecord> GetAsync(RequestScope scope, string id, CancellationToken cancellationToken) =>
        await store.GetAsync(scope.EnvironmentId, id, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "webhook not found");

    public async Task<WebhookRecord> CreateAsync(RequestScope scope, CreateWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var webhook = new WebhookRecord
        {
            Id = Ids.New("wh"),
            Name = Validate.Required(Validate.Bounded(request.Name, "name"), "name"),
            Url = CheckUrl(request.Url),
            Secret = Ids.Secret(40),
            RequestTypes = CheckRequestTypes(request.RequestTypes ?? throw new RequestException(StatusCodes.Status400BadRequest, "request_types: is required")),
            EntitlementTriggerConfigs = CheckConfigs(request.EntitlementTriggerConfigs, "entitlement_trigger_configs", "feature_id", c => c.FeatureId),
            CreditTriggerConfigs = CheckConfigs(request.CreditTriggerConfigs, "credit_trigger_configs", "credit_id", c => c.CreditId),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await writes.InsertAsync(scope, webhook, cancellationToken).ConfigureAwait(false);
        await WatchAsync(cancellationToken).ConfigureAwait(false);
        return webhook;
    }

    public async Task<WebhookRecord> UpdateAsync(RequestScope scope, string id, UpdateWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = request.Status is null
            ? null
            : Validate.OneOf(request.Status, "status", (WebhookStatuses.Active, WebhookStatuses.Active), (WebhookStatuses.Inactive, WebhookStatuses.Inactive));
        var name = request.Name is null ? null : Validate.Required(Validate.Bounded(request.Name, "name"), "name");
        var url = request.Url is null ? null : CheckUrl(request.Url);
        var requestTypes = request.RequestTypes is null ? null : CheckRequestTypes(request.RequestTypes);
        var entitlementConfigs = request.EntitlementTriggerConfigs is null
            ? null
            : CheckConfigs(request.EntitlementTriggerConfigs, "entitlement_trigger_configs", "feature_id", c => c.FeatureId);
        var creditConfigs = request.CreditTriggerConfigs is null
            ? null
            : CheckConfigs(request.CreditTriggerConfigs, "credit_trigger_configs", "credit_id", c => c.CreditId);
        var now = time.GetUtcNow();
        var after = await writes.UpdateAsync(
            scope,
            id,
            before => before with
            {
                Name = name ?? before.Name,
                Url = url ?? before.Url,
                RequestTypes = requestTypes ?? before.RequestTypes,
                EntitlementTriggerConfigs = entitlementConfigs ?? before.EntitlementTriggerConfigs,
                CreditTriggerConfigs = creditConfigs ?? before.CreditTriggerConfigs,
                Status = status ?? before.Status,

                // Activated again by a user: the worker's reason no longer holds.
                DisabledReason = (status ?? before.Status) == WebhookStatuses.Active ? null : before.DisabledReason,
                UpdatedAt = now,
            },
            cancellationToken).ConfigureAwait(false) ?? throw new RequestException(StatusCodes.Status404NotFound, "webhook not found");

        await WatchAsync(cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<bool> DeleteAsync(RequestScope scope, string id, CancellationToken cancellationToken)
    {
        var deleted = await writes.DeleteAsync(scope, id, cancellationToken).ConfigureAwait(false);
        await WatchAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Sends one signed notice of the request's type (<c>test.send</c> by default) to the endpoint now, outside the outbox, and answers how it went.</summary>
    public async Task<TestWebhookResponse> TestAsync(RequestScope scope, string id, TestWebhookRequest? request, CancellationToken cancellationToken)
    {
        var webhook = await GetAsync(scope, id, cancellationToken).ConfigureAwait(false);
        var requestType = request?.RequestType is { } asked ? CheckRequestTypes([asked], "request_type")[0] : WebhookRequestTypes.TestSend;
        var body = System.Text.Json.JsonSerializer.Serialize(new { webhook_id = webhook.Id, test = true }, NoticeOutbox.BodyJson);
        var outcome = await sender.SendAsync(webhook, NoticeDispatcher.Payload(scope.EnvironmentId, requestType, body), cancellationToken).ConfigureAwait(false);
        return new TestWebhookResponse(outcome.Success, outcome.ResponseCode ?? 0, outcome.Error);
    }

    public async Task<(IReadOnlyList<WebhookEventResponse> Events, long Count)> EventsAsync(
        RequestScope scope, string? webhookId, IReadOnlyList<string>? ids, Paging? paging, CancellationToken cancellationToken)
    {
        if (paging is not { } page)
        {
            return ([], await log.CountAsync(scope.EnvironmentId, webhookId, ids, cancellationToken).ConfigureAwait(false));
        }

        var rows = await log.ListAsync(scope.EnvironmentId, webhookId, ids, page.Limit, page.Offset, cancellationToken).ConfigureAwait(false);
        return ([.. rows.Select(r => r.ToResponse(null))], rows.Count);
    }

    public async Task<WebhookEventResponse> EventAsync(RequestScope scope, string id, CancellationToken cancellationToken)
    {
        var row = await log.GetAsync(scope.EnvironmentId, id, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "webhook event not found");
        return row.ToResponse(await store.GetAsync(scope.EnvironmentId, row.WebhookId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A manual retry: the delivery is attempted again on the worker's next pass, whatever its status.</summary>
    public async Task<WebhookEventResponse> RetryAsync(RequestScope scope, string id, CancellationToken cancellationToken)
    {
        if (!await log.RetryAsync(scope.EnvironmentId, id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            Errors.NotFound("webhook event");
        }

        wake.Wake();
        return await EventAsync(scope, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Usage starts (or stops) being watched on this node as soon as the endpoint is written; other nodes follow on
    /// their worker's next pass.
    /// </summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        thresholds.Watch(await store.EnvironmentsSubscribedAsync(UsageThresholds.Types, cancellationToken).ConfigureAwait(false));
        creditThresholds.Watch(await store.EnvironmentsSubscribedAsync(CreditThresholds.Types, cancellationToken).ConfigureAwait(false));
        wake.Wake();
    }

    private static string CheckUrl(string? url)
    {
        var text = Validate.Required(url, "url");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Errors.BadRequest("url", "must be an absolute http or https URL");
        }

        return text;
    }

    private static List<string> CheckRequestTypes(IReadOnlyList<string> types, string field = "request_types")
    {
        if (types.Count == 0 && field == "request_types")
        {
            Errors.BadRequest(field, "must name at least one request type");
        }

        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] is null || !WebhookRequestTypes.All.Contains(types[i]))
            {
                Errors.BadRequest(field == "request_types" ? $"request_types[{i}]" : field, $"'{types[i]}' is not a webhook request type");
            }
        }

        return [.. types.Distinct(StringComparer.Ordinal)];
    }

    private static List<T> CheckConfigs<T>(IReadOnlyList<T>? configs, string field, string idField, Func<T, string?> id)
    {
        var list = configs ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null || string.IsNullOrWhiteSpace(id(list[i])))
            {
                Errors.BadRequest($"{field}[{i}].{idField}", "is required");
            }
        }

        return [.. list];
    }
}
