// Test support: a real registry (Debian's `docker-registry`, distribution 2.8) on 127.0.0.1 and a free
// port, storing into a temp dir, optionally behind htpasswd basic auth; plus `skopeo` to read back what
// was pushed. Missing tools fail the test with how to install them: CI installs them (.ci/run).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const INSTALL = "node scripts/provision.mjs (npm test runs it; as root it apt-get installs docker-registry skopeo apache2-utils)";

export function requireTool(name: string, pkg: string): string {
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const path = r.stdout.trim();
  if (r.status !== 0 || path === "") {
    throw new Error(`${name} not found (Debian package ${pkg}): these tests need a real registry and skopeo; install with: ${INSTALL}`);
  }
  return path;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestRegistry {
  /** host:port */
  host: string;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startRegistry(opts: { htpasswd?: { username: string; password: string } } = {}): Promise<TestRegistry> {
  const bin = requireTool("docker-registry", "docker-registry");
  const dir = mkdtempSync(join(tmpdir(), "oci-registry-"));
  let auth = "";
  if (opts.htpasswd) {
    requireTool("htpasswd", "apache2-utils");
    // The registry's htpasswd auth accepts bcrypt entries only.
    const r = spawnSync("htpasswd", ["-Bbn", opts.htpasswd.username, opts.htpasswd.password], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`htpasswd failed: ${r.stderr}`);
    writeFileSync(join(dir, "htpasswd"), r.stdout);
    auth = `auth:\n  htpasswd:\n    realm: test-registry\n    path: ${join(dir, "htpasswd")}\n`;
  }
  // A port can be taken between probing and binding: retry a few times on a fresh one.
  for (let tries = 0; tries < 5; tries++) {
    const port = await freePort();
    const config = join(dir, "config.yml");
    writeFileSync(config, [
      "version: 0.1",
      "log:\n  level: error\n  accesslog:\n    disabled: true",
      `storage:\n  filesystem:\n    rootdirectory: ${join(dir, "data")}\n  delete:\n    enabled: true`,
      `http:\n  addr: 127.0.0.1:${port}\n  secret: test-only-secret`,
      auth,
    ].join("\n"));
    const proc = spawn(bin, ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    proc.stderr!.on("data", (d) => { stderr = (stderr + d).slice(-4000); });
    const host = `127.0.0.1:${port}`;
    if (await waitReady(proc, `http://${host}/v2/`)) {
      return { host, url: `http://${host}`, dir, stop: async () => { await stop(proc); rmSync(dir, { recursive: true, force: true }); } };
    }
    await stop(proc);
    if (!/address already in use/i.test(stderr)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`docker-registry did not start: ${stderr.trim() || "no output"}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error("docker-registry: no free port after 5 tries");
}

async function waitReady(proc: ChildProcess, url: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null || proc.signalCode !== null) return false;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Runs skopeo with a policy that accepts any image (test registry, no signatures). */
export function skopeo(args: string[]): string {
  requireTool("skopeo", "skopeo");
  const dir = mkdtempSync(join(tmpdir(), "skopeo-policy-"));
  try {
    const policy = join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
    const r = spawnSync("skopeo", ["--policy", policy, ...args], { encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) throw new Error(`skopeo ${args.join(" ")} failed: ${r.stderr || r.error}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
