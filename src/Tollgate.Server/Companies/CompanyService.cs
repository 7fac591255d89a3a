using System.Data.Common;
using System.Text.Json;
using Tollgate.Engine.Model;
using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Lifecycle;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>Companies: upsert by keys, plans, traits, delete. Each write commits with its audit record, then the warm view is dropped.</summary>
internal sealed class CompanyService(
    ResourceStore store,
    AuditLog audit,
    RuntimeRegistry runtimes,
    ChangeFeed changes,
    TraitDefinitionService traits,
    EntityWriter entities,
    Notifications.INoticeOutbox notices,
    Subscriptions.PlanChangeLog planChanges,
    TimeProvider time)
{
    public const int MaxKeys = 20;
    public const int MaxTraits = 200;

    /// <summary>
    /// Creates or updates the company the keys name. An event's upsert passes its <paramref name="rules"/>: they are
    /// checked against the stored company inside the transaction, and name the event's fields in messages.
    /// </summary>
    public async Task<CompanyRecord> UpsertAsync(
        RequestScope scope, UpsertCompanyRequest request, bool createOnly, CancellationToken cancellationToken, EventWriteRules? rules = null)
    {
        var keysField = rules?.KeysField ?? "keys";
        var keys = CheckKeys(request.Keys, keysField);
        CheckTraits(request.Traits, rules?.TraitsField ?? "traits");
        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        CheckPlans(catalog, request.BasePlanId, request.AddOnIds);
        var subscription = CheckSubscription(request.Subscription);
        var catalogChanged = false;
        var result = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var existingId = await EntityKeys.FindAsync(connection, transaction, scope.EnvironmentId, EntityKeys.Company, keys).ConfigureAwait(false);
                var before = existingId is null ? null : await store.GetForUpdateAsync<CompanyRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.Company, existingId).ConfigureAwait(false);
                if (before is not null && createOnly)
                {
                    Errors.Conflict("keys", "a company with these keys already exists");
                }

                if (before is null && request.UpdateOnly == true)
                {
                    Errors.NotFound("company");
                }

                rules?.CheckCompany(before, keys, request.Name, request.Traits);
                var now = time.GetUtcNow();

                // Every new company starts on the plan group's default plan unless the request names one.
                var basePlanId = request.BasePlanId ?? before?.BasePlanId ?? (before is null ? catalog.DefaultPlanId : null);

                var after = new CompanyRecord
                {
                    Id = before?.Id ?? Ids.New("comp"),
                    Name = request.Name is null ? before?.Name : Validate.Bounded(request.Name, "name"),
                    Keys = EntityKeys.Merge(before?.Keys, keys),
                    Traits = TraitChange.Merge(before?.Traits, request.Traits),
                    BasePlanId = basePlanId,
                    AddOnIds = request.AddOnIds ?? before?.AddOnIds ?? [],
                    Subscription = subscription ?? before?.Subscription,
                    Billing = before?.Billing,
                    CreatedAt = before?.CreatedAt ?? now,
                    UpdatedAt = now,
                    LastSeenAt = request.LastSeenAt ?? before?.LastSeenAt,
                };
                CustomPlans.EnsureAssignable(catalog, after.Id, request.BasePlanId);
                after = CompanyPlanVersions.Assign(catalog, before, after, now);
                CheckKeyCount(after.Keys, keysField, "company");
                await EntityKeys.EnsureFreeAsync(connection, transaction, scope.EnvironmentId, EntityKeys.Company, after.Id, after.Keys).ConfigureAwait(false);
                catalogChanged = await traits.EnsureDefinedAsync(connection, transaction, scope, catalog, EntityType.Company, after.Traits, rules?.TraitsField).ConfigureAwait(false);
                // A change of plans the request asked for is kept in the plan change log; one it did not name is told only.
                var planChange = request.BasePlanId is not null || request.AddOnIds is not null
                    ? Subscriptions.PlanChangeCause.AskedInCompanyWrite(scope)
                    : Subscriptions.PlanChangeCause.CompanyWrite(scope);
                await SaveAsync(connection, transaction, scope, catalog, before, after, planChange).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
        await AfterWriteAsync(runtime, result.Id, catalogChanged, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<CompanyRecord> SetPlansAsync(RequestScope scope, string companyId, CompanyPlansRequest request, CancellationToken cancellationToken)
    {
        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        CheckPlans(catalog, request.BasePlanId, request.AddOnIds);
        var result = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = await store.GetForUpdateAsync<CompanyRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.Company, companyId).ConfigureAwait(false)
                    ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");
                CustomPlans.EnsureAssignable(catalog, before.Id, request.BasePlanId);
                var now = time.GetUtcNow();
                var after = CompanyPlanVersions.Assign(catalog, before, before with { BasePlanId = request.BasePlanId, AddOnIds = request.AddOnIds ?? [], UpdatedAt = now }, now);
                await SaveAsync(connection, transaction, scope, catalog, before, after, Subscriptions.PlanChangeCause.AskedInCompanyWrite(scope)).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
        await AfterWriteAsync(runtime, companyId, false, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Writes a company on behalf of a sync (the Stripe connector) through the same path as every other company write:
    /// keys checked free, trait definitions made for new traits, an audit record in the same transaction, and the warm
    /// view dropped on every node. <paramref name="change"/> gets the catalog, the stored company (null when
    /// <paramref name="companyId"/> is null or names none) and the time, and answers the record to store (plan versions
    /// already assigned) or null to leave it. A record equal to the stored one but for its write times
    /// (<c>updated_at</c>, <c>billing.synced_at</c>) is not written. <paramref name="planChange"/> says why its plans
    /// change, if they do (a company write's <c>company_upsert</c> without it). Answers what was written, or null.
    /// </summary>
    internal async Task<CompanyRecord?> WriteSyncedAsync(
        RequestScope scope,
        string? companyId,
        Func<CatalogSnapshot, CompanyRecord?, DateTimeOffset, CompanyRecord?> change,
        CancellationToken cancellationToken,
        Subscriptions.PlanChangeCause? planChange = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var catalogChanged = false;
        var written = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = companyId is null ? null : await store.GetForUpdateAsync<CompanyRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.Company, companyId).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var after = change(catalog, before, now);
                if (after is null || (before is not null && SameButForWriteTimes(before, after)))
                {
                    return null;
                }

                after = after with { CreatedAt = before?.CreatedAt ?? now, UpdatedAt = now };
                if (before is null && after.BasePlanId is null && catalog.DefaultPlanId is { } defaultPlan)
                {
                    // A company the sync creates (Stripe import) starts on the default plan when Stripe names none.
                    var versions = new Dictionary<string, string>(after.PlanVersions, StringComparer.Ordinal);
                    if (catalog.PublishedVersionOf(defaultPlan) is { } published)
                    {
                        versions[defaultPlan] = published.Id;
                    }

                    after = after with { BasePlanId = defaultPlan, PlanVersions = versions };
                }

                await EntityKeys.EnsureFreeAsync(connection, transaction, scope.EnvironmentId, EntityKeys.Company, after.Id, after.Keys).ConfigureAwait(false);
                catalogChanged = await traits.EnsureDefinedAsync(connection, transaction, scope, catalog, EntityType.Company, after.Traits).ConfigureAwait(false);
                await SaveAsync(connection, transaction, scope, catalog, before, after, planChange ?? Subscriptions.PlanChangeCause.CompanyWrite(scope)).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
        if (written is not null)
        {
            await AfterWriteAsync(runtime, written.Id, catalogChanged, cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    public Task<CompanyRecord> ChangeTraitAsync(RequestScope scope, TraitChangeRequest request, CancellationToken cancellationToken) =>
        entities.ChangeTraitAsync(scope, EntityKinds.Company, request, cancellationToken);

    public Task<bool> DeleteAsync(RequestScope scope, string companyId, CancellationToken cancellationToken) =>
        entities.DeleteAsync(scope, EntityKinds.Company, companyId, cancellationToken);

    /// <summary>A company as it is now: plan version moves that have come due are shown as made.</summary>
    public async Task<CompanyRecord> GetAsync(RequestScope scope, string companyId, CancellationToken cancellationToken) =>
        CompanyPlanVersions.Settle(await GetStoredAsync(scope, companyId, cancellationToken).ConfigureAwait(false), time.GetUtcNow());

    public static IReadOnlyDictionary<string, string> CheckKeys(IReadOnlyDictionary<string, string>? keys, string field)
    {
        if (keys is null || keys.Count == 0)
        {
            Errors.BadRequest(field, "must name at least one key, e.g. {\"id\": \"acme\"}");
        }

        if (keys.Count > MaxKeys)
        {
            Errors.BadRequest(field, $"at most {MaxKeys} keys");
        }

        foreach (var (key, value) in keys)
        {
            Validate.Required(key, $"{field} key");
            Validate.Required(value, $"{field}.{key}");
        }

        return keys;
    }

    /// <summary>An entity holds at most <see cref="MaxKeys"/> keys, however many upserts added them.</summary>
    public static void CheckKeyCount(IReadOnlyDictionary<string, string> keys, string field, string entity)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count > MaxKeys)
        {
            Errors.BadRequest(field, $"a {entity} holds at most {MaxKeys} keys; this would give it {keys.Count}");
        }
    }

    public static void CheckTraits(IReadOnlyDictionary<string, JsonElement>? traits, string field)
    {
        if (traits is null)
        {
            return;
        }

        if (traits.Count > MaxTraits)
        {
            Errors.BadRequest(field, $"at most {MaxTraits} traits");
        }

        foreach (var (name, value) in traits)
        {
            Validate.Required(name, $"{field} name");
            if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                Errors.BadRequest($"{field}.{name}", "must be a string, number, boolean or null");
            }
        }
    }

    private async Task<CompanyRecord> GetStoredAsync(RequestScope scope, string companyId, CancellationToken cancellationToken) =>
        await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "company not found");

    private static void CheckPlans(CatalogSnapshot catalog, string? basePlanId, IReadOnlyList<string>? addOnIds)
    {
        if (basePlanId is not null && !(catalog.Plans.TryGetValue(basePlanId, out var basePlan) && basePlan.PlanType == PlanType.Plan))
        {
            Errors.BadRequest("base_plan_id", "must name an existing plan (not an add-on)");
        }

        foreach (var (addOn, i) in (addOnIds ?? []).Select((a, i) => (a, i)))
        {
            if (addOn is null || !(catalog.Plans.TryGetValue(addOn, out var plan) && plan.PlanType == PlanType.AddOn))
            {
                Errors.BadRequest($"add_on_ids[{i}]", "must name an existing add-on");
            }
        }
    }

    private static SubscriptionPeriod? CheckSubscription(SubscriptionRequest? request)
    {
        if (request is null)
        {
            return null;
        }

        if (request.PeriodStart is null || request.PeriodEnd is null)
        {
            Errors.BadRequest("subscription", "needs period_start and period_end");
        }

        var (start, end) = (request.PeriodStart.Value, request.PeriodEnd.Value);

        if (end <= start)
        {
            Errors.BadRequest("subscription.period_end", "must be after period_start");
        }

        return new SubscriptionPeriod(request.Id ?? "sub", start.ToUniversalTime(), end.ToUniversalTime());
    }

    private async Task SaveAsync(
        DbConnection connection, DbTransaction transaction, RequestScope scope, CatalogSnapshot catalog, CompanyRecord? before, CompanyRecord after, Subscriptions.PlanChangeCause planChange)
    {
        await EntityKeys.ReplaceAsync(connection, transaction, scope.EnvironmentId, EntityKeys.Company, after.Id, after.Keys).ConfigureAwait(false);
        await store.PutAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.Company, after.Id, null, null, after).ConfigureAwait(false);
        await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", ResourceKinds.Company, after.Id, after.Id, before, after).ConfigureAwait(false);
        await LifecycleRecorder.RecordAsync(connection, transaction, notices, scope.EnvironmentId, before, after, time.GetUtcNow()).ConfigureAwait(false);
        await planChanges.RecordAsync(connection, transaction, scope, planChange, catalog, before, after).ConfigureAwait(false);
    }

    private static bool SameButForWriteTimes(CompanyRecord before, CompanyRecord after)
    {
        static string Comparable(CompanyRecord r) =>
            StoredJson.Serialize(r with { UpdatedAt = default, Billing = r.Billing is null ? null : r.Billing with { SyncedAt = default } });
        return Comparable(before) == Comparable(after);
    }

    private async Task AfterWriteAsync(EnvironmentRuntime runtime, string companyId, bool catalogChanged, CancellationToken cancellationToken)
    {
        if (catalogChanged)
        {
            await changes.PublishAsync(new Change(runtime.EnvironmentId, ChangeKind.Catalog, [])).ConfigureAwait(false);
        }

        await changes.PublishAsync(new Change(runtime.EnvironmentId, ChangeKind.Company, [companyId])).ConfigureAwait(false);
    }
}
