// Drives the official Schematic Node SDK (@schematichq/schematic-typescript-node, pinned in package.json) against a
// running Tollgate server and prints ONE JSON object on stdout with every answer, for
// tests/Tollgate.Server.Tests/SdkClient to assert on.
//
//   node drive-sdk.mjs <baseUrl> <apiKey>        (or TOLLGATE_URL / TOLLGATE_API_KEY)
//
// Nothing else is written to stdout: the SDK's log lines and every HTTP exchange are captured into the result
// ("logs", "requests"). A step that throws is recorded as {ok:false, error} and the script carries on, so one
// incompatibility shows up as one failed assertion instead of hiding everything after it. Exit code 0 means the
// script ran to the end (the answers may still be wrong); 2 means bad arguments; 1 means the script itself crashed.

import { startSdk } from "./sdk-harness.mjs";

const { client, step, steps, report, baseUrl, apiKey, realFetch } = await startSdk("drive-sdk.mjs");

// Plain JSON for the report: Dates become ISO strings; also say whether the SDK parsed the dates into Date objects.
const isDate = (v) => v instanceof Date && !Number.isNaN(v.getTime());

// --- Management: catalog ---------------------------------------------------------------------------------------
const plans = await step("plans.listPlans", async () => (await client.plans.listPlans()).data);
const planId = (name) => plans?.find((p) => p.name === name)?.id;
const features = await step("features.listFeatures", async () => (await client.features.listFeatures()).data);
const featureId = (name) => features?.find((f) => f.name === name)?.id;

await step("features.getFeature", async () => {
  const f = (await client.features.getFeature(featureId("API calls"))).data;
  return { ...f, createdAtIsDate: isDate(f.createdAt) };
});
await step("features.countFeatures", async () => (await client.features.countFeatures()).data);
const flags = await step("features.listFlags", async () => (await client.features.listFlags()).data);
await step("features.getFlag", async () => (await client.features.getFlag(flags?.find((f) => f.key === "sso")?.id)).data);
await step("plans.getPlan", async () => (await client.plans.getPlan(planId("Pro"))).data);
await step("plans.countPlans", async () => (await client.plans.countPlans()).data);
await step("entitlements.listPlanEntitlements", async () => (await client.entitlements.listPlanEntitlements({ planId: planId("Enterprise") })).data);

// --- Management: a company, its plan and a user, made through the SDK --------------------------------------------
const company = await step("companies.upsertCompany", async () => {
  const c = (await client.companies.upsertCompany({ keys: { id: "sdk-co" }, name: "SDK Co", traits: { seats: 4 } })).data;
  return { ...c, createdAtIsDate: isDate(c.createdAt) };
});
// plans.updateCompanyPlans → PUT /company-plans/{company_id} {"base_plan_id","add_on_ids"}: Tollgate's route and body.
await step("plans.updateCompanyPlans", async () => (await client.plans.updateCompanyPlans(company.id, { basePlanId: planId("Pro"), addOnIds: [] })).data);
await step("companies.upsertUser", async () =>
  (await client.companies.upsertUser({ keys: { email: "dev@sdk-co.test" }, name: "Dev", company: { id: "sdk-co" }, traits: { role: "admin" } })).data);
await step("companies.upsertCompanyTrait", async () =>
  (await client.companies.upsertCompanyTrait({ keys: { id: "sdk-co" }, trait: "seats", incr: 1 })).data);
await step("companies.getCompany", async () => (await client.companies.getCompany(company.id)).data);
await step("companies.lookupCompany", async () => {
  const r = await client.companies.lookupCompany({ keys: { id: "acme" } });
  return { data: r.data, params: r.params };
});
await step("companies.listCompanies", async () => (await client.companies.listCompanies({ limit: 100 })).data);
await step("companies.countCompanies", async () => (await client.companies.countCompanies()).data);
await step("companies.listUsers", async () => (await client.companies.listUsers()).data);
const user = steps["companies.upsertUser"].ok ? steps["companies.upsertUser"].value : undefined;
await step("companies.getUser", async () => (await client.companies.getUser(user.id)).data);

