#!/usr/bin/env node
// Writes the engine benchmark report from one sitting's two measurements: BenchmarkDotNet's JSON export of
// EngineCheckBenchmarks and bench/wasm/time-wasm.mjs's JSON. Ratios are of medians. Called by
// bench/run-engine-bench.sh:
//
//   node bench/report/engine-report.mjs --bdn=<...-report-full-compressed.json> --wasm=<wasm.json>
//        --out=bench/results/engine-<date>.md --bdn-report=<name of the copied GitHub report>
//        [--readme=bench/README.md] [--context=<json with date, commit, sourceState, jobSettings, duration>]
//
// With --readme, the block between <!-- engine-results:start --> and <!-- engine-results:end --> is replaced by the
// results and targets tables, so the README always shows the latest committed run.
import { readFileSync, writeFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => {
  const match = /^--([a-z-]+)=(.*)$/.exec(arg);
  if (!match) throw new Error(`bad argument: ${arg}`);
  return [match[1], match[2]];
}));
for (const required of ['bdn', 'wasm', 'out']) {
  if (!args[required]) throw new Error(`--${required}= is required`);
}

const bdn = JSON.parse(readFileSync(args.bdn, 'utf8'));
const wasm = JSON.parse(readFileSync(args.wasm, 'utf8'));
const context = args.context ? JSON.parse(readFileSync(args.context, 'utf8')) : {};

// The fixtures' shapes and the reference's own line (spec/schematic.md §3.11: its fixtures, its run, Node 20).
const fixtures = [
  { name: 'small', shape: '1 rule, 1 condition; small company', specJsonNs: 8000, specEvalNs: null },
  { name: 'realistic', shape: '8 rules, 20 conditions; 20 traits, 10 metrics, 3 plans', specJsonNs: 61600, specEvalNs: 4800 },
  { name: 'large', shape: '50 rules, 140 conditions; same company', specJsonNs: 266000, specEvalNs: 48000 },
];

// Targets, from the engine's brief; checked on the realistic fixture.
const targets = { compiledNs: 100, compiledLimitNs: 500, compiledBytes: 0, jsonNs: 20000 };

