// Drives OpenFeature's own Node server SDK with its OFREP provider against a running Tollgate and prints ONE JSON
// object on stdout, for tests/Tollgate.Server.Tests/Ofrep/OfrepTests.cs:
//
//   node drive-ofrep.mjs <baseUrl> <secretKey>
//
// The provider sends the key as `Authorization: Bearer`; the bulk calls go through @openfeature/ofrep-core's OFREPApi
// (what the browser provider uses) with `X-Schematic-Api-Key`, an If-None-Match round, and an override written in
// between to show the tag follows the answers.

import { OpenFeature } from "@openfeature/server-sdk";
import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OFREPApi } from "@openfeature/ofrep-core";

const [baseUrl, apiKey] = [process.argv[2].replace(/\/+$/, ""), process.argv[3]];
const flagKeys = ["api-calls", "seats", "sso", "ai-credits"];
const contexts = [
  { targetingKey: "acme" },
  { targetingKey: "globex" },
  { targetingKey: "ignored-when-company-given", company: { id: "initech" }, user: { email: "ana@acme.test" } },
  { targetingKey: "no-such-company" },
  {},
];

await OpenFeature.setProviderAndWait(new OFREPProvider({ baseUrl, headers: [["Authorization", `Bearer ${apiKey}`]] }));
const client = OpenFeature.getClient();
const details = (d) => ({ value: d.value, reason: d.reason ?? null, variant: d.variant ?? null, errorCode: d.errorCode ?? null, metadata: d.flagMetadata ?? {} });

const evaluations = [];
for (let c = 0; c < contexts.length; c++) {
  for (const flag of flagKeys) {
    evaluations.push({ context: c, flag, ...details(await client.getBooleanDetails(flag, false, contexts[c])) });
  }
}

const errors = {
  unknownFlag: details(await client.getBooleanDetails("no-such-flag", true, { targetingKey: "acme" })),
  invalidContext: details(await client.getBooleanDetails("sso", true, { targetingKey: "acme", company: "acme" })),
  wrongType: details(await client.getStringDetails("sso", "fallback", { targetingKey: "acme" })),
};

const refused = new OFREPProvider({ baseUrl, headers: [["Authorization", "Bearer sch_not_a_key_0000000000000000"]] });
OpenFeature.setProvider("refused", refused);
errors.badKey = details(await OpenFeature.getClient("refused").getBooleanDetails("sso", true, { targetingKey: "acme" }));

// Bulk, with the tag: the same answers are "not modified"; an override changes them and the tag. On a company of its
// own (on Free, without SSO), so that the answers above stay REST's when the test compares them afterwards.
const api = new OFREPApi(baseUrl);
const headers = { "X-Schematic-Api-Key": apiKey };
const call = async (method, path, body) => {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: { ...headers, "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()).data;
};
const free = (await call("GET", "/plans")).find((p) => p.name === "Free");
const bulkCompany = await call("POST", "/companies", { keys: { id: "ofrep-bulk" }, name: "OFREP bulk", base_plan_id: free.id });
const bulkContext = { context: { targetingKey: "ofrep-bulk" } };
const first = await api.postBulkEvaluateFlags(bulkContext, { headers });
const etag = first.httpResponse.headers.get("etag");
const again = await api.postBulkEvaluateFlags(bulkContext, { headers: { ...headers, "If-None-Match": etag } });

const sso = (await call("GET", "/features")).find((f) => f.name === "SSO");
await call("POST", "/company-overrides", { company_id: bulkCompany.id, feature_id: sso.id, value_type: "boolean", value_bool: true });
const changed = await api.postBulkEvaluateFlags(bulkContext, { headers: { ...headers, "If-None-Match": etag } });
const badBulk = await api.postBulkEvaluateFlags({ context: { user: ["not", "keys"] } }, { headers });

const bulk = (result) => ({ status: result.httpStatus, etag: result.httpResponse?.headers.get("etag") ?? null, body: result.value ?? null });
await OpenFeature.close();
console.log(JSON.stringify({ contexts, evaluations, errors, bulk: { first: bulk(first), again: bulk(again), changed: bulk(changed), invalid: bulk(badBulk) } }));
