using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Server.Subscriptions;

namespace Tollgate.Server.Api;

/// <summary>
/// Schematic's custom plans, custom plan billings, manage-plan (checkout), plan changes, plan prices
/// (<c>PUT /plans/{id}/billing_products</c>), entitlement duplication and plan traits. Secret keys only.
/// </summary>
internal static class SubscriptionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/custom-plans", async (HttpContext http, CustomPlanRequest body, CustomPlanService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await CatalogEndpoints.DescribeAsync(http, await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false), ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created))
            .WithTags("Plans");

        var billings = api.MapGroup("/custom-plan-billings").WithTags("Plans");
        billings.MapListAndCount<CustomPlanBillingRecord, CustomPlanBillingResponse>(SubscriptionKinds.CustomPlanBilling, SelectBillings, (b, _) => CustomPlanBillingResponse.From(b));
        billings.MapPut("/{billingId}/mark-paid", async (HttpContext http, string billingId, CustomPlanBillings service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(CustomPlanBillingResponse.From(await service.MarkPaidAsync(http.Scope(), billingId, ct).ConfigureAwait(false)))));
        billings.MapPut("/{billingId}/retry", async (HttpContext http, string billingId, RetryCustomPlanBillingRequest body, CustomPlanBillings service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(CustomPlanBillingResponse.From(await service.RetryAsync(http.Scope(), billingId, body, ct).ConfigureAwait(false)))));

        var manage = api.MapGroup("/manage-plan").WithTags("Checkout");
        manage.MapPost("/", async (HttpContext http, ManagePlanRequest body, ManagePlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new ManagePlanResponse(await DescribeAsync(http, await service.ManageAsync(http.Scope(), body, ct).ConfigureAwait(false), ct).ConfigureAwait(false), true))));
        manage.MapPost("/preview", async (HttpContext http, ManagePlanRequest body, ManagePlanService service, PlanPrices prices, TimeProvider time, CancellationToken ct) =>
        {
            var decision = await service.DecideAsync(http.Scope(), body, ct).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var preview = new SubscriptionChangePreview(
                0, 0, decision.ScheduleAt is not null, decision.ScheduleAt is null && decision.BasePlanId != decision.Company.BasePlanId ? decision.ToPrice ?? 0 : 0, false, false, 0,
                decision.Company.Subscription is { } period && period.PeriodEnd > now ? period.PeriodStart : now, false, 0, decision.ScheduleAt, null, []);
            return TypedResults.Ok(Envelope.Of(new ManagePlanPreviewResponse(preview)));
        });
        manage.MapPost("/subscription/cancel", async (HttpContext http, CancelSubscriptionRequest body, ManagePlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new ManagePlanResponse(await DescribeAsync(http, await service.CancelAsync(http.Scope(), body, ct).ConfigureAwait(false), ct).ConfigureAwait(false), true))));

        var changes = api.MapGroup("/plan-changes").WithTags("Companies");
        changes.MapListAndCount<PlanChangeRecord, PlanChangeResponse>(SubscriptionKinds.PlanChange, SelectChanges, DescribeChangesAsync);
        changes.MapGet("/{changeId}", async (HttpContext http, string changeId, ResourceStore store, CancellationToken ct) =>
        {
            var change = await store.GetAsync<PlanChangeRecord>(http.Scope().EnvironmentId, SubscriptionKinds.PlanChange, changeId, ct).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "plan change not found");
            return TypedResults.Ok(Envelope.Of((await DescribeChangesAsync(http, [change], ct).ConfigureAwait(false))[0]));
        });

        api.MapPut("/plans/{planId}/billing_products", async (HttpContext http, string planId, PlanBillingRequest body, PlanBillingService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(BillingProductPlanResponse.From(await service.UpsertAsync(http.Scope(), planId, body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))))
            .WithTags("Plans");

        api.MapPost("/plan-entitlements/duplicate", async (HttpContext http, DuplicateEntitlementsRequest body, CustomPlanService service, CancellationToken ct) =>
        {
            var catalog = await http.CatalogAsync(ct).ConfigureAwait(false);
            var (copied, skipped) = await service.DuplicateAsync(http.Scope(), body, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(new DuplicateEntitlementsResponse(
                [.. copied.Select(e => PlanEntitlementResponse.From(e, catalog.EnvironmentId))],
                [],
                [.. skipped.Select(s => new SkippedEntitlementResponse(
                    s.Source.Id, s.Source.FeatureId, catalog.Features.GetValueOrDefault(s.Source.FeatureId)?.Name ?? string.Empty, [new SkippedEntitlementError(s.Reason)]))])));
        }).WithTags("Plans");

        var traits = api.MapGroup("/plan-traits").WithTags("Plans");
        traits.MapListAndCount<PlanTraitRecord, PlanTraitResponse>(SubscriptionKinds.PlanTrait, SelectPlanTraits, DescribeTrait);
        traits.MapGet("/{planTraitId}", async (HttpContext http, string planTraitId, ResourceStore store, CancellationToken ct) =>
        {
            var trait = await store.GetAsync<PlanTraitRecord>(http.Scope().EnvironmentId, SubscriptionKinds.PlanTrait, planTraitId, ct).ConfigureAwait(false)
                ?? throw new RequestException(StatusCodes.Status404NotFound, "plan trait not found");
            return TypedResults.Ok(Envelope.Of(DescribeTrait(trait, await http.CatalogAsync(ct).ConfigureAwait(false))));
        });
        traits.MapPost("/bulk", async (HttpContext http, PlanTraitsBulkRequest body, PlanTraitService service, CancellationToken ct) =>
        {
            var written = await service.UpdateBulkAsync(http.Scope(), body, ct).ConfigureAwait(false);
            var catalog = await http.CatalogAsync(ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of<IReadOnlyList<PlanTraitResponse>>([.. written.Select(t => DescribeTrait(t, catalog))]));
        });
    }

    private static PlanTraitResponse DescribeTrait(PlanTraitRecord t, Evaluation.CatalogSnapshot catalog) => new(
        t.Id, catalog.EnvironmentId, catalog.EnvironmentId, t.PlanId, catalog.Plans.GetValueOrDefault(t.PlanId)?.PlanType == PlanType.AddOn ? "add_on" : "plan", t.TraitId, t.TraitValue,
        t.CreatedAt, t.UpdatedAt);

    private static Task<CompanyResponse> DescribeAsync(HttpContext http, CompanyRecord company, CancellationToken cancellationToken) =>
        http.RequestServices.GetRequiredService<EntityDescriber>().CompanyAsync(http.Scope(), company, cancellationToken);

    private static async ValueTask<IReadOnlyList<PlanChangeResponse>> DescribeChangesAsync(HttpContext http, IReadOnlyList<PlanChangeRecord> changes, CancellationToken cancellationToken)
    {
        var environmentId = http.Scope().EnvironmentId;
        var store = http.RequestServices.GetRequiredService<ResourceStore>();
        var companies = (await store.GetManyAsync<CompanyRecord>(environmentId, ResourceKinds.Company, changes.Select(c => c.CompanyId).ToHashSet(StringComparer.Ordinal), cancellationToken)
            .ConfigureAwait(false)).ToDictionary(c => c.Id, StringComparer.Ordinal);
        return [.. changes.Select(c => PlanChangeResponse.From(c, environmentId, companies.GetValueOrDefault(c.CompanyId)))];
    }

    /// <summary><c>company_id</c>, <c>plan_id</c>, <c>status</c>, <c>statuses</c>, <c>plan_billing_source</c>.</summary>
    private static ValueTask<Selection<CustomPlanBillingRecord>> SelectBillings(HttpContext http, ListQuery query, CancellationToken cancellationToken)
    {
        var planId = query.One("plan_id");
        var status = query.One("status");
        var statuses = query.Many("statuses");
        var source = query.One("plan_billing_source");
        return ValueTask.FromResult(new Selection<CustomPlanBillingRecord>(
            query.One("company_id"),
            b => (planId is null || b.PlanId == planId) && (status is null || b.Status == status) && (statuses.Count == 0 || statuses.Contains(b.Status))
                && (source is null || b.PlanBillingSource == source)));
    }

    /// <summary><c>company_id</c>, <c>company_ids</c>, <c>action</c>, <c>base_plan_action</c>.</summary>
    private static ValueTask<Selection<PlanChangeRecord>> SelectChanges(HttpContext http, ListQuery query, CancellationToken cancellationToken)
    {
        var companyIds = query.Many("company_ids");
        var action = query.One("action");
        var basePlanAction = query.One("base_plan_action");
        return ValueTask.FromResult(new Selection<PlanChangeRecord>(
            query.One("company_id"),
            c => (companyIds.Count == 0 || companyIds.Contains(c.CompanyId)) && (action is null || c.Action == action) && (basePlanAction is null || c.BasePlanAction == basePlanAction)));
    }

    /// <summary><c>plan_id</c>, <c>ids</c>, <c>trait_id</c>, <c>trait_ids</c>.</summary>
    private static ValueTask<Selection<PlanTraitRecord>> SelectPlanTraits(HttpContext http, ListQuery query, CancellationToken cancellationToken)
    {
        var ids = query.Many("ids");
        var traitId = query.One("trait_id");
        var traitIds = query.Many("trait_ids");
        return ValueTask.FromResult(new Selection<PlanTraitRecord>(
            query.One("plan_id"),
            t => (traitId is null || t.TraitId == traitId) && (traitIds.Count == 0 || traitIds.Contains(t.TraitId)),
            ids.Count == 0 ? null : ids));
    }
}
