// Formats the results of bench/load/run-ingest-load.sh as Markdown.
//   node ingest-report.mjs <results.tsv> <samples> <duration> <connections> <threads> <commit> <cpu>
import { readFileSync } from "node:fs";

const [file, samples, duration, connections, threads, commit, cpu] = process.argv.slice(2);
const rows = readFileSync(file, "utf8").trim().split("\n").map((line) => {
  const [store, kind, json] = line.split("\t");
  return { store, kind, data: JSON.parse(json) };
});
const get = (store, kind) => rows.find((r) => r.store === store && r.kind === kind)?.data;
const eventsPerSecond = (w) => (w.requests * w.events_per_request) / (w.duration_us / 1e6);
const k = (n) => `${(n / 1000).toFixed(1)}k`;
const ms = (us) => (us / 1000).toFixed(1);

const stores = [...new Set(rows.map((r) => r.store))];
let failed = false;
const out = [];
out.push(`# Ingestion load test — ${new Date().toISOString().slice(0, 10)}`, "");
out.push(`Commit ${commit}; ${cpu}; wrk -t${threads} -c${connections}, ${duration} per run, 100 track events per POST /batch`);
out.push("(`bash bench/load/run-ingest-load.sh`). Raw insert: the same rows appended by the server's own insert code into a");
out.push("fresh database of the same store, without HTTP, parsing, deduplication or counters, in 100-row transactions (one per");
out.push("request, as limits.md measured) and in 5,000-row ones (what group commit reaches); keyed rows carry their keys, as the");
out.push("server writes them. Visibility: from the 200 of `POST /batch` to the first check showing the event.", "");
out.push("| store | mode | acknowledged events/s | p50 / p99 request (ms) | raw, 100 rows/txn | raw, 5,000 rows/txn | vs raw 100 | vs raw 5,000 |");
out.push("|---|---|---:|---:|---:|---:|---:|---:|");
for (const store of stores) {
  for (const mode of ["plain", "keyed"]) {
    const raw100 = get(store, `raw-100${mode === "keyed" ? "-keyed" : ""}`).rows_per_second;
    const raw5000 = get(store, `raw-5000${mode === "keyed" ? "-keyed" : ""}`).rows_per_second;
    const w = get(store, mode);
    if (w.non_200 > 0 || w.socket_errors > 0) failed = true;
    const eps = eventsPerSecond(w);
    const ratio = (raw) => `${(100 * eps / raw).toFixed(0)}%`;
    out.push(`| ${store} | ${mode === "plain" ? "no idempotency keys" : "a fresh key on every event"} | ${k(eps)} | ${ms(w.p50_us)} / ${ms(w.p99_us)} | ${k(raw100)} | ${k(raw5000)} | ${ratio(raw100)} | ${ratio(raw5000)} |`);
  }
}
out.push("", "| store | visibility idle p50 / p99 (ms) | visibility under load p50 / p99 (ms) | load meanwhile (events/s) | event log check |");
out.push("|---|---:|---:|---:|---|");
for (const store of stores) {
  const idle = get(store, "visibility-idle");
  const loaded = get(store, "visibility-load");
  const behind = get(store, "load-behind-visibility");
  const count = get(store, "count");
  const runs = ["warmup-requests", "plain", "keyed", "load-behind-visibility"];
  const requests = runs.reduce((sum, kind) => sum + get(store, kind).requests, 0);
  const expectedRows = requests * 100 + 2 * Number(samples);
  // wrk stops with up to one request in flight per connection: the server stores those, wrk never counts them.
  const inFlight = runs.length * Number(connections) * 100;
  const ok = count.track_rows >= expectedRows && count.track_rows <= expectedRows + inFlight
    && count.tracked_quantity === count.all_time_counters
    && ["plain", "keyed", "load-behind-visibility"].every((kind) => get(store, kind).non_200 === 0);
  if (!ok) failed = true;
  out.push(`| ${store} | ${idle.p50_ms} / ${idle.p99_ms} | ${loaded.p50_ms} / ${loaded.p99_ms} | ${k(eventsPerSecond(behind))} | ${ok ? "ok" : "FAILED"}: ${count.track_rows} rows for ${expectedRows} acknowledged (+ at most ${inFlight} in flight when wrk stopped); all-time counters ${count.all_time_counters} ${count.all_time_counters === count.tracked_quantity ? "=" : "≠"} tracked quantities ${count.tracked_quantity} |`);
}
out.push("", failed
  ? "**FAILED**: an answer was not 200, or the event log does not hold what was acknowledged, or the counters do not match the log."
  : "Every request was answered 200; the event log holds every acknowledged event (exactly-once across a crash is shown by tests/Tollgate.Server.Tests/Crash); the counters equal the log.");
console.log(out.join("\n"));
process.exitCode = failed ? 1 : 0;
