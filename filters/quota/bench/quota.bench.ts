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
import { measure, report, type BenchContext, type Measurement } from "../../../bench/lib.ts";
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

export async function benchQuota(ctx: BenchContext): Promise<void> {
  const iterations = ctx.quick ? 50 : 400;
  const samples = ctx.quick ? 3 : 7;
  const noop = await loadPlugin(dist("noop"), { logLevel: "warn" });
  // Warm-up: the engine's tiers and the host's code paths settle before anything is measured.
  for (let i = 0; i < iterations * 2; i++) once(noop, "c", i % 2 === 0);
  const baseline = await measure("no-op filter (JSON answer)", () => once(noop, "c", false), { iterations, samples });
  const rows: Measurement[] = [];
  rows.push(await measure("no-op filter (20-delta stream)", () => once(noop, "c", true), { iterations, samples }));

  const one = await loadPlugin(dist("quota"), opts({ limits: [{ name: "rpm", key: "consumer", window: "1m", limit: BIG }] }));
  rows.push(await measure("local: 1 requests limit", () => once(one, "c", false), { iterations, samples }));
  const three = {
    models: { "gpt-4o": { input_price: 2.5, output_price: 10 } },
    limits: [
      { name: "rpm", key: "consumer", window: "1m", limit: BIG },
      { name: "tpm", key: ["tenant", "consumer"], window: "1m", counts: "total_tokens", limit: BIG },
      { name: "cost", key: "consumer", window: "1d", counts: "cost_micro_usd", limit: BIG },
    ],
  };
  const q3 = await loadPlugin(dist("quota"), opts(three));
  rows.push(await measure("local: 3 limits (requests, tokens, cost)", () => once(q3, "c", false), { iterations, samples }));
  rows.push(await measure("local: 3 limits, 20-delta stream debited", () => once(q3, "c", true), { iterations, samples }));
  const spent = await loadPlugin(dist("quota"), opts({ limits: [{ name: "rpm", key: "consumer", window: "1d", limit: 1 }] }));
  once(spent, "c", false);
  rows.push(await measure("local: refused (429)", () => once(spent, "c", false), { iterations, samples }));
  const anomaly = await loadPlugin(dist("quota"), opts({ ...three, anomaly: {} }));
  rows.push(await measure("local: 3 limits + anomaly baseline", () => once(anomaly, "c", false), { iterations, samples }));

  // Fleet: the service's answer (OK, one status) built once; the handler answers in-process.
  const ok = new Uint8Array([0x08, 0x01, 0x12, 0x02, 0x08, 0x01]);
  const fleetCfg = { fleet: { cluster: "ratelimit" }, limits: [{ name: "fleet-tpm", key: "consumer", window: "1m", counts: "total_tokens", scope: "fleet" }] };
  const inproc = await loadPlugin(dist("quota"), opts(fleetCfg, { grpcClusters: { ratelimit: () => ({ status: 0, response: ok }) } }));
  const fleetIters = Math.max(20, iterations >> 2);
  rows.push(await measure("fleet: 1 limit, in-process gRPC answer", () => onceAsync(inproc, "c"), { iterations: fleetIters, samples }));
  rows.push(await measure("no-op filter with the same awaits", async () => { once(noop, "c", false); await noop.settle(10); await noop.settle(10); }, { iterations: fleetIters, samples }));
  // The baseline again at the end: the machine's load drifts during a run (shared CI hosts).
  rows.push(await measure("no-op filter (JSON answer), again", () => once(noop, "c", false), { iterations, samples }));
  let note = "fleet rows await the callout (two event-loop turns); compare them with the no-op row with the same awaits.";
  try {
    const redis = await startRedis();
    const rls = await startRateLimitServer({ domain: "aigw", descriptors: [{ key: "aigw_limit", value: "fleet-tpm", descriptors: [{ key: "consumer", rate_limit: { unit: "minute", requests_per_unit: 4_000_000_000 } }] }] }, redis.port);
    const real = await loadPlugin(dist("quota"), opts(fleetCfg, { grpcClusters: { ratelimit: rls.address } }));
    rows.push(await measure("fleet: real gRPC + Redis (loopback)", () => onceAsync(real, "c"), { iterations: fleetIters, samples }));
    closeGrpcClients();
    await rls.stop();
    await redis.stop();
  } catch (e) {
    note += ` Real-gRPC row skipped: ${(e as Error).message}`;
  }
  report("quota: cost per request (request + answer through host-test)", baseline, rows, note);
}

export default benchQuota;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchQuota({ root: fileURLToPath(new URL("../../..", import.meta.url)), quick: process.argv.includes("--quick") });
}
