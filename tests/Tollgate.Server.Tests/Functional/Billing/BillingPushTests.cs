using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// Products, prices, customers and subscriptions pushed from a billing system other than Stripe
/// (<c>/billing/*/upsert</c>): they are the records the Stripe sync writes, so the company lands on the plan the
/// subscription's product sells and the checks follow; deletes never leave a plan or a subscription pointing at nothing.
/// </summary>
public abstract class BillingPushTests(TollgateFactory server)
{
    private static readonly long PeriodStart = TollgateFactory.Start.ToUnixTimeSeconds();
    private static readonly long PeriodEnd = TollgateFactory.Start.AddDays(30).ToUnixTimeSeconds();

    [Fact]
    public async Task APushedSubscriptionPutsTheCompanyOnThePlanItsProductSellsAndChecksFollowItUntilItEnds()
    {
        var api = await server.NewEnvironmentAsync();
        var (companyId, proId) = await SsoPlanAndCompanyAsync(api, "Pro");

        var product = (await api.PostAsync("/billing/product/upsert", new { externalId = "orb-prod-pro", name = "Pro", price = 4900, providerType = "orb" })).ShouldBe(HttpStatusCode.OK).Data;
        (await api.PostAsync("/billing/price/upsert", Price("orb-price-pro", "orb-prod-pro", 4900))).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/customer/upsert", Customer("orb-cus-1", companyId))).ShouldBe(HttpStatusCode.OK);
        Assert.False(await SsoAsync(api));

        var subscription = (await api.PostAsync("/billing/subscription/upsert", Subscription("orb-sub-1", "orb-cus-1", "active", ("orb-price-pro", "orb-prod-pro", 3)))).ShouldBe(HttpStatusCode.OK).Data;
        var company = (await api.GetAsync($"/companies/{companyId}")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal("orb", product.GetProperty("provider_type").GetString());
        Assert.Equal(proId, product.GetProperty("plan_id").GetString());
        Assert.Equal("orb-sub-1", subscription.GetProperty("subscription_external_id").GetString());
        Assert.Equal(PeriodEnd, subscription.GetProperty("period_end").GetInt64());
        Assert.Equal(companyId, subscription.GetProperty("company_id").GetString());
        Assert.Equal(proId, company.GetProperty("base_plan_id").GetString());
        Assert.Equal("orb-cus-1", company.GetProperty("billing_subscription").GetProperty("customer_external_id").GetString());
        Assert.Equal(3, company.GetProperty("billing_subscription").GetProperty("seats").GetInt64());
        Assert.True(await SsoAsync(api));
        var listed = (await api.GetAsync("/billing/products?provider_type=orb")).ShouldBe(HttpStatusCode.OK).Data[0];
        Assert.Equal(1, listed.GetProperty("subscription_count").GetInt64());
        Assert.Equal(3, listed.GetProperty("quantity").GetInt64());
        Assert.Equal("orb-price-pro", listed.GetProperty("prices")[0].GetProperty("external_price_id").GetString());

        (await api.PostAsync("/billing/subscription/upsert", Subscription("orb-sub-1", "orb-cus-1", "canceled", ("orb-price-pro", "orb-prod-pro", 3)))).ShouldBe(HttpStatusCode.OK);

        var ended = (await api.GetAsync($"/companies/{companyId}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(JsonValueKind.Null, ended.GetProperty("base_plan_id").ValueKind);
        Assert.False(await SsoAsync(api));
    }

    [Fact]
    public async Task MappingAPushedProductByHandMovesTheCompaniesAlreadySubscribedToIt()
    {
        var api = await server.NewEnvironmentAsync();
        var (companyId, goldId) = await SsoPlanAndCompanyAsync(api, "Gold");
        (await api.PostAsync("/billing/product/upsert", new { externalId = "mb-prod-1", name = "Metronome tier 1", price = 0, providerType = "metronome" })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/price/upsert", Price("mb-price-1", "mb-prod-1", 1000, "metronome"))).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/customer/upsert", Customer("mb-cus-1", companyId, "metronome"))).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/subscription/upsert", Subscription("mb-sub-1", "mb-cus-1", "active", ("mb-price-1", "mb-prod-1", 1), "metronome"))).ShouldBe(HttpStatusCode.OK);
        Assert.False(await SsoAsync(api));

        (await api.PutAsync("/billing/products/mb-prod-1", new { planId = goldId })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(goldId, (await api.GetAsync($"/companies/{companyId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("base_plan_id").GetString());
        Assert.True(await SsoAsync(api));

        // A push of the product again keeps the hand mapping, as a Stripe sync does.
        var again = (await api.PostAsync("/billing/product/upsert", new { externalId = "mb-prod-1", name = "Renamed", price = 0, providerType = "metronome" })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(goldId, again.GetProperty("plan_id").GetString());
        Assert.True(await SsoAsync(api));
    }

    [Fact]
    public async Task DeletingAProductOrPriceIsRefusedWhileAPlanAPlanVersionOrASubscriptionPointsAtIt()
    {
        var api = await server.NewEnvironmentAsync();
        var (companyId, proId) = await SsoPlanAndCompanyAsync(api, "Pro");
        (await api.PostAsync("/billing/product/upsert", new { externalId = "p-linked", name = "Pro", price = 100 })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/price/upsert", Price("pr-linked", "p-linked", 100, "schematic"))).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/product/upsert", new { externalId = "p-free", name = "Loose", price = 0 })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/price/upsert", Price("pr-free", "p-free", 0, "schematic"))).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/customer/upsert", Customer("c-1", companyId, "schematic"))).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/subscription/upsert", Subscription("s-1", "c-1", "active", ("pr-free", "p-free", 1), "schematic"))).ShouldBe(HttpStatusCode.OK);

        (await api.DeleteAsync("/billing/product/p-linked")).ShouldFail(HttpStatusCode.BadRequest, $"sells plan {proId}");
        (await api.DeleteAsync("/billing/product/p-free")).ShouldFail(HttpStatusCode.BadRequest, "subscribed");
        (await api.DeleteAsync("/billing/product/prices/pr-free")).ShouldFail(HttpStatusCode.BadRequest, "subscribed");
        (await api.DeleteAsync("/billing/product/missing")).ShouldFail(HttpStatusCode.NotFound, "billing product not found");

        (await api.PutAsync("/billing/products/p-linked", new { planId = (string?)null })).ShouldBe(HttpStatusCode.OK);
        var versions = (await api.GetAsync($"/plans/{proId}/versions")).ShouldBe(HttpStatusCode.OK).Data;
        var versionId = versions[0].GetProperty("id").GetString();
        (await api.PutAsync("/billing/prices/pr-linked", new { planVersionId = versionId })).ShouldBe(HttpStatusCode.OK);
        (await api.DeleteAsync("/billing/product/p-linked")).ShouldFail(HttpStatusCode.BadRequest, $"plan version {versionId}");
        (await api.PutAsync("/billing/prices/pr-linked", new { planVersionId = (string?)null })).ShouldBe(HttpStatusCode.OK);

        (await api.DeleteAsync("/billing/product/p-linked")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(0, (await api.GetAsync("/billing/price?product_id=p-linked")).ShouldBe(HttpStatusCode.OK).Data.GetArrayLength());
        Assert.Equal(["p-free"], (await api.GetAsync("/billing/products")).Data.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        var audit = (await api.GetAsync("/audit-log?resource_id=p-linked")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "delete");
    }

    [Fact]
    public async Task CustomersAreListedWithTheirSubscriptionsAndADeletedOneLeavesItsCompanyWithoutBilling()
    {
        var api = await server.NewEnvironmentAsync();
        var (companyId, proId) = await SsoPlanAndCompanyAsync(api, "Pro");
        var other = await Given.CompanyAsync(api, "other");
        (await api.PostAsync("/billing/product/upsert", new { externalId = "orb-pro", name = "Pro", price = 0, providerType = "orb" })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/customer/upsert", Customer("orb-c1", companyId))).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/customer/upsert", Customer("orb-c2", other))).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/customer/upsert", Customer("orb-c3", null))).ShouldBe(HttpStatusCode.OK);

        // The price is not known yet: the subscription brings it, from its pricing.
        (await api.PostAsync("/billing/subscription/upsert", Subscription("orb-s1", "orb-c1", "active", ("orb-monthly", "orb-pro", 2)))).ShouldBe(HttpStatusCode.OK);

        var all = (await api.GetAsync("/billing/customers")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(["orb-c1", "orb-c2", "orb-c3"], all.EnumerateArray().Select(c => c.GetProperty("external_id").GetString()));
        var first = all[0].GetProperty("subscriptions");
        Assert.Equal(1, first.GetArrayLength());
        Assert.Equal(5000, first[0].GetProperty("total_price").GetInt64());
        Assert.Equal(2500, first[0].GetProperty("per_unit_price").GetInt64());
        Assert.Equal("month", first[0].GetProperty("interval").GetString());
        Assert.Equal(0, all[1].GetProperty("subscriptions").GetArrayLength());
        Assert.Equal(3, (await api.GetAsync("/billing/customers/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        var filtered = (await api.GetAsync($"/billing/customers?company_ids={other}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("orb-c2", Assert.Single(filtered.Data.EnumerateArray()).GetProperty("external_id").GetString());
        Assert.Equal(other, filtered.Params.GetProperty("company_ids")[0].GetString());
        Assert.Equal("orb-monthly", (await api.GetAsync("/billing/price?product_id=orb-pro")).Data[0].GetProperty("price_external_id").GetString());
        Assert.True(await SsoAsync(api));

        (await api.DeleteAsync("/billing/customer/orb-c1")).ShouldBe(HttpStatusCode.OK);

        var company = (await api.GetAsync($"/companies/{companyId}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(JsonValueKind.Null, company.GetProperty("base_plan_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, company.GetProperty("billing_subscription").ValueKind);
        Assert.False(await SsoAsync(api));
        Assert.Equal(2, (await api.GetAsync("/billing/customers/count")).Data.GetProperty("count").GetInt64());
        (await api.DeleteAsync("/billing/customer/orb-c1")).ShouldFail(HttpStatusCode.NotFound, "billing customer not found");
        Assert.NotNull(proId);
    }

    [Fact]
    public async Task CouponsInvoicesAndPaymentMethodsAreUpsertedByExternalIdListedAndDeleted()
    {
        var api = await server.NewEnvironmentAsync();
        var companyId = await Given.CompanyAsync(api, "acme");
        (await api.PostAsync("/billing/customer/upsert", Customer("cus-9", companyId))).ShouldBe(HttpStatusCode.OK);

        var coupon = (await api.PostAsync("/billing/coupons", Coupon("c-20", timesRedeemed: 0))).ShouldBe(HttpStatusCode.OK).Data;
        var redeemed = (await api.PostAsync("/billing/coupons", Coupon("c-20", timesRedeemed: 5))).ShouldBe(HttpStatusCode.OK).Data;
        var method = (await api.PostAsync("/billing/payment-methods", new { externalId = "pm-1", customerExternalId = "cus-9", paymentMethodType = "card", cardBrand = "visa", cardLast4 = "4242", cardExpMonth = 12, cardExpYear = 2030 }))
            .ShouldBe(HttpStatusCode.OK).Data;
        var invoice = (await api.PostAsync("/billing/invoices", Invoice("inv-1", "open"))).ShouldBe(HttpStatusCode.OK).Data;
        var paid = (await api.PostAsync("/billing/invoices", Invoice("inv-1", "paid"))).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(coupon.GetProperty("id").GetString(), redeemed.GetProperty("id").GetString());
        Assert.True(coupon.GetProperty("is_active").GetBoolean());
        Assert.False(redeemed.GetProperty("is_active").GetBoolean());
        Assert.Equal(20, redeemed.GetProperty("percent_off").GetDouble());
        Assert.Equal(companyId, method.GetProperty("company_id").GetString());
        Assert.Equal(invoice.GetProperty("id").GetString(), paid.GetProperty("id").GetString());
        Assert.Equal(companyId, paid.GetProperty("company_id").GetString());
        Assert.Equal("paid", (await api.GetAsync($"/billing/invoices?company_id={companyId}")).ShouldBe(HttpStatusCode.OK).Data[0].GetProperty("status").GetString());
        Assert.Equal(1, (await api.GetAsync("/billing/invoices?customer_external_id=cus-9&subscription_external_id=sub-9")).Data.GetArrayLength());
        Assert.Equal(0, (await api.GetAsync("/billing/invoices?customer_external_id=someone-else")).Data.GetArrayLength());
        Assert.Equal("4242", (await api.GetAsync("/billing/payment-methods?customer_external_id=cus-9")).ShouldBe(HttpStatusCode.OK).Data[0].GetProperty("card_last4").GetString());
        Assert.Equal(0, (await api.GetAsync("/billing/coupons?is_active=true")).ShouldBe(HttpStatusCode.OK).Data.GetArrayLength());
        Assert.Equal(1, (await api.GetAsync("/billing/coupons?is_active=false")).Data.GetArrayLength());

        (await api.DeleteAsync("/billing/coupons/c-20")).ShouldBe(HttpStatusCode.OK);
        (await api.DeleteAsync($"/billing/invoices/{paid.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK);
        (await api.DeleteAsync("/billing/payment-methods/pm-1")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(0, (await api.GetAsync("/billing/coupons")).Data.GetArrayLength());
        Assert.Equal(0, (await api.GetAsync("/billing/invoices")).Data.GetArrayLength());
        Assert.Equal(0, (await api.GetAsync("/billing/payment-methods")).Data.GetArrayLength());
        (await api.DeleteAsync("/billing/coupons/c-20")).ShouldFail(HttpStatusCode.NotFound, "billing coupon not found");
        (await api.DeleteAsync("/billing/invoices/inv-1")).ShouldFail(HttpStatusCode.NotFound, "billing invoice not found");
        (await api.DeleteAsync("/billing/payment-methods/pm-1")).ShouldFail(HttpStatusCode.NotFound, "payment method not found");
    }

    [Fact]
    public async Task BadPushesAreRefusedNamingTheField()
    {
        var api = await server.NewEnvironmentAsync();
        var companyId = await Given.CompanyAsync(api, "acme");
        (await api.PostAsync("/billing/product/upsert", new { externalId = "p1", name = "P", price = 1 })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/meter/upsert", new { externalId = "m1", eventName = "calls", eventPayloadKey = "value", displayName = "Calls", providerType = "orb" })).ShouldBe(HttpStatusCode.OK);

        (await api.PostAsync("/billing/product/upsert", new { name = "P", price = 1 })).ShouldFail(HttpStatusCode.BadRequest, "external_id");
        (await api.PostAsync("/billing/product/upsert", new { externalId = "p2", name = "P" })).ShouldFail(HttpStatusCode.BadRequest, "price");
        (await api.PostAsync("/billing/product/upsert", new { externalId = "p2", price = 1, providerType = "paddle" })).ShouldFail(HttpStatusCode.BadRequest, "provider_type");
        (await api.PostAsync("/billing/product/upsert", new { externalId = "p1", price = 1, providerType = "orb" })).ShouldFail(HttpStatusCode.BadRequest, "provider_type");
        (await api.PostAsync("/billing/product/upsert", new { externalId = "m1", price = 1, providerType = "orb" })).ShouldFail(HttpStatusCode.BadRequest, "external_id: 'm1' is already the id of a billing_meter");
        (await api.PostAsync("/billing/price/upsert", Price("pr", "nope", 1, "schematic"))).ShouldFail(HttpStatusCode.BadRequest, "product_external_id");
        (await api.PostAsync("/billing/price/upsert", Price("pr", "p1", 1, "schematic") with { UsageType = "both" })).ShouldFail(HttpStatusCode.BadRequest, "usage_type");
        (await api.PostAsync("/billing/price/upsert", Price("pr", "p1", 1, "schematic") with { Currency = "dollars" })).ShouldFail(HttpStatusCode.BadRequest, "currency");
        (await api.PostAsync("/billing/price/upsert", Price("pr", "p1", 1, "schematic") with { Interval = "fortnight" })).ShouldFail(HttpStatusCode.BadRequest, "interval");
        (await api.PostAsync("/billing/price/upsert", Price("pr", "p1", 1, "schematic") with { BillingScheme = "tiered" })).ShouldFail(HttpStatusCode.BadRequest, "price_tiers");
        (await api.PostAsync("/billing/price/upsert", Price("p1", "p1", 1, "schematic"))).ShouldFail(HttpStatusCode.BadRequest, "price_external_id");
        (await api.PostAsync("/billing/meter/upsert", new { externalId = "m2", eventName = "calls", eventPayloadKey = "value", displayName = "Calls", providerType = "orb" }))
            .ShouldFail(HttpStatusCode.BadRequest, "event_name");
        (await api.PostAsync("/billing/meter/upsert", new { externalId = "m3", eventName = "x", eventPayloadKey = "value", displayName = "X", providerType = "stripe" }))
            .ShouldFail(HttpStatusCode.BadRequest, "provider_type");
        (await api.PostAsync("/billing/customer/upsert", new { externalId = "c", name = "C", meta = new { } })).ShouldFail(HttpStatusCode.BadRequest, "email");
        (await api.PostAsync("/billing/customer/upsert", Customer("c", "comp_missing"))).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await api.PostAsync("/billing/subscription/upsert", Subscription("s", "unlinked", "active", ("pr", "p1", 1)))).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await api.PostAsync("/billing/customer/upsert", Customer("c", companyId))).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/subscription/upsert", Subscription("s", "c", "lapsed", ("pr", "p1", 1)))).ShouldFail(HttpStatusCode.BadRequest, "status");
        (await api.PostAsync("/billing/subscription/upsert", Subscription("s", "c", "active", ("pr", "nope", 1)))).ShouldFail(HttpStatusCode.BadRequest, "product_external_ids[0].product_external_id");
        (await api.PostAsync("/billing/subscription/upsert", Subscription("s", "c", "active", ("pr", "p1", -1)))).ShouldFail(HttpStatusCode.BadRequest, "product_external_ids[0].quantity");
        (await api.PostAsync("/billing/subscription/upsert", new { subscriptionExternalId = "s", customerExternalId = "c", currency = "usd", cancelAtPeriodEnd = false, totalPrice = 0, discounts = Array.Empty<object>(), productExternalIds = Array.Empty<object>() }))
            .ShouldFail(HttpStatusCode.BadRequest, "expired_at");
        (await api.PostAsync("/billing/coupons", Coupon("c", 0) with { Duration = "sometimes" })).ShouldFail(HttpStatusCode.BadRequest, "duration");
        (await api.PostAsync("/billing/coupons", Coupon("c", 0) with { PercentOff = 120 })).ShouldFail(HttpStatusCode.BadRequest, "percent_off");
        (await api.PostAsync("/billing/invoices", Invoice("i", "settled"))).ShouldFail(HttpStatusCode.BadRequest, "status");
        (await api.PostAsync("/billing/payment-methods", new { externalId = "pm", customerExternalId = "c" })).ShouldFail(HttpStatusCode.BadRequest, "payment_method_type");
        (await api.PostAsync("/billing/subscription/upsert", "not an object")).ShouldFail(HttpStatusCode.BadRequest, "body");

        var browser = server.Api((await api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString());
        (await browser.PostAsync("/billing/product/upsert", new { externalId = "p9", name = "P", price = 1 })).ShouldFail(HttpStatusCode.Forbidden, "publishable");
        (await browser.GetAsync("/billing/customers")).ShouldFail(HttpStatusCode.Forbidden, "publishable");
        (await browser.GetAsync("/scheduled-checkout")).ShouldFail(HttpStatusCode.Forbidden, "publishable");
    }

    [Fact]
    public async Task ProfilesBillingDetailsAndScheduledCheckoutsAreKeptPerCompany()
    {
        var api = await server.NewEnvironmentAsync();
        var (companyId, proId) = await SsoPlanAndCompanyAsync(api, "Pro");
        var enterprise = await Given.PlanAsync(api, "Enterprise");
        Assert.Equal(0, (await api.GetAsync("/billing/profiles")).ShouldBe(HttpStatusCode.OK).Data.GetArrayLength());
        (await api.PostAsync("/billing/customer/upsert", Customer("cus-p", companyId))).ShouldBe(HttpStatusCode.OK);

        var profile = Assert.Single((await api.GetAsync($"/billing/profiles?company_id={companyId}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        Assert.Equal("charge_automatically", profile.GetProperty("collection_method").GetString());
        var profileId = profile.GetProperty("id").GetString();
        (await api.PutAsync($"/billing/profiles/{profileId}", new { collectionMethod = "send_invoice" })).ShouldFail(HttpStatusCode.BadRequest, "days_until_due");
        var updated = (await api.PutAsync($"/billing/profiles/{profileId}", new { collectionMethod = "send_invoice", daysUntilDue = 14 })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(14, updated.GetProperty("days_until_due").GetInt64());
        Assert.Equal("send_invoice", (await api.GetAsync("/billing/profiles")).Data[0].GetProperty("collection_method").GetString());
        (await api.PutAsync("/billing/profiles/bprof_nope", new { collectionMethod = "send_invoice", daysUntilDue = 1 })).ShouldFail(HttpStatusCode.NotFound, "billing profile not found");

        (await api.PutAsync($"/companies/{companyId}/billing-details", new { values = new[] { new { id = "f1", value = "x" } } })).ShouldFail(HttpStatusCode.BadRequest, "values[0].id");
        (await api.PutAsync($"/companies/{companyId}/billing-details", new { values = Array.Empty<object>(), taxId = new { type = "xx_vat", value = "1" } })).ShouldFail(HttpStatusCode.BadRequest, "tax_id.type");
        (await api.PutAsync($"/companies/{companyId}/billing-details", new { values = Array.Empty<object>(), email = "ap@acme.test", taxId = new { type = "eu_vat", value = "DE1" } })).ShouldBe(HttpStatusCode.OK);
        (await api.PutAsync($"/companies/{companyId}/billing-details", new { values = Array.Empty<object>(), phone = "+49 1" })).ShouldBe(HttpStatusCode.OK);
        var details = (await api.GetAsync($"/companies/{companyId}/billing-details")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("ap@acme.test", details.GetProperty("email").GetString());
        Assert.Equal("+49 1", details.GetProperty("phone").GetString());
        Assert.Equal("EU", details.GetProperty("tax_ids")[0].GetProperty("country").GetString());
        Assert.Equal("acme", (await api.GetAsync($"/companies/{companyId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("name").GetString());
        (await api.GetAsync("/companies/comp_nope/billing-details")).ShouldFail(HttpStatusCode.NotFound, "company not found");

        var entity = (await api.GetAsync($"/company-billing-entity?company_id={companyId}")).ShouldBe(HttpStatusCode.OK).Data[0];
        Assert.Equal(companyId, entity.GetProperty("billing_entity").GetProperty("id").GetString());
        Assert.False(entity.GetProperty("has_own_stripe_customer").GetBoolean());

        (await api.PostAsync("/scheduled-checkout", new { companyId, fromPlanId = proId, toPlanId = proId, executeAfter = TollgateFactory.Start.AddDays(3) })).ShouldFail(HttpStatusCode.BadRequest, "to_plan_id");
        var checkout = (await api.PostAsync("/scheduled-checkout", new { companyId, fromPlanId = proId, toPlanId = enterprise, executeAfter = TollgateFactory.Start.AddDays(3) }))
            .ShouldBe(HttpStatusCode.Created).Data;
        var id = checkout.GetProperty("id").GetString();
        Assert.Equal("pending", checkout.GetProperty("status").GetString());
        (await api.PutAsync($"/scheduled-checkout/{id}", new { status = "success" })).ShouldFail(HttpStatusCode.BadRequest, "status");
        (await api.PutAsync($"/scheduled-checkout/{id}", new { status = "cancelled" })).ShouldBe(HttpStatusCode.OK);
        (await api.PutAsync($"/scheduled-checkout/{id}", new { executeAfter = TollgateFactory.Start.AddDays(4) })).ShouldFail(HttpStatusCode.BadRequest, "execute_after");
        Assert.Equal("cancelled", (await api.GetAsync($"/scheduled-checkout/{id}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetString());
        Assert.Equal(1, (await api.GetAsync($"/scheduled-checkout?company_id={companyId}&status=cancelled")).ShouldBe(HttpStatusCode.OK).Data.GetArrayLength());
        Assert.Equal(0, (await api.GetAsync("/scheduled-checkout?status=pending")).Data.GetArrayLength());
    }

    /// <summary>A feature <c>sso</c> granted by a plan named <paramref name="planName"/>, and a company <c>acme</c> on no plan.</summary>
    private static async Task<(string CompanyId, string PlanId)> SsoPlanAndCompanyAsync(ApiClient api, string planName)
    {
        var featureId = await Given.BooleanFeatureAsync(api, "sso");
        var planId = await Given.PlanAsync(api, planName);
        await Given.EntitlementAsync(api, new { planId, featureId, valueType = "boolean", valueBool = true });
        return (await Given.CompanyAsync(api, "acme"), planId);
    }

    private static async Task<bool> SsoAsync(ApiClient api) =>
        (await api.PostAsync("/flags/sso/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("value").GetBoolean();

    private static PriceBody Price(string priceId, string productId, long amount, string provider = "orb") =>
        new(priceId, productId, "per_unit", "usd", "acct", "month", true, amount, [], "licensed", provider);

    private static object Customer(string externalId, string? companyId, string provider = "orb") =>
        new { externalId, companyId, email = $"{externalId}@billing.test", name = externalId, meta = new Dictionary<string, string>(), providerType = provider };

    private static object Subscription(string subscriptionId, string customerId, string status, (string Price, string Product, long Quantity) item, string provider = "orb") => new
    {
        subscriptionExternalId = subscriptionId,
        customerExternalId = customerId,
        status,
        cancelAtPeriodEnd = false,
        currency = "usd",
        discounts = Array.Empty<object>(),
        expiredAt = TollgateFactory.Start.AddDays(30),
        totalPrice = 5000,
        interval = "month",
        periodStart = PeriodStart,
        periodEnd = PeriodEnd,
        providerType = provider,
        productExternalIds = new[]
        {
            new { priceExternalId = item.Price, productExternalId = item.Product, quantity = item.Quantity, currency = "usd", interval = "month", price = 2500, usageType = "licensed" },
        },
    };

    private static CouponBody Coupon(string externalId, long timesRedeemed) => new(externalId, "Twenty off", 0, 20, "once", 0, 5, timesRedeemed);

    private static object Invoice(string externalId, string status) => new
    {
        externalId, customerExternalId = "cus-9", subscriptionExternalId = "sub-9", amountDue = 100, amountPaid = 0, amountRemaining = 100, subtotal = 100,
        collectionMethod = "send_invoice", currency = "usd", status, dueDate = TollgateFactory.Start.AddDays(14),
    };

    private sealed record PriceBody(
        string PriceExternalId, string ProductExternalId, string BillingScheme, string Currency, string ExternalAccountId, string Interval, bool IsActive, long Price,
        object[] PriceTiers, string UsageType, string ProviderType);

    private sealed record CouponBody(string ExternalId, string Name, long AmountOff, double PercentOff, string Duration, long DurationInMonths, long MaxRedemptions, long TimesRedeemed);
}

/// <summary>On SQLite.</summary>
public sealed class BillingPushTestsOnSqlite(SqliteServer server) : BillingPushTests(server), IClassFixture<SqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class BillingPushTestsOnPostgres(PostgresServer server) : BillingPushTests(server), IClassFixture<PostgresServer>;
