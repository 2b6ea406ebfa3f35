#!/usr/bin/env node
// `npm test`: provision the system packages the tests need (scripts/provision.mjs), build every
// module, run the AssemblyScript unit tests (as-pect), then every Node test (*.test.ts, run
// through tsx) with Node's test runner.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { missingPackages, provision } from "./provision.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const filter = process.argv.slice(2);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function findTests(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".") || e.name === "dist") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) findTests(p, out);
    else if (e.name.endsWith(".test.ts")) out.push(relative(root, p));
  }
  return out;
}

// The real components the tests use (registry, skopeo…): installed when missing and possible,
// else stop now with the one command to run (scripts/provision.mjs). A filtered run only warns.
if (filter.length === 0) { if (!provision()) process.exit(1); }
else for (const p of missingPackages()) process.stderr.write(`note: ${p.pkg} is not installed (${p.for}); tests that need it will fail\n`);
run(process.execPath, ["scripts/build.mjs", "--if-needed"]);
if (filter.length === 0) run(process.execPath, ["node_modules/@as-pect/cli/bin/asp.js", "--config", "as-pect.config.js", "--summary"]);
const tests = findTests(root).filter((f) => filter.length === 0 || filter.some((x) => f.includes(x))).sort();
run(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...tests]);
