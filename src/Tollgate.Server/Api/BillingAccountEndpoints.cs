using Tollgate.Server.Billing.Push;
using Tollgate.Server.Companies;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>
/// A company's billing entity, its billing details (address, email, phone, tax ids), and scheduled checkouts (secret
/// keys only). Tollgate has no company hierarchy: a company with a billing customer is its own billing entity, and no
/// company is billed through another, so a billing entity has no child subscriptions.
/// </summary>
internal static class BillingAccountEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var entity = api.MapGroup(string.Empty).WithTags("Billing");
        entity.MapGet("/company-billing-entity", async (HttpContext http, CompanyService companies, EntityDescriber describer, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var companyId = query.One("company_id") ?? throw new RequestException(StatusCodes.Status400BadRequest, "company_id: is required");
            var company = await companies.GetAsync(http.Scope(), companyId, ct).ConfigureAwait(false);
            var described = company.Billing is null ? null : await describer.CompanyAsync(http.Scope(), company, ct).ConfigureAwait(false);
            var stripe = company.Billing is { Provider: null };
            return TypedResults.Ok(new Envelope<IReadOnlyList<BillingEntityResponse>>([new BillingEntityResponse(described, stripe)], query.Filters));
        }).WithSummary("The company that pays for a company: itself when it has a billing customer, else none");
        entity.MapGet("/company-billing-entity-subscriptions", async (HttpContext http, CompanyService companies, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            if (query.One("company_id") is { } companyId)
            {
                await companies.GetAsync(http.Scope(), companyId, ct).ConfigureAwait(false);
            }

            return TypedResults.Ok(new Envelope<IReadOnlyList<object>>([], query.Filters));
        }).WithSummary("Subscriptions of companies billed through this one: none (Tollgate has no company hierarchy)");

        entity.MapGet("/companies/{company_id}/billing-details", async (HttpContext http, string company_id, CompanyBillingDetailsService details, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await details.GetAsync(http.Scope().EnvironmentId, company_id, ct).ConfigureAwait(false))))
            .WithSummary("A company's billing address, email, phone and tax ids");
        entity.MapPut("/companies/{company_id}/billing-details", async (HttpContext http, string company_id, UpdateCompanyBillingDetailsRequest body, CompanyBillingDetailsService details, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await details.UpdateAsync(http.Scope(), company_id, body, ct).ConfigureAwait(false))))
            .WithSummary("Set a company's billing address, email, phone or tax id (fields not given are kept)");

        var checkouts = api.MapGroup("/scheduled-checkout").WithTags("Billing");
        checkouts.MapGet("/", async (HttpContext http, ScheduledCheckouts service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            return TypedResults.Ok(BillingPushEndpoints.Page(query, await service.ListAsync(http.Scope().EnvironmentId, query, ct).ConfigureAwait(false)));
        }).WithSummary("Scheduled checkouts, oldest first");
        checkouts.MapPost("/", async (HttpContext http, CreateScheduledCheckoutRequest body, ScheduledCheckouts service, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false);
            return TypedResults.Created($"/scheduled-checkout/{created.Id}", Envelope.Of(created));
        }).WithSummary("Schedule a company's move from one plan to another (recorded, pending; Tollgate does not run it)");
        checkouts.MapGet("/{scheduled_checkout_id}", async (HttpContext http, string scheduled_checkout_id, ScheduledCheckouts service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope().EnvironmentId, scheduled_checkout_id, ct).ConfigureAwait(false))))
            .WithSummary("A scheduled checkout");
        checkouts.MapPut("/{scheduled_checkout_id}", async (HttpContext http, string scheduled_checkout_id, UpdateScheduledCheckoutRequest body, ScheduledCheckouts service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateAsync(http.Scope(), scheduled_checkout_id, body, ct).ConfigureAwait(false))))
            .WithSummary("Move a pending scheduled checkout, or cancel it");
    }
}

/// <summary>Schematic's <c>CompanyBillingEntityResponseData</c>.</summary>
public sealed record BillingEntityResponse(CompanyResponse? BillingEntity, bool HasOwnStripeCustomer);
