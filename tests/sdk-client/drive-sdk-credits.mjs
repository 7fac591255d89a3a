// Drives the credit calls of the official Schematic Node SDK (credits.* and features.checkAndReserveFlag) against a
// running Tollgate and prints ONE JSON object on stdout, in the same shape as drive-sdk.mjs (steps, requests, logs,
// sdkConsole), for tests/Tollgate.Server.Tests/SdkClient/SdkCreditTests.cs.
//
//   node drive-sdk-credits.mjs <baseUrl> <apiKey>
//
// It makes its own data (a credit type, a credit-based feature, a plan, a company) so it does not depend on the demo.

import { readFileSync } from "node:fs";

const baseUrl = (process.argv[2] ?? "").replace(/\/+$/, "");
const apiKey = process.argv[3] ?? "";
if (!baseUrl || !apiKey) {
  process.stderr.write("usage: node drive-sdk-credits.mjs <baseUrl> <apiKey>\n");
  process.exit(2);
}

const requests = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  const entry = { method: (init?.method ?? input?.method ?? "GET").toUpperCase(), path: url.pathname + url.search, body: typeof init?.body === "string" ? init.body : null, status: null };
  requests.push(entry);
  const response = await realFetch(input, init);
  entry.status = response.status;
  return response;
};

const { SchematicClient } = await import("@schematichq/schematic-typescript-node");
const sdkVersion = JSON.parse(readFileSync(new URL("./node_modules/@schematichq/schematic-typescript-node/package.json", import.meta.url), "utf8")).version;
const text = (args) => args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === "string" ? a : JSON.stringify(a))).join(" ");
const logs = [];
const logger = Object.fromEntries(["error", "warn", "info", "debug"].map((level) => [level, (message, ...args) => logs.push({ level, message: text([message, ...args]) })]));
const client = new SchematicClient({ apiKey, basePath: baseUrl, eventCaptureBaseURL: baseUrl, cacheProviders: { flagChecks: [] }, logger, logLevel: "error" });

const sdkConsole = [];
let currentStep = "(setup)";
for (const level of ["log", "info", "warn", "error", "debug"]) {
  console[level] = (...args) => sdkConsole.push({ step: currentStep, level, message: text(args) });
}

const steps = {};
async function step(name, fn) {
  currentStep = name;
  try {
    steps[name] = { ok: true, value: await fn() };
  } catch (error) {
    steps[name] = { ok: false, error: { name: error?.constructor?.name ?? "Error", message: String(error?.message ?? error), statusCode: error?.statusCode ?? null, body: error?.body ?? null } };
  }
  currentStep = "(between steps)";
  return steps[name].ok ? steps[name].value : undefined;
}

const credit = await step("credits.createBillingCredit", async () =>
  (await client.credits.createBillingCredit({ name: "SDK tokens", description: "Made by the SDK", currency: "usd" })).data);
await step("credits.updateBillingCredit", async () =>
  (await client.credits.updateBillingCredit(credit.id, { name: "SDK tokens", description: "Renamed by the SDK", pluralName: "tokens" })).data);
await step("credits.getSingleBillingCredit", async () => (await client.credits.getSingleBillingCredit(credit.id)).data);
const doomed = await step("credits.createBillingCredit second", async () =>
  (await client.credits.createBillingCredit({ name: "Doomed", description: "Deleted by the SDK", currency: "usd" })).data);
await step("credits.softDeleteBillingCredit", async () => (await client.credits.softDeleteBillingCredit(doomed.id)).data);
await step("credits.listBillingCredits", async () => (await client.credits.listBillingCredits()).data);
await step("credits.countBillingCredits", async () => (await client.credits.countBillingCredits()).data);

const feature = await step("features.createFeature", async () =>
  (await client.features.createFeature({
    name: "SDK generations",
    description: "Paid in SDK tokens",
    featureType: "event",
    eventSubtype: "sdk_generation",
    flag: { key: "sdk-gen", name: "SDK generations", description: "", defaultValue: false, flagType: "boolean" },
  })).data);
const plan = await step("plans.createPlan", async () => (await client.plans.createPlan({ name: "Tokens", description: "Token plan", planType: "plan" })).data);
await step("entitlements.createPlanEntitlement", async () =>
  (await client.entitlements.createPlanEntitlement({ planId: plan.id, featureId: feature.id, valueType: "credit", valueCreditId: credit.id, creditConsumptionRate: 2 })).data);
const company = await step("companies.upsertCompany", async () =>
  (await client.companies.upsertCompany({ keys: { id: "token-co" }, name: "Token Co", basePlanId: plan.id })).data);

await step("credits.createBillingPlanCreditGrant", async () =>
  (await client.credits.createBillingPlanCreditGrant({ planId: plan.id, creditId: credit.id, creditAmount: 10, resetCadence: "monthly", resetStart: "first_of_month" })).data);
await step("credits.listBillingPlanCreditGrants", async () => (await client.credits.listBillingPlanCreditGrants({ planId: plan.id })).data);
const grant = await step("credits.grantBillingCreditsToCompany", async () =>
  (await client.credits.grantBillingCreditsToCompany({ companyId: company.id, creditId: credit.id, quantity: 30, reason: "purchased" })).data);
await step("credits.listCompanyGrants", async () => (await client.credits.listCompanyGrants({ companyId: company.id })).data);
await step("credits.countCompanyGrants", async () => (await client.credits.countCompanyGrants({ companyId: company.id })).data);
await step("credits.listCompanyCreditBalances", async () => (await client.credits.listCompanyCreditBalances({ companyId: company.id })).data);

const reservation = await step("credits.reserveCredits", async () =>
  (await client.credits.reserveCredits({ companyId: company.id, creditTypeId: credit.id, amount: 5, idempotencyKey: "sdk-reserve-1" })).data);
await step("credits.releaseCreditReservation", async () => (await client.credits.releaseCreditReservation(reservation.id)).data);
await step("features.checkAndReserveFlag", async () =>
  (await client.features.checkAndReserveFlag("sdk-gen", { company: { id: "token-co" }, quantity: 4 })).data);
await step("checkFlagWithEntitlement token-co sdk-gen", () => client.checkFlagWithEntitlement({ company: { id: "token-co" } }, "sdk-gen"));
await step("credits.zeroOutGrant", async () => (await client.credits.zeroOutGrant(grant.id, { reason: "manual" })).data);
await step("credits.listCreditEventLedger", async () => (await client.credits.listCreditEventLedger({ companyId: company.id })).data);
await step("credits.countCreditEventLedger", async () => (await client.credits.countCreditEventLedger({ companyId: company.id })).data);
await step("credits.listCompanyCreditBalances after", async () => (await client.credits.listCompanyCreditBalances({ companyId: company.id })).data);
const lease = await step("credits.acquireCreditLease", async () =>
  (await client.credits.acquireCreditLease({ companyId: company.id, creditTypeId: credit.id, requestedAmount: 5 })).data);
await step("credits.extendCreditLease", async () =>
  (await client.credits.extendCreditLease(lease.id, { additionalAmount: 3, idempotencyKey: "sdk-extend-1" })).data);
await step("credits.releaseCreditLease", async () => (await client.credits.releaseCreditLease(lease.id)).data);
await step("close", () => client.close());

process.stdout.write(JSON.stringify({ sdkVersion, nodeVersion: process.version, steps, requests, logs, sdkConsole }) + "\n");
