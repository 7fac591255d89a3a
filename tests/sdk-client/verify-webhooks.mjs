// Judges webhook deliveries with the official Schematic Node SDK, as a receiver would.
// Usage: node verify-webhooks.mjs <deliveries.json>, a file of [{secret, body, signature, timestamp}].
// Prints one JSON line: {"verified": n, "failures": [...], "tampered_rejected": n, "shapes_checked": n, "shape_failures": [...]}.
//
// Signatures: every delivery must pass the SDK's verifyWebhookSignature, and the same delivery with one byte of its body
// changed must not (a verifier that accepts anything proves nothing).
//
// Shapes: each delivery's `body` is validated against the JSON Schema generated from the SDK's own wire type for its
// `action` (the `Raw` interface of the type Schematic's webhook docs name for it: WebFeatureUsageWebhookOutput for the
// limit triggers, FeatureDetailResponseData for feature.*, ...). Extra fields are allowed (TypeScript's types are
// structural); a missing required field, a wrong type or an enum value outside the declared set is not. The schemas
// are generated once per SDK version into the system's temporary folder.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from "@schematichq/schematic-typescript-node";

const here = dirname(fileURLToPath(import.meta.url));
const sdkRoot = join(here, "node_modules", "@schematichq", "schematic-typescript-node");
const generatorVersion = 1; // bump when the types below or the generator's options change

// Schematic's body type for each request type (docs.schematichq.com/integrations/webhooks, "Supported webhook events").
const bodyTypes = {
  "company.created": "CompanyDetailResponseData",
  "company.updated": "CompanyDetailResponseData",
  "company.deleted": "CompanyDetailResponseData",
  "company.plan_changed": "PlanChangeResponseData",
  "company.scheduled_downgrade": "WebScheduledDowngradeWebhookOutput",
  "company.override.created": "CompanyOverrideResponseData",
  "company.override.updated": "CompanyOverrideResponseData",
  "company.override.deleted": "CompanyOverrideResponseData",
  "company.override.expired": "CompanyOverrideResponseData",
  "user.created": "UserDetailResponseData",
  "user.updated": "UserDetailResponseData",
  "user.deleted": "UserDetailResponseData",
  "feature.created": "FeatureDetailResponseData",
  "feature.updated": "FeatureDetailResponseData",
  "feature.deleted": "FeatureDetailResponseData",
  "flag.created": "FlagDetailResponseData",
  "flag.updated": "FlagDetailResponseData",
  "flag.deleted": "FlagDetailResponseData",
  "flag_rules.updated": "RuleDetailResponseData",
  "rule.deleted": "RuleDetailResponseData",
  "plan.created": "PlanDetailResponseData",
  "plan.updated": "PlanDetailResponseData",
  "plan.deleted": "PlanDetailResponseData",
  "plan_version.deleted": "PlanVersionResponseData",
  "plan.entitlement.created": "PlanEntitlementResponseData",
  "plan.entitlement.updated": "PlanEntitlementResponseData",
  "plan.entitlement.deleted": "PlanEntitlementResponseData",
  "subscription.trial.ended": "BillingSubscriptionView",
  "entitlement.limit.warning": "WebFeatureUsageWebhookOutput",
  "entitlement.limit.reached": "WebFeatureUsageWebhookOutput",
  "entitlement.soft_limit.warning": "WebFeatureUsageWebhookOutput",
  "entitlement.soft_limit.reached": "WebFeatureUsageWebhookOutput",
  "entitlement.tier_limit.warning": "WebFeatureUsageWebhookOutput",
  "entitlement.tier_limit.reached": "WebFeatureUsageWebhookOutput",
  "credit.limit.warning": "WebFeatureUsageWebhookOutput",
  "credit.limit.reached": "WebFeatureUsageWebhookOutput",
  "credit.purchase.success": "CreditsCreditPurchaseSuccess",
};

const deliveries = JSON.parse(readFileSync(process.argv[2], "utf8"));
let verified = 0;
let tamperedRejected = 0;
const failures = [];
for (const d of deliveries) {
  const headers = { [WEBHOOK_SIGNATURE_HEADER.toLowerCase()]: d.signature, [WEBHOOK_TIMESTAMP_HEADER.toLowerCase()]: d.timestamp };
  try {
    verifyWebhookSignature({ headers }, d.secret, Buffer.from(d.body, "utf8"));
    verified++;
  } catch (e) {
    failures.push(String(e?.message ?? e));
  }
  try {
    verifyWebhookSignature({ headers }, d.secret, Buffer.from(d.body + " ", "utf8"));
  } catch {
    tamperedRejected++;
  }
}

let shapesChecked = 0;
const shapeFailures = [];
const typed = deliveries.map((d) => JSON.parse(d.body)).filter((p) => bodyTypes[p.action]);
if (typed.length > 0) {
  const schema = await loadSchema();
  const { default: Ajv } = await import("ajv");
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(schema, "webhooks");
  for (const payload of typed) {
    const validate = ajv.getSchema(`webhooks#/definitions/${bodyTypes[payload.action]}`);
    shapesChecked++;
    if (!validate(payload.body)) {
      shapeFailures.push({ action: payload.action, type: bodyTypes[payload.action], errors: validate.errors.slice(0, 10).map((e) => `${e.instancePath || "/"} ${e.message}`) });
    }
  }
}

console.log(JSON.stringify({ verified, failures, tampered_rejected: tamperedRejected, shapes_checked: shapesChecked, shape_failures: shapeFailures }));

/** One JSON Schema document with a definition per body type (each its `Raw`, wire, interface), cached per SDK version. */
async function loadSchema() {
  const sdkVersion = JSON.parse(readFileSync(join(sdkRoot, "package.json"), "utf8")).version;
  const cacheDir = join(tmpdir(), "tollgate-webhook-schemas");
  const cacheFile = join(cacheDir, `sdk-${sdkVersion}-gen${generatorVersion}.json`);
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, "utf8"));

  mkdirSync(cacheDir, { recursive: true });
  const types = [...new Set(Object.values(bodyTypes))];
  const entry = join(cacheDir, `entry-${process.pid}.ts`);
  const from = (t) => join(sdkRoot, "dist", "serialization", "types", t).replace(/\\/g, "/");
  writeFileSync(entry, types.map((t, i) => `import type { ${t} as T${i} } from "${from(t)}";\nexport type ${t} = T${i}.Raw;`).join("\n") + "\n");
  const tsconfig = join(cacheDir, `tsconfig-${process.pid}.json`);
  writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: true, module: "commonjs", target: "es2020", moduleResolution: "node" }, files: [entry] }));
  const { createGenerator } = await import("ts-json-schema-generator");
  const schema = createGenerator({ path: entry, tsconfig, type: "*", expose: "export", topRef: true, skipTypeCheck: true, additionalProperties: true, jsDoc: "none" })
    .createSchema("*");
  writeFileSync(cacheFile, JSON.stringify(schema));
  return schema;
}
