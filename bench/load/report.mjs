#!/usr/bin/env node
// Writes the check load test report from one run of bench/load/run-check-load.sh (which calls it):
//
//   node bench/load/report.mjs --runs=<runs.jsonl> --context=<context.tsv> --problems=<server-problems.log>
//        [--notices=<server-notices.log>]
//        --answers=<answers-after.txt> --out=bench/results/check-load-<date>.md --raw=<name of the raw wrk file>
//        [--readme=bench/README.md]
//
// Each line of runs.jsonl is one wrk run: config, connections, the RESULT line of load.lua's done() (latencies in
// µs), and the CPU the server, wrk and the whole machine used meanwhile. Ratios are of req/s against GET /health at
// the same connections in the same configuration of the same server process.
//
// Exit code 1 (and a report marked FAILED, README untouched) if any run had socket errors or non-2xx answers, the
// server logged a warning or error other than an expected notice, or the check answers changed or were wrong.
import { readFileSync, writeFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => {
  const match = /^--([a-z-]+)=(.*)$/.exec(arg);
  if (!match) throw new Error(`bad argument: ${arg}`);
  return [match[1], match[2]];
}));
for (const required of ['runs', 'context', 'problems', 'answers', 'out', 'raw']) {
  if (!args[required]) throw new Error(`--${required}= is required`);
}

