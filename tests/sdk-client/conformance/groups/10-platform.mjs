// Accounts (environments, API keys, whoami, audit log), events, entity keys and traits, company memberships, and the
// per-user usage reads — driven through the official client, with fixtures of their own.
export default async function drive({ op, client }) {
  const suffix = Date.now().toString(36);

  // Accounts.
  await op("getWhoAmI", () => client.accounts.getWhoAmI());
  const environments = await op("listEnvironments", () => client.accounts.listEnvironments({ limit: 10 }));
  const made = await op("createEnvironment", () => client.accounts.createEnvironment({ name: `conformance-${suffix}`, environmentType: "staging" }));
  const environmentId = made?.data?.id ?? environments?.data?.[0]?.id;
  await op("getEnvironment", () => client.accounts.getEnvironment(environmentId));
  await op("updateEnvironment", () => client.accounts.updateEnvironment(environmentId, { name: `conformance-${suffix}-renamed`, environmentType: "production" }));

  const key = await op("createApiKey", () => client.accounts.createApiKey({ name: `conformance-${suffix}`, description: "made by the conformance run" }));
  const keyId = key?.data?.id;
  await op("listApiKeys", () => client.accounts.listApiKeys({ requireEnvironment: false, limit: 10 }));
  await op("countApiKeys", () => client.accounts.countApiKeys({ requireEnvironment: false }));
  await op("getApiKey", () => client.accounts.getApiKey(keyId));
  await op("updateApiKey", () => client.accounts.updateApiKey(keyId, { name: `conformance-${suffix}-renamed`, description: "renamed" }));
  await op("deleteApiKey", () => client.accounts.deleteApiKey(keyId));
  await op("deleteEnvironment", () => client.accounts.deleteEnvironment(environmentId));

  const logs = await op("listAuditLogs", () => client.accounts.listAuditLogs({ limit: 5 }));
  await op("countAuditLogs", () => client.accounts.countAuditLogs({}));
  if (logs?.data?.[0]?.id) await op("getAuditLog", () => client.accounts.getAuditLog(logs.data[0].id));

  // Fixtures: a company, a user in it, usage of the demo's metered feature by that user.
  const company = await client.companies.upsertCompany({ keys: { id: `platform-${suffix}` }, name: `Platform ${suffix}`, traits: { region: "eu" } });
  const companyId = company?.data?.id;
  const user = await client.companies.upsertUser({ keys: { email: `ada-${suffix}@platform.test` }, name: "Ada", company: { id: `platform-${suffix}` }, traits: { role: "admin" } });
  const userId = user?.data?.id;
  const second = await client.companies.upsertUser({ keys: { email: `bob-${suffix}@platform.test` }, name: "Bob", company: { id: `platform-${suffix}` } });
  await client.events.createEventBatch({
    events: [
      { eventType: "track", body: { event: "api-calls", company: { id: `platform-${suffix}` }, user: { email: `ada-${suffix}@platform.test` }, quantity: 3 } },
      { eventType: "track", body: { event: "api-calls", company: { id: `platform-${suffix}` }, user: { email: `bob-${suffix}@platform.test` }, quantity: 1 } },
    ],
  });
  const features = await client.features.listFeatures({ limit: 100 });
  const apiCalls = features?.data?.find((f) => f.eventSubtype === "api-calls") ?? features?.data?.[0];

  // Events.
  const events = await op("listEvents", () => client.events.listEvents({ companyId, eventTypes: ["track"], limit: 10 }));
  if (events?.data?.[0]?.id) await op("getEvent", () => client.events.getEvent(events.data[0].id));
  await op("getEventSummaries", () => client.events.getEventSummaries({ limit: 10 }));

  // Company memberships.
  await op("listCompanyMemberships", () => client.companies.listCompanyMemberships({ companyId }));
  const extra = await client.companies.upsertCompany({ keys: { id: `platform-extra-${suffix}` }, name: `Platform extra ${suffix}` });
  const membership = await op("getOrCreateCompanyMembership", () => client.companies.getOrCreateCompanyMembership({ companyId: extra?.data?.id, userId: second?.data?.id }));
  await op("deleteCompanyMembership", () => client.companies.deleteCompanyMembership(membership?.data?.id));

  // Entity keys and traits.
  const definitions = await op("listEntityKeyDefinitions", () => client.companies.listEntityKeyDefinitions({ entityType: "company" }));
  await op("countEntityKeyDefinitions", () => client.companies.countEntityKeyDefinitions({}));
  await op("countEntityKeys", () => client.companies.countEntityKeys({ entityType: "user" }));
  await client.companies.upsertCompany({ keys: { id: `platform-${suffix}`, [`legacy_${suffix}`]: "L1" } });
  const legacy = await client.companies.listEntityKeyDefinitions({ q: `legacy_${suffix}` });
  await op("deleteEntityKeyDefinition", () => client.companies.deleteEntityKeyDefinition(legacy?.data?.[0]?.id ?? definitions?.data?.[0]?.id));

  const trait = await client.companies.getOrCreateEntityTraitDefinition({ entityType: "company", hierarchy: ["region"], traitType: "string" });
  const traitId = trait?.data?.id;
  await op("getEntityTraitValues", () => client.companies.getEntityTraitValues({ definitionId: traitId }));
  await op("countEntityTraits", () => client.companies.countEntityTraits({ definitionId: traitId }));
  await op("getEntityTraitDefinitionUsage", () => client.companies.getEntityTraitDefinitionUsage(traitId));
  await op("updateEntityTraitDefinition", () => client.companies.updateEntityTraitDefinition(traitId, { displayName: "Region", traitType: "string" }));
  const spare = await client.companies.getOrCreateEntityTraitDefinition({ entityType: "user", hierarchy: [`spare_${suffix}`], traitType: "number" });
  await op("deleteEntityTraitDefinition", () => client.companies.deleteEntityTraitDefinition(spare?.data?.id));

  // Usage.
  await op("countFeatureCompanies", () => client.entitlements.countFeatureCompanies({ featureId: apiCalls?.id }));
  await op("countFeatureUsage", () => client.entitlements.countFeatureUsage({ companyId }));
  await op("listFeatureUsers", () => client.entitlements.listFeatureUsers({ featureId: apiCalls?.id }));
  await op("countFeatureUsers", () => client.entitlements.countFeatureUsers({ featureId: apiCalls?.id }));
  await op("getUserUsageByCompany", () => client.entitlements.getUserUsageByCompany({ companyId }));
  await op("getUserUsageDetail", () => client.entitlements.getUserUsageDetail({ companyId, userId }));
}
