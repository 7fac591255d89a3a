// Cross-node freshness (issue 16, item 4): two server nodes on one PostgreSQL database; from a write sent to node A
// until a check on node B answers differently. Three writes, alternated: a plan change (PUT /company-plans: Pro <->
// Enterprise, which flips the demo's `sso`), an override (POST then DELETE /company-overrides of `sso` on a Pro company)
// and a tracked event (POST /batch, one `api_call`, seen as `feature_usage` of `api-calls`).
//
//   node bench/load/freshness.mjs <nodeA> <nodeB> <secretKey> [samples per kind=100] [background writers=0]
//
// Node B is polled with back-to-back checks (one at a time), so a latency is the receipt of the first check showing
// the change, less the sending of the write: it includes the write's own time on A and up to one check's round trip.
// With background writers, that many loops keep posting batches of 100 tracks for other companies to node A the
// whole time (the change feed then carries a commit's notice every few milliseconds). Prints one JSON line, with
// feedLagMs: node B's own histogram of the change feed's lag (tollgate_change_feed_lag_seconds, from a change queued
// on A to every subscriber on B having applied it) over the run, as the share of deliveries within each bucket bound.
// What fromAck adds to it is node B's reload of the company on its next check and that check's round trip.

const [nodeA, nodeB, apiKey] = process.argv.slice(2, 5);
const samples = Number(process.argv[5] ?? "100");
const background = Number(process.argv[6] ?? "0");
const headers = { "X-Schematic-Api-Key": apiKey, "Content-Type": "application/json" };

async function api(base, method, path, body) {
  const r = await fetch(base.replace(/\/+$/, "") + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

const check = async (flag, company) => (await api(nodeB, "POST", `/flags/${flag}/check`, { company: { id: company } })).data;
const track = (company, quantity = 1) => ({ api_key: apiKey, type: "track", body: { event: "api_call", company: { id: company }, quantity }, sent_at: new Date().toISOString() });

const plans = (await api(nodeA, "GET", "/plans")).data;
const planId = (name) => plans.find((p) => p.name === name).id;
const [pro, enterprise] = [planId("Pro"), planId("Enterprise")];
const sso = (await api(nodeA, "GET", "/features")).data.find((f) => f.name === "SSO").id;
const run = Date.now().toString(36);
const planCo = `fresh-plan-${run}`;
const overrideCo = `fresh-override-${run}`;
const usageCo = `fresh-usage-${run}`;
const companyIds = {};
for (const key of [planCo, overrideCo, usageCo]) {
  companyIds[key] = (await api(nodeA, "POST", "/companies", { keys: { id: key }, name: key, base_plan_id: pro })).data.id;
}

// Waits until node B's answer satisfies `changed`; answers the receipt time of that answer.
async function until(flag, company, changed) {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const answer = await check(flag, company);
    const at = performance.now();
    if (changed(answer)) return at;
    if (at > deadline) throw new Error(`node B did not see the change of ${company} within 10 s`);
  }
}

let stopBackground = false;
let backgroundEvents = 0;
const backgroundLoops = Array.from({ length: background }, async (_, w) => {
  while (!stopBackground) {
    const events = Array.from({ length: 100 }, (_, i) => track(`fresh-bg-${run}-${w}-${i % 20}`));
    await api(nodeA, "POST", "/batch", { events });
    backgroundEvents += 100;
  }
});

const latencies = { plan: [], override: [], event: [] };
async function measure(kind, write, flag, company, changed) {
  const sent = performance.now();
  await write();
  const acknowledged = performance.now();
  const seen = await until(flag, company, changed);
  latencies[kind].push({ fromSend: seen - sent, fromAck: seen - acknowledged });
}

// Cumulative counts of node B's change-feed lag histogram, by upper bound in ms.
async function feedLagBuckets() {
  const text = await (await fetch(nodeB.replace(/\/+$/, "") + "/metrics")).text();
  const buckets = {};
  for (const m of text.matchAll(/^tollgate_change_feed_lag_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\d+)/gm)) {
    const bound = m[1] === "+Inf" ? "inf" : String(+(Number(m[1]) * 1000).toPrecision(6));
    buckets[bound] = (buckets[bound] ?? 0) + Number(m[2]);
  }
  return buckets;
}
const lagBefore = await feedLagBuckets();

// Every company is warm on B before its first write (a cold load would measure the store, not the feed).
await check("sso", planCo);
await check("sso", overrideCo);
let usage = (await check("api-calls", usageCo)).feature_usage ?? 0;
const startedAt = performance.now();
for (let i = 0; i < samples; i++) {
  const toEnterprise = i % 2 === 0;
  await measure("plan", () => api(nodeA, "PUT", `/company-plans/${companyIds[planCo]}`, { base_plan_id: toEnterprise ? enterprise : pro, add_on_ids: [] }),
    "sso", planCo, (a) => a.value === toEnterprise);

  let overrideId;
  await measure("override", async () => { overrideId = (await api(nodeA, "POST", "/company-overrides", { company_id: companyIds[overrideCo], feature_id: sso, value_type: "boolean", value_bool: true })).data.id; },
    "sso", overrideCo, (a) => a.value === true);
  await api(nodeA, "DELETE", `/company-overrides/${overrideId}`);
  await until("sso", overrideCo, (a) => a.value === false);

  const expected = usage + 1;
  await measure("event", () => api(nodeA, "POST", "/batch", { events: [track(usageCo)] }), "api-calls", usageCo, (a) => (a.feature_usage ?? 0) >= expected);
  usage = expected;
}
const seconds = (performance.now() - startedAt) / 1000;
stopBackground = true;
await Promise.all(backgroundLoops);

const lagAfter = await feedLagBuckets();
const delivered = (lagAfter.inf ?? 0) - (lagBefore.inf ?? 0);
const within = (bound) => (delivered === 0 ? null : +(((lagAfter[bound] ?? 0) - (lagBefore[bound] ?? 0)) / delivered).toFixed(4));
const feedLagMs = { delivered, within10: within("10"), within25: within("25"), within50: within("50"), within100: within("100"), within250: within("250") };

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const summary = (list, field) => {
  const sorted = list.map((l) => l[field]).sort((a, b) => a - b);
  return { p50: +pct(sorted, 0.5).toFixed(1), p99: +pct(sorted, 0.99).toFixed(1), max: +sorted[sorted.length - 1].toFixed(1) };
};
const all = [...latencies.plan, ...latencies.override, ...latencies.event];
console.log(JSON.stringify({
  samplesPerKind: samples, backgroundWriters: background, backgroundEventsPerSecond: Math.round(backgroundEvents / seconds),
  fromSendMs: { all: summary(all, "fromSend"), plan: summary(latencies.plan, "fromSend"), override: summary(latencies.override, "fromSend"), event: summary(latencies.event, "fromSend") },
  fromAckMs: { all: summary(all, "fromAck"), plan: summary(latencies.plan, "fromAck"), override: summary(latencies.override, "fromAck"), event: summary(latencies.event, "fromAck") },
  feedLagMs,
}));
