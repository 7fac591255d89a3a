// Drives the official Schematic Node SDK with `useDataStream: true` against a running Tollgate and prints ONE JSON
// object on stdout, for tests/Tollgate.Server.Tests/Datastream/NodeSdkDatastreamTests.cs:
//
//   node drive-datastream.mjs <baseUrl> <secretKey> <contexts>
//
// It makes its own contexts on the demo data set (companies on Free, Pro and Enterprise with seats, usage, overrides;
// some with a user), answers every demo flag for each of them with the SDK's LOCAL evaluation (flags, companies and users
// replicated over GET /datastream, evaluated by the SDK's WASM engine), then writes an override and measures how long
// until the SDK's next local answer changes. The C# test compares the local answers with REST and counts, on the server,
// the REST flag checks the SDK made (it must make none).

import { startSdk } from "./sdk-harness.mjs";

const count = Number(process.argv[4] ?? "1000");
const flagKeys = ["api-calls", "seats", "sso", "ai-credits"];
const { client, step, steps, report, baseUrl, apiKey, realFetch } = await startSdk("drive-datastream.mjs", { useDataStream: true });

async function api(method, path, body) {
  const response = await realFetch(`${baseUrl}${path}`, {
    method,
    headers: { "X-Schematic-Api-Key": apiKey, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

async function until(what, predicate, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// The contexts: every plan, seats 0..39, usage below, at and above Free's 1,000 calls, some overrides, some users.
const plans = Object.fromEntries((await api("GET", "/plans")).data.map((p) => [p.name, p.id]));
const features = Object.fromEntries((await api("GET", "/features")).data.map((f) => [f.name, f.id]));
const planNames = ["Free", "Pro", "Enterprise"];
const contexts = [];
const events = [];
// Written 25 at a time, so that 1,000 contexts take seconds, not a minute.
async function makeContext(i) {
  const company = { id: `gen-${i}` };
  const created = await api("POST", "/companies", { keys: company, name: `Generated ${i}`, base_plan_id: plans[planNames[i % 3]], traits: { seats: i % 40 } });
  if (i % 7 === 0) {
    await api("POST", "/company-overrides", { company_id: created.data.id, feature_id: features["SSO"], value_type: "boolean", value_bool: i % 14 === 0 });
  }
  const quantity = [0, 400, 1000, 1500, 120000][i % 5];
  if (quantity > 0) {
    events.push({ api_key: apiKey, type: "track", body: { event: "api_call", company, quantity }, sent_at: new Date().toISOString(), idempotency_key: `gen-${i}-calls` });
  }
  const context = { company };
  if (i % 10 === 0) {
    context.user = { email: `user-${i}@gen.test` };
    await api("POST", "/users", { keys: context.user, name: `User ${i}`, company });
  }
  contexts[i] = context;
}
for (let i = 0; i < count; i += 25) {
  await Promise.all(Array.from({ length: Math.min(25, count - i) }, (_, k) => makeContext(i + k)));
}
for (let i = 0; i < events.length; i += 100) {
  await api("POST", "/batch", { events: events.slice(i, i + 100) });
}
await api("POST", "/companies", { keys: { id: "flip-co" }, name: "Flips", base_plan_id: plans["Free"], traits: { seats: 1 } });

// Ready: the flags have arrived over the datastream and the WASM engine is loaded.
const stream = client.datastreamClient;
await step("ready", () => until("the datastream's flags", async () => stream.getRulesEngine().isInitialized() && (await stream.getFlag("sso")) !== null));

const local = [];
await step("local answers", async () => {
  // 25 contexts at a time: each one's first check waits for its company over the datastream.
  const answerContext = async (c) => {
    for (const key of flagKeys) {
      const answer = await client.checkFlagWithEntitlement(contexts[c], key);
      local.push({ context: c, flag: key, value: answer.value, reason: answer.reason ?? null, ruleId: answer.ruleId ?? null });
    }
  };
  for (let c = 0; c < contexts.length; c += 25) {
    await Promise.all(Array.from({ length: Math.min(25, contexts.length - c) }, (_, k) => answerContext(c + k)));
  }
  return local.length;
});

// After an override is written, the SDK's next local answer changes without asking REST.
const flip = {};
await step("override flips a local answer", async () => {
  const ctx = { company: { id: "flip-co" } };
  flip.before = await client.checkFlag(ctx, "sso");
  const companyId = (await api("GET", "/companies/lookup?keys[id]=flip-co")).data.id;
  const written = Date.now();
  await api("POST", "/company-overrides", { company_id: companyId, feature_id: features["SSO"], value_type: "boolean", value_bool: true });
  flip.checks = 0;
  await until("the override to reach the SDK", async () => { flip.checks++; return await client.checkFlag(ctx, "sso"); }, 10000);
  flip.ms = Date.now() - written;
  return flip;
});

await client.close();
report({ contexts, local, flip });
