using Tollgate.Server.Credits;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>Credit bundles, spend policies and the v1 ledger (Schematic's <c>/billing/credits/…</c> paths).</summary>
internal static class CreditBundleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        MapBundles(api.MapGroup("/billing/credits/bundles").WithTags("Credits"));
        MapSpendPolicies(api.MapGroup("/billing/credits/spend-policies").WithTags("Credits"));

        // The v1 ledger answers what the v2 ledger does (same filters, same rows).
        api.MapGet("/billing/credits/ledger", async (HttpContext http, LedgerService service, CancellationToken ct) =>
        {
            var paging = Paging.From(http.Request);
            return TypedResults.Ok(Envelope.Page(await service.ListAsync(http.Scope(), LedgerFilter.From(http.Request), paging, ct).ConfigureAwait(false), paging));
        })
            .WithTags("Credits");
    }

    private static void MapBundles(RouteGroupBuilder bundles)
    {
        bundles.MapGet("/", async (HttpContext http, CreditBundleService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var all = await ListAsync(http, query, service, ct).ConfigureAwait(false);
            var page = await service.ToResponsesAsync(http.Scope().EnvironmentId, all.Skip(query.Paging.Offset).Take(query.Paging.Limit), ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<CreditBundleResponse>>(page, query.PageParams()));
        });
        bundles.MapGet("/count", async (HttpContext http, CreditBundleService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var count = (await ListAsync(http, query, service, ct).ConfigureAwait(false)).Count;
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.PageParams()));
        });
        bundles.MapPost("/", async (HttpContext http, CreditBundleRequest body, CreditBundleService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        bundles.MapGet("/{bundleId}", async (HttpContext http, string bundleId, CreditBundleService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope().EnvironmentId, bundleId, ct).ConfigureAwait(false))));
        bundles.MapPut("/{bundleId}", async (HttpContext http, string bundleId, CreditBundleRequest body, CreditBundleService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateAsync(http.Scope(), bundleId, body, ct).ConfigureAwait(false))));
        bundles.MapDelete("/{bundleId}", async (HttpContext http, string bundleId, CreditBundleService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), bundleId, ct).ConfigureAwait(false), "credit bundle"));

        // Tollgate: records the sale of bundles made outside a billing provider, as a grant of reason "purchased".
        bundles.MapPost("/{bundleId}/grant", async (HttpContext http, string bundleId, CreditBundleGrantRequest body, CreditBundleService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.GrantAsync(http.Scope(), bundleId, body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
    }

    private static void MapSpendPolicies(RouteGroupBuilder policies)
    {
        policies.MapGet("/", async (HttpContext http, CreditSpendPolicyService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var all = await ListAsync(http, query, service, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<CreditSpendPolicyRecord>>([.. all.Skip(query.Paging.Offset).Take(query.Paging.Limit)], query.PageParams()));
        });
        policies.MapGet("/count", async (HttpContext http, CreditSpendPolicyService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var count = (await ListAsync(http, query, service, ct).ConfigureAwait(false)).Count;
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(count), query.PageParams()));
        });
        policies.MapPost("/", async (HttpContext http, CreditSpendPolicyRequest body, CreditSpendPolicyService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        policies.MapGet("/{policyId}", async (HttpContext http, string policyId, CreditSpendPolicyService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope().EnvironmentId, policyId, ct).ConfigureAwait(false))));
        policies.MapPut("/{policyId}", async (HttpContext http, string policyId, CreditSpendPolicyRequest body, CreditSpendPolicyService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.UpdateAsync(http.Scope(), policyId, body, ct).ConfigureAwait(false))));
        policies.MapDelete("/{policyId}", async (HttpContext http, string policyId, CreditSpendPolicyService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), policyId, ct).ConfigureAwait(false), "spend policy"));
    }

    private static Task<IReadOnlyList<CreditBundleRecord>> ListAsync(HttpContext http, ListQuery query, CreditBundleService service, CancellationToken ct)
    {
        if (query.One("bundle_type") is { } type)
        {
            Validate.OneOf(type, "bundle_type", ("fixed", "fixed"));
        }

        return service.ListAsync(http.Scope().EnvironmentId, query.One("credit_id"), query.One("status"), query.Many("ids"), ct);
    }

    private static Task<IReadOnlyList<CreditSpendPolicyRecord>> ListAsync(HttpContext http, ListQuery query, CreditSpendPolicyService service, CancellationToken ct) =>
        service.ListAsync(
            http.Scope().EnvironmentId, query.One("billing_credit_id"), query.One("company_id"), query.One("user_id"), query.Many("user_ids"), query.One("scope_type"), ct);
}
