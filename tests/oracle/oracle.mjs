#!/usr/bin/env node
// Correctness oracle: runs Schematic's own rules engine (the WASM inside
// @schematichq/schematic-typescript-node) on JSON Lines from stdin.
//
// Input, one JSON object per line:
//   {"id":"...",            optional; defaults to the 1-based line number
//    "now":"2025-06-18T15:30:00Z",  optional; pins the engine clock for this line
//    "flag":{...},          RulesengineFlag (camelCase or snake_case keys)
//    "company":{...}|null,  RulesengineCompany, or null/absent for no company
//    "user":{...}|null,     RulesengineUser, or null/absent for no user
//    "options":{...}}       optional; passed to checkFlagWithOptions
//                           (snake_case only: usage, event_usage, credit_cost)
// Any other keys (description, expect, tags, ...) are ignored.
//
// Output, one JSON line per input line, in order:
//   {"id":...,"result":<the engine's JSON string, embedded byte-for-byte>}
//   {"id":...,"error":"<message>"}   when the engine threw (bad input) or the
//                                    input line was not valid JSON
// With --raw, only the engine's JSON string (or {"error":...}) is printed.
//
// Flags:
//   --now=ISO   pin the clock for lines without their own "now"
//               (also SCHEMATIC_NOW env var); default: the real clock
//   --raw       print the bare engine result per line
//   --echo-inputs  add "inputs":{"flag","company","user","options"} to each line: the exact
//               JSON strings handed to the engine (after JSON.parse/JSON.stringify, which
//               normalises numbers such as 2.0 -> 2), so another engine can be fed the same bytes
//   --version   print package version and engine version key, then exit
import { createInterface } from 'node:readline';
import { createEngine, installClock, setNow, PACKAGE_VERSION } from './lib/engine.mjs';

const args = process.argv.slice(2);
let defaultNow = process.env.SCHEMATIC_NOW || null;
let raw = false;
let echoInputs = false;
for (const a of args) {
  if (a.startsWith('--now=')) defaultNow = a.slice('--now='.length);
  else if (a === '--raw') raw = true;
  else if (a === '--echo-inputs') echoInputs = true;
  else if (a === '--version') {
    const e = createEngine();
    process.stdout.write(`${JSON.stringify({ package: PACKAGE_VERSION, versionKey: e.getVersionKey() })}\n`);
    process.exit(0);
  } else if (a === '-h' || a === '--help') {
    process.stdout.write('usage: node oracle.mjs [--now=ISO] [--raw] < scenarios.jsonl > results.jsonl\n');
    process.exit(0);
  } else {
    process.stderr.write(`unknown argument: ${a}\n`);
    process.exit(2);
  }
}

installClock();
const engine = createEngine();

const out = [];
let pending = 0;
function emit(line) {
  out.push(line);
  if (++pending >= 256) flush();
}
function flush() {
  if (out.length) process.stdout.write(out.join('\n') + '\n');
  out.length = 0;
  pending = 0;
}

function wrap(id, body, inputs) {
  // body is already a JSON fragment; keep the engine's bytes untouched.
  if (raw) return body;
  const echoed = echoInputs && inputs ? `"inputs":${JSON.stringify(inputs)},` : '';
  return `{"id":${JSON.stringify(id)},${echoed}${body.slice(1)}`;
}

let lineNo = 0;
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  lineNo++;
  if (line.trim() === '') continue;
  let input;
  try {
    input = JSON.parse(line);
  } catch (err) {
    emit(wrap(lineNo, JSON.stringify({ error: `invalid input JSON: ${err.message}` })));
    continue;
  }
  const id = input.id ?? lineNo;
  try {
    setNow(input.now ?? defaultNow);
  } catch (err) {
    emit(wrap(id, JSON.stringify({ error: err.message })));
    continue;
  }
  const flagJson = JSON.stringify(input.flag ?? null);
  const companyJson = input.company == null ? undefined : JSON.stringify(input.company);
  const userJson = input.user == null ? undefined : JSON.stringify(input.user);
  const optionsJson = input.options == null ? undefined : JSON.stringify(input.options);
  const inputs = { flag: flagJson, company: companyJson ?? null, user: userJson ?? null, options: optionsJson ?? null };
  let body;
  try {
    const res = optionsJson !== undefined
      ? engine.checkFlagWithOptions(flagJson, companyJson, userJson, optionsJson)
      : engine.checkFlag(flagJson, companyJson, userJson);
    body = raw ? res : `{"result":${res}}`;
  } catch (err) {
    body = JSON.stringify({ error: err instanceof Error ? err.message : String(err) });
  }
  emit(wrap(id, body, inputs));
}
flush();