const runs = readFileSync(args.runs, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const ctx = Object.fromEntries(readFileSync(args.context, 'utf8').split('\n').filter(Boolean).map((line) => {
  const tab = line.indexOf('\t');
  return [line.slice(0, tab), line.slice(tab + 1)];
}));
const problems = readFileSync(args.problems, 'utf8').trim();
// Expected notices (e.g. the missing master key at start): reported, never a failure.
const notices = args.notices ? readFileSync(args.notices, 'utf8').trim() : '';
const answers = readFileSync(args.answers, 'utf8').trim().split('\n');

const configs = [
  {
    id: 'logging-off',
    title: 'Request logging off',
    what: '`Logging:LogLevel:Default=Warning` (an `appsettings.json` in the content root, picked up by the running server): how a deployment would normally run it',
  },
  {
    id: 'as-shipped',
    title: 'As shipped',
    what: 'no `appsettings.json`: the built-in logging defaults (Information for Tollgate, Warning for ASP.NET Core, so no line per request), the Prometheus exporter listening to the meters, per-key rate limits on',
  },
  {
    id: 'telemetry-off',
    title: 'Telemetry and rate limits off',
    what: 'a second server process on the same data, started with `--Tollgate:Metrics:Prometheus=false --Tollgate:RateLimits:Enabled=false` and request logging off, after its own warm-up: what metrics and rate limiting cost is the difference from the two configurations above (a different process measured minutes later, so compare within a few per cent only)',
  },
];
const modes = [
  { id: 'health', name: '`GET /health` (baseline)' },
  { id: 'check', name: '`POST /flags/{key}/check`' },
  { id: 'check-user', name: 'check with user' },
];
const target = { ratio: 0.5, p99Ms: 5, p99Connections: 64 };

const errorsOf = (r) => Object.values(r.wrk.errors).reduce((a, b) => a + b, 0);
const rps = (r) => r.wrk.requests / (r.wrk.duration_us / 1e6);
const find = (config, mode, connections) => runs.find((r) => r.config === config && r.wrk.mode === mode && r.connections === connections);
const health = (r) => find(r.config, 'health', r.connections);
const ratio = (r) => rps(r) / rps(health(r));

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (us) => `${(us / 1000).toFixed(2)} ms`;
const pct = (x) => `${Math.round(x * 100)}%`;
const cores = (s, r) => (s / r.wall_s).toFixed(2);
// Busy time neither the server nor wrk was charged for: in a quiet run only a little softirq (about 0.01 core).
const restCores = (r) => Math.max(0, r.busy_s - r.server_cpu_s - r.wrk_cpu_s) / r.wall_s;
const disturbedAt = 0.1;
const mark = (r) => (restCores(r) >= disturbedAt ? ' †' : '');

// Failures.
const failures = [];
for (const r of runs) {
  const e = r.wrk.errors;
  if (errorsOf(r) > 0) {
    failures.push(`${r.config} ${r.wrk.mode} at ${r.connections} connections: ${e.status} non-2xx answers, socket errors connect ${e.connect}, read ${e.read}, write ${e.write}, timeout ${e.timeout}`);
  }
}
if (problems) failures.push('the server logged warnings or errors (see "Server log" below)');
if (ctx.answers_unchanged !== 'yes') failures.push('the check answers after the load differ from those before it');
if (ctx.answers_non200 !== '0') failures.push(`${ctx.answers_non200} check answers were not HTTP 200`);
if (ctx.acme_ok !== 'yes') failures.push('`api-calls` for acme did not answer value true with reason `Matched plan entitlement rule "Pro"`');
for (const c of configs) {
  for (const m of modes) {
    for (const n of [16, 64]) if (!find(c.id, m.id, n)) failures.push(`no run for ${c.id} ${m.id} at ${n} connections`);
  }
}
if (failures.length) {
  writeFileSync(args.out, `# HTTP flag checks under load: ${ctx.date} — FAILED\n\n${failures.map((f) => `- ${f}`).join('\n')}\n\n` +
    `## Server log\n\n\`\`\`\n${problems || '(nothing)'}\n\`\`\`\n\n## Runs\n\n\`\`\`\n${runs.map((r) => JSON.stringify(r)).join('\n')}\n\`\`\`\n\n` +
    `Raw wrk output: [${args.raw}](${args.raw}).\n`);
  console.error(failures.join('\n'));
  process.exit(1);
}

function resultsTable(config, { brief = false } = {}) {
  const lines = brief
    ? ['| request | connections | req/s | ÷ /health | p50 | p99 |', '| --- | ---: | ---: | ---: | ---: | ---: |']
    : ['| request | connections | req/s | ÷ /health req/s | p50 | p90 | p99 | p99.9 | max | bytes per answer, with headers |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const n of [16, 64]) {
    for (const m of modes) {
      const r = find(config, m.id, n);
      const l = r.wrk.latency_us;
      const share = m.id === 'health' ? '1' : `**${pct(ratio(r))}**`;
      lines.push(brief
        ? `| ${m.name} | ${n} | ${int(rps(r))}${mark(r)} | ${share} | ${ms(l.p50)} | ${ms(l.p99)} |`
        : `| ${m.name} | ${n} | ${int(rps(r))}${mark(r)} | ${share} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.max)} | ${int(r.wrk.bytes / r.wrk.requests)} |`);
    }
  }
  if (runs.some((r) => r.config === config && mark(r))) {
    lines.push('', `† disturbed: other processes on the machine took ${disturbedAt} core or more during this run (see "Where the CPU went").`);
  }
  return lines.join('\n');
}

function verdicts(config) {
  const checks = runs.filter((r) => r.config === config && r.wrk.mode !== 'health');
  const lowest = checks.reduce((a, b) => (ratio(a) <= ratio(b) ? a : b));
  const ratioMet = checks.every((r) => ratio(r) >= target.ratio);
  const at64 = checks.filter((r) => r.connections === target.p99Connections);
  const worst = at64.reduce((a, b) => (a.wrk.latency_us.p99 >= b.wrk.latency_us.p99 ? a : b));
  const p99Met = at64.every((r) => r.wrk.latency_us.p99 <= target.p99Ms * 1000);
  const healthP99 = find(config, 'health', target.p99Connections).wrk.latency_us.p99;
  return [
    `| check req/s ≥ ${pct(target.ratio)} of /health, at 16 and 64 | lowest ${pct(ratio(lowest))} (${lowest.wrk.mode}, ${lowest.connections} connections) | ${ratioMet ? 'met' : '**missed**'} |`,
    `| p99 ≤ ${target.p99Ms} ms at ${target.p99Connections} connections | worst ${ms(worst.wrk.latency_us.p99)} (${worst.wrk.mode}); /health itself ${ms(healthP99)} | ${p99Met ? 'met' : '**missed**'} |`,
  ];
}

function verdictTable() {
  const lines = ['| configuration | target (issue 3) | measured | verdict |', '| --- | --- | --- | --- |'];
  for (const c of configs) for (const v of verdicts(c.id)) lines.push(`| ${c.title.toLowerCase()} ${v}`);
  return lines.join('\n');
}

function overheadTable() {
  const lines = [
    '| request | connections | req/s as shipped | req/s logging off | req/s telemetry and limits off | as shipped ÷ off | server CPU per request, as shipped − off |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const cpu = (r) => r.server_cpu_s * 1e6 / r.wrk.requests;
  for (const n of [16, 64]) {
    for (const m of modes) {
      const [on, quiet, off] = ['as-shipped', 'logging-off', 'telemetry-off'].map((c) => find(c, m.id, n));
      lines.push(`| ${m.name} | ${n} | ${int(rps(on))} | ${int(rps(quiet))} | ${int(rps(off))} | ${pct(rps(on) / rps(off))} | ${(cpu(on) - cpu(off)).toFixed(1)} µs |`);
    }
  }
  return lines.join('\n');
}

function cpuTable() {
  const lines = [
    '| configuration | request | connections | server CPU per request | server cores | wrk cores | rest: kernel softirq + other processes | steal | log bytes per request | server RSS after |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const c of configs) {
    for (const n of [16, 64]) {
      for (const m of modes) {
        const r = find(c.id, m.id, n);
        lines.push(`| ${c.title.toLowerCase()} | ${m.name} | ${n} | ${(r.server_cpu_s * 1e6 / r.wrk.requests).toFixed(1)} µs | ${cores(r.server_cpu_s, r)} | ${cores(r.wrk_cpu_s, r)} | ${restCores(r).toFixed(2)}${mark(r)} | ${cores(r.steal_s, r)} | ${int(r.log_bytes / r.wrk.requests)} | ${int(r.rss_kb / 1024)} MiB |`);
      }
    }
  }
  return lines.join('\n');
}

const [pid, etime, cputime, pcpu, rss, vsz, nlwp] = ctx.server_ps.split(' ');
const totalRequests = runs.reduce((a, r) => a + r.wrk.requests, 0);

const report = `# HTTP flag checks under load: ${ctx.date}

Written by \`bench/load/run-check-load.sh\` (${ctx.elapsed}). One server process, Release, on ${ctx.base} with a fresh
SQLite data folder and the demo data set; \`POST /flags/{key}/check\` for warm companies (4 flags × acme, globex, initech;
the "with user" variant adds each company's demo user) against the same process's \`GET /health\`, each run straight
after the other, both logging settings in the same process, then a second process with telemetry and rate limits off.
No errors: ${int(totalRequests)} requests over the ${runs.length} runs, 0 socket errors, 0 non-2xx answers, no unexpected
warning or error in the server's log, and the ${ctx.answers_count} check answers (every flag × company, with and
without user) identical before and after the load.

Expected notices in the server's log (not failures): ${notices ? `\n\n\`\`\`\n${notices}\n\`\`\`` : 'none.'}

${configs.map((c) => `## ${c.title}\n\n${c.what}.\n\n${resultsTable(c.id)}`).join('\n\n')}

## What metrics and rate limits cost

${overheadTable()}

## Targets

${verdictTable()}

## Where the CPU went

CPU time of the server process and of wrk per run (\`/proc/<pid>/stat\`, bash \`time\`), the rest of the machine's busy
time (\`/proc/stat\`: loopback TCP in softirq that is not charged to either process, and anything else running), and
time stolen by the hypervisor, each in cores (out of ${ctx.nproc}).

${cpuTable()}

Server process at the end (\`ps\`): ${etime} after start, ${cputime} CPU time (${pcpu}% of one core on average
since start), RSS ${int(Number(rss) / 1024)} MiB (peak ${int(Number(ctx.server_hwm_kb) / 1024)} MiB), ${nlwp} threads;
Server GC ${ctx.gc_server === 'true' ? 'on (the Web SDK default)' : 'off'}.

## Correctness

- All ${ctx.answers_count} check answers (4 flags × 3 companies, with and without the company's user) were HTTP 200
  and byte-identical before the warm-up and after the last run.
- \`POST /flags/api-calls/check\` \`{"company":{"id":"acme"}}\` after the load:
  \`${ctx.acme_answer.slice(0, 200)}…\` — value true, reason \`Matched plan entitlement rule "Pro"\`.
- Every run: 0 non-2xx answers, 0 socket errors (connect, read, write, 2 s timeout); server log: no \`warn\`, \`fail\`
  or \`crit\` line.

## How it was run

\`\`\`sh
${ctx.source === 'head' ? 'SOURCE=head ' : ''}bash bench/load/run-check-load.sh          # PORT=5799 DURATION=${ctx.duration} WARMUP=${ctx.warmup} REWARM=${ctx.rewarm} THREADS=${ctx.threads}
\`\`\`

- build: \`${ctx.cmd_build}\`
- server: \`${ctx.cmd_server}\`
- warm-up (all three request kinds interleaved, as shipped): \`${ctx.cmd_warmup}\`; after switching request logging
  off, ${ctx.rewarm} more
- each run, e.g.: \`${ctx.cmd_check}\` (\`LOAD_MODE\` health, check or check-user; \`-c\` 16 or 64); order per
  configuration: health, check, check with user at 16, then the same at 64
- raw wrk output of every run: [${args.raw}](${args.raw})

## Machine and versions

- ${ctx.nproc} × ${ctx.cpu}, ${ctx.memory}, Linux ${ctx.kernel}; a VM shared with other sessions: load average
  ${ctx.load_before} before, ${ctx.load_after} after; ${ctx.busy_before} of the ${ctx.nproc} cores busy in the 2 s before
  the server started
- .NET runtime ${ctx.runtime}, ASP.NET Core ${ctx.aspnetcore} (SDK ${ctx.sdk}); ${ctx.wrk}
- Tollgate ${ctx.commit}, ${ctx.source_state}

## Notes

- **wrk and the server share the ${ctx.nproc} cores** (nothing pinned): every request wrk makes costs CPU the server
  could have used, and the cheaper the endpoint the more of the machine wrk takes. Ratios measured in one run on one
  machine are the figures to compare; absolute req/s move with the machine (\`shared/spec/limits.md\`: 11–34 %
  between repeat runs with shared cores).
- The baseline \`GET /health\` has no API key check, no request body and a 15-byte body in its answer; a check also
  hashes the key (SHA-256), reads and binds a JSON body and writes a JSON answer several hundred bytes long (bytes per
  answer above). A fairer baseline for "the cost of the check itself" would be an authenticated \`POST\` no-op with the same body; the server has none and this test adds none.
- p99 on shared cores mostly measures scheduling: compare a check's p99 with \`/health\`'s at the same connections.
- The machine is shared with other sessions. "rest" in "Where the CPU went" is busy time charged to neither the server
  nor wrk: about 0.01 core in a quiet run; ${disturbedAt} core or more (marked †) means another process competed for
  the cores during that run, and its req/s and tail latencies say more about the neighbour than about Tollgate.
- Server CPU per request is the steadier figure under such noise: the check's extra cost over \`/health\` is the
  difference of the two.
`;

writeFileSync(args.out, report);

if (args.readme) {
  const start = '<!-- check-load-results:start -->';
  const end = '<!-- check-load-results:end -->';
  const readme = readFileSync(args.readme, 'utf8');
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${args.readme} has no ${start} … ${end} block`);
  const name = args.out.split('/').pop();
  const block = `${start}
_From [results/${name}](results/${name}) (${ctx.date}; ${ctx.cpu}, ${ctx.nproc} cores shared by wrk and the server;
Tollgate ${ctx.commit}; .NET ${ctx.runtime}; ${ctx.wrk.split(' (')[0]} -t${ctx.threads}, ${ctx.duration} a run after ${ctx.warmup} of
warm-up). 0 errors, 0 non-2xx, answers unchanged under load._

${configs[1].title} (built-in logging defaults, metrics and rate limits on):

${resultsTable(configs[1].id, { brief: true })}

${configs[0].title} (\`Logging:LogLevel:Default=Warning\`):

${resultsTable(configs[0].id, { brief: true })}

${configs[2].title} (a second process):

${resultsTable(configs[2].id, { brief: true })}

What metrics and rate limits cost (as shipped against the second process):

${overheadTable()}

${verdictTable()}
`;
  writeFileSync(args.readme, readme.slice(0, from) + block + readme.slice(to));
}
