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

/** Body kinds of the pii-mask memory figures (issue 11), all PII-dense (an entity every ~30 bytes). */
export type PiiBodyKind = "json" | "json-escaped" | "sse-event" | "sse-deltas" | "text";
export const PII_BODY_KINDS: Array<[PiiBodyKind, string]> = [
  ["json", "JSON request (buffered), 8 chunks"],
  ["json-escaped", "JSON request, text with a newline every ~100 bytes"],
  ["sse-event", "SSE answer: one event in 8 chunks"],
  ["sse-deltas", "SSE answer: 64-byte deltas, 16 KiB chunks"],
  ["text", "text answer, 16 KiB chunks"],
];

function piiDense(n: number, newlines = false): string {
  const words = ["contact", "alice.smith@example.com", "card", "4111 1111 1111 1111", "or", "+44 20 7946 0958", newlines ? "notes\n" : "notes"];
  const parts: string[] = [];
  let len = 0, i = 0;
  while (len < n) { const w = words[i++ % words.length] + " "; parts.push(w); len += w.length; }
  return parts.join("").slice(0, n);
}

function chunkedBy(b: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

/**
 * Runs one PII-dense body of `kind` with about `n` bytes of text through a fresh pii-mask VM and
 * returns the body's bytes and the VM's linear memory after configure (idle) and after the stream
 * (Wasm memory never shrinks, so that is the peak).
 */
export async function piiPeakFor(wasm: string, kind: PiiBodyKind, n: number, vmId: string): Promise<{ bodyBytes: number; idle: number; peak: number }> {
  const p = await loadPlugin(wasm, { config: { max_body_bytes: 32 << 20 }, bufferLimitBytes: 256 << 20, logLevel: "warn", vmId });
  const idle = linearMemoryBytes(p);
  const text = piiDense(n, kind === "json-escaped");
  let body: Uint8Array;
  if (kind === "json" || kind === "json-escaped") {
    body = enc.encode(JSON.stringify({ model: "m", messages: [{ role: "user", content: text }] }));
    const s = p.newStream();
    s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "content-type": "application/json" }, false);
    chunkedBy(body, Math.ceil(body.length / 8)).forEach((c, i, a) => s.requestBody(c, i === a.length - 1));
    s.complete();
  } else if (kind === "sse-event") {
    body = enc.encode(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\ndata: [DONE]\n\n`);
    answer(p, chunkedBy(body, Math.ceil(body.length / 8)), "text/event-stream");
  } else if (kind === "sse-deltas") {
    const events: string[] = [];
    for (let i = 0; i < text.length; i += 64) events.push(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text.slice(i, i + 64) } }] })}\n\n`);
    body = enc.encode(events.join(""));
    answer(p, chunkedBy(body, 16384), "text/event-stream");
  } else {
    body = enc.encode(text);
    answer(p, chunkedBy(body, 16384), "text/plain");
  }
  return { bodyBytes: body.length, idle, peak: linearMemoryBytes(p) };
}

/**
 * Peak linear memory of a fresh pii-mask VM (issue 11) while it handles one PII-dense body of
 * `mb` MB of each kind. AssemblyScript's allocator grows memory by doubling, so these figures move
 * in steps; piiLargestWithin is the finer measure.
 */
export async function piiPeakMemory(wasm: string, label = "pii-mask", mb = 1): Promise<Array<{ name: string; bodyBytes: number; idle: number; peak: number }>> {
  const rows: Array<{ name: string; bodyBytes: number; idle: number; peak: number }> = [];
  for (const [kind, name] of PII_BODY_KINDS) {
    const r = await piiPeakFor(wasm, kind, mb << 20, `peak-${label}-${kind}-${mb}`);
    rows.push({ name: `${mb} MB ${name}`, ...r });
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
 * The finer view (piiPeakMemory moves in doubling steps): the largest PII-dense body (KiB of text,
 * within 64 KiB) of `kind` a fresh pii-mask VM handles while its linear memory stays within `mib`
 * MiB; `mib` MiB / that body is the multiple of the body a stream needs at its peak. A kind that is
 * streamed with bounded memory reaches the search's ceiling (`max` KiB): reported as ">= max".
 */
export async function piiLargestWithin(wasm: string, kind: PiiBodyKind, mib = 16, max = 16384): Promise<number> {
  let lo = 64, hi = max;
  if ((await piiPeakFor(wasm, kind, hi * 1024, `within-${kind}-${hi}`)).peak <= mib * 1048576) return hi;
  while (hi - lo > 64) {
    const mid = (lo + hi) >> 1;
    if ((await piiPeakFor(wasm, kind, mid * 1024, `within-${kind}-${mid}`)).peak <= mib * 1048576) lo = mid; else hi = mid;
  }
  return lo;
}
