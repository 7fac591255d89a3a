// Custom plans, custom plan billings, manage-plan, plan changes, plan prices, flags on their own, entitlement
// duplication and plan traits. Makes its own company, plans and flag; leaves the demo data as it found it.
export default async function drive({ op, client }) {
  const company = (await client.companies.upsertCompany({ keys: { id: "conformance-plans" }, name: "Conformance Plans Co" }))?.data;
  const plans = (await client.plans.listPlans({ limit: 100 }))?.data ?? [];
  const basePlan = plans.find((p) => p.planType === "plan" && p.companyId == null);
  const addOn = plans.find((p) => p.planType === "add_on");

  // Flags without a feature, and flag CRUD.
  const flag = await op("createFlag", () =>
    client.features.createFlag({ key: "conformance-flag", name: "Conformance flag", description: "made by the judge", defaultValue: true, flagType: "boolean" }));
  const flagId = flag?.data?.id;
  if (flagId) {
    await op("updateFlag", () =>
      client.features.updateFlag(flagId, { key: "conformance-flag-2", name: "Conformance flag 2", description: "renamed", defaultValue: false, flagType: "boolean" }));
    await op("deleteFlag", () => client.features.deleteFlag(flagId));
  }

  // Plan prices (before manage-plan, so a cheaper plan is a downgrade).
  const paid = await client.plans.createPlan({ name: "Conformance Paid", planType: "plan", description: "" });
  const cheap = await client.plans.createPlan({ name: "Conformance Cheap", planType: "plan", description: "" });
  const paidId = paid?.data?.id;
  const cheapId = cheap?.data?.id;
  if (paidId) {
    await op("upsertBillingProductPlan", () =>
      client.plans.upsertBillingProductPlan(paidId, { chargeType: "recurring", isTrialable: false, monthlyPrice: 5000, currency: "usd" }));
  }

  // Custom plan for the company, copied from a catalog plan.
  const custom = company && basePlan
    ? await op("createCustomPlan", () => client.plans.createCustomPlan({ companyId: company.id, copiedFromPlanId: basePlan.id, name: "Conformance deal", description: "sales-led" }))
    : undefined;
  if (custom?.data?.id && paidId) {
    await op("duplicatePlanEntitlements", () => client.entitlements.duplicatePlanEntitlements({ sourcePlanId: custom.data.id, targetPlanId: paidId }));
  }

  if (company) {
    // Invoiced assignment of the custom plan, paid later.
    if (custom?.data?.id) {
      await op("managePlan", () =>
        client.checkout.managePlan({ companyId: company.id, basePlanId: custom.data.id, addOnSelections: [], creditBundles: [], customFieldValues: [], payInAdvanceEntitlements: [], sendInvoice: true, activateOnPayment: true }));
      const billings = await op("listCustomPlanBillings", () => client.plans.listCustomPlanBillings({ companyId: company.id }));
      const billingId = billings?.data?.[0]?.id;
      if (billingId) {
        await op("retryCustomPlanBilling", () => client.plans.retryCustomPlanBilling(billingId, { customerEmail: "billing@conformance.test", daysUntilDue: 15 }));
        await op("markCustomPlanBillingPaid", () => client.plans.markCustomPlanBillingPaid(billingId, {}));
      }
    }

    if (paidId && cheapId) {
      await op("managePlan", () =>
        client.checkout.managePlan({ companyId: company.id, basePlanId: paidId, addOnSelections: addOn ? [{ planId: addOn.id }] : [], creditBundles: [], customFieldValues: [], payInAdvanceEntitlements: [] }));
      await op("previewManagePlan", () =>
        client.checkout.previewManagePlan({ companyId: company.id, basePlanId: cheapId, addOnSelections: [], creditBundles: [], customFieldValues: [], payInAdvanceEntitlements: [] }));
    }

    const changes = await op("listPlanChanges", () => client.companies.listPlanChanges({ companyId: company.id }));
    const changeId = changes?.data?.[0]?.id;
    if (changeId) {
      await op("getPlanChange", () => client.companies.getPlanChange(changeId));
    }

    await op("cancelSubscription", () => client.checkout.cancelSubscription({ companyId: company.id, cancelImmediately: true }));
  }

  // Plan traits.
  const trait = await client.companies.getOrCreateEntityTraitDefinition({ entityType: "company", hierarchy: ["conformance_seat_limit"], traitType: "number" });
  if (paidId && trait?.data?.id) {
    const written = await op("updatePlanTraitsBulk", () =>
      client.companies.updatePlanTraitsBulk({ planId: paidId, traits: [{ traitId: trait.data.id, traitValue: "25" }], applyToExistingCompanies: true }));
    await op("listPlanTraits", () => client.companies.listPlanTraits({ planId: paidId }));
    await op("countPlanTraits", () => client.companies.countPlanTraits({ planId: paidId }));
    const planTraitId = written?.data?.[0]?.id;
    if (planTraitId) {
      await op("getPlanTrait", () => client.companies.getPlanTrait(planTraitId));
    }
  }

  // Billing-linked upserts, plan bundles, plan issues and billing-product matches.
  const linkedPlan = await op("upsertPlanForBillingProduct", () =>
    client.plans.upsertPlanForBillingProduct({ billingProvider: "orb", externalResourceId: "orb_plan_conformance", name: "Conformance linked", planType: "plan", description: "from Orb" }));
  const linkedFeature = await op("upsertFeatureForBillingProduct", () =>
    client.features.upsertFeatureForBillingProduct({ billingProvider: "orb", externalResourceId: "orb_feature_conformance", name: "Conformance linked feature", description: "from Orb", featureType: "boolean" }));
  const featureId = linkedFeature?.data?.id;
  if (linkedPlan?.data?.id && featureId) {
    await op("upsertPlanEntitlementForBillingProduct", () =>
      client.entitlements.upsertPlanEntitlementForBillingProduct({ billingProvider: "orb", externalResourceId: "orb_entitlement_conformance", planId: linkedPlan.data.id, featureId, valueType: "boolean", valueBool: true }));
    await op("listPlanIssues", () => client.plans.listPlanIssues({ planId: linkedPlan.data.id }));
  }

  if (featureId) {
    const bundle = await op("createPlanBundle", () =>
      client.planbundle.createPlanBundle({
        plan: { name: "Conformance bundle", planType: "plan", description: "bundled" },
        billingProduct: { chargeType: "recurring", isTrialable: false, monthlyPrice: 2500, currency: "usd" },
        entitlements: [{ action: "create", req: { planId: "set-by-the-bundle", featureId, valueType: "boolean", valueBool: true } }],
      }));
    const bundlePlanId = bundle?.data?.plan?.id;
    const entitlementId = bundle?.data?.entitlements?.[0]?.id;
    if (bundlePlanId && entitlementId) {
      await op("updatePlanBundle", () =>
        client.planbundle.updatePlanBundle(bundlePlanId, {
          plan: { name: "Conformance bundle 2" },
          entitlements: [{ action: "update", entitlementId, req: { planId: bundlePlanId, featureId, valueType: "boolean", valueBool: false } }],
        }));
      await op("listBillingProductMatchCompanies", () => client.plans.listBillingProductMatchCompanies({ planId: bundlePlanId }));
      await op("countBillingProductMatchCompanies", () => client.plans.countBillingProductMatchCompanies({ planId: bundlePlanId }));
    }
  }

  if (company) {
    await op("createCustomPlanBundle", () =>
      client.planbundle.createCustomPlanBundle({
        plan: { companyId: company.id, name: "Conformance custom bundle" },
        billingProduct: { chargeType: "recurring", isTrialable: false, monthlyPrice: 9900 },
        entitlements: [],
      }));
  }
}