function ours(method, fixture) {
  const report = bdn.Benchmarks.find((b) => b.Method === method && b.Parameters === `Fixture=${fixture}`);
  if (!report || !report.Statistics) throw new Error(`BenchmarkDotNet has no result for ${method} on ${fixture}`);
  const launches = {};
  for (const m of report.Measurements ?? []) {
    if (m.IterationMode === 'Workload' && m.IterationStage === 'Result') (launches[m.LaunchIndex] ??= []).push(m.Nanoseconds / m.Operations);
  }

  return {
    launchMediansNs: Object.values(launches).map(median),
    medianNs: report.Statistics.Median,
    meanNs: report.Statistics.Mean,
    stdDevNs: report.Statistics.StandardDeviation,
    bytes: report.Memory?.BytesAllocatedPerOperation ?? null,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function theirs(fixture) {
  const result = wasm.results.find((r) => r.fixture === fixture);
  if (!result) throw new Error(`time-wasm.mjs has no result for ${fixture}`);
  return result;
}

function time(ns) {
  if (ns < 1000) return `${ns.toFixed(ns < 100 ? 1 : 0)} ns`;
  if (ns < 1e6) return `${(ns / 1000).toFixed(ns < 1e4 ? 2 : 1)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

const ratio = (r) => (r >= 100 ? `${Math.round(r)}×` : r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`);
const bytes = (b) => (b === null ? 'n/a' : b === 0 ? '0 B' : `${b.toLocaleString('en-US')} B`);

const rows = fixtures.map((f) => ({ ...f, compiled: ours('CompiledCheck', f.name), json: ours('JsonCheck', f.name), wasm: theirs(f.name) }));

function resultsTable() {
  const lines = [
    '| fixture | Tollgate compiled check | Tollgate JSON check | Schematic WASM `checkFlag` (JSON) | WASM ÷ our JSON check | WASM ÷ our compiled check | spec\'s WASM evaluation estimate ÷ our compiled check |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const evalRatio = r.specEvalNs === null ? 'n/a' : `${ratio(r.specEvalNs / r.compiled.medianNs)} (${time(r.specEvalNs)} est.)`;
    lines.push(`| **${r.name}** | ${time(r.compiled.medianNs)}, ${bytes(r.compiled.bytes)} | ${time(r.json.medianNs)}, ${bytes(r.json.bytes)} | ${time(r.wasm.medianNs)} | ${ratio(r.wasm.medianNs / r.json.medianNs)} | ${ratio(r.wasm.medianNs / r.compiled.medianNs)} | ${evalRatio} |`);
  }

  return lines.join('\n');
}

function spreadTable() {
  const lines = [
    '| fixture | method | median | mean ± sd | median per launch | WASM min / max batch |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    for (const [method, m] of [['compiled check', r.compiled], ['JSON check', r.json]]) {
      lines.push(`| ${r.name} | ${method} | ${time(m.medianNs)} | ${time(m.meanNs)} ± ${time(m.stdDevNs)} | ${m.launchMediansNs.map(time).join(' / ')} | |`);
    }

    lines.push(`| ${r.name} | WASM checkFlag | ${time(r.wasm.medianNs)} | | | ${time(r.wasm.minNs)} / ${time(r.wasm.maxNs)} |`);
  }

  return lines.join('\n');
}

function shapesTable() {
  const lines = ['| fixture | shape | input bytes (flag / company / user) | spec §3.11 WASM JSON figure (its own fixtures and run) |', '| --- | --- | --- | ---: |'];
  for (const r of rows) {
    const b = r.wasm.inputBytes;
    lines.push(`| ${r.name} | ${r.shape} | ${b.flag} / ${b.company} / ${b.user} | ${time(r.specJsonNs)} |`);
  }

  return lines.join('\n');
}

function verdict(measured, limit, what) {
  if (measured <= limit) return `met (${what})`;
  const over = measured - limit;
  return `**missed**: ${time(over)} over, ${(measured / limit).toFixed(2)}× the target`;
}

function targetsTable() {
  const r = rows.find((row) => row.name === 'realistic');
  const c = r.compiled;
  const lines = [
    '| target (realistic fixture) | measured (median) | verdict |',
    '| --- | ---: | --- |',
    `| compiled check allocates nothing | ${bytes(c.bytes)} | ${c.bytes === targets.compiledBytes ? 'met' : '**missed**'} |`,
    `| compiled check ≤ ${targets.compiledNs} ns | ${time(c.medianNs)} | ${verdict(c.medianNs, targets.compiledNs, `${time(targets.compiledNs - c.medianNs)} to spare`)} |`,
    `| compiled check must not exceed ${targets.compiledLimitNs} ns | ${time(c.medianNs)} | ${c.medianNs <= targets.compiledLimitNs ? 'met' : `**exceeded** by ${time(c.medianNs - targets.compiledLimitNs)}`} |`,
    `| JSON check ≤ ${time(targets.jsonNs)} | ${time(r.json.medianNs)} | ${verdict(r.json.medianNs, targets.jsonNs, `${time(targets.jsonNs - r.json.medianNs)} to spare`)} |`,
    `| JSON check faster than the WASM's \`checkFlag\`, measured here | ${time(r.json.medianNs)} vs ${time(r.wasm.medianNs)} | ${r.json.medianNs < r.wasm.medianNs ? `met (${ratio(r.wasm.medianNs / r.json.medianNs)} faster)` : '**missed**'} |`,
  ];
  return lines.join('\n');
}

/** The reference's own figures are for its fixtures and run: context, not pass or fail. */
function referenceNote() {
  const r = rows.find((row) => row.name === 'realistic');
  return [
    `Against the reference's figures (spec §3.11, its own fixtures of these shapes, not ours): its realistic flag took`,
    `61.6 µs JSON in and out, of which about 4.8 µs evaluation. Here the WASM takes ${time(r.wasm.medianNs)} on our realistic`,
    `fixture, our JSON check ${time(r.json.medianNs)} (${ratio(r.wasm.medianNs / r.json.medianNs)} faster), and our compiled check ${time(r.compiled.medianNs)},`,
    `${ratio(4800 / r.compiled.medianNs)} below the spec's evaluation estimate (an estimate, not measured here).`,
  ].join('\n');
}

const machine = [
  `${bdn.HostEnvironmentInfo.ProcessorName}, ${bdn.HostEnvironmentInfo.LogicalCoreCount} logical cores, ${bdn.HostEnvironmentInfo.OsVersion}`,
  `${bdn.HostEnvironmentInfo.RuntimeVersion}, BenchmarkDotNet ${bdn.HostEnvironmentInfo.BenchmarkDotNetVersion}`,
  `Node ${wasm.machine.node}, ${wasm.engine.package} ${wasm.engine.version} (engine ${wasm.engine.versionKey})`,
].join('; ');

const summaryBlock = [
  resultsTable(),
  '',
  targetsTable(),
  '',
  referenceNote(),
].join('\n');

const date = context.date ?? new Date().toISOString().slice(0, 10);
const report = `# Engine benchmark, ${date}

Tollgate's rules engine against Schematic's rules-engine WASM on the same inputs (\`bench/fixtures\`), on the same
machine, in one sitting: \`bash bench/run-engine-bench.sh\`${context.duration ? ` (took ${context.duration})` : ''}.

- Machine: ${machine}.
- Source: ${context.commit ? `\`${context.commit}\`` : 'unknown commit'}${context.sourceState ? `, ${context.sourceState}` : ''}.
- Tollgate: BenchmarkDotNet, ${context.jobSettings ?? 'see the BenchmarkDotNet report'}; full report: [${args['bdn-report'] ?? 'BenchmarkDotNet report'}](${args['bdn-report'] ?? ''}).
- WASM: \`bench/wasm/time-wasm.mjs\`, warm-up ${wasm.settings.warmupMs} ms, then ${wasm.settings.batches} batches of about ${wasm.settings.batchMs} ms; raw numbers in the JSON beside this file.
- Every figure is a median per check. Before timing, both engines' answers were checked byte for byte against
  \`bench/fixtures/<name>.expected.json\` (the WASM's answer), and the compiled check's against the JSON check's.

## Results

${resultsTable()}

- *Compiled check*: \`CompiledFlag.Check\` with flag, company and user compiled beforehand; returns a \`CheckResult\`.
- *JSON check*: \`RulesEngine.CheckFlagJson\`, JSON strings in and out: parse, compile, check, write, every time.
- *WASM \`checkFlag\`*: \`RulesEngineJS.checkFlag(flagJson, companyJson, userJson)\`, the same strings, JSON out.
  Its evaluation cannot be timed apart from its JSON parsing through this API; the last column uses the spec's
  estimate of the WASM's evaluation alone (§3.11: ~4.8 µs realistic, ~48 µs large), which was not measured here.

## Targets

${targetsTable()}

${referenceNote()}

## Spread

${spreadTable()}

BenchmarkDotNet subtracts its own call overhead; per-launch medians show how much two processes' JIT decisions differ.

## Fixtures

${shapesTable()}

The spec's figures come from the reference's own fixtures of those shapes, whose bytes we do not have; compare
against the WASM column measured in this run, not across machines.
`;

writeFileSync(args.out, report);
process.stdout.write(`${report}\n`);

if (args.readme) {
  const readme = readFileSync(args.readme, 'utf8');
  const start = '<!-- engine-results:start -->';
  const end = '<!-- engine-results:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${args.readme} has no ${start} ... ${end} block`);
  const outName = args.out.split('/').pop();
  const block = `${start}\n_From [results/${outName}](results/${outName}) (${date}; ${bdn.HostEnvironmentInfo.ProcessorName}, ${bdn.HostEnvironmentInfo.LogicalCoreCount} cores). Medians per check._\n\n${summaryBlock}\n`;
  writeFileSync(args.readme, readme.slice(0, from) + block + readme.slice(to));
}
