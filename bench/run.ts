// npm run bench: the foundation benchmarks, then every filters/<name>/bench/*.bench.ts module.
// Every figure is a median; each table states its baseline measured in the same run.
import { readdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Gateway, loadPlugin } from "../host-test/src/index.ts";
import { measureInterleaved, reportInterleaved, type BenchContext } from "./lib.ts";
import { linearMemoryBytes, loadForMemory, runStream } from "./memory.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");
const only = process.argv.filter((a) => !a.startsWith("--")).slice(2);
const ctx: BenchContext = { root, quick };

async function floor(): Promise<void> {
  const body1k = "x".repeat(1024);
  const answer = JSON.stringify({ choices: [{ message: { content: "y".repeat(1000) } }] });
  const upstream = () => ({ status: 200, headers: { "content-type": "application/json" }, body: answer });
  const noop = await loadPlugin(join(root, "dist/noop.wasm"), { logLevel: "warn" });
  const none = new Gateway([], { upstream });
  const one = new Gateway([noop], { upstream });
  const req = { method: "POST", path: "/v1/chat/completions", headers: { "content-type": "application/json" }, body: body1k };
  const callbacks = () => {
    const st = noop.newStream();
    st.requestHeaders({ ":method": "POST", ":path": "/", ":authority": "gw" }, false);
    st.requestBody(body1k, true);
    st.responseHeaders({ ":status": "200" }, false);
    st.responseBody(answer, true);
    st.complete();
  };
  const cases = [
    { name: "no filter (host only)", op: () => none.request(req) },
    { name: "no-op filter, full cycle", op: () => one.request(req) },
    { name: "no-op filter, callbacks only (low-level API)", op: callbacks },
  ];
  // The floor every filter's ratio rests on: interleaved rounds (rotated order, warm-up discarded),
  // per-round ratios, and two independent runs whose medians must agree (printed, not asserted).
  // Batches long enough to hold many collections each (2,000 cycles), rotated every round; each
  // round's ratio compares batches run a fraction of a second apart.
  const opts = quick ? { iterations: 500, rounds: 5, warmupRounds: 1 } : { iterations: 2000, rounds: 31, warmupRounds: 4 };
  const runs = [];
  for (let run = 1; run <= 2; run++) {
    const res = await measureInterleaved(cases, opts);
    runs.push(res);
    reportInterleaved(`Floor, run ${run}: one request/response cycle (1 KiB body each way) through host-test`, res,
      run === 1 ? "Host-call bound. Baseline: the gateway with no filter. The no-op full cycle is the floor every filter's per-request cost is compared with; the callbacks row is the same stream's proxy-wasm callbacks without the gateway's event loop." : undefined);
  }
  console.log("\nrun-to-run agreement (run 2 / run 1): the ratios are the figures; times move with the machine's load");
  runs[0].rows.forEach((r, i) => {
    if (i === 0) return;
    const q = runs[1].ratios[i].median / runs[0].ratios[i].median;
    const t = runs[1].rows[i].nsPerOp / r.nsPerOp;
    console.log(`  ${r.name.padEnd(46)} ratio ${q.toFixed(3)}${Math.abs(q - 1) > 0.1 ? " (more than 10% apart)" : " (within 10%)"}, time ${t.toFixed(3)}`);
  });
}

async function memoryBound(): Promise<void> {
  const streams = quick ? 100_000 : 1_000_000;
  const every = streams / 10;
  const plugin = await loadForMemory(root);
  const first = runStream(plugin, 0);
  const rows: string[] = [];
  const start = linearMemoryBytes(plugin);
  let peak = start;
  const t0 = Date.now();
  for (let i = 1; i <= streams; i++) {
    runStream(plugin, i);
    if (i % every === 0) {
      const m = linearMemoryBytes(plugin);
      peak = Math.max(peak, m);
      rows.push(`${String(i).padStart(9)} streams: linear memory ${(m / 1048576).toFixed(2)} MiB`);
    }
  }
  const last = runStream(plugin, 0);
  console.log(`\n## Memory: ${streams.toLocaleString("en")} streams with bodies through pii-mask (tokenize, mask, hash)`);
  console.log(`start ${(start / 1048576).toFixed(2)} MiB after one stream`);
  for (const r of rows) console.log(r);
  console.log(`peak ${(peak / 1048576).toFixed(2)} MiB (${(peak / start).toFixed(2)}× the start), ${((Date.now() - t0) / streams * 1000).toFixed(1)} µs per stream`);
  console.log(`outputs of stream 0 at the end equal those at the start: ${JSON.stringify(first) === JSON.stringify(last) ? "yes" : "NO"}`);
  if (plugin.logs("error").length || plugin.logs("critical").length) console.log(`plugin errors: ${plugin.logs("error").concat(plugin.logs("critical")).slice(0, 3).join(" | ")}`);
}

async function filterBenches(): Promise<void> {
  for (const name of readdirSync(join(root, "filters")).sort()) {
    const dir = join(root, "filters", name, "bench");
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).sort()) {
      if (only.length && !only.some((o) => `${name}/${file}`.includes(o))) continue;
      console.log(`\n# ${name}/bench/${file}`);
      const mod = await import(pathToFileURL(join(dir, file)).href);
      const fn = typeof mod.default === "function" ? mod.default : Object.entries(mod).find(([k, v]) => k.startsWith("bench") && typeof v === "function")?.[1];
      if (typeof fn === "function") await (fn as (c: BenchContext) => Promise<void>)(ctx);
    }
  }
}

if (only.length === 0 || only.includes("floor")) await floor();
if (only.length === 0 || only.includes("memory")) await memoryBound();
await filterBenches();
