using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Push;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>
/// Schematic's <c>/billing/*</c> routes (secret keys only): products, prices, meters, customers and subscriptions pushed
/// from a billing system other than Stripe (written as the records the Stripe sync writes), and its coupons, invoices,
/// payment methods and company billing profiles.
/// </summary>
internal static class BillingPushEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var billing = api.MapGroup("/billing").WithTags("Billing");
        MapCatalog(billing);
        MapCustomers(billing);
        MapDocuments(billing);
    }

    /// <summary>A page of an in-memory list, with the paging and the filters read echoed in <c>params</c>.</summary>
    public static Envelope<IReadOnlyList<T>> Page<T>(ListQuery query, IReadOnlyList<T> all)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging;
        return new([.. all.Skip(paging.Offset).Take(paging.Limit)], query.PageParams());
    }

    /// <summary>The count of an in-memory list, with the filters read echoed in <c>params</c>.</summary>
    public static Envelope<CountResult> Count<T>(ListQuery query, IReadOnlyList<T> all)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(all);
        return new(new CountResult(all.Count), query.Filters);
    }

    private static Envelope<DeleteResult> Deleted() => Envelope.Of(new DeleteResult(true));

    private static void MapCatalog(RouteGroupBuilder billing)
    {
        billing.MapPost("/product/upsert", async (HttpContext http, UpsertBillingProductRequest body, BillingCatalogPush push, BillingCatalogQueries queries, CancellationToken ct) =>
        {
            var product = await push.UpsertProductAsync(http.Scope(), body, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Of((await queries.DescribeAsync(http.Scope().EnvironmentId, [product], ct).ConfigureAwait(false))[0]));
        }).WithSummary("Create or update a billing product of another billing system by its external id; it sells the only plan of its name unless mapped by hand");
        billing.MapDelete("/product/{billing_id}", async (HttpContext http, string billing_id, BillingCatalogPush push, CancellationToken ct) =>
        {
            await push.DeleteProductAsync(http.Scope(), billing_id, ct).ConfigureAwait(false);
            return TypedResults.Ok(Deleted());
        }).WithSummary("Delete a billing product and its prices; 400 while a plan, a plan version or a subscription still points at it");
        billing.MapGet("/product/prices", async (HttpContext http, BillingCatalogQueries queries, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            return TypedResults.Ok(Page(query, await queries.PricesAsync(http.Scope().EnvironmentId, query, ct).ConfigureAwait(false)));
        }).WithSummary("Billing prices with their products and meters");
        billing.MapDelete("/product/prices/{billing_id}", async (HttpContext http, string billing_id, BillingCatalogPush push, CancellationToken ct) =>
        {
            await push.DeletePriceAsync(http.Scope(), billing_id, ct).ConfigureAwait(false);
            return TypedResults.Ok(Deleted());
        }).WithSummary("Delete a billing price; 400 while a plan version or a subscription still points at it");
        billing.MapGet("/price", async (HttpContext http, BillingCatalogQueries queries, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            return TypedResults.Ok(Page(query, await queries.PricesAsync(http.Scope().EnvironmentId, query, ct).ConfigureAwait(false)));
        }).WithSummary("Billing prices with their products and meters");
        billing.MapPost("/price/upsert", async (HttpContext http, UpsertBillingPriceRequest body, BillingCatalogPush push, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(BillingPriceData.From(await push.UpsertPriceAsync(http.Scope(), body, ct).ConfigureAwait(false)))))
            .WithSummary("Create or update a billing price of another billing system by its external id (its product must exist)");
        billing.MapGet("/meter", async (HttpContext http, BillingCatalogQueries queries, Billing.Meters.BillingMeters meters, ResourceStore store, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var name = query.One("display_name");
            var environmentId = http.Scope().EnvironmentId;
            var prices = await store.ListAllAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, ct).ConfigureAwait(false);
            var all = (await meters.ListAsync(environmentId, ct).ConfigureAwait(false))
                .Where(m => name is null || m.DisplayName.Contains(name, StringComparison.OrdinalIgnoreCase))
                .Select(m => BillingMeterResponse.From(m, prices.FirstOrDefault(p => p.MeterId == m.Id)?.Id))
                .ToList();
            return TypedResults.Ok(Page(query, all));
        }).WithSummary("Billing meters, Stripe's and those pushed from other billing systems");
        billing.MapPost("/meter/upsert", async (HttpContext http, UpsertBillingMeterRequest body, BillingMeterPush push, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(BillingMeterResponse.From(await push.UpsertAsync(http.Scope(), body, ct).ConfigureAwait(false), null))))
            .WithSummary("Create or update a meter of another billing system (Stripe's come from the connected account)");

        // GET /billing/products and /count: Schematic's product detail, with the filters of its client.
        billing.MapGet("/products", async (HttpContext http, BillingCatalogQueries queries, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var environmentId = http.Scope().EnvironmentId;
            var page = Page(query, await queries.ProductsAsync(environmentId, query, ct).ConfigureAwait(false));
            return TypedResults.Ok(new Envelope<IReadOnlyList<BillingProductResponse>>(await queries.DescribeAsync(environmentId, page.Data, ct).ConfigureAwait(false), page.Params));
        }).WithSummary("Billing products (Stripe's and pushed ones) with their prices, subscription counts and the plans they map to");
        billing.MapGet("/products/count", async (HttpContext http, BillingCatalogQueries queries, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            return TypedResults.Ok(Count(query, await queries.ProductsAsync(http.Scope().EnvironmentId, query, ct).ConfigureAwait(false)));
        }).WithSummary("How many billing products the filters select");
    }

    private static void MapCustomers(RouteGroupBuilder billing)
    {
        billing.MapPost("/customer/upsert", async (HttpContext http, UpsertBillingCustomerRequest body, BillingCustomerPush push, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(BillingCustomerResponse.From(await push.UpsertAsync(http.Scope(), body, ct).ConfigureAwait(false)))))
            .WithSummary("Create or update a customer of another billing system; the company it names gets it as its billing customer");
        billing.MapDelete("/customer/{billing_id}", async (HttpContext http, string billing_id, BillingCustomerPush push, CancellationToken ct) =>
        {
            await push.DeleteAsync(http.Scope(), billing_id, ct).ConfigureAwait(false);
            return TypedResults.Ok(Deleted());
        }).WithSummary("Delete a pushed customer (by id or external id); its company is left without billing, on the fallback plan");
        billing.MapGet("/customers", async (HttpContext http, BillingCustomerQueries queries, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            return TypedResults.Ok(Page(query, await queries.ListAsync(http.Scope().EnvironmentId, query, ct).ConfigureAwait(false)));
        }).WithSummary("Billing customers (pushed, and Stripe's linked to companies) with their subscriptions");
        billing.MapGet("/customers/count", async (HttpContext http, BillingCustomerQueries queries, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            return TypedResults.Ok(Count(query, await queries.ListAsync(http.Scope().EnvironmentId, query, ct).ConfigureAwait(false)));
        }).WithSummary("How many billing customers the filters select");
        billing.MapPost("/subscription/upsert", async (HttpContext http, UpsertBillingSubscriptionRequest body, BillingSubscriptionPush push, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(BillingSubscriptionResponse.From(await push.UpsertAsync(http.Scope(), body, ct).ConfigureAwait(false)))))
            .WithSummary("Create or update a subscription of another billing system; its company's plans follow as they follow a Stripe subscription");
        billing.MapGet("/profiles", async (HttpContext http, BillingProfiles profiles, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            return TypedResults.Ok(Page(query, await profiles.ListAsync(http.Scope().EnvironmentId, query, ct).ConfigureAwait(false)));
        }).WithSummary("The billing profile of each company with a billing customer");
        billing.MapPut("/profiles/{billing_profile_id}", async (HttpContext http, string billing_profile_id, UpdateBillingProfileRequest body, BillingProfiles profiles, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await profiles.UpdateAsync(http.Scope(), billing_profile_id, body, ct).ConfigureAwait(false))))
            .WithSummary("Set a company billing profile's collection method, due days, payment method and proration");
    }

    private static void MapDocuments(RouteGroupBuilder billing)
    {
        billing.MapGet("/coupons", async (HttpContext http, BillingDocuments documents, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var environmentId = http.Scope().EnvironmentId;
            var active = query.Bool("is_active");
            var q = query.One("q");
            var all = (await documents.ListAsync<BillingCouponRecord>(environmentId, ResourceKinds.BillingCoupon, null, ct).ConfigureAwait(false))
                .Select(c => BillingCouponResponse.From(c, environmentId))
                .Where(c => (active is null || c.IsActive == active) && (q is null || c.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || c.ExternalId.Contains(q, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            return TypedResults.Ok(Page(query, all));
        }).WithSummary("Coupons of the billing systems");
        billing.MapPost("/coupons", async (HttpContext http, UpsertBillingCouponRequest body, BillingDocumentPush push, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(BillingCouponResponse.From(await push.UpsertCouponAsync(http.Scope(), body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))))
            .WithSummary("Create or update a coupon by its external id");
        billing.MapDelete("/coupons/{billing_id}", async (HttpContext http, string billing_id, BillingDocumentPush push, CancellationToken ct) =>
        {
            await push.DeleteAsync<BillingCouponRecord>(http.Scope(), ResourceKinds.BillingCoupon, billing_id, c => (c.Id, null), "billing coupon", ct).ConfigureAwait(false);
            return TypedResults.Ok(Deleted());
        }).WithSummary("Delete a coupon (by id or external id)");

        billing.MapGet("/invoices", async (HttpContext http, BillingDocuments documents, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var environmentId = http.Scope().EnvironmentId;
            var companyId = query.One("company_id");
            var customerId = query.One("customer_external_id");
            var subscriptionId = query.One("subscription_external_id");
            var all = (await documents.ListAsync<BillingInvoiceRecord>(environmentId, ResourceKinds.BillingInvoice, companyId, ct).ConfigureAwait(false))
                .Where(i => (customerId is null || i.CustomerExternalId == customerId) && (subscriptionId is null || i.SubscriptionExternalId == subscriptionId))
                .Select(i => InvoiceResponse.From(i, environmentId))
                .ToList();
            return TypedResults.Ok(Page(query, all));
        }).WithSummary("Invoices of the billing systems");
        billing.MapPost("/invoices", async (HttpContext http, UpsertInvoiceRequest body, BillingDocumentPush push, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(InvoiceResponse.From(await push.UpsertInvoiceAsync(http.Scope(), body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))))
            .WithSummary("Create or update an invoice (by its external id when it has one); its company is its customer's");
        billing.MapDelete("/invoices/{billing_id}", async (HttpContext http, string billing_id, BillingDocumentPush push, CancellationToken ct) =>
        {
            await push.DeleteAsync<BillingInvoiceRecord>(http.Scope(), ResourceKinds.BillingInvoice, billing_id, i => (i.Id, i.CompanyId), "billing invoice", ct).ConfigureAwait(false);
            return TypedResults.Ok(Deleted());
        }).WithSummary("Delete an invoice (by id or external id)");

        billing.MapGet("/payment-methods", async (HttpContext http, BillingDocuments documents, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var environmentId = http.Scope().EnvironmentId;
            var companyId = query.One("company_id");
            var customerId = query.One("customer_external_id");
            var all = (await documents.ListAsync<BillingPaymentMethodRecord>(environmentId, ResourceKinds.BillingPaymentMethod, companyId, ct).ConfigureAwait(false))
                .Where(m => customerId is null || m.CustomerExternalId == customerId)
                .Select(m => PaymentMethodResponse.From(m, environmentId))
                .ToList();
            return TypedResults.Ok(Page(query, all));
        }).WithSummary("Payment methods of the billing customers");
        billing.MapPost("/payment-methods", async (HttpContext http, UpsertPaymentMethodRequest body, BillingDocumentPush push, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(PaymentMethodResponse.From(await push.UpsertPaymentMethodAsync(http.Scope(), body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))))
            .WithSummary("Create or update a payment method by its external id; its company is its customer's");
        billing.MapDelete("/payment-methods/{billing_id}", async (HttpContext http, string billing_id, BillingDocumentPush push, CancellationToken ct) =>
        {
            await push.DeleteAsync<BillingPaymentMethodRecord>(http.Scope(), ResourceKinds.BillingPaymentMethod, billing_id, m => (m.Id, m.CompanyId), "payment method", ct).ConfigureAwait(false);
            return TypedResults.Ok(Deleted());
        }).WithSummary("Delete a payment method (by id or external id)");
    }
}
