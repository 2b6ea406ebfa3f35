// Cost per request of the quota filter through host-test, as a ratio to the no-op filter
// (dist/noop.wasm) doing the same request and answer in the same run. Medians.
// Rows: local limits (one requests limit; three limits of requests, tokens and cost settled with
// llm-route's usage; a stream of 20 deltas debited as it passes; a refusal), and the fleet-wide
// path (one ShouldRateLimit per request answered in-process, then over real gRPC with counters in
// a real Redis when redis-server is installed). Local rows are dominated by host calls (shared
// data, headers: this host's boundary, not Envoy's); the real-gRPC row by the loopback round trip.
// Run: npm run bench -- quota/, or: node scripts/build.mjs quota noop && node --import tsx filters/quota/bench/quota.bench.ts
import { fileURLToPath } from "node:url";
import { loadPlugin, closeGrpcClients, type Plugin, type PluginOptions } from "../../../host-test/src/index.ts";
import { fmtNs, measure, median, type BenchContext, type Measurement } from "../../../bench/lib.ts";
import { startRateLimitServer, startRedis } from "../test/fleet/ratelimit-server.ts";

const dist = (name: string) => fileURLToPath(new URL(`../../../dist/${name}.wasm`, import.meta.url));
const enc = new TextEncoder();
const BODY = JSON.stringify({ model: "gpt-4o", max_tokens: 200, messages: [{ role: "user", content: "Summarise the following paragraph in one sentence. ".repeat(8) }] });
const ANSWER = JSON.stringify({ id: "c", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "ok" } }] });
const STREAM = Array.from({ length: 20 }, () => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "some words " } }] })}\n\n`).concat("data: [DONE]\n\n");

function once(p: Plugin, consumer: string, stream: boolean): void {
  const s = p.newStream();
  s.stream.filterState.set("wasm.aigw.consumer", enc.encode(consumer));
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "content-type": "application/json" }, false);
  if (!s.localReply) {
    s.requestBody(BODY, true);
    if (!s.localReply) {
      s.responseHeaders({ ":status": "200", "content-type": stream ? "text/event-stream" : "application/json" }, false);
      const chunks = stream ? STREAM : [ANSWER];
      chunks.forEach((c, i) => {
        if (i === chunks.length - 1) {
          s.stream.filterState.set("wasm.gen_ai.usage.input_tokens", enc.encode("110"));
          s.stream.filterState.set("wasm.gen_ai.usage.output_tokens", enc.encode("60"));
          s.stream.filterState.set("wasm.aigw.llm.cost_micro_usd", enc.encode("875"));
        }
        s.responseBody(c, i === chunks.length - 1);
      });
    }
  }
  s.complete();
}

async function onceAsync(p: Plugin, consumer: string): Promise<void> {
  const s = p.newStream();
  s.stream.filterState.set("wasm.aigw.consumer", enc.encode(consumer));
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "content-type": "application/json" }, false);
  s.requestBody(BODY, true);
  await p.settle(10);
  if (!s.localReply) {
    s.responseHeaders({ ":status": "200", "content-type": "application/json" }, false);
    s.stream.filterState.set("wasm.gen_ai.usage.input_tokens", enc.encode("110"));
    s.stream.filterState.set("wasm.gen_ai.usage.output_tokens", enc.encode("60"));
    s.responseBody(ANSWER, true);
  }
  s.complete();
  await p.settle(10);
}

const opts = (config: unknown, extra: PluginOptions = {}): PluginOptions => ({ logLevel: "warn", allowOnHeadersStopIteration: true, config, vmId: `bench-${Math.random()}`, ...extra });
const BIG = 4_000_000_000;

/** One case measured in alternation with its baseline (a sample of each, in turn), so both see the
 *  same machine load: the ratio is median(case) / median(baseline) over the same rounds. */
async function paired(name: string, op: () => unknown, base: () => unknown, iterations: number, samples: number): Promise<{ row: Measurement; base: Measurement }> {
  const rows: number[] = [];
  const bases: number[] = [];
  for (let i = 0; i < samples; i++) {
    bases.push((await measure("b", base, { iterations, samples: 1 })).nsPerOp);
    rows.push((await measure(name, op, { iterations, samples: 1 })).nsPerOp);
  }
  return { row: { name, nsPerOp: median(rows), samples: rows }, base: { name: "no-op", nsPerOp: median(bases), samples: bases } };
}

export async function benchQuota(ctx: BenchContext): Promise<void> {
  const iterations = ctx.quick ? 50 : 400;
  const samples = ctx.quick ? 3 : 9;
  const noop = await loadPlugin(dist("noop"), { logLevel: "warn" });
  // Warm-up: the engine's tiers and the host's code paths settle before anything is measured.
  for (let i = 0; i < iterations * 4; i++) once(noop, "c", i % 2 === 0);
  const json = () => once(noop, "c", false);
  const cases: Array<{ row: Measurement; base: Measurement }> = [];

  const one = await loadPlugin(dist("quota"), opts({ limits: [{ name: "rpm", key: "consumer", window: "1m", limit: BIG }] }));
  cases.push(await paired("local: 1 requests limit", () => once(one, "c", false), json, iterations, samples));
  const three = {
    models: { "gpt-4o": { input_price: 2.5, output_price: 10 } },
    limits: [
      { name: "rpm", key: "consumer", window: "1m", limit: BIG },
      { name: "tpm", key: ["tenant", "consumer"], window: "1m", counts: "total_tokens", limit: BIG },
      { name: "cost", key: "consumer", window: "1d", counts: "cost_micro_usd", limit: BIG },
    ],
  };
  const q3 = await loadPlugin(dist("quota"), opts(three));
  cases.push(await paired("local: 3 limits (requests, tokens, cost)", () => once(q3, "c", false), json, iterations, samples));
  cases.push(await paired("local: 3 limits, 20-delta stream debited", () => once(q3, "c", true), () => once(noop, "c", true), iterations, samples));
  const spent = await loadPlugin(dist("quota"), opts({ limits: [{ name: "rpm", key: "consumer", window: "1d", limit: 1 }] }));
  once(spent, "c", false);
  cases.push(await paired("local: refused (429)", () => once(spent, "c", false), json, iterations, samples));
  const anomaly = await loadPlugin(dist("quota"), opts({ ...three, anomaly: {} }));
  cases.push(await paired("local: 3 limits + anomaly baseline", () => once(anomaly, "c", false), json, iterations, samples));

  // Fleet: the baseline awaits as the fleet request does (two event-loop turns).
  const ok = new Uint8Array([0x08, 0x01, 0x12, 0x02, 0x08, 0x01]);
  const fleetCfg = { fleet: { cluster: "ratelimit" }, limits: [{ name: "fleet-tpm", key: "consumer", window: "1m", counts: "total_tokens", scope: "fleet" }] };
  const inproc = await loadPlugin(dist("quota"), opts(fleetCfg, { grpcClusters: { ratelimit: () => ({ status: 0, response: ok }) } }));
  const fleetIters = Math.max(20, iterations >> 2);
  const awaited = async () => { once(noop, "c", false); await noop.settle(10); await noop.settle(10); };
  cases.push(await paired("fleet: 1 limit, in-process gRPC answer", () => onceAsync(inproc, "c"), awaited, fleetIters, samples));
  let note = "Each case alternates with its baseline (the no-op filter doing the same request and answer; for the stream case the same stream; for fleet cases with the same awaits), so load drift cancels out.";
  try {
    const redis = await startRedis();
    const rls = await startRateLimitServer({ domain: "aigw", descriptors: [{ key: "aigw_limit", value: "fleet-tpm", descriptors: [{ key: "consumer", rate_limit: { unit: "minute", requests_per_unit: 4_000_000_000 } }] }] }, redis.port);
    const real = await loadPlugin(dist("quota"), opts(fleetCfg, { grpcClusters: { ratelimit: rls.address } }));
    cases.push(await paired("fleet: real gRPC + Redis (loopback)", () => onceAsync(real, "c"), awaited, fleetIters, samples));
    closeGrpcClients();
    await rls.stop();
    await redis.stop();
  } catch (e) {
    note += ` Real-gRPC row skipped: ${(e as Error).message}`;
  }
  console.log("\n## quota: cost per request (request + answer through host-test), ratio to the no-op filter");
  console.log(note);
  console.log(`${"case".padEnd(44)}${"median".padStart(12)}${"no-op".padStart(12)}${"× no-op".padStart(10)}`);
  for (const c of cases) console.log(`${c.row.name.padEnd(44)}${fmtNs(c.row.nsPerOp).padStart(12)}${fmtNs(c.base.nsPerOp).padStart(12)}${(c.row.nsPerOp / c.base.nsPerOp).toFixed(2).padStart(10)}`);
}

export default benchQuota;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchQuota({ root: fileURLToPath(new URL("../../..", import.meta.url)), quick: process.argv.includes("--quick") });
}
