#!/usr/bin/env node
// The system packages npm test needs for its real components (Debian package names). Checked by
// scripts/test.mjs before any test runs, and installed by .ci/run. When one is missing:
//   as root with apt-get: says what it installs and why, runs apt-get update then apt-get install;
//   otherwise: fails at once and prints the one command to run.
// `node scripts/provision.mjs` checks/installs; `--list` prints the package names (for .ci/run);
// `--check` only reports (exit 1 when something is missing).
//
// ONE list: add your package here, with the program that shows it is installed and what uses it.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGES = [
  { pkg: "docker-registry", program: "docker-registry", for: "the OCI tests' real registry (tools/oci)" },
  { pkg: "skopeo", program: "skopeo", for: "reading published images back (tools/oci)" },
  { pkg: "apache2-utils", program: "htpasswd", for: "the registry's basic-auth users (tools/oci)" },
  { pkg: "chromium", program: "chromium", for: "the console's page tests, driven by playwright-core (host-test/src/cli/console)" },
  { pkg: "redis-server", program: "redis-server", for: "the counters of the fleet-wide rate limit service (filters/quota)" },
];

/** Directories searched for programs: PATH plus the sbin directories a non-login root shell may lack. */
function searchPath() {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  for (const d of ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]) if (!dirs.includes(d)) dirs.push(d);
  return dirs;
}

export function hasProgram(name) {
  for (const d of searchPath()) {
    try { accessSync(join(d, name), constants.X_OK); return true; } catch { /* next */ }
  }
  return false;
}

export function missingPackages(list = PACKAGES) {
  return list.filter((p) => !hasProgram(p.program));
}

export function installCommand(missing) {
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.map((p) => p.pkg).join(" ")}`;
}

/** Makes sure every package is there; returns true, or false after printing what to run. */
export function provision({ log = (s) => process.stderr.write(s + "\n"), list = PACKAGES, canInstall = undefined } = {}) {
  const missing = missingPackages(list);
  if (missing.length === 0) return true;
  const names = missing.map((p) => p.pkg).join(" ");
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!(canInstall ?? (isRoot && hasProgram("apt-get")))) {
    log(`npm test needs these system packages, which are not installed:`);
    for (const p of missing) log(`  ${p.pkg.padEnd(16)} ${p.for}`);
    log(`run this once, then npm test again:\n  ${installCommand(missing)}`);
    return false;
  }
  log(`provision: installing ${names} with apt-get (missing; needed by npm test):`);
  for (const p of missing) log(`  ${p.pkg.padEnd(16)} ${p.for}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...missing.map((p) => p.pkg)]]) {
    log(`provision: apt-get ${args.join(" ")}`);
    const r = spawnSync("apt-get", args, { stdio: ["ignore", "inherit", "inherit"], env });
    if (r.status !== 0) { log(`provision: apt-get ${args[0]} failed (exit ${r.status}); run: ${installCommand(missing)}`); return false; }
  }
  const still = missingPackages(list);
  if (still.length) { log(`provision: still missing after install: ${still.map((p) => p.program).join(", ")}`); return false; }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes("--list")) console.log(PACKAGES.map((p) => p.pkg).join(" "));
  else if (process.argv.includes("--check")) {
    const m = missingPackages();
    for (const p of m) console.log(`missing: ${p.pkg} (${p.program}): ${p.for}`);
    process.exit(m.length ? 1 : 0);
  } else process.exit(provision() ? 0 : 1);
}
