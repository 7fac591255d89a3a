// Billing pushed from a billing system other than Stripe, and the billing records around it: products, prices, a
// meter, a customer and a subscription upserted (the company lands on the plan its product sells), customers and
// products listed and counted, coupons, invoices and payment methods round-tripped, the company's billing profile,
// entity and details, scheduled checkouts; then the deletes. Everything runs on its own fixtures (a company made here,
// external ids prefixed "conformance-"); the demo plans are only read.

export default async function drive({ op, client, state }) {
  const data = (r) => r?.data;
  const plans = data(await client.plans.listPlans()) ?? [];
  const pro = plans.find((p) => p.name === "Pro");
  const enterprise = plans.find((p) => p.name === "Enterprise");
  const company = data(await client.companies.upsertCompany({ keys: { id: "conformance-billing" }, name: "Conformance billing" }));
  const companyId = company?.id;
  const provider = "orb";

  // --- Catalog pushed: products, prices, a meter -------------------------------------------------------------------
  const product = data(await op("upsertBillingProduct", () => client.billing.upsertBillingProduct({ externalId: "conformance-prod-pro", name: "Pro", price: 2000, isActive: true, providerType: provider })));
  state.billingProductId = product?.productId;
  await op("upsertBillingProduct", () => client.billing.upsertBillingProduct({ externalId: "conformance-prod-extra", name: "Conformance extra", price: 0, providerType: provider }));
  await op("upsertBillingPrice", () => client.billing.upsertBillingPrice({
    priceExternalId: "conformance-price-pro", productExternalId: "conformance-prod-pro", billingScheme: "per_unit", currency: "usd", externalAccountId: "conformance",
    interval: "month", isActive: true, price: 2000, priceTiers: [], usageType: "licensed", providerType: provider,
  }));
  await op("upsertBillingPrice", () => client.billing.upsertBillingPrice({
    priceExternalId: "conformance-price-extra", productExternalId: "conformance-prod-extra", billingScheme: "tiered", tiersMode: "graduated", currency: "usd",
    externalAccountId: "conformance", interval: "month", isActive: true, price: 0, usageType: "metered", meterId: "conformance-meter", providerType: provider,
    priceTiers: [{ priceExternalId: "conformance-price-extra", upTo: 100, perUnitPrice: 0 }, { priceExternalId: "conformance-price-extra", perUnitPrice: 5 }],
  }));
  await op("upsertBillingMeter", () => client.billing.upsertBillingMeter({ externalId: "conformance-meter", eventName: "conformance_billing_event", eventPayloadKey: "value", displayName: "Conformance meter", providerType: provider }));
  await op("listMeters", () => client.billing.listMeters());
  await op("listBillingProducts", () => client.billing.listBillingProducts({ providerType: provider }));
  await op("countBillingProducts", () => client.billing.countBillingProducts({ providerType: provider }));
  await op("listBillingPrices", () => client.billing.listBillingPrices({ productIds: ["conformance-prod-pro", "conformance-prod-extra"] }));
  await op("listBillingProductPrices", () => client.billing.listBillingProductPrices({ productId: "conformance-prod-extra" }));

  // --- A customer and its subscription: the company follows the subscription's plan --------------------------------
  const now = Math.floor(Date.now() / 1000);
  await op("upsertBillingCustomer", () => client.billing.upsertBillingCustomer({ externalId: "conformance-cus", companyId, email: "billing@conformance.test", name: "Conformance billing", meta: {}, providerType: provider }));
  await op("upsertBillingSubscription", () => client.billing.upsertBillingSubscription({
    subscriptionExternalId: "conformance-sub", customerExternalId: "conformance-cus", cancelAtPeriodEnd: false, currency: "usd", discounts: [],
    expiredAt: new Date((now + 30 * 86400) * 1000), totalPrice: 2000, interval: "month", periodStart: now, periodEnd: now + 30 * 86400, status: "active", providerType: provider,
    productExternalIds: [{ priceExternalId: "conformance-price-pro", productExternalId: "conformance-prod-pro", quantity: 1, currency: "usd", interval: "month", price: 2000, usageType: "licensed" }],
  }));
  await op("listCustomersWithSubscriptions", () => client.billing.listCustomersWithSubscriptions({ companyIds: companyId ? [companyId] : undefined }));
  await op("countCustomers", () => client.billing.countCustomers());

  // --- Coupons, invoices, payment methods -------------------------------------------------------------------------
  await op("upsertBillingCoupon", () => client.billing.upsertBillingCoupon({ externalId: "conformance-coupon", name: "Twenty off", amountOff: 0, percentOff: 20, duration: "once", durationInMonths: 0, maxRedemptions: 10, timesRedeemed: 0 }));
  await op("listCoupons", () => client.billing.listCoupons());
  await op("upsertPaymentMethod", () => client.billing.upsertPaymentMethod({ externalId: "conformance-pm", customerExternalId: "conformance-cus", paymentMethodType: "card", cardBrand: "visa", cardLast4: "4242", cardExpMonth: 12, cardExpYear: 2030 }));
  await op("listPaymentMethods", () => client.billing.listPaymentMethods({ customerExternalId: "conformance-cus" }));
  await op("upsertInvoice", () => client.billing.upsertInvoice({
    externalId: "conformance-inv", customerExternalId: "conformance-cus", subscriptionExternalId: "conformance-sub", paymentMethodExternalId: "conformance-pm",
    amountDue: 2000, amountPaid: 2000, amountRemaining: 0, subtotal: 2000, collectionMethod: "charge_automatically", currency: "usd", status: "paid",
  }));
  await op("listInvoices", () => client.billing.listInvoices({ customerExternalId: "conformance-cus", subscriptionExternalId: "conformance-sub" }));

  // --- The company's billing profile, entity and details ------------------------------------------------------------
  const profiles = data(await op("listCompanyBillingProfiles", () => client.billing.listCompanyBillingProfiles({ companyId })));
  if (profiles?.[0]) await op("updateCompanyBillingProfile", () => client.billing.updateCompanyBillingProfile(profiles[0].id, { collectionMethod: "send_invoice", daysUntilDue: 30, name: "Invoiced" }));
  if (companyId) {
    await op("getCompanyBillingEntity", () => client.companies.getCompanyBillingEntity({ companyId }));
    await op("getBillingEntityChildSubscriptions", () => client.companies.getBillingEntityChildSubscriptions({ companyId }));
    await op("updateCompanyBillingDetails", () => client.checkout.updateCompanyBillingDetails(companyId, {
      email: "invoices@conformance.test", phone: "+1 555 0100", values: [], taxId: { type: "eu_vat", value: "DE123456789" },
      address: { line1: "1 Main St", line2: "", city: "Berlin", state: "", postalCode: "10115", country: "DE" },
    }));
    await op("getCompanyBillingDetails", () => client.checkout.getCompanyBillingDetails(companyId));
  }

  // --- Scheduled checkouts ------------------------------------------------------------------------------------------
  if (companyId && pro && enterprise) {
    const checkout = data(await op("createScheduledCheckout", () => client.scheduledcheckout.createScheduledCheckout({ companyId, fromPlanId: pro.id, toPlanId: enterprise.id, executeAfter: new Date(Date.now() + 7 * 86400000) })));
    await op("listScheduledCheckouts", () => client.scheduledcheckout.listScheduledCheckouts({ companyId }));
    if (checkout) {
      await op("getScheduledCheckout", () => client.scheduledcheckout.getScheduledCheckout(checkout.id));
      await op("updateScheduledCheckout", () => client.scheduledcheckout.updateScheduledCheckout(checkout.id, { status: "cancelled" }));
    }
  }

  // --- Deletes: documents, an unused price and product, then the customer (its company leaves the plan) -------------
  await op("deleteBillingCoupon", () => client.billing.deleteBillingCoupon("conformance-coupon"));
  await op("deleteBillingInvoice", () => client.billing.deleteBillingInvoice("conformance-inv"));
  await op("deletePaymentMethodByExternalId", () => client.billing.deletePaymentMethodByExternalId("conformance-pm"));
  await op("deleteProductPrice", () => client.billing.deleteProductPrice("conformance-price-extra"));
  await op("deleteBillingProduct", () => client.billing.deleteBillingProduct("conformance-prod-extra"));
  await op("deleteBillingCustomer", () => client.billing.deleteBillingCustomer("conformance-cus"));
}
