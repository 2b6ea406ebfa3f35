// A/B check for performance work on llm-route: every exchange of the filter's Node tests (all
// dialect pairs, JSON and streamed answers, tools, errors, failover) and a fuzz campaign's streams
// are run through two builds, and what reached upstream and the client (bytes after every
// callback), the callbacks' results, headers, local replies, filter state and logs must be the
// same. Usage (keep a copy of the old build first):
//   node --import tsx filters/llm-route/bench/same-output.ts OLD.wasm [NEW.wasm] [--fuzz N]
// NEW defaults to dist/llm-route.wasm; --fuzz N streams of seed 7 (default 5000; 0: none).
// Exit 1 with the first differences printed when the builds differ.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const recorder = join(here, "record-streams.ts");

if (process.argv[2] === "--fuzz-child") {
  // Runs inside the recorder: a campaign whose streams the recorder writes out.
  const { runCampaign } = await import("../../../tools/fuzz/campaign.ts");
  const { campaignOptions } = await import("../../../tools/fuzz/options.ts");
  const o = campaignOptions("llm-route", false);
  await runCampaign({ ...o, wasm: process.env.RECORD_WASM!, inputs: Number(process.argv[3]), seed: 7 });
  process.exit(0);
}
if (process.argv[2] === "--exchanges-child") {
  const { runExchanges } = await import("./exchanges.ts");
  await runExchanges();
  process.exit(0);
}

const args = process.argv.slice(2);
const fuzzAt = args.indexOf("--fuzz");
const fuzz = fuzzAt >= 0 ? Number(args.splice(fuzzAt, 2)[1]) : 5000;
const [oldWasm, newWasm = join(root, "dist", "llm-route.wasm")] = args.map((a) => resolve(a));
if (!oldWasm || !existsSync(oldWasm) || !existsSync(newWasm)) {
  process.stderr.write("usage: same-output.ts OLD.wasm [NEW.wasm] [--fuzz N]\n");
  process.exit(2);
}

const tests = readdirSync(join(root, "filters", "llm-route", "test")).filter((f) => f.endsWith(".test.ts") && f !== "fuzz.test.ts" && f !== "schema.test.ts" && f !== "sdk-types.test.ts").sort();
const work = mkdtempSync(join(tmpdir(), "llm-route-same-"));

function transcript(wasm: string, tag: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const jobs: Array<[string, string[]]> = tests.map((t) => [t, [join(root, "filters", "llm-route", "test", t)]]);
  jobs.push(["exchanges (dialect pairs × answers)", [fileURLToPath(import.meta.url), "--exchanges-child"]]);
  if (fuzz > 0) jobs.push([`fuzz seed 7 × ${fuzz}`, [fileURLToPath(import.meta.url), "--fuzz-child", String(fuzz)]]);
  for (const [name, argv] of jobs) {
    const file = join(work, `${tag}-${name.replace(/\W+/g, "_")}.jsonl`);
    try {
      execFileSync(process.execPath, ["--import", "tsx", "--import", recorder, ...argv], { cwd: root, env: { ...process.env, RECORD_WASM: wasm, RECORD_OUT: file }, stdio: ["ignore", "ignore", "pipe"] });
    } catch { /* a failing test still leaves its transcript; the comparison decides */ }
    const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n") : ["(no transcript)"];
    // The build must have been read (a transcript of another module would compare equal).
    if (lines.length > 2 && !lines[lines.length - 2].endsWith('"loads":true}')) throw new Error(`${name}: ${wasm} was never loaded`);
    out.set(name, lines);
  }
  return out;
}

const a = transcript(oldWasm, "old");
const b = transcript(newWasm, "new");
let differ = 0, streams = 0;
for (const [name, la] of a) {
  const lb = b.get(name)!;
  streams += la.length - 2;
  const n = Math.max(la.length, lb.length);
  let shown = 0;
  for (let i = 0; i < n; i++) {
    if (la[i] === lb[i]) continue;
    differ++;
    if (shown++ < 3) process.stdout.write(`${name}, stream ${i}:\n  old ${String(la[i]).slice(0, 600)}\n  new ${String(lb[i]).slice(0, 600)}\n`);
  }
  process.stdout.write(`${name}: ${la.length - 2} streams, ${la.length === lb.length && la.every((x, i) => x === lb[i]) ? "identical" : "DIFFERENT"}\n`);
}
rmSync(work, { recursive: true, force: true });
process.stdout.write(differ ? `${differ} records differ\n` : `all ${streams} streams identical\n`);
process.exit(differ ? 1 : 0);
