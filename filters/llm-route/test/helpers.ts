// Fixtures for the llm-route tests: a configuration with one provider of each dialect, and a
// driver that sends one request through dist/llm-route.wasm (host-test, Envoy >= 1.35 mode with
// allow_on_headers_stop_iteration) and plays the provider's answer.
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { loadPlugin, type Plugin, type StreamTester } from "../../../host-test/src/index.ts";
export { parseSse, pieces, sse } from "../../common/test/support/sse.ts";
export { respond as answer } from "../../common/test/support/exchange.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const WASM = join(root, "dist", "llm-route.wasm");

export const CONFIG = {
  providers: [
    {
      name: "openai", kind: "openai", host: "api.openai.com",
      models: {
        "gpt-4o-mini": { input_price: 0.15, output_price: 0.6, cached_input_price: 0.075, context_length: 128000 },
        "gpt-4o": { model: "gpt-4o-2024-08-06", input_price: 2.5, output_price: 10 },
      },
    },
    {
      name: "anthropic", kind: "anthropic", host: "api.anthropic.com", api_key: "sk-ant-test",
      models: {
        "claude-haiku": { model: "claude-3-5-haiku-20241022", input_price: 0.8, output_price: 4, cached_input_price: 0.08, context_length: 200000 },
        "claude-sonnet": { model: "claude-sonnet-4-20250514", input_price: 3, output_price: 15 },
      },
    },
    {
      name: "local", kind: "openai-compatible", cluster: "vllm", host: "vllm.internal:8000",
      models: { "llama": { model: "meta-llama/Llama-3.1-8B-Instruct", input_price: 0.01, output_price: 0.02, capabilities: ["streaming"], context_length: 8192 } },
    },
  ],
  aliases: {
    fast: { strategy: "least-cost", targets: ["openai/gpt-4o-mini", "anthropic/claude-haiku", "local/llama"] },
    smart: { strategy: "priority", targets: ["anthropic/claude-sonnet", "openai/gpt-4o"] },
    "gpt-4*": ["openai/*"],
    ab: { strategy: "weighted", sticky: true, targets: [{ provider: "openai", model: "gpt-4o-mini", weight: 1 }, { provider: "anthropic", model: "claude-haiku", weight: 1 }] },
  },
};

let vmCounter = 0;

/** A fresh plugin with its own vm_id (so shared health data does not leak between tests). */
export function load(config: unknown = CONFIG, opts: Record<string, unknown> = {}): Promise<Plugin> {
  return loadPlugin(WASM, { config, vmId: `llm-route-test-${++vmCounter}`, allowOnHeadersStopIteration: true, logLevel: "warn", ...opts });
}

export interface Sent {
  s: StreamTester;
  status?: number;
  local?: unknown;
  upstreamHeaders: Record<string, string>;
  upstreamBody: any;
  upstreamRaw: string;
}

export function send(p: Plugin, body: unknown, opts: { path?: string; headers?: Record<string, string>; chunks?: number; consumer?: string } = {}): Sent {
  const s = p.newStream();
  if (opts.consumer) s.stream.filterState.set("wasm.aigw.consumer", new TextEncoder().encode(opts.consumer));
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const bytes = new TextEncoder().encode(raw);
  s.requestHeaders({
    ":method": "POST", ":path": opts.path ?? "/v1/chat/completions", ":authority": "gateway.local",
    "content-type": "application/json", "content-length": String(bytes.length), ...(opts.headers ?? {}),
  }, false);
  if (!s.localReply) {
    const n = opts.chunks ?? 1;
    const step = Math.ceil(bytes.length / n);
    for (let at = 0; at < bytes.length && !s.localReply; at += step) s.requestBody(bytes.subarray(at, Math.min(bytes.length, at + step)), at + step >= bytes.length);
  }
  const lr = s.localReply;
  let upstreamBody: any = null;
  try { upstreamBody = JSON.parse(s.upstream.body); } catch { /* not JSON */ }
  return {
    s, status: lr?.status, local: lr ? JSON.parse(lr.body) : undefined,
    upstreamHeaders: s.upstream.headers ? s.upstream.headers.toObject() : {}, upstreamBody, upstreamRaw: s.upstream.body,
  };
}


