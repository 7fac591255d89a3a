#!/usr/bin/env node
// Times Schematic's rules engine (the Rust WASM in @schematichq/schematic-typescript-node, loaded by the oracle's
// tests/oracle/lib/engine.mjs) on the benchmark fixtures: RulesEngineJS.checkFlag(flagJson, companyJson, userJson),
// JSON strings in and out, the strings serialised once beforehand, the clock pinned to the fixture's "now" as the
// oracle pins it. Before timing, each answer must equal bench/fixtures/<name>.expected.json byte for byte, which is
// what the C# benchmarks' setup also requires of Tollgate's engine.
//
//   node bench/wasm/time-wasm.mjs [--fixtures=small,realistic,large] [--batches=15] [--batch-ms=200]
//                                 [--warmup-ms=3000] [--json=out.json]
//
// Per fixture: warm up for --warmup-ms, size a batch to take about --batch-ms, run --batches timed batches and
// report the median (and min, max) nanoseconds per check. Prints a table; --json also writes the numbers.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, platform, release } from 'node:os';
import { createEngine, installClock, setNow, PACKAGE_NAME, PACKAGE_VERSION } from '../../tests/oracle/lib/engine.mjs';

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

const settings = { fixtures: 'small,realistic,large', batches: 15, 'batch-ms': 200, 'warmup-ms': 3000, json: null };
for (const arg of process.argv.slice(2)) {
  const match = /^--([a-z-]+)=(.*)$/.exec(arg);
  if (!match || !(match[1] in settings)) {
    process.stderr.write(`unknown argument: ${arg}\n`);
    process.exit(2);
  }
  settings[match[1]] = typeof settings[match[1]] === 'number' ? Number(match[2]) : match[2];
}

/** The fixture's JSON strings, serialised as the C# benchmarks serialise them (compact, same key order). */
function loadFixture(name) {
  const fixture = JSON.parse(readFileSync(join(fixturesDir, `${name}.json`), 'utf8'));
  const expected = readFileSync(join(fixturesDir, `${name}.expected.json`), 'utf8').replace(/\n$/, '');
  return {
    name,
    now: fixture.now,
    flag: JSON.stringify(fixture.flag),
    company: fixture.company == null ? undefined : JSON.stringify(fixture.company),
    user: fixture.user == null ? undefined : JSON.stringify(fixture.user),
    expected,
  };
}

const nowNs = () => process.hrtime.bigint();

let sink = 0;

/** Runs n checks and returns the elapsed nanoseconds. */
function run(engine, fixture, n) {
  const { flag, company, user } = fixture;
  const start = nowNs();
  for (let i = 0; i < n; i++) {
    sink += engine.checkFlag(flag, company, user).length;
  }

  return Number(nowNs() - start);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(engine, fixture) {
  setNow(fixture.now);
  const answer = engine.checkFlag(fixture.flag, fixture.company, fixture.user);
  if (answer !== fixture.expected) {
    throw new Error(`${fixture.name}: the WASM's answer differs from ${fixture.name}.expected.json\n  got:  ${answer}\n  want: ${fixture.expected}`);
  }

  // Warm up for a fixed time, growing the batch so that the clock is read rarely. (Not Date.now(): the pinned
  // clock freezes it.)
  const warmupEnd = nowNs() + BigInt(settings['warmup-ms']) * 1_000_000n;
  let n = 16;
  let elapsed = 0;
  while (nowNs() < warmupEnd) {
    elapsed = run(engine, fixture, n);
    if (elapsed < 20e6) n *= 2;
  }

  const perBatch = Math.max(1, Math.round((n * settings['batch-ms'] * 1e6) / elapsed));
  const samples = [];
  for (let b = 0; b < settings.batches; b++) {
    samples.push(run(engine, fixture, perBatch) / perBatch);
  }

  return {
    fixture: fixture.name,
    inputBytes: {
      flag: Buffer.byteLength(fixture.flag),
      company: fixture.company ? Buffer.byteLength(fixture.company) : 0,
      user: fixture.user ? Buffer.byteLength(fixture.user) : 0,
    },
    resultMatchesExpected: true,
    checksPerBatch: perBatch,
    batches: samples.length,
    medianNs: median(samples),
    minNs: Math.min(...samples),
    maxNs: Math.max(...samples),
    samplesNs: samples.map((s) => Math.round(s * 10) / 10),
  };
}

const formatNs = (ns) => (ns >= 1e4 ? `${(ns / 1000).toFixed(1)} µs` : `${(ns / 1000).toFixed(2)} µs`);

const measuredAt = new Date().toISOString();
installClock();
const engine = createEngine();
const results = settings.fixtures.split(',').map((name) => measure(engine, loadFixture(name)));
setNow(null);

const report = {
  engine: { package: PACKAGE_NAME, version: PACKAGE_VERSION, versionKey: engine.getVersionKey() },
  method: 'RulesEngineJS.checkFlag(flagJson, companyJson, userJson): JSON strings in, JSON string out',
  machine: { node: process.version, platform: `${platform()} ${release()}`, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
  measuredAt,
  settings: { batches: settings.batches, batchMs: settings['batch-ms'], warmupMs: settings['warmup-ms'] },
  results,
};

const rows = results.map((r) => `| ${r.fixture} | ${formatNs(r.medianNs)} | ${formatNs(r.minNs)} | ${formatNs(r.maxNs)} | ${r.checksPerBatch} × ${r.batches} |`);
process.stdout.write([
  `Schematic WASM ${PACKAGE_VERSION} (${report.engine.versionKey}), node ${process.version}, checkFlag JSON in/out`,
  '',
  '| fixture | median | min | max | checks × batches |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
].join('\n'));
if (settings.json) writeFileSync(settings.json, `${JSON.stringify(report, null, 2)}\n`);
if (sink === 0) process.stderr.write('no output was produced\n');
