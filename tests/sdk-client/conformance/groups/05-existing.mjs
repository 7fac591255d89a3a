// The operations Tollgate served before the management API issue: catalog, companies and users, overrides, checks,
// events and usage reports, keys, environments, audit log. Each is driven once through the official client, on its
// own fixtures (a feature, a plan with an entitlement, a company and a user made here), so later groups can rely on
// the demo data set being untouched.

export default async function drive({ op, client, state, realFetch, baseUrl, apiKey }) {
  const data = (r) => r?.data;

  // --- Catalog: features, flags, plans, entitlements ------------------------------------------------------------
  await op("listFeatures", () => client.features.listFeatures());
  await op("countFeatures", () => client.features.countFeatures());
  const seats = data(await op("getOrCreateEntityTraitDefinition", () => client.companies.getOrCreateEntityTraitDefinition({ entityType: "company", hierarchy: ["judge_seats"], traitType: "number" })));
  const feature = data(await op("createFeature", () => client.features.createFeature({ name: "Conformance seats", description: "Seats for the judge", featureType: "trait", traitId: seats?.id })));
  const meter = data(await op("createFeature", () => client.features.createFeature({ name: "Conformance exports", description: "Metered exports", featureType: "event", eventSubtype: "conformance_export" })));
  if (feature) await op("getFeature", () => client.features.getFeature(feature.id));
  if (feature) await op("updateFeature", () => client.features.updateFeature(feature.id, { name: "Conformance seats", description: "Seats (renamed)" }));
  const flags = data(await op("listFlags", () => client.features.listFlags()));
  await op("countFlags", () => client.features.countFlags());
  const meterFlag = flags?.find((f) => f.key === meter?.flags?.[0]?.key) ?? flags?.find((f) => f.featureId === meter?.id);
  if (meterFlag) await op("getFlag", () => client.features.getFlag(meterFlag.id));

  await op("listPlans", () => client.plans.listPlans());
  await op("countPlans", () => client.plans.countPlans());
  const plan = data(await op("createPlan", () => client.plans.createPlan({ name: "Conformance plan", description: "Made by the judge", planType: "plan" })));
  if (plan) await op("getPlan", () => client.plans.getPlan(plan.id));
  if (plan) await op("updatePlan", () => client.plans.updatePlan(plan.id, { name: "Conformance plan", description: "Renamed by the judge" }));
  const entitlement = plan && meter
    ? data(await op("createPlanEntitlement", () => client.entitlements.createPlanEntitlement({ planId: plan.id, featureId: meter.id, valueType: "numeric", valueNumeric: 50, metricPeriod: "current_month", metricPeriodMonthReset: "first_of_month" })))
    : undefined;
  await op("listPlanEntitlements", () => client.entitlements.listPlanEntitlements({ planId: plan?.id }));
  await op("countPlanEntitlements", () => client.entitlements.countPlanEntitlements({ planId: plan?.id }));
  if (entitlement) await op("getPlanEntitlement", () => client.entitlements.getPlanEntitlement(entitlement.id));
  if (entitlement) await op("updatePlanEntitlement", () => client.entitlements.updatePlanEntitlement(entitlement.id, { valueType: "numeric", valueNumeric: 60, metricPeriod: "current_month", metricPeriodMonthReset: "first_of_month" }));

  if (entitlement) {
    const spare = data(await op("createPlanEntitlement", () => client.entitlements.createPlanEntitlement({ planId: plan.id, featureId: feature?.id ?? meter.id, valueType: "boolean", valueBool: true })));
    if (spare) await op("deletePlanEntitlement", () => client.entitlements.deletePlanEntitlement(spare.id));
  }

  // A draft version of the plan, made with Tollgate's own route (Schematic's client has no call for it), published.
  if (plan) {
    const draft = await (await realFetch(`${baseUrl}/plans/${plan.id}/versions`, { method: "POST", headers: { "X-Schematic-Api-Key": apiKey, "Content-Type": "application/json" }, body: "{}" })).json();
    if (draft?.data?.id) await op("publishPlanVersion", () => client.plans.publishPlanVersion(draft.data.id, { excludedCompanyIds: [], migrationStrategy: "immediate" }));
    const second = await (await realFetch(`${baseUrl}/plans/${plan.id}/versions`, { method: "POST", headers: { "X-Schematic-Api-Key": apiKey, "Content-Type": "application/json" }, body: "{}" })).json();
    if (second?.data?.id) await op("deletePlanVersion", () => client.plans.deletePlanVersion(second.data.id));
  }

  // --- Companies, users, traits, plans of a company ---------------------------------------------------------------
  const company = data(await op("upsertCompany", () => client.companies.upsertCompany({ keys: { id: "conformance-co" }, name: "Conformance Co", traits: { seats: 3 } })));
  data(await op("createCompany", () => client.companies.createCompany({ keys: { id: "conformance-co-2" }, name: "Conformance Co 2" })));
  await op("listCompanies", () => client.companies.listCompanies({ limit: 5 }));
  await op("countCompanies", () => client.companies.countCompanies());
  await op("lookupCompany", () => client.companies.lookupCompany({ keys: { id: "conformance-co" } }));
  if (company) await op("getCompany", () => client.companies.getCompany(company.id));
  if (meterFlag && company && plan) {
    await op("updateFlagRules", () =>
      client.features.updateFlagRules(meterFlag.id, {
        rules: [{
          name: "Judges", priority: 1, value: true,
          conditions: [{ conditionType: "company", operator: "eq", resourceIds: [company.id], traitValue: "" }],
          conditionGroups: [{ conditions: [{ conditionType: "plan", operator: "eq", resourceIds: [plan.id], traitValue: "" }] }],
        }],
      }));
  }
  await op("upsertCompanyTrait", () => client.companies.upsertCompanyTrait({ keys: { id: "conformance-co" }, trait: "seats", incr: 1 }));
  if (company && plan) await op("updateCompanyPlans", () => client.plans.updateCompanyPlans(company.id, { basePlanId: plan.id, addOnIds: [] }));
  const user = data(await op("upsertUser", () => client.companies.upsertUser({ keys: { email: "judge@conformance.test" }, name: "Judge", company: { id: "conformance-co" }, traits: { role: "admin" } })));
  await op("createUser", () => client.companies.createUser({ keys: { email: "judge2@conformance.test" }, name: "Judge 2", company: { id: "conformance-co" } }));
  await op("listUsers", () => client.companies.listUsers({ limit: 5 }));
  await op("countUsers", () => client.companies.countUsers());
  await op("lookupUser", () => client.companies.lookupUser({ keys: { email: "judge@conformance.test" } }));
  if (user) await op("getUser", () => client.companies.getUser(user.id));
  await op("upsertUserTrait", () => client.companies.upsertUserTrait({ keys: { email: "judge@conformance.test" }, trait: "logins", incr: 1 }));

  const definitions = data(await op("listEntityTraitDefinitions", () => client.companies.listEntityTraitDefinitions()));
  await op("countEntityTraitDefinitions", () => client.companies.countEntityTraitDefinitions());
  await op("getOrCreateEntityTraitDefinition", () => client.companies.getOrCreateEntityTraitDefinition({ entityType: "company", hierarchy: ["region"], traitType: "string" }));
  if (definitions?.[0]) await op("getEntityTraitDefinition", () => client.companies.getEntityTraitDefinition(definitions[0].id));

  // --- Overrides and checks ---------------------------------------------------------------------------------------
  const override = company && meter
    ? data(await op("createCompanyOverride", () => client.entitlements.createCompanyOverride({ companyId: company.id, featureId: meter.id, valueType: "numeric", valueNumeric: 80, note: "Judge's extra" })))
    : undefined;
  await op("listCompanyOverrides", () => client.entitlements.listCompanyOverrides({ companyId: company?.id }));
  await op("countCompanyOverrides", () => client.entitlements.countCompanyOverrides({ companyId: company?.id }));
  if (override) await op("getCompanyOverride", () => client.entitlements.getCompanyOverride(override.id));
  if (override) await op("updateCompanyOverride", () => client.entitlements.updateCompanyOverride(override.id, { valueType: "numeric", valueNumeric: 90 }));

  const flagKey = meterFlag?.key ?? "api-calls";
  await op("checkFlag", () => client.features.checkFlag(flagKey, { company: { id: "conformance-co" }, user: { email: "judge@conformance.test" } }));
  await op("checkFlags", () => client.features.checkFlags({ company: { id: "conformance-co" } }));
  await op("checkFlagsBulk", () => client.features.checkFlagsBulk({ contexts: [{ company: { id: "conformance-co" } }, { company: { id: "acme" } }] }));
  await op("checkAndReserveFlag", () => client.features.checkAndReserveFlag("api-calls", { company: { id: "acme" } }));

  // --- Events and usage -------------------------------------------------------------------------------------------
  await op("createEvent", () => client.events.createEvent({ eventType: "track", body: { event: "conformance_export", company: { id: "conformance-co" }, quantity: 2 } }));
  await op("createEventBatch", () => client.events.createEventBatch({ events: [{ eventType: "track", body: { event: "conformance_export", company: { id: "conformance-co" }, quantity: 1 } }] }));
  await op("listFeatureUsage", () => client.entitlements.listFeatureUsage({ companyId: company?.id }));
  if (meter) await op("listFeatureCompanies", () => client.entitlements.listFeatureCompanies({ featureId: meter.id }));
  await op("getFeatureUsageByCompany", () => client.entitlements.getFeatureUsageByCompany({ keys: { id: "conformance-co" } }));
  const end = new Date();
  const start = new Date(end.getTime() - 7 * 24 * 3600 * 1000);
  if (company && meter) {
    await op("getFeatureUsageTimeSeries", () => client.entitlements.getFeatureUsageTimeSeries({ companyId: company.id, featureId: meter.id, startTime: start, endTime: end, granularity: "daily" }));
    await op("listFeatureUsageHistory", () => client.entitlements.listFeatureUsageHistory({ companyId: company.id, featureId: meter.id, startTime: start, endTime: end, granularity: "daily" }));
  }

  // --- Keys, environments, audit log, billing products ------------------------------------------------------------
  const key = data(await op("createApiKey", () => client.accounts.createApiKey({ name: "judge", description: "made by the judge" })));
  await op("listApiKeys", () => client.accounts.listApiKeys({ requireEnvironment: false }));
  await op("createEnvironment", () => client.accounts.createEnvironment({ name: "Judge's staging", environmentType: "staging" }));
  await op("listAuditLogs", () => client.accounts.listAuditLogs({ limit: 5 }));
  await op("listBillingProducts", () => client.billing.listBillingProducts());
  await op("countBillingProducts", () => client.billing.countBillingProducts());

  // --- Deletes last ---------------------------------------------------------------------------------------------
  if (key) await op("deleteApiKey", () => client.accounts.deleteApiKey(key.id));
  if (override) await op("deleteCompanyOverride", () => client.entitlements.deleteCompanyOverride(override.id));
  await op("deleteUserByKeys", () => client.companies.deleteUserByKeys({ keys: { email: "judge2@conformance.test" } }));
  if (user) await op("deleteUser", () => client.companies.deleteUser(user.id));
  await op("deleteCompanyByKeys", () => client.companies.deleteCompanyByKeys({ keys: { id: "conformance-co-2" } }));
  const spare = data(await op("createCompany", () => client.companies.createCompany({ keys: { id: "conformance-co-3" }, name: "Conformance Co 3" })));
  if (spare) await op("deleteCompany", () => client.companies.deleteCompany(spare.id));
  const doomed = data(await op("createPlan", () => client.plans.createPlan({ name: "Conformance doomed", description: "Deleted by the judge", planType: "plan" })));
  if (doomed) await op("deletePlan", () => client.plans.deletePlan(doomed.id));
  if (feature) await op("deleteFeature", () => client.features.deleteFeature(feature.id));

  state.conformanceCompanyId = company?.id;
  state.conformancePlanId = plan?.id;
  state.conformanceFeatureId = meter?.id;
}
