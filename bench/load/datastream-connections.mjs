// Measures GET /datastream with many idle SDK-like connections on one node: the server's memory per connection, and
// the write-to-push latency (from sending a company write to each connection receiving the pushed company).
//
//   node bench/load/datastream-connections.mjs <baseUrl> <secretKey> <serverPid> [connections=1000] [writes=20]
//
// Each connection does what the Node SDK does: asks for the flags, then for one company, and then idles. Uses the `ws`
// package installed in tests/sdk-client (npm ci there first). Prints one JSON line.

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(new URL("../../tests/sdk-client/package.json", import.meta.url));
const WebSocket = require("ws");
const [baseUrl, apiKey, pid] = process.argv.slice(2, 5);
const connections = Number(process.argv[5] ?? "1000");
const writes = Number(process.argv[6] ?? "20");
const wsUrl = baseUrl.replace(/^http/, "ws").replace(/\/+$/, "") + "/datastream";

const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
const api = async (method, path, body) => {
  const r = await fetch(baseUrl.replace(/\/+$/, "") + path, { method, headers: { "X-Schematic-Api-Key": apiKey, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
};

await api("POST", "/companies", { keys: { id: "bench-co" }, name: "Bench", traits: { seats: 0 } });

const waiters = new Map(); // seats value -> callback per socket
function open() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { headers: { "X-Schematic-Api-Key": apiKey } });
    let step = 0;
    socket.on("error", reject);
    socket.on("open", () => socket.send(JSON.stringify({ data: { entity_type: "rulesengine.Flags" } })));
    socket.on("message", (raw) => {
      const message = JSON.parse(raw);
      if (step === 0 && message.entity_type === "rulesengine.Flags") {
        step = 1;
        socket.send(JSON.stringify({ data: { entity_type: "rulesengine.Company", keys: { id: "bench-co" } } }));
      } else if (message.entity_type === "rulesengine.Company") {
        if (step === 1) {
          step = 2;
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
const warm = await open();
warm.close();
await new Promise((r) => setTimeout(r, 1000));
const before = rssKb();
const sockets = [];
for (let i = 0; i < connections; i += 50) {
  sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, connections - i) }, open))));
}
await new Promise((r) => setTimeout(r, 2000));
const after = rssKb();

const latencies = [];
for (let k = 1; k <= writes; k++) {
  const expected = String(k);
  const received = Promise.all(sockets.map((s) => new Promise((resolve) => {
    s.onSeats = (seats, at) => { if (seats === expected) { s.onSeats = undefined; resolve(at); } };
  })));
  const sent = performance.now();
  await api("POST", "/companies", { keys: { id: "bench-co" }, name: "Bench", traits: { seats: k } });
  for (const at of await received) latencies.push(at - sent);
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
for (const s of sockets) s.close();
console.log(JSON.stringify({
  connections, writes, pushes: latencies.length,
  rssBeforeMiB: +(before / 1024).toFixed(1), rssAfterMiB: +(after / 1024).toFixed(1),
  bytesPerConnection: Math.round(((after - before) * 1024) / connections),
  latencyMs: { p50: +pct(0.5).toFixed(1), p99: +pct(0.99).toFixed(1), max: +latencies[latencies.length - 1].toFixed(1) },
}));
process.exit(0);
