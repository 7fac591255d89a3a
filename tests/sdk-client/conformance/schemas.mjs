// JSON Schemas of every REST answer of the official Node SDK, generated from the SDK's own TypeScript: for each
// operation `fooBar` the SDK declares `serialization/resources/<resource>/types/FooBarResponse.d.ts`, whose
// `FooBarResponse.Raw` is the exact JSON of the answer on the wire (snake_case; Fern's serialization layer). The
// generator (ts-json-schema-generator) turns those Raw interfaces into one JSON Schema document with a definition per
// operation; `ajv` validates the answers against it. Shapes are judged by Schematic's definitions, not by ours.
//
// Generation takes a while (the whole SDK is type-checked once), so the result is cached beside this file, keyed by
// the SDK's version and this generator's options, in `.schemas/` (not committed).

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const sdkRoot = join(here, "..", "node_modules", "@schematichq", "schematic-typescript-node");
const serialization = join(sdkRoot, "dist", "serialization", "resources");
const generatorVersion = 4; // bump when the options below change

const apiResources = join(sdkRoot, "dist", "api", "resources");

/**
 * Every operation of the SDK's REST client, read from its `Client.d.ts` files: { operation, resource, type, file },
 * where `type` is the declared response type (`FooBarResponse`) and `file` the serialization declaration holding its
 * `Raw` (wire) interface; `type` and `file` are null for operations answering nothing or a byte stream.
 */
export function sdkOperations() {
  const found = [];
  for (const resource of readdirSync(apiResources, { withFileTypes: true })) {
    if (!resource.isDirectory()) continue;
    const client = join(apiResources, resource.name, "client", "Client.d.ts");
    if (!existsSync(client)) continue;
    for (const line of readFileSync(client, "utf8").split("\n")) {
      const match = /^\s+(\w+)\(.*\): core\.HttpResponsePromise<(?:Schematic\.(\w+)|[^>]*)>;/.exec(line);
      if (!match) continue;
      const type = match[2] ?? null;
      const candidates = type ? [join(serialization, resource.name, "types", `${type}.d.ts`), join(sdkRoot, "dist", "serialization", "types", `${type}.d.ts`)] : [];
      const file = candidates.find((c) => existsSync(c)) ?? null;
      found.push({ operation: match[1], resource: resource.name, type: file ? type : null, file });
    }
  }
  return found;
}

/** The schema document (draft-07, one definition per response type), generated once per SDK version. */
export async function loadSchemas() {
  const sdkVersion = JSON.parse(readFileSync(join(sdkRoot, "package.json"), "utf8")).version;
  const cacheDir = join(here, ".schemas");
  const cacheFile = join(cacheDir, `sdk-${sdkVersion}-gen${generatorVersion}.json`);
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, "utf8"));

  mkdirSync(cacheDir, { recursive: true });
  const types = [...new Map(sdkOperations().filter((o) => o.type).map((o) => [o.type, o])).values()];
  // One entry file re-exporting every Raw interface under its response type's name, so one generator run (one
  // TypeScript program) produces every definition with the shared models defined once.
  const entry = join(cacheDir, "entry.ts");
  const lines = types.map((t, i) => {
    const from = "./" + relative(cacheDir, t.file).replace(/\\/g, "/").replace(/\.d\.ts$/, "");
    return `import type { ${t.type} as T${i} } from "${from}";\nexport type ${t.type} = T${i}.Raw;`;
  });
  writeFileSync(entry, lines.join("\n") + "\n");
  writeFileSync(join(cacheDir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: true, module: "commonjs", target: "es2020", moduleResolution: "node" }, files: ["entry.ts"] }));

  const { createGenerator } = await import("ts-json-schema-generator");
  const generator = createGenerator({
    path: entry,
    tsconfig: join(cacheDir, "tsconfig.json"),
    type: "*",
    expose: "export",
    topRef: true,
    skipTypeCheck: true,
    // Extra fields are allowed (TypeScript's types are structural); missing required fields, wrong types and enum
    // values outside the declared set are not.
    additionalProperties: true,
    jsDoc: "none",
  });
  const schema = generator.createSchema("*");
  writeFileSync(cacheFile, JSON.stringify(schema));
  return schema;
}
