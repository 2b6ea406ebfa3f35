// Shared fixtures for the pii-mask tests: load dist/pii-mask.wasm through host-test and drive one
// request (and optionally its answer) the way Envoy would.
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { loadPlugin, type Plugin, type StreamTester } from "../../../host-test/src/index.ts";
import { sendRequestBody } from "../../common/test/support/exchange.ts";
export { respond } from "../../common/test/support/exchange.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const WASM = join(root, "dist", "pii-mask.wasm");
export const NOOP_WASM = join(root, "dist", "noop.wasm");

export const SECRET = "test-secret-0123456789abcdef";

export function load(config: unknown = {}, opts: Record<string, unknown> = {}): Promise<Plugin> {
  return loadPlugin(WASM, { config, ...opts });
}

export interface Exchange {
  s: StreamTester;
  /** Body as the upstream (provider) received it. */
  upstream: string;
  upstreamHeaders: Record<string, string>;
  status?: number;
  localBody?: string;
}

/** Sends a request with `body` (in `chunks` pieces when given) and returns what the upstream saw. */
export function request(p: Plugin, body: string | Uint8Array, opts: { contentType?: string; headers?: Record<string, string>; tenant?: string; chunks?: number[] } = {}): Exchange {
  const s = p.newStream();
  if (opts.tenant !== undefined) s.stream.filterState.set("wasm.aigw.consumer.tenant", new TextEncoder().encode(opts.tenant));
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const headers: Record<string, string> = {
    ":method": "POST", ":path": "/v1/chat/completions", ":authority": "api.example", "content-type": opts.contentType ?? "application/json",
    "content-length": String(bytes.length), ...(opts.headers ?? {}),
  };
  s.requestHeaders(headers, bytes.length === 0);
  if (bytes.length > 0) sendRequestBody(s, bytes, opts.chunks);
  const lr = s.localReply;
  return {
    s, upstream: s.upstream.body, upstreamHeaders: s.upstream.headers ? s.upstream.headers.toObject() : {},
    status: lr?.status, localBody: lr?.body,
  };
}


/** Splits `text` at the given byte offsets. */
export function splitAt(text: string, cuts: number[]): Uint8Array[] {
  const b = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of cuts) { out.push(b.subarray(at, c)); at = c; }
  out.push(b.subarray(at));
  return out;
}

export function chat(...contents: string[]): string {
  return JSON.stringify({ model: "gpt-4o", messages: contents.map((c) => ({ role: "user", content: c })) });
}

/** OpenAI streaming chunks for a text answer, one delta per piece, then finish and [DONE]. */
export function openaiSse(pieces: string[]): string {
  let out = `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] })}\n\n`;
  for (const p of pieces) out += `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })}\n\n`;
  out += `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`;
  out += "data: [DONE]\n\n";
  return out;
}

/** Anthropic message stream events for a text answer. */
export function anthropicSse(pieces: string[]): string {
  const ev = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  let out = ev("message_start", { type: "message_start", message: { id: "m1", type: "message", role: "assistant", content: [] } });
  out += ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
  for (const p of pieces) out += ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: p } });
  out += ev("content_block_stop", { type: "content_block_stop", index: 0 });
  out += ev("message_stop", { type: "message_stop" });
  return out;
}

/** Concatenated delta text of an SSE answer (OpenAI or Anthropic), checking each event's JSON parses. */
export function sseText(body: string): string {
  let text = "";
  for (const block of body.split(/\r?\n\r?\n/)) {
    const line = block.split(/\r?\n/).find((l) => l.startsWith("data:"));
    if (!line) continue;
    const data = line.slice(5).trim();
    if (data === "[DONE]") continue;
    const j = JSON.parse(data);
    if (j.choices) for (const c of j.choices) text += c.delta?.content ?? "";
    if (j.delta?.type === "text_delta") text += j.delta.text;
  }
  return text;
}
