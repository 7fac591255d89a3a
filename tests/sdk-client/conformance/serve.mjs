// Starts the server's Debug build (src/Tollgate.Server/bin/Debug/net10.0) for a conformance run by hand: a fresh SQLite
// file in a temporary folder, the demo data set, a random loopback port and a random secret key. Build it first
// (`dotnet build src/Tollgate.Server`). The C# test does not use this: it starts the server in-process.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repository = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export async function startServer() {
  const dll = join(repository, "src", "Tollgate.Server", "bin", "Debug", "net10.0", "Tollgate.Server.dll");
  if (!existsSync(dll)) throw new Error(`${dll} not found: run \`dotnet build src/Tollgate.Server\` first`);
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), "tollgate-conformance-"));
  const apiKey = "sch_conformance_" + randomBytes(24).toString("hex");
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn("dotnet", [dll, "--urls", baseUrl, "--data", data, "--demo"], {
    cwd: join(repository, "src", "Tollgate.Server"),
    env: { ...process.env, TOLLGATE_API_KEY: apiKey, TOLLGATE_POSTGRES: "", Logging__LogLevel__Default: "Warning" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error("the server was not ready within 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    apiKey,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(data, { recursive: true, force: true });
    },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
