// Drives the credit calls of the official Schematic Node SDK (credits.* and features.checkAndReserveFlag) against a
// running Tollgate and prints ONE JSON object on stdout, in the same shape as drive-sdk.mjs (steps, requests, logs,
// sdkConsole), for tests/Tollgate.Server.Tests/SdkClient/SdkCreditTests.cs.
//
//   node drive-sdk-credits.mjs <baseUrl> <apiKey>
//
// It makes its own data (a credit type, a credit-based feature, a plan, a company) so it does not depend on the demo.

import { startSdk } from "./sdk-harness.mjs";

const { client, step, report } = await startSdk("drive-sdk-credits.mjs");

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

report();
