// Verifies webhook deliveries with the official Schematic Node SDK's verifier, as a receiver would.
// Usage: node verify-webhooks.mjs <deliveries.json>, a file of [{secret, body, signature, timestamp}].
// Prints one JSON line: {"verified": n, "failures": [...], "tampered_rejected": n}. Every delivery must verify, and the
// same delivery with one byte of its body changed must not (a verifier that accepts anything proves nothing).
import { readFileSync } from "node:fs";
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from "@schematichq/schematic-typescript-node";

const deliveries = JSON.parse(readFileSync(process.argv[2], "utf8"));
let verified = 0;
let tamperedRejected = 0;
const failures = [];
for (const d of deliveries) {
  const headers = { [WEBHOOK_SIGNATURE_HEADER.toLowerCase()]: d.signature, [WEBHOOK_TIMESTAMP_HEADER.toLowerCase()]: d.timestamp };
  try {
    verifyWebhookSignature({ headers }, d.secret, Buffer.from(d.body, "utf8"));
    verified++;
  } catch (e) {
    failures.push(String(e?.message ?? e));
  }
  try {
    verifyWebhookSignature({ headers }, d.secret, Buffer.from(d.body + " ", "utf8"));
  } catch {
    tamperedRejected++;
  }
}
console.log(JSON.stringify({ verified, failures, tampered_rejected: tamperedRejected }));
