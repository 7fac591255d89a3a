// Judges answers captured by a C# test against the official Node SDK's own wire types (the same JSON Schemas the
// conformance judge generates from @schematichq/schematic-typescript-node, conformance/schemas.mjs).
//
//   node validate-shapes.mjs <file>
//
// <file> holds a JSON array of {"name", "type", "body"}: `type` is a definition of the schema document (a response
// type such as "PreviewComponentDataResponse", or a model's wire type such as "UpcomingInvoiceResponseData.Raw").
// Prints one JSON line: {"problems": {"<name>": ["<path> <message>", …]}}, empty lists for valid answers.

import { readFileSync } from "node:fs";
import { loadSchemas } from "./conformance/schemas.mjs";

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: node validate-shapes.mjs <file>\n");
  process.exit(2);
}

const answers = JSON.parse(readFileSync(file, "utf8"));
const { default: Ajv } = await import("ajv");
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(await loadSchemas(), "sdk");
const problems = {};
for (const { name, type, body } of answers) {
  const check = ajv.getSchema(`sdk#/definitions/${encodeURIComponent(type)}`);
  problems[name] = !check
    ? [`no schema for ${type}`]
    : check(body) ? [] : check.errors.slice(0, 20).map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.allowedValues ? `: ${e.params.allowedValues.join(", ")}` : ""}`);
}
process.stdout.write(JSON.stringify({ problems }) + "\n");
