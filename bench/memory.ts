// Memory safety under the garbage collector (AssemblyScript's incremental GC, see
// filters/common/sdk/README.md): a filter's linear memory must stay bounded over many streams with
// bodies, and the outputs at the end must equal those at the start (no use-after-free).
// Shared by the benchmark (1,000,000 streams) and the stress test (filters/common/test/memory-stress.test.ts).
import { loadPlugin, type Plugin } from "../host-test/src/index.ts";

export const PII_CONFIG = {
  secret: "memory-bench-secret-0123456789",
  detectors: { EMAIL: "tokenize", CREDIT_CARD: "mask", PHONE: "hash" },
};

const enc = new TextEncoder();

/** A request/answer pair whose content depends on `i` (so nothing can be cached by accident). */
export function sample(i: number): { request: Uint8Array; answer: Uint8Array } {
  const user = `user${i % 97}`;
  const prompt = `Hello, I am ${user}, reach me at ${user}@example.com or +1 415 555 ${String(1000 + (i % 9000)).padStart(4, "0")}; card 4111 1111 1111 1111. Summarise order #${i}.`;
  const request = enc.encode(JSON.stringify({ model: "sample-small", messages: [{ role: "system", content: "be brief" }, { role: "user", content: prompt }] }));
  const answer = enc.encode(JSON.stringify({ id: `c${i}`, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: `Noted, ${user}. Order #${i} summarised.` }, finish_reason: "stop" }] }));
  return { request, answer };
}

export interface StreamOutput { upstreamBody: string; clientBody: string; upstreamHeaders: Record<string, string> }

/** One full stream (request headers+body, response headers+body, log, delete) on the low-level API. */
export function runStream(plugin: Plugin, i: number): StreamOutput {
  const { request, answer } = sample(i);
  const s = plugin.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "content-type": "application/json", "content-length": String(request.length) }, false);
  s.requestBody(request, true);
  s.responseHeaders({ ":status": "200", "content-type": "application/json" }, false);
  s.responseBody(answer, true);
  s.complete();
  const out = { upstreamBody: s.upstream.body, clientBody: s.client.body, upstreamHeaders: { ...s.currentRequestHeaders } };
  return out;
}

export async function loadForMemory(root: string, module = "pii-mask"): Promise<Plugin> {
  return loadPlugin(`${root}/dist/${module}.wasm`, { config: module === "pii-mask" ? PII_CONFIG : undefined, logLevel: "warn", vmId: `memory-${module}` });
}

export function linearMemoryBytes(plugin: Plugin): number {
  return plugin.vm.memory.buffer.byteLength;
}

/**
 * Peak linear memory of a fresh pii-mask VM (issue 11) while it handles one large body, so that
 * growth with body size is visible: each case loads a new VM, measures its memory after configure,
 * runs one stream and measures again (Wasm memory never shrinks, so the second figure is the peak).
 * Cases: a PII-dense 1 MB JSON request; a 1 MB SSE event arriving in 8 chunks; a 1 MB answer of
 * 64-byte SSE deltas in 16 KiB chunks; a 1 MB text answer in 16 KiB chunks.
 */
