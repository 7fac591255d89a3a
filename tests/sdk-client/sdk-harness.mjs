// The common part of the SDK driver scripts (drive-sdk.mjs, drive-sdk-credits.mjs): the official Schematic Node SDK
// pointed at a running Tollgate, with every HTTP exchange, log line and validation warning recorded, and steps that
// record their value or error instead of throwing. `report(extra)` prints the one JSON object the C# tests read;
// `realFetch` is the unrecorded fetch, for calls the SDK does not offer.

import { readFileSync } from "node:fs";

export async function startSdk(scriptName, extraOptions = {}) {
  const baseUrl = (process.argv[2] ?? process.env.TOLLGATE_URL ?? "").replace(/\/+$/, "");
  const apiKey = process.argv[3] ?? process.env.TOLLGATE_API_KEY ?? "";
  if (!baseUrl || !apiKey) {
    process.stderr.write(`usage: node ${scriptName} <baseUrl> <apiKey>   (or TOLLGATE_URL and TOLLGATE_API_KEY)\n`);
    process.exit(2);
  }

  // Record every request the SDK makes. The SDK calls the global fetch (undici) on Node >= 18, for REST and /batch
  // alike; wrap it before the SDK is loaded so that no reference to the original can be captured first.
  const requests = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const body = typeof init?.body === "string" ? init.body : null;
    const entry = { method: (init?.method ?? input?.method ?? "GET").toUpperCase(), path: url.pathname + url.search, body, status: null };
    requests.push(entry);
    try {
      const response = await realFetch(input, init);
      entry.status = response.status;
      return response;
    } catch (error) {
      entry.status = `error: ${error?.message ?? error}`;
      throw error;
    }
  };

  const { SchematicClient } = await import("@schematichq/schematic-typescript-node");
  const sdkVersion = JSON.parse(readFileSync(new URL("./node_modules/@schematichq/schematic-typescript-node/package.json", import.meta.url), "utf8")).version;

  const logs = [];
  const text = (args) => args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === "string" ? a : JSON.stringify(a))).join(" ");
  const logger = Object.fromEntries(["error", "warn", "info", "debug"].map((level) => [level, (message, ...args) => logs.push({ level, message: text([message, ...args]) })]));

  const client = new SchematicClient({
    apiKey,
    basePath: baseUrl,
    eventCaptureBaseURL: baseUrl,
    cacheProviders: { flagChecks: [] }, // no 5 s result cache: every check goes to the server
    logger,
    logLevel: "error",
    ...extraOptions,
  });

  // Under Fern's skipValidation the SDK still validates every response and console.warn()s each mismatch ("Failed to
  // validate. - response.data.x: Expected list. Received null.") before passing the raw value on. Record those per step.
  const sdkConsole = [];
  let currentStep = "(setup)";
  for (const level of ["log", "info", "warn", "error", "debug"]) {
    console[level] = (...args) => sdkConsole.push({ step: currentStep, level, message: text(args) });
  }

  const steps = {};
  async function step(name, fn) {
    currentStep = name;
    try {
      steps[name] = { ok: true, value: await fn() };
    } catch (error) {
      steps[name] = {
        ok: false,
        error: { name: error?.constructor?.name ?? "Error", message: String(error?.message ?? error), statusCode: error?.statusCode ?? null, body: error?.body ?? null },
      };
    }
    currentStep = "(between steps)";
    return steps[name].ok ? steps[name].value : undefined;
  }

  const report = (extra = {}) =>
    process.stdout.write(JSON.stringify({ sdkVersion, nodeVersion: process.version, steps, requests, logs, sdkConsole, ...extra }) + "\n");
  return { client, step, steps, report, baseUrl, apiKey, realFetch };
}
