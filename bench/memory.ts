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
