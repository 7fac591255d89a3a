using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Credits;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// Turns a notice's stored body into the body Schematic sends for its request type, built by the same presenters the
/// API answers with (so a <c>feature.updated</c> body is what <c>GET /features/{id}</c> answers): management notices carry
/// the record as it was written (or deleted) and are described with the environment's catalog when dispatched; limit
/// notices (<c>WebFeatureUsageWebhookOutput</c>) get the feature as Schematic's <c>FeatureView</c> and the company as
/// <c>CompanyDetailResponseData</c>. Runs when a notice is dispatched, outside any write transaction: describing may
/// read the store and load the catalog.
/// </summary>
internal sealed partial class NoticeBodies(
    RuntimeRegistry runtimes, EntityDescriber entities, ResourceStore store, CompanyDirectory directory, CreditTypeService creditTypes, ILogger<NoticeBodies> logger)
{
    /// <summary>The body to send; the stored one when the type has no richer shape or the record can no longer be described.</summary>
    public async Task<string> RenderAsync(string environmentId, string requestType, string body, CancellationToken cancellationToken)
    {
        try
        {
            return await RenderCoreAsync(environmentId, requestType, body, cancellationToken).ConfigureAwait(false) is { } rendered
                ? JsonSerializer.Serialize(rendered, NoticeOutbox.BodyJson)
                : body;
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException or KeyNotFoundException or Requests.RequestException)
        {
            // A body the presenters cannot read (a record written by an older version) is still delivered, as stored.
            LogNotDescribed(exception, requestType);
            return body;
        }
    }

    private async Task<object?> RenderCoreAsync(string environmentId, string requestType, string body, CancellationToken cancellationToken)
    {
        var scope = new RequestScope(environmentId, null, ApiKeyKind.Secret);
        switch (requestType)
        {
            case "company.created" or "company.updated" or "company.deleted":
                return await entities.CompanyAsync(scope, StoredJson.Deserialize<CompanyRecord>(body), cancellationToken).ConfigureAwait(false);
            case "user.created" or "user.updated" or "user.deleted":
                return await entities.UserAsync(scope, StoredJson.Deserialize<UserRecord>(body), cancellationToken).ConfigureAwait(false);
            case "company.override.created" or "company.override.updated" or "company.override.deleted" or WebhookRequestTypes.CompanyOverrideExpired:
                return CompanyOverrideResponse.From(StoredJson.Deserialize<CompanyOverrideRecord>(body), environmentId);
            case "feature.created" or "feature.updated" or "feature.deleted":
                return FeatureResponse.From(StoredJson.Deserialize<FeatureRecord>(body), await CatalogAsync(environmentId, cancellationToken).ConfigureAwait(false));
            case "flag.created" or "flag.updated" or "flag.deleted":
                return FlagResponse.From(StoredJson.Deserialize<FlagRecord>(body), environmentId);
            case "plan.created" or "plan.updated" or "plan.deleted":
                return await PlanAsync(environmentId, StoredJson.Deserialize<PlanRecord>(body), cancellationToken).ConfigureAwait(false);
            case "plan.entitlement.created" or "plan.entitlement.updated" or "plan.entitlement.deleted":
                return PlanEntitlementResponse.From(StoredJson.Deserialize<PlanEntitlementRecord>(body), environmentId);
            case "plan_version.deleted":
                var version = StoredJson.Deserialize<PlanVersionRecord>(body);
                var catalog = await CatalogAsync(environmentId, cancellationToken).ConfigureAwait(false);
                return catalog.Plans.TryGetValue(version.PlanId, out var plan) ? PlanVersionResponse.From(version, plan, environmentId) : null;
            case WebhookRequestTypes.CompanyScheduledDowngrade:
                return await ScheduledDowngradeAsync(environmentId, StoredJson.Deserialize<ScheduledDowngradeNotice>(body), cancellationToken).ConfigureAwait(false);
            case Lifecycle.LifecycleEventTypes.CompanyPlanChanged:
                return await PlanChangedAsync(environmentId, StoredJson.Deserialize<Subscriptions.PlanChangeRecord>(body), cancellationToken).ConfigureAwait(false);
            case Lifecycle.LifecycleEventTypes.TrialEnded:
                return await CompanyAsync(environmentId, JsonNode.Parse(body)!["company_id"]!.GetValue<string>(), cancellationToken).ConfigureAwait(false) is { } trialing
                    && Lifecycle.CompanySubscription.Of(trialing) is { } subscription
                    ? Lifecycle.BillingSubscriptionViewResponse.From(subscription)
                    : null;
            default:
                return WebhookRequestTypes.IsEntitlementTrigger(requestType) || WebhookRequestTypes.IsCreditTrigger(requestType)
                    ? await UsageAsync(scope, body, cancellationToken).ConfigureAwait(false)
                    : null;
        }
    }

    private async Task<PlanResponse> PlanAsync(string environmentId, PlanRecord plan, CancellationToken cancellationToken)
    {
        var catalog = await CatalogAsync(environmentId, cancellationToken).ConfigureAwait(false);
        // From the company directory's tallies: a plan notice never counts the environment's companies.
        var companies = await directory.CompaniesPerPlanAsync(environmentId, cancellationToken).ConfigureAwait(false);
        return PlanResponse.From(
            plan, catalog, companies.GetValueOrDefault(plan.Id), null, Lifecycle.PlanGroupRecord.FactsOf(catalog.PlanGroup, plan.Id));
    }

    /// <summary>
    /// <c>WebFeatureUsageWebhookOutput</c> (<see cref="FeatureUsageBody"/>): the stored crossing with <c>Feature</c> as a
    /// <c>FeatureView</c>, <c>company</c> as <c>CompanyDetailResponseData</c> and, for credits, the credit type's name and
    /// icon in <c>CreditUsage</c>.
    /// </summary>
    private async Task<JsonObject> UsageAsync(RequestScope scope, string body, CancellationToken cancellationToken)
    {
        var usage = JsonNode.Parse(body)?.AsObject() ?? throw new InvalidDataException("A limit notice's body is not an object.");
        var catalog = await CatalogAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        if (usage["Feature"]?["id"]?.GetValue<string>() is { } featureId && catalog.Features.TryGetValue(featureId, out var feature))
        {
            var view = JsonSerializer.SerializeToNode(FeatureResponse.From(feature, catalog), NoticeOutbox.BodyJson)!.AsObject();
            // FeatureView and each of its FlagViews carry the account (the SDK's types require it).
            view["account_id"] = EngineIds.Account;
            foreach (var flag in view["flags"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                flag["account_id"] = EngineIds.Account;
            }

            usage["Feature"] = view;
        }

        if (usage["company"]?["id"]?.GetValue<string>() is { } companyId
            && await CompanyAsync(scope.EnvironmentId, companyId, cancellationToken).ConfigureAwait(false) is { } company)
        {
            usage["company"] = JsonSerializer.SerializeToNode(await entities.CompanyAsync(scope, company, cancellationToken).ConfigureAwait(false), NoticeOutbox.BodyJson);
        }

        if (usage["CreditUsage"] is JsonObject credit && usage["credit_id"]?.GetValue<string>() is { } creditId
            && await creditTypes.FindAsync(scope.EnvironmentId, creditId, cancellationToken).ConfigureAwait(false) is { } type)
        {
            credit["credit_type_name"] = type.Name;
            credit["credit_type_icon"] = type.Icon;
        }

        return usage;
    }

    /// <summary>Schematic's <c>WebScheduledDowngradeWebhookOutput</c>.</summary>
    private async Task<object> ScheduledDowngradeAsync(string environmentId, ScheduledDowngradeNotice notice, CancellationToken cancellationToken)
    {
        var catalog = await CatalogAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var company = await CompanyAsync(environmentId, notice.CompanyId, cancellationToken).ConfigureAwait(false);
        var scheduled = notice.Scheduled;
        return new
        {
            id = scheduled.Id,
            execute_after = scheduled.EffectiveAfter,
            from_plan = Snapshot(catalog, scheduled.FromPlanId),
            to_plan = Snapshot(catalog, scheduled.ToPlanId),
            scheduled_interval = scheduled.Interval,
            scheduled_price = scheduled.ToPrice,
            company = company is null ? null : Summary(environmentId, company),
        };
    }

    /// <summary>
    /// Schematic's <c>PlanChangeResponseData</c> from the plan change record written with the company (the plans and
    /// versions as they were then, the action and actor), presented as <c>GET /plan-changes/{id}</c> presents it.
    /// </summary>
    private async Task<object> PlanChangedAsync(string environmentId, Subscriptions.PlanChangeRecord change, CancellationToken cancellationToken) =>
        Subscriptions.PlanChangeResponse.From(change, environmentId, await CompanyAsync(environmentId, change.CompanyId, cancellationToken).ConfigureAwait(false));

    /// <summary>Schematic's <c>PlanSnapshotView</c> of a plan the catalog has; null for none.</summary>
    private static object? Snapshot(CatalogSnapshot catalog, string? planId) =>
        planId is not null && catalog.Plans.TryGetValue(planId, out var plan)
            ? new { id = plan.Id, name = plan.Name, description = plan.Description ?? string.Empty, icon = string.Empty, deleted = false }
            : null;

    /// <summary>Schematic's <c>CompanyResponseData</c>.</summary>
    private static object Summary(string environmentId, CompanyRecord company) => new
    {
        id = company.Id,
        environment_id = environmentId,
        name = company.Name ?? string.Empty,
        created_at = company.CreatedAt,
        updated_at = company.UpdatedAt,
        last_seen_at = company.LastSeenAt,
        logo_url = (string?)null,
    };

    private Task<CompanyRecord?> CompanyAsync(string environmentId, string companyId, CancellationToken cancellationToken) =>
        store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyId, cancellationToken);

    private ValueTask<CatalogSnapshot> CatalogAsync(string environmentId, CancellationToken cancellationToken) => runtimes.For(environmentId).CatalogAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {RequestType} notice's record could not be described; it is delivered as stored")]
    private partial void LogNotDescribed(Exception exception, string requestType);
}
