// Fixtures for the quota tests: load dist/quota.wasm through host-test (Envoy >= 1.35 mode with
// allow_on_headers_stop_iteration, as llm-route needs too) and drive one stream callback by
// callback. `usage` plays llm-route's part on the way back: it publishes gen_ai.usage.* and
// aigw.llm.cost_micro_usd before the last chunk reaches quota, as Envoy's encoder order does
// (llm-route is after quota in the chain, so it sees the answer first).
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { loadPlugin, type Plugin, type PluginOptions, type StreamTester } from "../../../host-test/src/index.ts";
export { parseSse } from "../../common/test/support/sse.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const WASM = join(root, "dist", "quota.wasm");
export const ROUTE_WASM = join(root, "dist", "llm-route.wasm");
export const AUTH_WASM = join(root, "dist", "auth.wasm");

let vmCounter = 0;
export function freshVmId(): string { return `quota-test-${process.pid}-${++vmCounter}`; }

/** A fresh plugin with its own vm_id (so counters do not leak between tests). */
export function load(config: unknown, opts: PluginOptions = {}): Promise<Plugin> {
  return loadPlugin(WASM, { config, vmId: freshVmId(), allowOnHeadersStopIteration: true, logLevel: "warn", ...opts });
}

/** A clock shared by several simulated workers (host-test's default clock is per plugin). */
export function sharedClock(): { now: () => bigint; advance: (ms: number) => void } {
  let t = BigInt(Date.UTC(2026, 0, 1, 12, 0, 0)) * 1_000_000n;
  return { now: () => t, advance: (ms: number) => { t += BigInt(ms) * 1_000_000n; } };
}

export interface Identity { consumer?: string; tenant?: string; attributes?: Record<string, string> }

function setState(s: StreamTester, key: string, value: string): void {
  s.stream.filterState.set(`wasm.${key}`, new TextEncoder().encode(value));
}

export function chat(model: string, prompt = "hello there", extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model, messages: [{ role: "user", content: prompt }], ...extra };
}

/** Sends the request (headers held, body to the end); returns the stream. */
export function request(p: Plugin, body: unknown, opts: { who?: Identity; headers?: Record<string, string>; path?: string; route?: string } = {}): StreamTester {
  const s = p.newStream({ properties: opts.route ? { "xds.route_name": opts.route } : {} });
  const who = opts.who ?? {};
  if (who.consumer) setState(s, "aigw.consumer", who.consumer);
  if (who.tenant !== undefined) setState(s, "aigw.consumer.tenant", who.tenant);
  if (who.attributes) setState(s, "aigw.consumer.attributes", JSON.stringify(who.attributes));
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  s.requestHeaders({ ":method": "POST", ":path": opts.path ?? "/v1/chat/completions", ":authority": "gw", "content-type": "application/json", ...(opts.headers ?? {}) }, false);
  if (!s.localReply) s.requestBody(raw, true);
  return s;
}

export interface Usage { input: number; output: number; cost?: number }

/** Plays the answer: status, chunks, and llm-route's usage published before the last chunk. */
export function respond(s: StreamTester, chunks: string[], usage: Usage | null, headers: Record<string, string> = { ":status": "200", "content-type": "application/json" }): string {
  s.responseHeaders(headers, chunks.length === 0);
  chunks.forEach((c, i) => {
    const last = i === chunks.length - 1;
    if (last && usage) {
      setState(s, "gen_ai.usage.input_tokens", String(usage.input));
      setState(s, "gen_ai.usage.output_tokens", String(usage.output));
      if (usage.cost !== undefined) setState(s, "aigw.llm.cost_micro_usd", String(usage.cost));
    }
    s.responseBody(c, last);
  });
  s.complete();
  return s.client.body;
}

/** An OpenAI stream of `n` deltas of `text` each. */
export function openAIStream(n: number, text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: text } }] })}\n\n`);
  out.push("data: [DONE]\n\n");
  return out;
}

export const JSON_OK = ['{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}]}'];