export async function piiPeakMemory(wasm: string, label = "pii-mask"): Promise<Array<{ name: string; bodyBytes: number; idle: number; peak: number }>> {
  const dense = (n: number) => {
    const words = ["contact", "alice.smith@example.com", "card", "4111 1111 1111 1111", "or", "+44 20 7946 0958", "notes"];
    let s = "", i = 0;
    while (s.length < n) s += words[i++ % words.length] + " ";
    return s.slice(0, n);
  };
  const text = dense(1 << 20);
  const json = enc.encode(JSON.stringify({ model: "m", messages: [{ role: "user", content: text }] }));
  const oneEvent = enc.encode(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\ndata: [DONE]\n\n`);
  let deltas = "";
  for (let i = 0; i < text.length; i += 64) deltas += `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text.slice(i, i + 64) } }] })}\n\n`;
  const deltaBytes = enc.encode(deltas);
  const textBytes = enc.encode(text);
  const split = (b: Uint8Array, n: number) => { const out: Uint8Array[] = []; const size = Math.ceil(b.length / n); for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size)); return out; };
  const chunked = (b: Uint8Array, size: number) => { const out: Uint8Array[] = []; for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size)); return out; };
  const cases: Array<[string, number, (p: Plugin) => void]> = [
    ["1 MB JSON request, PII every ~30 bytes", json.length, (p) => {
      const s = p.newStream();
      s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "content-type": "application/json" }, false);
      split(json, 8).forEach((c, i, a) => s.requestBody(c, i === a.length - 1));
      s.complete();
    }],
    ["1 MB SSE event in 8 chunks", oneEvent.length, (p) => answer(p, split(oneEvent, 8), "text/event-stream")],
    ["1 MB SSE answer, 64-byte deltas, 16 KiB chunks", deltaBytes.length, (p) => answer(p, chunked(deltaBytes, 16384), "text/event-stream")],
    ["1 MB text answer, 16 KiB chunks", textBytes.length, (p) => answer(p, chunked(textBytes, 16384), "text/plain")],
  ];
  const rows: Array<{ name: string; bodyBytes: number; idle: number; peak: number }> = [];
  for (const [name, bodyBytes, run] of cases) {
    const p = await loadPlugin(wasm, { config: { max_body_bytes: 4 << 20 }, bufferLimitBytes: 64 << 20, logLevel: "warn", vmId: `peak-${label}-${rows.length}` });
    const idle = linearMemoryBytes(p);
    run(p);
    rows.push({ name, bodyBytes, idle, peak: linearMemoryBytes(p) });
  }
  return rows;
}

function answer(p: Plugin, chunks: Uint8Array[], ct: string): void {
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw" }, true);
  s.responseHeaders({ ":status": "200", "content-type": ct }, false);
  chunks.forEach((c, i) => s.responseBody(c, i === chunks.length - 1));
  s.complete();
}

/**
 * A finer view than piiPeakMemory (whose figures move in doubling steps): the largest PII-dense body
 * (KiB, ±32) a fresh pii-mask VM handles while its linear memory stays within `mib` MiB, for a JSON
 * request and for one SSE event arriving in 8 chunks. Larger is better; body / limit is the multiple.
 */
export async function piiLargestWithin(wasm: string, mib = 16): Promise<{ json: number; sse: number }> {
  const words = ["contact", "alice.smith@example.com", "card", "4111 1111 1111 1111", "or", "+44 20 7946 0958", "notes"];
  const dense = (n: number) => { let s = "", i = 0; while (s.length < n) s += words[i++ % words.length] + " "; return s.slice(0, n); };
  const peak = async (kind: "json" | "sse", n: number): Promise<number> => {
    const p = await loadPlugin(wasm, { config: { max_body_bytes: 8 << 20 }, bufferLimitBytes: 64 << 20, logLevel: "warn", vmId: `within-${kind}-${n}` });
    const text = dense(n);
    if (kind === "json") {
      const s = p.newStream();
      s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "content-type": "application/json" }, false);
      s.requestBody(enc.encode(JSON.stringify({ model: "m", messages: [{ role: "user", content: text }] })), true);
      s.complete();
    } else {
      const b = enc.encode(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\ndata: [DONE]\n\n`);
      const size = Math.ceil(b.length / 8);
      const parts: Uint8Array[] = [];
      for (let i = 0; i < b.length; i += size) parts.push(b.subarray(i, i + size));
      answer(p, parts, "text/event-stream");
    }
    return linearMemoryBytes(p) / 1048576;
  };
  const out = { json: 0, sse: 0 };
  for (const kind of ["json", "sse"] as const) {
    let lo = 64, hi = 8192;
    while (hi - lo > 32) { const mid = (lo + hi) >> 1; if (await peak(kind, mid * 1024) <= mib) lo = mid; else hi = mid; }
    out[kind] = lo;
  }
  return out;
}
