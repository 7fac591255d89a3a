using Tollgate.Server.Billing;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Server.Subscriptions;

namespace Tollgate.Server.Api;

/// <summary>
/// Schematic's plan bundles, billing-linked upserts (plans, features, plan entitlements), plan issues and the
/// companies whose billing subscription sells a plan. Secret keys only.
/// </summary>
internal static class PlanBundleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var bundles = api.MapGroup(string.Empty).WithTags("Plans");
        bundles.MapPost("/plan-bundles", async (HttpContext http, PlanBundleRequest body, PlanBundleService service, CancellationToken ct) =>
            TypedResults.Json(await BundleAsync(http, await service.CreateAsync(http.Scope(), body, false, ct).ConfigureAwait(false), ct).ConfigureAwait(false), statusCode: StatusCodes.Status201Created));
        bundles.MapPut("/plan-bundles/{planId}", async (HttpContext http, string planId, PlanBundleRequest body, PlanBundleService service, CancellationToken ct) =>
            TypedResults.Ok(await BundleAsync(http, await service.UpdateAsync(http.Scope(), planId, body, ct).ConfigureAwait(false), ct).ConfigureAwait(false)));
        bundles.MapPost("/custom-plan-bundles", async (HttpContext http, PlanBundleRequest body, PlanBundleService service, CancellationToken ct) =>
            TypedResults.Json(await BundleAsync(http, await service.CreateAsync(http.Scope(), body, true, ct).ConfigureAwait(false), ct).ConfigureAwait(false), statusCode: StatusCodes.Status201Created));

        bundles.MapPost("/plans/billing-linked", async (HttpContext http, BillingLinkedPlanRequest body, BillingLinks links, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await CatalogEndpoints.DescribeAsync(http, await links.UpsertPlanAsync(http.Scope(), body, ct).ConfigureAwait(false), ct).ConfigureAwait(false))));
        bundles.MapPost("/features/billing-linked", async (HttpContext http, BillingLinkedFeatureRequest body, BillingLinks links, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await CatalogEndpoints.DescribeAsync(http, await links.UpsertFeatureAsync(http.Scope(), body, ct).ConfigureAwait(false), ct).ConfigureAwait(false))))
            .WithTags("Features");
        bundles.MapPost("/plan-entitlements/billing-linked", async (HttpContext http, BillingLinkedEntitlementRequest body, BillingLinks links, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(PlanEntitlementResponse.From(await links.UpsertEntitlementAsync(http.Scope(), body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));

        bundles.MapGet("/plans/issues", async (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var planId = Validate.Required(query.One("plan_id"), "plan_id");
            var versionId = query.One("plan_version_id");
            var catalog = await http.CatalogAsync(ct).ConfigureAwait(false);
            if (!catalog.Plans.ContainsKey(planId))
            {
                Errors.NotFound("plan");
            }

            var version = versionId is null ? catalog.PublishedVersionOf(planId) : catalog.VersionsById.GetValueOrDefault(versionId);
            if (version is null || version.PlanId != planId)
            {
                Errors.BadRequest("plan_version_id", "must name a version of the plan");
            }

            return TypedResults.Ok(new Envelope<IReadOnlyList<PlanIssueResponse>>(PlanIssues.Of(catalog, version), query.Filters));
        });
        bundles.MapGet("/plans/billing-product-match-companies", async (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var paging = query.Paging;
            var matches = await MatchesAsync(http, query, ct).ConfigureAwait(false);
            var page = matches.Skip(paging.Offset).Take(paging.Limit).ToList();
            var described = await http.RequestServices.GetRequiredService<EntityDescriber>().CompaniesAsync(http.Scope(), page, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<CompanyResponse>>(described, query.PageParams()));
        });
        bundles.MapGet("/plans/billing-product-match-companies/count", async (HttpContext http, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            _ = query.Paging;
            var matches = await MatchesAsync(http, query, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(matches.Count), query.PageParams()));
        });
    }

    private static async Task<Envelope<PlanBundleResponse>> BundleAsync(HttpContext http, PlanBundleResult result, CancellationToken cancellationToken) =>
        Envelope.Of(PlanBundleResponse.From(result, await http.CatalogAsync(cancellationToken).ConfigureAwait(false)));

    /// <summary>
    /// Companies whose billing subscription has an item of a product that sells the plan (a Stripe product mapped to it,
    /// or the billing product set by <c>PUT /plans/{id}/billing_products</c>), whatever plan they are on now; <c>q</c>
    /// matches the name or a key value, ignoring case.
    /// </summary>
    private static async Task<List<CompanyRecord>> MatchesAsync(HttpContext http, ListQuery query, CancellationToken cancellationToken)
    {
        var planId = Validate.Required(query.One("plan_id"), "plan_id");
        var q = query.One("q");
        var environmentId = http.Scope().EnvironmentId;
        var store = http.RequestServices.GetRequiredService<ResourceStore>();
        var products = new HashSet<string>(await BillingProductsOfPlan.IdsAsync(store, environmentId, planId, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        if (await http.RequestServices.GetRequiredService<PlanPrices>().OfAsync(environmentId, planId, cancellationToken).ConfigureAwait(false) is { } priced)
        {
            products.Add(priced.BillingProductId);
        }

        return [.. (await store.ListAllAsync<CompanyRecord>(environmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false))
            .Where(c => c.Billing?.Items.Any(i => products.Contains(i.ProductId)) == true)
            .Where(c => q is null || (c.Name?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false) || c.Keys.Values.Any(v => v.Contains(q, StringComparison.OrdinalIgnoreCase)))];
    }
}
