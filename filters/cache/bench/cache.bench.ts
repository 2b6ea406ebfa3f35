// Cost per request of the cache through host-test, as ratios to the no-op filter (dist/noop.wasm)
// measured in the same run, for a 4 KiB chat request and a 1 KiB answer: a miss (key, lookup,
// the answer copied and stored), a hit (key, lookup, local reply); and the semantic lookup with
// 10,000 stored vectors of one bucket (the worst case: every vector compared), against the same
// lookup with an empty index (the difference is the search). Medians.
// Run: npm run bench -- cache, or: node scripts/build.mjs cache noop && node --import tsx filters/cache/bench/cache.bench.ts
import { fileURLToPath } from "node:url";
import { loadPlugin, type Plugin, type ClusterRequest } from "../../../host-test/src/index.ts";
import { measure, report, type BenchContext, type Measurement } from "../../../bench/lib.ts";

const dist = (name: string) => fileURLToPath(new URL(`../../../dist/${name}.wasm`, import.meta.url));
const enc = new TextEncoder();
const ANSWER = JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "y".repeat(1000) }, finish_reason: "stop" }], usage: { prompt_tokens: 1000, completion_tokens: 250 } });

/** A 4 KiB chat request whose last message carries `tag` (distinct tags = distinct keys). */
function request(tag: string): Uint8Array {
  const filler = "The quick brown fox jumps over the lazy dog. ".repeat(84);
  return enc.encode(JSON.stringify({ model: "gpt-4o-mini", temperature: 0, messages: [{ role: "system", content: filler }, { role: "user", content: `question ${tag}` }] }));
}

function cycle(p: Plugin, body: Uint8Array, extra: Record<string, string> = {}): boolean {
  const s = p.newStream();
  s.stream.filterState.set("wasm.aigw.consumer", enc.encode("bench"));
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "content-type": "application/json", ...extra }, false);
  s.requestBody(body, true);
  const hit = s.localReply !== null;
  if (!hit) {
    s.responseHeaders({ ":status": "200", "content-type": "application/json" }, false);
    s.responseBody(ANSWER, true);
  }
  s.complete();
  return hit;
}

/** A deterministic unit vector per text (dims components), as an embeddings endpoint would give. */
function vectorOf(text: string, dims: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  const v: number[] = [];
  for (let i = 0; i < dims; i++) { h = Math.imul(h ^ (h >>> 15), 2246822519) >>> 0; v.push((h / 4294967296) - 0.5); }
  return v;
}

async function semanticLookup(p: Plugin, tag: string): Promise<void> {
  const s = p.newStream();
  s.stream.filterState.set("wasm.aigw.consumer", enc.encode("bench"));
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "content-type": "application/json" }, false);
  s.requestBody(enc.encode(JSON.stringify({ model: "m", messages: [{ role: "user", content: tag }] })), true);
  await p.settle();
  s.complete();
}

export default async function benchCache(ctx: BenchContext): Promise<void> {
  await benchRequests(ctx);
  await benchSemantic(ctx);
}

export async function benchRequests(ctx: BenchContext): Promise<void> {
  const iterations = ctx.quick ? 100 : 1000;
  const samples = ctx.quick ? 3 : 7;
  const noop = await loadPlugin(dist("noop"), { logLevel: "warn" });
  const same = request("same");
  const baseline = await measure("no-op filter (4 KiB request, 1 KiB answer)", () => cycle(noop, same), { iterations, samples });
  const rows: Measurement[] = [];
  const cfg = { budget_bytes: 64 << 20, slots: 16384 };
  const miss = await loadPlugin(dist("cache"), { logLevel: "warn", allowOnHeadersStopIteration: true, config: cfg, vmId: "bench-cache-miss" });
  let n = 0;
  const bodies = Array.from({ length: iterations * (samples + 1) }, (_, i) => request(String(i)));
  const noStore = { "cache-control": "no-store" };
  rows.push(await measure("miss, no-store (key + lookup only)", () => { if (cycle(miss, bodies[n++ % bodies.length], noStore)) throw new Error("unexpected hit"); }, { iterations, samples }));
  n = 0;
  rows.push(await measure("miss (key + lookup + copy + store)", () => { if (cycle(miss, bodies[n++ % bodies.length])) throw new Error("unexpected hit"); }, { iterations, samples }));
  const hit = await loadPlugin(dist("cache"), { logLevel: "warn", allowOnHeadersStopIteration: true, config: cfg, vmId: "bench-cache-hit" });
  cycle(hit, same);
  rows.push(await measure("hit (key + lookup + local reply)", () => { if (!cycle(hit, same)) throw new Error("unexpected miss"); }, { iterations, samples }));
  const bypass = await loadPlugin(dist("cache"), { logLevel: "warn", allowOnHeadersStopIteration: true, config: { routes: [{ prefix: "/", enabled: false }] }, vmId: "bench-cache-off" });
  rows.push(await measure("route with the cache disabled", () => cycle(bypass, same), { iterations, samples }));
  report("cache: per request, 4 KiB chat request", baseline, rows,
    "Ratios to the no-op filter; the hit row never reaches the upstream (in Envoy it saves the provider's whole latency).");

}

export async function benchSemantic(ctx: BenchContext): Promise<void> {
  const samples = ctx.quick ? 3 : 7;
  for (const dims of [256, 1536]) {
    const count = ctx.quick ? 1000 : 10000;
    const embeddings = (req: ClusterRequest) => ({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ data: [{ embedding: Buffer.from(new Float32Array(vectorOf(JSON.parse(req.body).input, dims)).buffer).toString("base64") }] }) });
    const semantic = { max_vectors: count, budget_bytes: 256 << 20, max_entry_bytes: 65536, slots: 65536, semantic: { cluster: "emb", model: "m", threshold: 0.999 } };
    const empty = await loadPlugin(dist("cache"), { logLevel: "warn", allowOnHeadersStopIteration: true, config: semantic, vmId: `bench-sem-empty-${dims}`, clusters: { emb: embeddings } });
    const full = await loadPlugin(dist("cache"), { logLevel: "warn", allowOnHeadersStopIteration: true, config: semantic, vmId: `bench-sem-full-${dims}`, clusters: { emb: embeddings } });
    for (let i = 0; i < count; i++) {
      const s = full.newStream();
      s.stream.filterState.set("wasm.aigw.consumer", enc.encode("bench"));
      s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "content-type": "application/json" }, false);
      s.requestBody(enc.encode(JSON.stringify({ model: "m", messages: [{ role: "user", content: `stored ${i}` }] })), true);
      await full.settle();
      s.responseHeaders({ ":status": "200", "content-type": "application/json" }, false);
      s.responseBody(ANSWER, true);
      s.complete();
    }
    let k = 0;
    const it = ctx.quick ? 20 : 100;
    const base = await measure(`semantic miss, empty index (${dims} dims)`, () => semanticLookup(empty, `probe ${k++}`), { iterations: it, samples });
    const at = await measure(`semantic miss, ${count.toLocaleString("en")} vectors (${dims} dims)`, () => semanticLookup(full, `probe ${k++}`), { iterations: it, samples });
    report(`cache: semantic lookup, ${dims}-dimension int8 vectors, one bucket`, base, [at],
      `The difference is the search over ${count.toLocaleString("en")} vectors (${fmtMs(at.nsPerOp - base.nsPerOp)} per lookup here); both rows include the embeddings call through the host and parsing its JSON.`);
  }
}

function fmtMs(ns: number): string { return `${(ns / 1e6).toFixed(2)} ms`; }
