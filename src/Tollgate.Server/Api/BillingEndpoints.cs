using Tollgate.Server.Billing;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>The Stripe import, and the billing products and prices it brings with the plans they map to.</summary>
internal static class BillingEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var stripe = api.MapGroup("/billing/stripe").WithTags("Stripe");
        stripe.MapPost("/import", async (HttpContext http, StripeImporter importer, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await importer.StartAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status202Accepted))
            .WithSummary("Start (or resume) importing the connected Stripe account: products, prices, customers, subscriptions; answers the progress");
        stripe.MapGet("/import", async (HttpContext http, StripeImporter importer, CancellationToken ct) =>
            await importer.ProgressAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false) is { } progress
                ? Results.Ok(Envelope.Of(progress))
                : throw new RequestException(StatusCodes.Status404NotFound, "stripe import not found (POST /billing/stripe/import)"))
            .WithSummary("The progress of this environment's last Stripe import");

        // GET /billing/products and /count are Schematic's (BillingPushEndpoints).
        var products = api.MapGroup("/billing/products").WithTags("Billing");
        products.MapPut("/{productId}", async (HttpContext http, string productId, MapBillingProductRequest body, BillingMappings mappings, Billing.Push.BillingCatalogQueries queries, CancellationToken ct) =>
        {
            var product = await mappings.MapProductAsync(http.Scope(), productId, body, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of((await queries.DescribeAsync(http.Scope().EnvironmentId, [product], ct).ConfigureAwait(false))[0]));
        })
            .WithSummary("Map a Stripe product to a plan or add-on by hand (kept by later syncs); companies billed for it follow at once");

        var prices = api.MapGroup("/billing/prices").WithTags("Billing");
        prices.MapListAndCount<BillingPriceRecord, BillingPriceResponse>(
            ResourceKinds.BillingPrice, ListEndpoints.ByParent<BillingPriceRecord>("product_id"), (price, catalog) => BillingPriceResponse.From(price, catalog.EnvironmentId));
        prices.MapPut("/{priceId}", async (HttpContext http, string priceId, MapBillingPriceRequest body, BillingMappings mappings, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(BillingPriceResponse.From(await mappings.MapPriceAsync(http.Scope(), priceId, body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))))
            .WithSummary("Map a Stripe price to a plan version by hand (kept by later syncs); companies billed for it follow at once");
    }
}
