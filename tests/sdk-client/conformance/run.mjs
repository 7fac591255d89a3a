// The conformance judge: drives Tollgate through the official Schematic Node SDK (1.6.2) and validates every raw
// answer against the JSON Schema generated from the SDK's own response type (schemas.mjs). Also reads the server's
// /openapi/v1.json and counts which of Schematic's operations (schematic-operations.tsv) it serves.
//
//   node conformance/run.mjs <baseUrl> <apiKey> [--only 20-lifecycle.mjs,30-migrations.mjs] [--json]
//   node conformance/run.mjs --serve [--only …] [--json]     (starts src/Tollgate.Server's Debug build itself:
//                                                          fresh SQLite file, demo data, a random port and key)
//
// Each groups/NN-name.mjs exports `async function drive({ op, client, state, realFetch, baseUrl, apiKey })` and runs in
// file-name order; `op(operation, fn)` runs one SDK call and records that operation's answer. Without --json it prints
// a readable summary; with --json, one JSON object (the C# test ConformanceTests reads it). Exit code 0 when the run
// finished (whatever it found), 2 on bad arguments, 1 when the judge itself crashed.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadSchemas, sdkOperations } from "./schemas.mjs";
import { operationScopes } from "./scope.mjs";
import { startServer } from "./serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && ["--only"].includes(args[i - 1])));
const only = option("--only")?.split(",").map((s) => s.trim()).filter(Boolean);

let server = null;
let baseUrl = positional[0]?.replace(/\/+$/, "");
let apiKey = positional[1];
if (flag("--serve")) {
  server = await startServer();
  ({ baseUrl, apiKey } = server);
}
if (!baseUrl || !apiKey) {
  process.stderr.write("usage: node conformance/run.mjs <baseUrl> <apiKey> [--only files] [--json]  |  --serve [--only files] [--json]\n");
  process.exit(2);
}

try {
  const report = await judge();
  if (flag("--json")) process.stdout.write(JSON.stringify(report) + "\n");
  else printSummary(report);
} finally {
  await server?.stop();
}

