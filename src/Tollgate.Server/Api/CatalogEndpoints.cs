using Tollgate.Server.Catalog;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>Features, flags, trait definitions, plans and plan entitlements (Schematic's paths where they exist).</summary>
internal static class CatalogEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var features = api.MapGroup("/features").WithTags("Features");
        features.MapListAndCount<FeatureRecord, FeatureResponse>(ResourceKinds.Feature, ListEndpoints.All<FeatureRecord>, FeatureResponse.From);
        features.MapPost("/", async (HttpContext http, FeatureRequest body, FeatureService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await DescribeAsync(http, await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false), ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        features.MapGet("/{featureId}", async (HttpContext http, string featureId, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.GetAsync(http.Scope(), featureId, ct).ConfigureAwait(false), ct).ConfigureAwait(false))));
        features.MapPut("/{featureId}", async (HttpContext http, string featureId, FeatureRequest body, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.UpdateAsync(http.Scope(), featureId, body, ct).ConfigureAwait(false), ct).ConfigureAwait(false))));
        features.MapDelete("/{featureId}", async (HttpContext http, string featureId, FeatureService service, CancellationToken ct) =>
            Deleted(await service.DeleteAsync(http.Scope(), featureId, ct).ConfigureAwait(false), "feature"));

        var flags = api.MapGroup("/flags").WithTags("Flags");
        flags.MapListAndCount<FlagRecord, FlagResponse>(ResourceKinds.Flag, ListEndpoints.All<FlagRecord>, (flag, catalog) => FlagResponse.From(flag, catalog.EnvironmentId));
        flags.MapGet("/{flagId}", async (HttpContext http, string flagId, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(FlagResponse.From(await service.GetFlagAsync(http.Scope(), flagId, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));
        flags.MapPut("/{flagId}/rules", async (HttpContext http, string flagId, FlagRulesRequest body, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(FlagResponse.From(await service.UpdateRulesAsync(http.Scope(), flagId, body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));

        TraitDefinitionEndpoints.Map(api);

        var plans = api.MapGroup("/plans").WithTags("Plans");
        plans.MapListAndCount<PlanRecord, PlanResponse>(ResourceKinds.Plan, ListEndpoints.All<PlanRecord>, DescribeAsync);
        plans.MapPost("/", async (HttpContext http, PlanRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await DescribeAsync(http, await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false), ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        plans.MapGet("/{planId}", async (HttpContext http, string planId, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.GetAsync(http.Scope(), planId, ct).ConfigureAwait(false), ct).ConfigureAwait(false))));
        plans.MapPut("/{planId}", async (HttpContext http, string planId, PlanRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await DescribeAsync(http, await service.UpdateAsync(http.Scope(), planId, body, ct).ConfigureAwait(false), ct).ConfigureAwait(false))));
        plans.MapDelete("/{planId}", async (HttpContext http, string planId, PlanService service, CancellationToken ct) =>
            Deleted(await service.DeleteAsync(http.Scope(), planId, ct).ConfigureAwait(false), "plan"));

        var entitlements = api.MapGroup("/plan-entitlements").WithTags("Plans");
        entitlements.MapListAndCount<PlanEntitlementRecord, PlanEntitlementResponse>(
            ResourceKinds.PlanEntitlement, SelectEntitlementsAsync, (e, catalog) => PlanEntitlementResponse.From(e, catalog.EnvironmentId));
        entitlements.MapPost("/", async (HttpContext http, GrantRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(PlanEntitlementResponse.From(await service.CreateEntitlementAsync(http.Scope(), body, ct).ConfigureAwait(false), http.Scope().EnvironmentId)), statusCode: StatusCodes.Status201Created));
        entitlements.MapGet("/{entitlementId}", async (HttpContext http, string entitlementId, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(PlanEntitlementResponse.From(await service.GetEntitlementAsync(http.Scope(), entitlementId, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));
        entitlements.MapPut("/{entitlementId}", async (HttpContext http, string entitlementId, GrantRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(PlanEntitlementResponse.From(await service.UpdateEntitlementAsync(http.Scope(), entitlementId, body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));
        entitlements.MapDelete("/{entitlementId}", async (HttpContext http, string entitlementId, PlanService service, CancellationToken ct) =>
            Deleted(await service.DeleteEntitlementAsync(http.Scope(), entitlementId, ct).ConfigureAwait(false), "plan entitlement"));
    }

    public static IResult Deleted(bool deleted, string what) =>
        deleted ? TypedResults.Ok(Envelope.Of(new DeleteResult(true))) : TypedResults.Json(new { error = $"{what} not found" }, statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// <c>plan_id</c> (in SQL), <c>plan_version_id</c> and <c>feature_id</c> (in memory; an entitlement stored before plans
    /// had versions belongs to version 1). Ids that name nothing select nothing.
    /// </summary>
    private static async ValueTask<Selection<PlanEntitlementRecord>> SelectEntitlementsAsync(HttpContext http, ListQuery query, CancellationToken cancellationToken)
    {
        var planId = query.One("plan_id");
        var planVersionId = query.One("plan_version_id");
        var featureId = query.One("feature_id");
        if (planVersionId is null && featureId is null)
        {
            return new Selection<PlanEntitlementRecord>(planId, null);
        }

        var catalog = await http.CatalogAsync(cancellationToken).ConfigureAwait(false);
        return new Selection<PlanEntitlementRecord>(
            planId, e => (planVersionId is null || catalog.VersionIdOf(e) == planVersionId) && (featureId is null || e.FeatureId == featureId));
    }

    internal static async Task<FeatureResponse> DescribeAsync(HttpContext http, FeatureRecord feature, CancellationToken cancellationToken) =>
        FeatureResponse.From(feature, await http.CatalogAsync(cancellationToken).ConfigureAwait(false));

    internal static async Task<PlanResponse> DescribeAsync(HttpContext http, PlanRecord plan, CancellationToken cancellationToken) =>
        (await DescribeAsync(http, [plan], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Plans with their versions and how many companies hold each (the directory's version tallies, whatever the page size).</summary>
    private static async ValueTask<IReadOnlyList<PlanResponse>> DescribeAsync(HttpContext http, IReadOnlyList<PlanRecord> plans, CancellationToken cancellationToken)
    {
        if (plans.Count == 0)
        {
            return [];
        }

        var catalog = await http.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var store = http.RequestServices.GetRequiredService<ResourceStore>();
        var environmentId = http.Scope().EnvironmentId;
        // Base plan and add-ons alike, from the company directory's version tallies: never a count of the company documents.
        var companies = await http.RequestServices.GetRequiredService<Companies.CompanyDirectory>().CompaniesPerPlanAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var billing = await PlanBillingAsync(store, environmentId, cancellationToken).ConfigureAwait(false);
        return [.. plans.Select(p => PlanResponse.From(p, catalog, companies.GetValueOrDefault(p.Id), billing.GetValueOrDefault(p.Id), Lifecycle.PlanGroupRecord.FactsOf(catalog.PlanGroup, p.Id)))];
    }

    /// <summary>How each plan a billing product is linked to is billed (the products and prices the billing area keeps).</summary>
    internal static async Task<Dictionary<string, PlanBilling>> PlanBillingAsync(ResourceStore store, string environmentId, CancellationToken cancellationToken)
    {
        var products = await store.ListAllAsync<Billing.BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, cancellationToken).ConfigureAwait(false);
        var linked = products.Where(p => p.PlanId is not null).ToList();
        if (linked.Count == 0)
        {
            return [];
        }

        var prices = (await store.ListAllAsync<Billing.BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, cancellationToken).ConfigureAwait(false))
            .Where(p => p.Active).ToLookup(p => p.ProductId, StringComparer.Ordinal);
        return linked.GroupBy(p => p.PlanId!, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g =>
            {
                var planPrices = g.SelectMany(p => prices[p.Id]).ToList();
                var charge = planPrices.Any(p => p.Interval is not null) ? "recurring" : planPrices.Count > 0 ? "one_time" : "none";
                return new PlanBilling("provider_managed", charge, "stripe");
            },
            StringComparer.Ordinal);
    }
}
