// Measures GET /datastream with many idle SDK-like connections on one node: the server's memory per connection, and
// the write-to-push latency (from sending a company write to each connection receiving the pushed company).
//
//   node bench/load/datastream-connections.mjs <baseUrl> <secretKey> <serverPid> [connections=1000] [writes=20]
//        [companies=1] [background writers=0]
//
// Each connection does what the Node SDK does: asks for the flags, then for one company, and then idles. Connection i
// follows company bench-co-(i mod companies): with 1, every write is pushed to every connection; with more, write k
// changes company k mod companies and is pushed to its followers only. Background writers keep posting batches of 100
// tracks for companies nobody follows the whole time (changes every connection used to be woken for). Uses the `ws`
// package installed in tests/sdk-client (npm ci there first). Prints one JSON line.

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(new URL("../../tests/sdk-client/package.json", import.meta.url));
const WebSocket = require("ws");
const [baseUrl, apiKey, pid] = process.argv.slice(2, 5);
const connections = Number(process.argv[5] ?? "1000");
const writes = Number(process.argv[6] ?? "20");
const companies = Number(process.argv[7] ?? "1");
const background = Number(process.argv[8] ?? "0");
const wsUrl = baseUrl.replace(/^http/, "ws").replace(/\/+$/, "") + "/datastream";

const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
const api = async (method, path, body) => {
  const r = await fetch(baseUrl.replace(/\/+$/, "") + path, { method, headers: { "X-Schematic-Api-Key": apiKey, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
};

const companyKey = (i) => `bench-co-${i % companies}`;
for (let i = 0; i < companies; i += 50) {
  await Promise.all(Array.from({ length: Math.min(50, companies - i) }, (_, j) =>
    api("POST", "/companies", { keys: { id: companyKey(i + j) }, name: "Bench", traits: { seats: 0 } })));
}

const waiters = new Map(); // seats value -> callback per socket
function open(i) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { headers: { "X-Schematic-Api-Key": apiKey } });
    let step = 0;
    socket.on("error", reject);
    socket.on("open", () => socket.send(JSON.stringify({ data: { entity_type: "rulesengine.Flags" } })));
    socket.on("message", (raw) => {
      const message = JSON.parse(raw);
      if (step === 0 && message.entity_type === "rulesengine.Flags") {
        step = 1;
        socket.send(JSON.stringify({ data: { entity_type: "rulesengine.Company", keys: { id: companyKey(i) } } }));
      } else if (message.entity_type === "rulesengine.Company") {
        if (step === 1) {
          step = 2;
          socket.company = companyKey(i);
          resolve(socket);
          return;
        }
        const seats = message.data.traits?.find((t) => t.trait_definition)?.value;
        socket.onSeats?.(seats, performance.now());
      }
    });
  });
}

// Warm-up (JIT, pools), then the baseline.
const warm = await open(0);
warm.close();
await new Promise((r) => setTimeout(r, 1000));
const before = rssKb();
const sockets = [];
for (let i = 0; i < connections; i += 50) {
  sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, connections - i) }, (_, j) => open(i + j)))));
}
await new Promise((r) => setTimeout(r, 2000));
const after = rssKb();

let stopBackground = false;
let backgroundEvents = 0;
const backgroundLoops = Array.from({ length: background }, async (_, w) => {
  while (!stopBackground) {
    const events = Array.from({ length: 100 }, (_, i) => ({ api_key: apiKey, type: "track", body: { event: "api_call", company: { id: `bench-bg-${w}-${i % 20}` }, quantity: 1 }, sent_at: new Date().toISOString() }));
    await api("POST", "/batch", { events });
    backgroundEvents += 100;
  }
});
if (background > 0) await new Promise((r) => setTimeout(r, 2000));

const latencies = [];
const startedAt = performance.now();
for (let k = 1; k <= writes; k++) {
  const expected = String(k);
  const company = companyKey(k);
  const received = Promise.all(sockets.filter((s) => s.company === company).map((s) => new Promise((resolve) => {
    s.onSeats = (seats, at) => { if (seats === expected) { s.onSeats = undefined; resolve(at); } };
  })));
  const sent = performance.now();
  await api("POST", "/companies", { keys: { id: company }, name: "Bench", traits: { seats: k } });
  for (const at of await received) latencies.push(at - sent);
}
const seconds = (performance.now() - startedAt) / 1000;
stopBackground = true;
await Promise.all(backgroundLoops);
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
for (const s of sockets) s.close();
console.log(JSON.stringify({
  connections, writes, companies, backgroundWriters: background, backgroundEventsPerSecond: Math.round(backgroundEvents / seconds), pushes: latencies.length,
  rssBeforeMiB: +(before / 1024).toFixed(1), rssAfterMiB: +(after / 1024).toFixed(1),
  bytesPerConnection: Math.round(((after - before) * 1024) / connections),
  latencyMs: { p50: +pct(0.5).toFixed(1), p99: +pct(0.99).toFixed(1), max: +latencies[latencies.length - 1].toFixed(1) },
}));
process.exit(0);
