#!/usr/bin/env node
// Compiles every filter (filters/<name>/assembly/index.ts) and every host-test fixture
// (host-test/fixtures/<name>/index.ts) to Wasm:
//   dist/<name>.wasm         release: asc -O3 (size+speed), then binaryen's wasm-opt
//   dist/debug/<name>.wasm   debug: no optimisation, with a names section, every unchecked() access
//                            bounds-checked too (asconfig.json: uncheckedBehavior "never"), for
//                            `npm run fuzz -- --debug`
// Shared compiler options live in the root asconfig.json; a filter may add its own
// filters/<name>/asconfig.json that "extends" it. `--if-needed` skips up-to-date outputs.
import asc from "assemblyscript/asc";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ifNeeded = process.argv.includes("--if-needed");
const quiet = process.argv.includes("--quiet");
// `--release`: only dist/<name>.wasm (npm start runs release modules; the debug build is for tests).
const releaseOnly = process.argv.includes("--release");
const only = process.argv.filter((a) => !a.startsWith("--")).slice(2);

// The wasm features AssemblyScript 0.27 emits by default; all supported by Envoy's V8.
const FEATURES = ["--enable-bulk-memory", "--enable-sign-ext", "--enable-mutable-globals", "--enable-nontrapping-float-to-int"];

function targets() {
  const list = [];
  for (const name of readdirSync(join(root, "filters")).sort()) {
    const entry = join(root, "filters", name, "assembly", "index.ts");
    if (existsSync(entry)) list.push({ name, entry, dir: join(root, "filters", name), out: join(root, "dist"), kind: "filter" });
  }
  // Test-only modules a filter needs (e.g. a harness exporting its crypto for vector tests):
  // filters/<f>/test/fixtures/<name>/index.ts -> dist/fixtures/<f>-<name>.wasm
  for (const f of readdirSync(join(root, "filters")).sort()) {
    const dir = join(root, "filters", f, "test", "fixtures");
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const entry = join(dir, name, "index.ts");
      if (existsSync(entry)) list.push({ name: `${f}-${name}`, entry, dir: join(dir, name), out: join(root, "dist", "fixtures"), kind: "fixture", srcDir: join(root, "filters", f) });
    }
  }
  const fixtures = join(root, "host-test", "fixtures");
  if (existsSync(fixtures)) {
    for (const name of readdirSync(fixtures).sort()) {
      const entry = join(fixtures, name, "index.ts");
      if (existsSync(entry)) list.push({ name, entry, dir: join(fixtures, name), out: join(root, "dist", "fixtures"), kind: "fixture" });
    }
  }
  return only.length ? list.filter((t) => only.includes(t.name)) : list;
}

// A filter's tests, benches and scripts are not its sources: changing them rebuilds nothing.
const NOT_SOURCES = new Set(["node_modules", "__tests__", "test", "bench", "scripts"]);
function newestSource(dir, acc = 0) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && NOT_SOURCES.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) acc = newestSource(p, acc);
    else if (e.name.endsWith(".ts") || e.name.endsWith(".json")) acc = Math.max(acc, statSync(p).mtimeMs);
  }
  return acc;
}

async function compile(t, target, outFile) {
  const config = existsSync(join(t.dir, "asconfig.json")) ? join(t.dir, "asconfig.json") : join(root, "asconfig.json");
  const args = [relative(root, t.entry), "--config", relative(root, config), "--target", target, "--outFile", relative(root, outFile)];
  let stderr = "";
  const { error } = await asc.main(args, {
    stdout: { write: () => true },
    stderr: { write: (s) => { stderr += s; return true; } },
  });
  if (error) throw new Error(`asc failed for ${t.name} (${target}):\n${stderr}`);
}

// A compile error is printed once, without the compiler's stack (its minified source is huge).
process.on("uncaughtException", (err) => {
  console.error(err.message);
  process.exit(1);
});
process.on("unhandledRejection", (err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

// A filter's generated sources (filters/<f>/scripts/generate.ts, e.g. prompt-guard's pattern
// bytes) are brought up to date before the filter or one of its fixtures compiles. The generator
// rewrites its output only when it changed, so --if-needed still sees an unchanged filter as fresh.
const generated = new Set();
function generate(t) {
  const dir = t.srcDir ?? t.dir;
  const script = join(dir, "scripts", "generate.ts");
  if (t.kind === "fixture" && !t.srcDir) return;
  if (generated.has(dir) || !existsSync(script)) return;
  generated.add(dir);
  execFileSync(process.execPath, ["--import", "tsx", script], { cwd: root, stdio: "inherit" });
}

// filters/common's word lists (scripts/generate.ts) first: every module compiles them.
execFileSync(process.execPath, ["--import", "tsx", join(root, "filters", "common", "scripts", "generate.ts")], { cwd: root, stdio: "inherit" });
const sharedNewest = Math.max(newestSource(join(root, "filters", "common")), statSync(join(root, "asconfig.json")).mtimeMs);
const rows = [];
for (const t of targets()) {
  const release = join(t.out, `${t.name}.wasm`);
  const debug = join(t.out, "debug", `${t.name}.wasm`);
  mkdirSync(dirname(debug), { recursive: true });
  generate(t);
  const newest = Math.max(sharedNewest, newestSource(t.dir), t.srcDir ? newestSource(t.srcDir) : 0);
  const fresh = (f) => existsSync(f) && statSync(f).mtimeMs >= newest;
  if (ifNeeded && fresh(release) && (releaseOnly || fresh(debug))) {
    rows.push({ ...t, asc: null, release: statSync(release).size, debug: existsSync(debug) ? statSync(debug).size : 0, cached: true });
    continue;
  }
  // Outputs are written under a temporary name and renamed, so a test reading dist/ while another
  // build runs never sees a half-written module.
  const releaseTmp = `${release}.${process.pid}.tmp`;
  const debugTmp = `${debug}.${process.pid}.tmp`;
  await compile(t, "release", releaseTmp);
  const ascSize = statSync(releaseTmp).size;
  execFileSync(join(root, "node_modules", ".bin", "wasm-opt"), [releaseTmp, "-O3", "--converge", ...FEATURES, "-o", releaseTmp]);
  if (!releaseOnly) await compile(t, "debug", debugTmp);
  renameSync(releaseTmp, release);
  if (!releaseOnly) renameSync(debugTmp, debug);
  rows.push({ ...t, asc: ascSize, release: statSync(release).size, debug: existsSync(debug) ? statSync(debug).size : 0, cached: false });
}

// `--if-needed` (npm start, npm test) reports only when it built something, on stderr, so that
// the gateway's first line on stdout is its URL.
const print = ifNeeded ? (line) => process.stderr.write(line + "\n") : (line) => console.log(line);
if (!quiet && !(ifNeeded && rows.every((r) => r.cached))) {
  const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KiB";
  print(`${"module".padEnd(34)}${"asc -O3".padStart(13)}${"+wasm-opt".padStart(13)}${"debug".padStart(13)}`);
  for (const r of rows) {
    const name = (r.kind === "fixture" ? "fixtures/" : "") + r.name;
    print(`${name.padEnd(34)}${r.asc === null ? "  (up to date)" : kb(r.asc)}${kb(r.release)}${releaseOnly && !r.debug ? "    (not built)" : kb(r.debug)}`);
  }
}
