#!/usr/bin/env node
// Probe: which instant Schematic's engine (the WASM) reads a date text as, on either side of a date trait condition.
//
//   node probe-dates.mjs 'Wed Jun 18 2025 10:00:00 GMT-0700' '2025-06-18'
//   printf '%s\n' '"2025-06-18T10:00:00.5+0100"' | node probe-dates.mjs      # JSON strings, one a line
//
// For each text it prints the instant (UTC, nanoseconds) or "null" (not a date: the engine counts it as empty),
// read once as a company trait (compared with RFC 3339 condition values) and once as a condition's value (compared
// with RFC 3339 traits), found by bisection over years 0001-9999 with the engine's own gt/lt. The two readings are
// printed apart only when they differ.
//
// How the engine reads dates (found in the WASM, function 12 of rulesengine.js's module, and confirmed with this
// script): chrono 0.4.45; for each of "%Y-%m-%d", "%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%dT%H:%M:%S%.3f%z", "%a %b %d %Y",
// "%a %b %d %Y %H:%M:%S GMT%z", "%a %b %d %Y %H:%M:%S %Z", "%a %b %d %Y %H:%M:%S GMT%z": DateTime::parse_from_str,
// then NaiveDateTime::parse_from_str (as UTC); then DateTime::parse_from_rfc3339; then, with six US zone names
// replaced by abbreviations, DateTime::parse_from_str again. src/Tollgate.Engine/Internal/DateTextParser.cs mirrors it.
import { readFileSync } from 'node:fs';
import { createEngine, installClock, setNow, checkOnce } from './lib/engine.mjs';

installClock();
setNow('2025-06-18T15:30:00Z');
const engine = createEngine();
const scope = { accountId: 'acc_1', environmentId: 'env_prod' };
const definition = { id: 'td_date', comparableType: 'date', entityType: 'company' };

function matches(trait, operator, value) {
  const condition = { id: 'c', ...scope, conditionType: 'trait', operator, traitValue: value, traitDefinition: definition };
  const rule = { id: 'r', ...scope, ruleType: 'standard', name: 'r', priority: 1, value: true, conditions: [condition], conditionGroups: [] };
  const flag = { id: 'flag_1', ...scope, key: 'date-flag', defaultValue: false, rules: [rule] };
  const traits = trait === null ? [] : [{ traitDefinition: definition, value: trait }];
  const answer = checkOnce(engine, flag, { id: 'comp', ...scope, keys: {}, traits }, null);
  if (answer.error) throw new Error(answer.error);
  return JSON.parse(answer.raw).value;
}

const NANOS = 1_000_000_000n;
const LOW = -62_135_596_800n * NANOS;                 // 0001-01-01T00:00:00Z
const HIGH = 253_402_300_799n * NANOS + NANOS - 1n;   // 9999-12-31T23:59:59.999999999Z

function rfc3339(ns) {
  let seconds = ns / NANOS;
  let fraction = ns % NANOS;
  if (fraction < 0n) { fraction += NANOS; seconds -= 1n; }
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${iso}.${String(fraction).padStart(9, '0')}Z`;
}

/** The instant `before(x)` (text < x) first holds for, minus one nanosecond; or an out-of-range note. */
function bisect(before) {
  if (!before(rfc3339(HIGH))) return 'at or after 9999-12-31T23:59:59.999999999Z';
  if (before(rfc3339(LOW))) return 'before 0001-01-01';
  let low = LOW;
  let high = HIGH;
  while (high - low > 1n) {
    const middle = (low + high) / 2n;
    if (before(rfc3339(middle))) high = middle; else low = middle;
  }
  return rfc3339(low);
}

function asTrait(text) {
  return matches(text, 'is_empty', '') ? 'null' : bisect((x) => matches(text, 'lt', x));
}

function asValue(text) {
  // An unread value is empty: every date is after it and none before it.
  const reference = '2025-06-18T15:30:00Z';
  if (matches(reference, 'gt', text) && !matches(reference, 'lt', text) && matches(null, 'eq', text)) return 'null';
  return bisect((x) => matches(x, 'gt', text));
}

const texts = process.argv.length > 2
  ? process.argv.slice(2)
  : readFileSync(0, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
for (const text of texts) {
  const trait = asTrait(text);
  const value = asValue(text);
  process.stdout.write(`${JSON.stringify(text).padEnd(60)} ${trait}${trait === value ? '' : `   as a value: ${value}`}\n`);
}
