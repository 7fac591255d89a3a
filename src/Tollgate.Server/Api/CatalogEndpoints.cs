using Tollgate.Server.Catalog;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>Features, flags, trait definitions, plans and plan entitlements (Schematic's paths where they exist).</summary>
internal static class CatalogEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var features = api.MapGroup("/features").WithTags("Features");
        features.MapGet("/", (HttpContext http, ResourceStore store, CancellationToken ct) => ListAsync<FeatureRecord>(http, store, ResourceKinds.Feature, ct));
        features.MapGet("/count", (HttpContext http, ResourceStore store, CancellationToken ct) => CountAsync(http, store, ResourceKinds.Feature, ct));
        features.MapPost("/", async (HttpContext http, FeatureRequest body, FeatureService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        features.MapGet("/{featureId}", async (HttpContext http, string featureId, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope(), featureId, ct).ConfigureAwait(false))));
        features.MapPut("/{featureId}", async (HttpContext http, string featureId, FeatureRequest body, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateAsync(http.Scope(), featureId, body, ct).ConfigureAwait(false))));
        features.MapDelete("/{featureId}", async (HttpContext http, string featureId, FeatureService service, CancellationToken ct) =>
            Deleted(await service.DeleteAsync(http.Scope(), featureId, ct).ConfigureAwait(false), "feature"));

        var flags = api.MapGroup("/flags").WithTags("Flags");
        flags.MapGet("/", (HttpContext http, ResourceStore store, CancellationToken ct) => ListAsync<FlagRecord>(http, store, ResourceKinds.Flag, ct));
        flags.MapGet("/count", (HttpContext http, ResourceStore store, CancellationToken ct) => CountAsync(http, store, ResourceKinds.Flag, ct));
        flags.MapGet("/{flagId}", async (HttpContext http, string flagId, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetFlagAsync(http.Scope(), flagId, ct).ConfigureAwait(false))));
        flags.MapPut("/{flagId}/rules", async (HttpContext http, string flagId, FlagRulesRequest body, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateRulesAsync(http.Scope(), flagId, body, ct).ConfigureAwait(false))));

        var traits = api.MapGroup("/trait-definitions").WithTags("Traits");
        traits.MapGet("/", (HttpContext http, ResourceStore store, CancellationToken ct) => ListAsync<TraitDefinitionRecord>(http, store, ResourceKinds.TraitDefinition, ct));
        traits.MapPost("/", async (HttpContext http, TraitDefinitionRequest body, TraitDefinitionService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));

        var plans = api.MapGroup("/plans").WithTags("Plans");
        plans.MapGet("/", (HttpContext http, ResourceStore store, CancellationToken ct) => ListAsync<PlanRecord>(http, store, ResourceKinds.Plan, ct));
        plans.MapGet("/count", (HttpContext http, ResourceStore store, CancellationToken ct) => CountAsync(http, store, ResourceKinds.Plan, ct));
        plans.MapPost("/", async (HttpContext http, PlanRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        plans.MapGet("/{planId}", async (HttpContext http, string planId, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope(), planId, ct).ConfigureAwait(false))));
        plans.MapPut("/{planId}", async (HttpContext http, string planId, PlanRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateAsync(http.Scope(), planId, body, ct).ConfigureAwait(false))));
        plans.MapDelete("/{planId}", async (HttpContext http, string planId, PlanService service, CancellationToken ct) =>
            Deleted(await service.DeleteAsync(http.Scope(), planId, ct).ConfigureAwait(false), "plan"));

        var entitlements = api.MapGroup("/plan-entitlements").WithTags("Plans");
        entitlements.MapGet("/", async (HttpContext http, ResourceStore store, CancellationToken ct) =>
        {
            var paging = Paging.From(http.Request);
            var planId = http.Request.Query["plan_id"].ToString();
            var page = await store.ListAsync<PlanEntitlementRecord>(
                http.Scope().EnvironmentId, ResourceKinds.PlanEntitlement, planId.Length == 0 ? null : planId, paging.Limit, paging.Offset, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Page(page, paging));
        });
        entitlements.MapGet("/count", async (HttpContext http, ResourceStore store, CancellationToken ct) =>
        {
            var planId = http.Request.Query["plan_id"].ToString();
            var count = await store.CountAsync(http.Scope().EnvironmentId, ResourceKinds.PlanEntitlement, planId.Length == 0 ? null : planId, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(new CountResult(count)));
        });
        entitlements.MapPost("/", async (HttpContext http, GrantRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateEntitlementAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        entitlements.MapGet("/{entitlementId}", async (HttpContext http, string entitlementId, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetEntitlementAsync(http.Scope(), entitlementId, ct).ConfigureAwait(false))));
        entitlements.MapPut("/{entitlementId}", async (HttpContext http, string entitlementId, GrantRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateEntitlementAsync(http.Scope(), entitlementId, body, ct).ConfigureAwait(false))));
        entitlements.MapDelete("/{entitlementId}", async (HttpContext http, string entitlementId, PlanService service, CancellationToken ct) =>
            Deleted(await service.DeleteEntitlementAsync(http.Scope(), entitlementId, ct).ConfigureAwait(false), "plan entitlement"));
    }

    public static async Task<IResult> ListAsync<T>(HttpContext http, ResourceStore store, string kind, CancellationToken ct)
    {
        var paging = Paging.From(http.Request);
        var page = await store.ListAsync<T>(http.Scope().EnvironmentId, kind, null, paging.Limit, paging.Offset, ct).ConfigureAwait(false);
        return TypedResults.Ok(Envelope.Page(page, paging));
    }

    public static async Task<IResult> CountAsync(HttpContext http, ResourceStore store, string kind, CancellationToken ct) =>
        TypedResults.Ok(Envelope.Of(new CountResult(await store.CountAsync(http.Scope().EnvironmentId, kind, null, ct).ConfigureAwait(false))));

    public static IResult Deleted(bool deleted, string what) =>
        deleted ? TypedResults.Ok(Envelope.Of(new DeleteResult(true))) : TypedResults.Json(new { error = $"{what} not found" }, statusCode: StatusCodes.Status404NotFound);
}
