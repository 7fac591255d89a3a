using Tollgate.Server.Companies;
using Tollgate.Server.Components;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// What Schematic's components read: <c>GET /components/hydrate</c> and <c>/components/{id}/hydrate</c> (a temporary
/// access token; always the token's company), <c>GET /components/preview-data</c> (a secret key; any company, for the
/// editor) and <c>GET /public/plans</c> (a publishable key; the pricing table).
/// </summary>
internal static class ComponentHydrateEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var components = api.MapGroup("/components").WithTags("Components").RequireCors(ComponentCors.PolicyName);
        components.MapGet("/hydrate", async (HttpContext http, ComponentHydrator hydrator, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await hydrator.HydrateAsync(http.Scope(), http.ComponentCompany(), null, ct).ConfigureAwait(false))))
            .RequireComponentAccess();
        components.MapGet("/{componentId}/hydrate", async (HttpContext http, string componentId, ComponentService service, ComponentHydrator hydrator, CancellationToken ct) =>
        {
            var component = await service.GetAsync(http.Scope().EnvironmentId, componentId, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<ComponentHydrateResponse>(
                await hydrator.HydrateAsync(http.Scope(), http.ComponentCompany(), component, ct).ConfigureAwait(false),
                new Dictionary<string, object?> { ["component_id"] = componentId }));
        }).RequireComponentAccess();
        components.MapGet("/preview-data", async (HttpContext http, CompanyService companies, ComponentService service, ComponentHydrator hydrator, ComponentInvoices invoices, CancellationToken ct) =>
        {
            var companyId = Validate.Required(http.Request.Query["company_id"].ToString(), "company_id");
            var componentId = http.Request.Query["component_id"].ToString() is { Length: > 0 } id ? id : null;
            var company = await companies.GetAsync(http.Scope(), companyId, ct).ConfigureAwait(false);
            var component = componentId is null ? null : await service.GetAsync(http.Scope().EnvironmentId, componentId, ct).ConfigureAwait(false);
            var hydrated = await hydrator.HydrateAsync(http.Scope(), company, component, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<ComponentHydrateResponse>(
                hydrated with { Invoices = await invoices.ListAsync(http.Scope(), company, ct).ConfigureAwait(false) },
                new Dictionary<string, object?> { ["company_id"] = companyId, ["component_id"] = componentId }));
        });
        api.MapGet("/public/plans", async (HttpContext http, ComponentHydrator hydrator, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await hydrator.PublicPlansAsync(http.Scope(), ct).ConfigureAwait(false))))
            .WithTags("Components")
            .RequireCors(ComponentCors.PolicyName)
            .WithMetadata(new ApiKeyAuthentication.AllowPublishable());
    }
}