// --- Schematic's list filters and trait definitions, as the SDK encodes them (arrays as repeated names) -----------
await step("companies.listCompanies planId", async () => {
  const r = await client.companies.listCompanies({ planId: planId("Pro") });
  return { data: r.data, params: r.params };
});
await step("companies.countCompanies planIds", async () => (await client.companies.countCompanies({ planIds: [planId("Pro"), planId("Enterprise")] })).data);
await step("companies.listCompanies ids", async () => (await client.companies.listCompanies({ ids: [company.id, "comp_none"] })).data);
await step("companies.countCompanies withoutPlan", async () => (await client.companies.countCompanies({ withoutPlan: true })).data);
await step("companies.listUsers companyId", async () => (await client.companies.listUsers({ companyId: company.id, q: "DEV" })).data);
await step("entitlements.listPlanEntitlements featureId", async () =>
  (await client.entitlements.listPlanEntitlements({ featureId: featureId("API calls"), planId: planId("Pro") })).data);
const region = await step("companies.getOrCreateEntityTraitDefinition", async () =>
  (await client.companies.getOrCreateEntityTraitDefinition({ entityType: "company", hierarchy: ["region"], traitType: "string", displayName: "Region" })).data);
await step("companies.getEntityTraitDefinition", async () => (await client.companies.getEntityTraitDefinition(region.id)).data);
await step("companies.listEntityTraitDefinitions", async () => (await client.companies.listEntityTraitDefinitions({ entityType: "company" })).data);

// --- Checks ------------------------------------------------------------------------------------------------------
await step("checkFlag acme api-calls", () => client.checkFlag({ company: { id: "acme" } }, "api-calls"));
await step("checkFlag globex sso", () => client.checkFlag({ company: { id: "globex" } }, "sso"));
await step("checkFlag initech sso", () => client.checkFlag({ company: { id: "initech" } }, "sso"));
await step("checkFlag unknown company sso", () => client.checkFlag({ company: { id: "no-such-company" } }, "sso"));
await step("checkFlag unknown flag", () => client.checkFlag({ company: { id: "acme" } }, "does-not-exist"));
await step("checkFlag unknown flag defaultValue true", () => client.checkFlag({ company: { id: "acme" } }, "does-not-exist", { defaultValue: true }));
await step("checkFlag sdk-co api-calls", () => client.checkFlag({ company: { id: "sdk-co" } }, "api-calls"));
await step("checkFlag sdk-co sso", () => client.checkFlag({ company: { id: "sdk-co" } }, "sso"));
await step("checkFlag preflight acme api-calls over limit", () =>
  client.checkFlag({ company: { id: "acme" } }, "api-calls", { eventUsage: { eventSubtype: "api_call", quantity: 100001 } }));

await step("checkFlagWithEntitlement acme api-calls", async () => {
  const r = await client.checkFlagWithEntitlement({ company: { id: "acme" } }, "api-calls");
  return { ...r, metricResetAtIsDate: isDate(r.entitlement?.metricResetAt) };
});
await step("checkFlagWithEntitlement sdk-co seats with user", () =>
  client.checkFlagWithEntitlement({ company: { id: "sdk-co" }, user: { email: "dev@sdk-co.test" } }, "seats"));
await step("checkFlagWithEntitlement unknown flag", () => client.checkFlagWithEntitlement({ company: { id: "acme" } }, "does-not-exist"));

await step("checkFlags acme", () => client.checkFlags({ company: { id: "acme" } }));
await step("checkFlags acme keys", () => client.checkFlags({ company: { id: "acme" } }, ["api-calls", "sso", "does-not-exist"]));
await step("features.checkFlagsBulk", async () =>
  (await client.features.checkFlagsBulk({ contexts: [{ company: { id: "globex" } }, { company: { id: "initech" } }] })).data);

// --- Company overrides through the SDK: give globex SSO, check, take it back -------------------------------------
const override = await step("entitlements.createCompanyOverride", async () =>
  (await client.entitlements.createCompanyOverride({
    companyId: (await client.companies.lookupCompany({ keys: { id: "globex" } })).data.id,
    featureId: featureId("SSO"),
    valueType: "boolean",
    valueBool: true,
    note: "granted by the SDK client test",
  })).data);
await step("checkFlag globex sso with override", () => client.checkFlag({ company: { id: "globex" } }, "sso"));
await step("entitlements.listCompanyOverrides", async () => (await client.entitlements.listCompanyOverrides({ companyId: override.companyId })).data);
await step("entitlements.deleteCompanyOverride", async () => (await client.entitlements.deleteCompanyOverride(override.id)).data);
await step("checkFlag globex sso after override deleted", () => client.checkFlag({ company: { id: "globex" } }, "sso"));

// --- Catalog writes through the SDK: a feature with its flag, a plan that grants it, a company on that plan ----------
const exportsFeature = await step("features.createFeature", async () =>
  (await client.features.createFeature({
    name: "Exports",
    description: "CSV exports",
    featureType: "boolean",
    flag: { key: "exports", name: "Exports", description: "Can export CSV", defaultValue: false, flagType: "boolean" },
  })).data);
