// Times the official Schematic Node SDK's local check (`useDataStream: true`: flags and the company replicated over
// GET /datastream, evaluated by the SDK's WASM engine) on the flag and company ClientCheckBenchmarks times for
// Tollgate.Client, against a running Tollgate, and prints ONE JSON object: nanoseconds per check for each round.
//
//   node bench/client/node-datastream-check.mjs <baseUrl> <secretKey> [checksPerRound=20000] [rounds=7]
//
// The SDK is the one installed in tests/sdk-client (npm ci there first). Checks run one after another, each awaited,
// as an application's request handler would make them. The run fails if any timed check went to the server: every
// answer must come from the local replica.

import { createRequire } from "node:module";

const [baseUrl, apiKey] = [process.argv[2]?.replace(/\/+$/, ""), process.argv[3]];
const perRound = Number(process.argv[4] ?? "20000");
const rounds = Number(process.argv[5] ?? "7");
if (!baseUrl || !apiKey) {
  process.stderr.write("usage: node bench/client/node-datastream-check.mjs <baseUrl> <secretKey> [checksPerRound] [rounds]\n");
  process.exit(2);
}

// Count the SDK's HTTP requests: a flag check that reaches the server is not a local answer.
let flagCheckRequests = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
  if (url.includes("/check")) flagCheckRequests++;
  return realFetch(input, init);
};

const require = createRequire(new URL("../../tests/sdk-client/package.json", import.meta.url));
const { SchematicClient } = await import(require.resolve("@schematichq/schematic-typescript-node"));
const sdkVersion = require("@schematichq/schematic-typescript-node/package.json").version;
const client = new SchematicClient({ apiKey, basePath: baseUrl, useDataStream: true, logLevel: "error", cacheProviders: { flagChecks: [] } });

const flag = "api-calls";
const context = { company: { id: "acme" } };
const stream = client.datastreamClient;
const deadline = Date.now() + 30_000;
while (!(stream.getRulesEngine().isInitialized() && (await stream.getFlag(flag)) !== null)) {
  if (Date.now() > deadline) throw new Error("the datastream delivered no flags in 30 s");
  await new Promise((resolve) => setTimeout(resolve, 20));
}

// The first check of acme asks the stream for the company; from then on it is replicated.
const first = await client.checkFlag(context, flag);
for (let i = 0; i < 2000; i++) await client.checkFlag(context, flag);
const before = flagCheckRequests;

const nsPerCheck = [];
for (let round = 0; round < rounds; round++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < perRound; i++) await client.checkFlag(context, flag);
  nsPerCheck.push(Number(process.hrtime.bigint() - start) / perRound);
}

const restChecks = flagCheckRequests - before;
const sorted = [...nsPerCheck].sort((a, b) => a - b);
process.stdout.write(JSON.stringify({
  sdkVersion, nodeVersion: process.version, flag, company: "acme", value: first, checksPerRound: perRound,
  nsPerCheck: nsPerCheck.map((n) => Math.round(n)), medianNs: Math.round(sorted[Math.floor(sorted.length / 2)]), restChecks,
}) + "\n");
await client.close?.();
process.exit(restChecks === 0 ? 0 : 1);
