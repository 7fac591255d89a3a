using Tollgate.Server.Billing.Push;
using Tollgate.Server.Components;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// The company's invoices, with a temporary access token (always the token's company): for the components
/// (<c>GET /components/{id}/hydrate/upcoming-invoice</c>, <c>GET /components/invoices</c>, Schematic's
/// <c>InvoiceResponseData</c>) and for the browser SDK (<c>GET /company/upcoming-invoice</c>, <c>GET /company/invoices</c>).
/// Read from Stripe; a company Stripe does not bill has none (null, 204 for the browser SDK, or an empty list).
/// </summary>
internal static class ComponentInvoiceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var components = api.MapGroup("/components").WithTags("Components").RequireCors(ComponentCors.PolicyName);
        components.MapGet("/{componentId}/hydrate/upcoming-invoice", async (HttpContext http, string componentId, ComponentService service, ComponentInvoices invoices, CancellationToken ct) =>
        {
            // The layout must exist, as for the hydrate it belongs to; the invoice itself is the company's.
            await service.GetAsync(http.Scope().EnvironmentId, componentId, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<InvoiceResponse?>(
                await invoices.UpcomingAsync(http.Scope(), http.ComponentCompany(), ct).ConfigureAwait(false),
                new Dictionary<string, object?> { ["component_id"] = componentId }));
        })
            .WithSummary("The next invoice of the token's company's subscription, as Stripe would make it now (data null when there is none)")
            .RequireComponentAccess();
        components.MapGet("/invoices", async (HttpContext http, ComponentInvoices invoices, CancellationToken ct) =>
        {
            var paging = Paging.From(http.Request);
            var all = await invoices.ListAsync(http.Scope(), http.ComponentCompany(), ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Page<InvoiceResponse>([.. all.Skip(paging.Offset).Take(paging.Limit)], paging));
        })
            .WithSummary("The token's company's Stripe invoices, newest first")
            .RequireComponentAccess();

        var company = api.MapGroup("/company").WithTags("Browser SDK").RequireCors(ComponentCors.PolicyName);
        company.MapGet("/upcoming-invoice", async (HttpContext http, ComponentInvoices invoices, CancellationToken ct) =>
            await invoices.UpcomingAsync(http.Scope(), http.ComponentCompany(), ct).ConfigureAwait(false) is { } upcoming
                ? Results.Ok(Envelope.Of(CompanyUpcomingInvoiceResponse.From(upcoming)))

                // schematic-js reads 204 as "no next bill" (a loaded null), not as a failure.
                : Results.NoContent())
            .WithSummary("The token's company's next bill (204 when it has none)")
            .RequireComponentAccess();
        company.MapGet("/invoices", async (HttpContext http, ComponentInvoices invoices, TimeProvider time, CancellationToken ct) =>
        {
            var paging = Paging.From(http.Request);
            var includePending = http.Request.Query["include_pending"].ToString() switch
            {
                "" or "false" => false,
                "true" => true,
                _ => throw new RequestException(StatusCodes.Status400BadRequest, "include_pending: must be true or false"),
            };
            var all = await invoices.ListAsync(http.Scope(), http.ComponentCompany(), ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CompanyInvoicesResponse>(
                CompanyInvoicesResponse.Page(all, includePending, paging, time.GetUtcNow()),
                new Dictionary<string, object?> { ["include_pending"] = includePending, ["limit"] = paging.Limit, ["offset"] = paging.Offset }));
        })
            .WithSummary("One page of the token's company's invoices (drafts and voided ones left out; pending ones on request)")
            .RequireComponentAccess();
    }
}