await step("features.updateFeature", async () => (await client.features.updateFeature(exportsFeature.id, { name: "CSV exports" })).data);
const team = await step("plans.createPlan", async () => (await client.plans.createPlan({ name: "Team", description: "For small teams", planType: "plan" })).data);
await step("plans.updatePlan", async () => (await client.plans.updatePlan(team.id, { name: "Team", description: "For small teams, billed yearly" })).data);
const grant = await step("entitlements.createPlanEntitlement", async () =>
  (await client.entitlements.createPlanEntitlement({ planId: team.id, featureId: exportsFeature.id, valueType: "boolean", valueBool: true })).data);
// upsertCompany's own base_plan_id, the other way to put a company on a plan.
const teamCo = await step("companies.upsertCompany with basePlanId", async () =>
  (await client.companies.upsertCompany({ keys: { id: "team-co" }, name: "Team Co", basePlanId: team.id })).data);
await step("checkFlag team-co exports", () => client.checkFlag({ company: { id: "team-co" } }, "exports"));
await step("checkFlag acme exports", () => client.checkFlag({ company: { id: "acme" } }, "exports"));
await step("entitlements.deletePlanEntitlement", async () => (await client.entitlements.deletePlanEntitlement(grant.id)).data);
await step("checkFlag team-co exports after entitlement deleted", () => client.checkFlag({ company: { id: "team-co" } }, "exports"));
await step("companies.deleteCompany", async () => (await client.companies.deleteCompany(teamCo.id)).data);

// --- Plan versions: drafts of Team are made over plain HTTP (the SDK has no call for that); the SDK publishes and deletes
const tollgate = async (method, path, body) => {
  const response = await realFetch(`${baseUrl}${path}`, {
    method,
    headers: { "X-Schematic-Api-Key": apiKey, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()).data;
};
await step("companies.upsertCompany on Team", async () =>
  (await client.companies.upsertCompany({ keys: { id: "version-co" }, name: "Version Co", basePlanId: team.id })).data);
const draft = await step("http: draft of Team with exports", async () => {
  const version = await tollgate("POST", `/plans/${team.id}/versions`);
  await tollgate("POST", "/plan-entitlements", { plan_id: team.id, plan_version_id: version.id, feature_id: exportsFeature.id, value_type: "boolean", value_bool: true });
  return version;
});
await step("checkFlag version-co exports before publish", () => client.checkFlag({ company: { id: "version-co" } }, "exports"));
await step("plans.publishPlanVersion", async () =>
  (await client.plans.publishPlanVersion(draft.id, { migrationStrategy: "immediate", excludedCompanyIds: [] })).data);
await step("checkFlagWithEntitlement version-co exports after publish", () =>
  client.checkFlagWithEntitlement({ company: { id: "version-co" } }, "exports"));
const discarded = await step("http: another draft of Team", () => tollgate("POST", `/plans/${team.id}/versions`));
await step("plans.deletePlanVersion", async () => (await client.plans.deletePlanVersion(discarded.id)).data);

// --- Events: one track, flushed by close() to POST {eventCaptureBaseURL}/batch ------------------------------------
// identify and track are buffered and POSTed to {eventCaptureBaseURL}/batch on the SDK's 1 s tick; what they change
// must show in checks a second after that.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
await step("identify", () => client.identify({
  keys: { email: "eve@sdk-track.test" }, name: "Eve", traits: { role: "owner" },
  company: { keys: { id: "sdk-track-co" }, name: "Track Co", traits: { seats: 2 } },
}));
await step("track", () => client.track({ event: "api_call", company: { id: "sdk-co" }, quantity: 3 }));
await sleep(2500);
await step("checkFlagWithEntitlement sdk-co api-calls after track", () => client.checkFlagWithEntitlement({ company: { id: "sdk-co" } }, "api-calls"));
await step("companies.lookupCompany identified", async () => (await client.companies.lookupCompany({ keys: { id: "sdk-track-co" } })).data);
await step("companies.lookupUser identified", async () => (await client.companies.lookupUser({ keys: { email: "eve@sdk-track.test" } })).data);
await step("track up to the limit", () => client.track({ event: "api_call", company: { id: "sdk-co" }, quantity: 99997 }));
await sleep(2500);
await step("checkFlag sdk-co api-calls after the limit", () => client.checkFlag({ company: { id: "sdk-co" } }, "api-calls"));
const closeStarted = Date.now();
await step("close", () => client.close());
const closeMs = Date.now() - closeStarted;

report({ closeMs });
