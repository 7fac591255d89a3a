// Plan lifecycle (issue 11 items 1 and 2): the environment's plan group (create, read with its plans, update), and a
// trial Tollgate runs: started with Tollgate's own route (Schematic's client starts trials through checkout), its end
// moved with edit-trial-end, listed by company-subscriptions. The group is left without a default plan at the end, so
// the companies later groups make start without a plan, as they would have before this group ran.

export default async function drive({ op, client, state, realFetch, baseUrl, apiKey }) {
  const data = (r) => r?.data;
  const tollgate = async (method, path, body) =>
    (await realFetch(`${baseUrl}${path}`, { method, headers: { "X-Schematic-Api-Key": apiKey, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) })).json();

  const all = data(await client.plans.listPlans({ limit: 100 })) ?? [];
  const plans = all.filter((p) => p.planType === "plan");
  const free = plans.find((p) => p.name === "Free") ?? plans[0];
  const pro = plans.find((p) => p.name === "Pro") ?? plans[1];
  const addOns = all.filter((p) => p.planType === "add_on").slice(0, 1);
  const settings = {
    addOnIds: addOns.map((a) => a.id),
    checkoutCollectAddress: false,
    checkoutCollectEmail: true,
    checkoutCollectPhone: false,
    checkoutCollectTaxId: false,
    enableTaxCollection: false,
    optInEnabled: false,
    orderedAddOns: addOns.map((a) => ({ planId: a.id })),
    orderedBundleList: [],
    orderedPlans: [free, pro].filter(Boolean).map((p) => ({ planId: p.id })),
    preventDowngradesWhenOverLimit: true,
    preventSelfServiceDowngrade: false,
    prorationBehavior: "create_prorations",
    scheduledDowngradeBehavior: "end_of_billing_period",
    showAsMonthlyPrices: true,
    showCredits: true,
    showFeatureDescription: true,
    showHardLimit: false,
    showPeriodToggle: true,
    showZeroPriceAsFree: true,
    syncCustomerBillingDetails: false,
    customCheckoutFields: [{ name: "PO number", required: false, stripeMetadataKey: "po_number" }],
    addOnCompatibilities: pro && addOns.length ? [{ sourcePlanId: pro.id, compatiblePlanIds: addOns.map((a) => a.id) }] : [],
    initialPlanId: free?.id,
    fallbackPlanId: free?.id,
    trialDays: 14,
    trialExpiryPlanId: free?.id,
    trialPaymentMethodRequired: false,
  };

  const group = data(await op("createPlanGroup", () => client.plangroups.createPlanGroup(settings)));
  await op("getPlanGroup", () => client.plangroups.getPlanGroup({ includeCompanyCounts: true }));
  if (group) await op("updatePlanGroup", () => client.plangroups.updatePlanGroup(group.id, { ...settings, trialDays: 7 }));
  state.planGroupId = group?.id;

  // A company on the default plan, then on a trial of Pro.
  const company = data(await client.companies.upsertCompany({ keys: { id: "lifecycle-co" }, name: "Lifecycle Co" }));
  const trial = company && pro ? data(await tollgate("POST", `/companies/${company.id}/trial`, { plan_id: pro.id })) : undefined;
  if (trial?.id) {
    await op("updateCustomerSubscriptionTrialEnd", () =>
      client.checkout.updateCustomerSubscriptionTrialEnd(trial.id, { trialEnd: new Date(Date.now() + 30 * 24 * 3600 * 1000) }));
  }
  await op("getActiveCompanySubscription", () => client.companies.getActiveCompanySubscription({ companyId: company?.id, limit: 10 }));
  state.lifecycleCompanyId = company?.id;

  // Later groups' new companies start without a plan again.
  if (group) await client.plangroups.updatePlanGroup(group.id, { ...settings, initialPlanId: undefined, trialDays: 7 });
}
