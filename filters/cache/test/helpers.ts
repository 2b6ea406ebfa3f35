// Fixtures for the cache tests: a plugin of dist/cache.wasm with its own vm_id (its own shared
// data), a driver that sends one request with an identity in filter state (as auth writes it),
// and answers in both dialects.
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { loadPlugin, type Plugin, type StreamTester } from "../../../host-test/src/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const WASM = join(root, "dist", "cache.wasm");

let vmCounter = 0;

export function vmId(): string { return `cache-test-${process.pid}-${++vmCounter}`; }

/** A fresh plugin with its own vm_id, unless opts.vmId shares one (several workers). */
export function load(config: unknown = {}, opts: Record<string, unknown> = {}): Promise<Plugin> {
  return loadPlugin(WASM, { config, vmId: vmId(), allowOnHeadersStopIteration: true, logLevel: "warn", ...opts });
}

export interface Ask {
  path?: string;
  headers?: Record<string, string>;
  consumer?: string | null;
  tenant?: string;
  attributes?: string;
  route?: string;
}

const enc = new TextEncoder();

/** Sends a request through the filter: a hit has `s.localReply`, a miss reached the upstream. */
export function ask(p: Plugin, body: unknown, o: Ask = {}): StreamTester {
  const s = p.newStream(o.route ? { properties: { "xds.route_name": o.route } } : {});
  const consumer = o.consumer === undefined ? "team-a" : o.consumer;
  if (consumer !== null) s.stream.filterState.set("wasm.aigw.consumer", enc.encode(consumer));
  if (o.tenant !== undefined) s.stream.filterState.set("wasm.aigw.consumer.tenant", enc.encode(o.tenant));
  if (o.attributes !== undefined) s.stream.filterState.set("wasm.aigw.consumer.attributes", enc.encode(o.attributes));
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const bytes = enc.encode(raw);
  s.requestHeaders({
    ":method": "POST", ":path": o.path ?? "/v1/chat/completions", ":authority": "gateway.local",
    "content-type": "application/json", "content-length": String(bytes.length), ...(o.headers ?? {}),
  }, false);
  if (!s.localReply) s.requestBody(bytes, true);
  return s;
}

/** Plays an upstream answer (after the request reached it); returns the client's body. */
export function reply(s: StreamTester, chunks: Array<string>, headers: Record<string, string> = { ":status": "200", "content-type": "application/json" }, usage: Record<string, string> = {}): string {
  s.responseHeaders(headers, chunks.length === 0);
  chunks.forEach((c, i) => {
    if (i === chunks.length - 1) for (const [k, v] of Object.entries(usage)) s.stream.filterState.set(`wasm.${k}`, enc.encode(v));
    s.responseBody(c, i === chunks.length - 1);
  });
  return s.client.body;
}

export const chat = (content: string, extra: Record<string, unknown> = {}) => ({ model: "gpt-4o-mini", messages: [{ role: "user", content }], ...extra });
export const messages = (content: string, extra: Record<string, unknown> = {}) => ({ model: "gpt-4o-mini", max_tokens: 256, messages: [{ role: "user", content }], ...extra });

export function openaiAnswer(text: string, usage = { prompt_tokens: 12, completion_tokens: 5 }): string {
  return JSON.stringify({
    id: "chatcmpl-1", object: "chat.completion", created: 1700000000, model: "gpt-4o-mini",
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  });
}

export function anthropicAnswer(text: string): string {
  return JSON.stringify({
    id: "msg_1", type: "message", role: "assistant", model: "claude-3-5-haiku", content: [{ type: "text", text }],
    stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 10, output_tokens: 4 },
  });
}

/** An OpenAI stream of `words`, with a usage chunk and [DONE] (unless cut short). */
export function openaiStream(words: string[], opts: { cut?: boolean } = {}): string[] {
  const base = { id: "chatcmpl-s", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o-mini" };
  const ev = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const out = [ev({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] })];
  for (const w of words) out.push(ev({ ...base, choices: [{ index: 0, delta: { content: w }, finish_reason: null }] }));
  if (opts.cut) return out;
  out.push(ev({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }));
  out.push(ev({ ...base, choices: [], usage: { prompt_tokens: 9, completion_tokens: words.length, total_tokens: 9 + words.length } }));
  out.push("data: [DONE]\n\n");
  return out;
}

export function anthropicStream(words: string[], opts: { cut?: boolean } = {}): string[] {
  const ev = (t: string, o: unknown) => `event: ${t}\ndata: ${JSON.stringify({ type: t, ...(o as object) })}\n\n`;
  const out = [
    ev("message_start", { message: { id: "msg_s", type: "message", role: "assistant", model: "claude-3-5-haiku", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 7, output_tokens: 1 } } }),
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  ];
  for (const w of words) out.push(ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: w } }));
  if (opts.cut) return out;
  out.push(ev("content_block_stop", { index: 0 }));
  out.push(ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: words.length } }));
  out.push(ev("message_stop", {}));
  return out;
}

export const SSE = { ":status": "200", "content-type": "text/event-stream" };