async function judge() {
  // Every HTTP exchange the SDK makes, with the raw answer text (read from a clone, so the SDK still reads its own).
  const exchanges = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const exchange = { method: (init?.method ?? input?.method ?? "GET").toUpperCase(), path: url.pathname, query: url.search, status: null, text: null };
    exchanges.push(exchange);
    const response = await realFetch(input, init);
    exchange.status = response.status;
    exchange.text = await response.clone().text().catch(() => null);
    return response;
  };

  const { SchematicClient } = await import("@schematichq/schematic-typescript-node");
  const client = new SchematicClient({ apiKey, basePath: baseUrl, eventCaptureBaseURL: baseUrl, cacheProviders: { flagChecks: [] }, logLevel: "error" });
  // Fern's client console.warn()s each response it could not parse under skipValidation; the judge does its own.
  for (const level of ["log", "info", "warn", "debug"]) console[level] = () => {};

  const operations = readOperations();
  const byName = new Map(operations.map((o) => [o.operation, o]));
  const sdk = new Map(sdkOperations().map((o) => [o.operation, o]));
  const schemas = await loadSchemas();
  const { default: Ajv } = await import("ajv");
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(schemas, "sdk");

  const results = new Map();
  const state = {};
  async function op(operation, fn) {
    const spec = byName.get(operation);
    if (!spec) throw new Error(`op("${operation}"): no such operation in schematic-operations.tsv`);
    const first = exchanges.length;
    let value;
    let error = null;
    try {
      value = await fn();
    } catch (e) {
      error = `${e?.constructor?.name ?? "Error"}: ${e?.message ?? e}`;
    }
    // The exchange of this operation: the last one during the call whose method and path are the operation's.
    const exchange = exchanges.slice(first).reverse().find((x) => x.method === spec.method && spec.pattern.test(x.path));
    const result = { called: true, error, method: exchange?.method ?? null, path: exchange?.path ?? null, status: exchange?.status ?? null, problems: [] };
    if (!exchange) result.problems.push(`the SDK call made no ${spec.method} ${spec.path} request`);
    else if (exchange.status < 200 || exchange.status > 299) result.problems.push(`answered ${exchange.status}: ${(exchange.text ?? "").slice(0, 300)}`);
    else result.problems.push(...validate(sdk.get(operation), exchange.text));
    result.valid = result.problems.length === 0;
    // Called more than once: the first invalid answer stands (a later valid one does not hide it).
    const previous = results.get(operation);
    if (!previous || previous.valid) results.set(operation, result);
    return error ? undefined : value;
  }

  function validate(sdkOperation, text) {
    if (!sdkOperation?.type) return [];
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return [`the answer is not JSON: ${(text ?? "").slice(0, 200)}`];
    }
    const check = ajv.getSchema(`sdk#/definitions/${encodeURIComponent(sdkOperation.type)}`);
    if (!check) return [`no schema for ${sdkOperation.type}`];
    return check(body) ? [] : check.errors.slice(0, 20).map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.allowedValues ? `: ${e.params.allowedValues.join(", ")}` : ""}`);
  }

  const groupsDir = join(here, "groups");
  const files = readdirSync(groupsDir).filter((f) => /^\d+-.*\.mjs$/.test(f)).sort();
  const groups = [];
  for (const file of files.filter((f) => !only || only.includes(f))) {
    const started = Date.now();
    let crash = null;
    try {
      const { default: drive } = await import(pathToFileURL(join(groupsDir, file)).href);
      await drive({ op, client, state, realFetch, baseUrl, apiKey });
    } catch (e) {
      crash = `${e?.constructor?.name ?? "Error"}: ${e?.message ?? e}`;
    }
    groups.push({ file, ms: Date.now() - started, crash });
  }

  const served = await servedOperations(realFetch);
  const rows = operations.map((o) => ({
    operation: o.operation,
    method: o.method,
    path: o.path,
    resource: sdk.get(o.operation)?.resource ?? null,
    scope: o.scope,
    served: served.has(`${o.method} ${o.path.replace(/\{[^}]+\}/g, "{}")}`),
    ...(results.get(o.operation) ?? { called: false, valid: false, problems: [] }),
  }));
  const count = (scope, test) => rows.filter((r) => r.scope === scope && test(r)).length;
  const summary = Object.fromEntries(
    ["this-issue", "other-issue"].map((scope) => [scope, { operations: count(scope, () => true), served: count(scope, (r) => r.served), driven: count(scope, (r) => r.called), valid: count(scope, (r) => r.valid) }]),
  );
  return { sdkVersion: JSON.parse(readFileSync(join(here, "..", "node_modules", "@schematichq", "schematic-typescript-node", "package.json"), "utf8")).version, groups, summary, operations: rows };
}

function readOperations() {
  return readFileSync(join(here, "schematic-operations.tsv"), "utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const [method, path, operation] = l.split("\t");
      const pattern = new RegExp("^" + path.replace(/\{[^}]+\}/g, "[^/]+") + "$");
      return { method, path, operation, pattern, scope: operationScopes(path, operation) };
    });
}

async function servedOperations(fetch) {
  const document = await (await fetch(`${baseUrl}/openapi/v1.json`)).json();
  const served = new Set();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(item)) served.add(`${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, "{}")}`);
  }
  return served;
}

function printSummary(report) {
  const out = (s) => process.stdout.write(s + "\n");
  for (const g of report.groups) out(`group ${g.file}: ${g.ms} ms${g.crash ? `  CRASHED: ${g.crash}` : ""}`);
  const considered = report.operations.filter((r) => r.scope !== "excluded" && (!only || r.called));
  for (const r of considered.filter((r) => r.called && !r.valid)) {
    out(`INVALID ${r.operation} (${r.method} ${r.path})${r.error ? ` — SDK threw ${r.error}` : ""}`);
    for (const p of r.problems) out(`    ${p}`);
  }
  if (!only) for (const r of considered.filter((r) => r.scope === "this-issue" && !r.called)) out(`not driven${r.served ? "" : ", not served"}: ${r.operation} (${r.method} ${r.path})`);
  for (const [scope, s] of Object.entries(report.summary)) out(`${scope}: ${s.operations} operations, ${s.served} served, ${s.driven} driven, ${s.valid} valid`);
}
