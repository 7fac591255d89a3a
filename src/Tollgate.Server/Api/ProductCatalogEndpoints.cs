using Tollgate.Server.Catalogs;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>Catalogs (Schematic's <c>/catalogs</c>): selections of plans, add-ons and credit bundles, and their display configuration.</summary>
internal static class ProductCatalogEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var catalogs = api.MapGroup("/catalogs").WithTags("Catalogs");
        catalogs.MapGet("/", async (HttpContext http, CatalogService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var environmentId = http.Scope().EnvironmentId;
            var all = await service.ListAsync(environmentId, query.One("q"), query.Bool("is_default"), ct).ConfigureAwait(false);
            IReadOnlyList<CatalogResponse> page = [.. all.Skip(query.Paging.Offset).Take(query.Paging.Limit).Select(c => CatalogResponse.From(c, environmentId))];
            return TypedResults.Ok(new Envelope<IReadOnlyList<CatalogResponse>>(page, query.PageParams()));
        });
        catalogs.MapPost("/", async (HttpContext http, CatalogRequest body, CatalogService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(CatalogResponse.From(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false), http.Scope().EnvironmentId)),
                statusCode: StatusCodes.Status201Created));
        catalogs.MapGet("/{catalogId}", async (HttpContext http, string catalogId, CatalogService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(CatalogResponse.From(await service.GetAsync(http.Scope().EnvironmentId, catalogId, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));
        catalogs.MapPut("/{catalogId}", async (HttpContext http, string catalogId, CatalogRequest body, CatalogService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(CatalogResponse.From(await service.UpdateAsync(http.Scope(), catalogId, body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));
        catalogs.MapDelete("/{catalogId}", async (HttpContext http, string catalogId, CatalogService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), catalogId, ct).ConfigureAwait(false), "catalog"));

        catalogs.MapGet("/{catalogId}/configuration", async (HttpContext http, string catalogId, CatalogService service, CancellationToken ct) =>
        {
            var environmentId = http.Scope().EnvironmentId;
            var catalog = await service.GetAsync(environmentId, catalogId, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(await service.ConfigurationAsync(environmentId, catalog, ct).ConfigureAwait(false)));
        });

        // Schematic answers the catalog itself (UpdateConfigurationResponse is CatalogResponseData).
        catalogs.MapPut("/{catalogId}/configuration", async (HttpContext http, string catalogId, CatalogConfigurationRequest body, CatalogService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(CatalogResponse.From(await service.ConfigureAsync(http.Scope(), catalogId, body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));

        catalogs.MapGet("/{catalogId}/plans", async (HttpContext http, string catalogId, CatalogService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new CatalogPlanIds((await service.GetAsync(http.Scope().EnvironmentId, catalogId, ct).ConfigureAwait(false)).PlanIds))));
        catalogs.MapPost("/{catalogId}/plans/{planId}", async (HttpContext http, string catalogId, string planId, CatalogService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new CatalogPlanIds((await service.SetPlanAsync(http.Scope(), catalogId, planId, add: true, ct).ConfigureAwait(false)).PlanIds))));
        catalogs.MapDelete("/{catalogId}/plans/{planId}", async (HttpContext http, string catalogId, string planId, CatalogService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new CatalogPlanIds((await service.SetPlanAsync(http.Scope(), catalogId, planId, add: false, ct).ConfigureAwait(false)).PlanIds))));

        catalogs.MapGet("/{catalogId}/credit-bundles", async (HttpContext http, string catalogId, CatalogService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new CatalogCreditBundleIds((await service.GetAsync(http.Scope().EnvironmentId, catalogId, ct).ConfigureAwait(false)).CreditBundleIds))));
        catalogs.MapPost("/{catalogId}/credit-bundles/{bundleId}", async (HttpContext http, string catalogId, string bundleId, CatalogService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new CatalogCreditBundleIds((await service.SetBundleAsync(http.Scope(), catalogId, bundleId, add: true, ct).ConfigureAwait(false)).CreditBundleIds))));
        catalogs.MapDelete("/{catalogId}/credit-bundles/{bundleId}", async (HttpContext http, string catalogId, string bundleId, CatalogService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new CatalogCreditBundleIds((await service.SetBundleAsync(http.Scope(), catalogId, bundleId, add: false, ct).ConfigureAwait(false)).CreditBundleIds))));

        catalogs.MapGet("/{catalogId}/features", async (HttpContext http, string catalogId, CatalogService service, CancellationToken ct) =>
        {
            var environmentId = http.Scope().EnvironmentId;
            var catalog = await service.GetAsync(environmentId, catalogId, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of(await service.DerivedFeaturesAsync(environmentId, catalog, ct).ConfigureAwait(false)));
        });
    }
}
