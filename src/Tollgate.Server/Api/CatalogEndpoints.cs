using Tollgate.Server.Catalog;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>Features, flags, trait definitions, plans and plan entitlements (Schematic's paths where they exist).</summary>
internal static class CatalogEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var features = api.MapGroup("/features").WithTags("Features");
        features.MapListAndCount<FeatureRecord>(ResourceKinds.Feature);
        features.MapPost("/", async (HttpContext http, FeatureRequest body, FeatureService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        features.MapGet("/{featureId}", async (HttpContext http, string featureId, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope(), featureId, ct).ConfigureAwait(false))));
        features.MapPut("/{featureId}", async (HttpContext http, string featureId, FeatureRequest body, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateAsync(http.Scope(), featureId, body, ct).ConfigureAwait(false))));
        features.MapDelete("/{featureId}", async (HttpContext http, string featureId, FeatureService service, CancellationToken ct) =>
            Deleted(await service.DeleteAsync(http.Scope(), featureId, ct).ConfigureAwait(false), "feature"));

        var flags = api.MapGroup("/flags").WithTags("Flags");
        flags.MapListAndCount<FlagRecord>(ResourceKinds.Flag);
        flags.MapGet("/{flagId}", async (HttpContext http, string flagId, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetFlagAsync(http.Scope(), flagId, ct).ConfigureAwait(false))));
        flags.MapPut("/{flagId}/rules", async (HttpContext http, string flagId, FlagRulesRequest body, FeatureService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateRulesAsync(http.Scope(), flagId, body, ct).ConfigureAwait(false))));

        var traits = api.MapGroup("/trait-definitions").WithTags("Traits");
        traits.MapListAndCount<TraitDefinitionRecord>(ResourceKinds.TraitDefinition);
        traits.MapPost("/", async (HttpContext http, TraitDefinitionRequest body, TraitDefinitionService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));

        var plans = api.MapGroup("/plans").WithTags("Plans");
        plans.MapListAndCount<PlanRecord>(ResourceKinds.Plan);
        plans.MapPost("/", async (HttpContext http, PlanRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        plans.MapGet("/{planId}", async (HttpContext http, string planId, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope(), planId, ct).ConfigureAwait(false))));
        plans.MapPut("/{planId}", async (HttpContext http, string planId, PlanRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateAsync(http.Scope(), planId, body, ct).ConfigureAwait(false))));
        plans.MapDelete("/{planId}", async (HttpContext http, string planId, PlanService service, CancellationToken ct) =>
            Deleted(await service.DeleteAsync(http.Scope(), planId, ct).ConfigureAwait(false), "plan"));

        var entitlements = api.MapGroup("/plan-entitlements").WithTags("Plans");
        entitlements.MapListAndCount<PlanEntitlementRecord>(ResourceKinds.PlanEntitlement, parentParameter: "plan_id");
        entitlements.MapPost("/", async (HttpContext http, GrantRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateEntitlementAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        entitlements.MapGet("/{entitlementId}", async (HttpContext http, string entitlementId, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetEntitlementAsync(http.Scope(), entitlementId, ct).ConfigureAwait(false))));
        entitlements.MapPut("/{entitlementId}", async (HttpContext http, string entitlementId, GrantRequest body, PlanService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateEntitlementAsync(http.Scope(), entitlementId, body, ct).ConfigureAwait(false))));
        entitlements.MapDelete("/{entitlementId}", async (HttpContext http, string entitlementId, PlanService service, CancellationToken ct) =>
            Deleted(await service.DeleteEntitlementAsync(http.Scope(), entitlementId, ct).ConfigureAwait(false), "plan entitlement"));
    }

    public static IResult Deleted(bool deleted, string what) =>
        deleted ? TypedResults.Ok(Envelope.Of(new DeleteResult(true))) : TypedResults.Json(new { error = $"{what} not found" }, statusCode: StatusCodes.Status404NotFound);
}
