// Exchanges for same-output.ts: every client dialect × every provider kind, requests with the
// features translation touches (system, history, multi-part and image content, tools, tool calls
// and results, tool_choice, JSON output, stop, sampling, unicode and escapes, 4 KB), each answered
// in the provider's wire format as JSON and as a stream (one event per chunk, all in one chunk,
// split every 7 bytes), plus error statuses, garbage and cut streams. Run inside record-streams.ts.
import { loadPlugin } from "../../../host-test/src/index.ts";
import { converseEvent } from "../../../host-test/src/cli/sample-bedrock.ts";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const CONFIG = {
  providers: [
    { name: "openai", kind: "openai", host: "api.openai.com", models: { "gpt": { model: "gpt-4o-mini", input_price: 0.15, output_price: 0.6, cached_input_price: 0.075 } } },
    { name: "anthropic", kind: "anthropic", host: "api.anthropic.com", api_key: "sk-ant", models: { "claude": { model: "claude-3-5-haiku-latest", input_price: 0.8, output_price: 4 } } },
    { name: "google", kind: "gemini", host: "generativelanguage.googleapis.com", api_key: "g", models: { "gemini": { model: "gemini-2.0-flash", input_price: 0.1, output_price: 0.4 } } },
    { name: "aws", kind: "bedrock", region: "us-east-1", access_key_id: "AKIDEXAMPLE", secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", models: { "br": { model: "anthropic.claude-3-haiku-20240307-v1:0", input_price: 0.25, output_price: 1.25 } } },
    { name: "azure", kind: "azure-openai", host: "x.openai.azure.com", api_key: "az", models: { "az": { model: "gpt-4o", input_price: 2, output_price: 8 } } },
    { name: "local", kind: "openai-compatible", host: "vllm:8000", models: { "llama": { model: "llama-3", input_price: 0.01, output_price: 0.02 } } },
  ],
  aliases: { fast: { strategy: "least-cost", targets: ["openai/gpt", "anthropic/claude", "google/gemini"] } },
};

const enc = new TextEncoder();
const tool = { type: "function", function: { name: "lookup", description: "Looks \"things\" up", parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } } };
const uni = "Grüße, naïve café — \"quoted\"\n\ttab \\ back 😀 \u2028 end";
const turn = "Please review the following paragraph about distributed systems and point out anything unclear. ";

function openaiRequests(model: string): unknown[] {
  const big: unknown[] = [{ role: "system", content: "You are a careful technical editor." }];
  for (let i = 0; JSON.stringify(big).length < 3600; i++) big.push({ role: i % 2 ? "assistant" : "user", content: turn + i });
  return [
    { model, messages: [{ role: "user", content: "hello" }] },
    { model, messages: big, tools: [tool], max_tokens: 256 },
    { model, messages: [{ role: "system", content: uni }, { role: "developer", content: [{ type: "text", text: "dev" }] }, { role: "user", content: uni }], temperature: 0.2, top_p: 0.9, stop: "##", user: "u1", max_completion_tokens: 50 },
    { model, messages: [{ role: "user", content: [{ type: "text", text: "see" }, { type: "image_url", image_url: { url: "https://x/y.png" } }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } }] }] },
    { model, tools: [tool], tool_choice: "required", parallel_tool_calls: false, messages: [
      { role: "user", content: "find x" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: "{\"q\":\"x\"}" } }, { id: "c2", type: "function", function: { name: "lookup", arguments: "not json" } }] },
      { role: "tool", tool_call_id: "c1", content: "found \"x\"" }, { role: "tool", tool_call_id: "c2", content: [{ type: "text", text: "nothing" }] },
      { role: "assistant", content: "ok", tool_calls: [{ id: "c3", type: "function", function: { name: "lookup", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "c3", content: "" }, { role: "user", content: "thanks" }] },
    { model, tools: [tool], tool_choice: { type: "function", function: { name: "lookup" } }, messages: [{ role: "user", content: "x" }], response_format: { type: "json_schema", json_schema: { name: "out", schema: { type: "object", properties: { a: { type: "number" } } } } } },
    { model, tool_choice: "none", tools: [tool], response_format: { type: "json_object" }, stop: ["a", "b"], messages: [{ role: "user", content: "json please" }] },
    { model, n: 2, messages: [{ role: "user", content: "two" }] },
    { model, messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "x", format: "wav" } }] }] },
    { model, messages: [{ role: "user", content: "a" }, { role: "user", content: "b" }, { role: "assistant", content: "" }, { role: "assistant", content: "c" }] },
    { model, functions: [{ name: "f", parameters: { type: "object" } }], messages: [{ role: "assistant", content: null, function_call: { name: "f", arguments: "{\"a\":1}" } }, { role: "function", name: "f", content: "r" }] },
    { model, messages: "nope" }, { model, messages: [{ role: "robot", content: "x" }] }, { messages: [{ role: "user", content: "x" }] },
  ];
}

function anthropicRequests(model: string): unknown[] {
  return [
    { model, max_tokens: 100, messages: [{ role: "user", content: "hello" }] },
    { model, max_tokens: 100, system: uni, messages: [{ role: "user", content: [{ type: "text", text: uni }] }], stop_sequences: ["##"], metadata: { user_id: "u" }, temperature: 0.1, top_k: 5 },
    { model, max_tokens: 100, system: [{ type: "text", text: "a" }, { type: "text", text: "b" }], tools: [{ name: "lookup", description: "d", input_schema: { type: "object", properties: { q: { type: "string" } } } }], tool_choice: { type: "any", disable_parallel_tool_use: true },
      messages: [{ role: "user", content: "find" }, { role: "assistant", content: [{ type: "thinking", thinking: "hm", signature: "s" }, { type: "text", text: "calling" }, { type: "tool_use", id: "t1", name: "lookup", input: { q: "x" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "r1" }], is_error: true }, { type: "text", text: "go on" }] }] },
    { model, max_tokens: 100, tool_choice: { type: "tool", name: "lookup" }, tools: [{ name: "lookup", input_schema: { type: "object" } }], messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "iVBO" } }, { type: "image", source: { type: "url", url: "https://x/i.png" } }] }] },
    { model, max_tokens: 100, output_config: { format: { type: "json_schema", schema: { type: "object" } } }, messages: [{ role: "user", content: "j" }] },
    { model, max_tokens: 100, tools: [{ type: "web_search_20250305", name: "web_search" }], messages: [{ role: "user", content: "x" }] },
    { model, max_tokens: 100, messages: [{ role: "system", content: "x" }] },
  ];
}

const sse = (events: Array<[string | null, unknown]>, crlf = false) => events.map(([e, d]) => `${e ? `event: ${e}${crlf ? "\r\n" : "\n"}` : ""}data: ${typeof d === "string" ? d : JSON.stringify(d)}${crlf ? "\r\n\r\n" : "\n\n"}`);

function answers(kind: string, stream: boolean): Array<{ status: number; ct: string; chunks: Array<string | Uint8Array> }> {
  const ok = (ct: string, chunks: Array<string | Uint8Array>) => ({ status: 200, ct, chunks });
  const json = (v: unknown) => ok("application/json", [JSON.stringify(v)]);
  const list: Array<{ status: number; ct: string; chunks: Array<string | Uint8Array> }> = [];
  if (kind === "openai") {
    if (!stream) {
      list.push(json({ id: "chatcmpl-1", object: "chat.completion", created: 5, model: "gpt-4o-mini-2024", choices: [{ index: 0, message: { role: "assistant", content: uni }, finish_reason: "stop" }], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_tokens_details: { cached_tokens: 4 } } }));
      list.push(json({ id: "x", choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: "{\"q\":\"a\"}" } }, { id: "c2", type: "function", function: { name: "lookup", arguments: "oops" } }] }, finish_reason: "tool_calls" }] }));
      list.push(json({ choices: [{ message: { refusal: "no" }, finish_reason: "content_filter" }], usage: { prompt_tokens: 1 } }));
    } else {
      const c = (delta: unknown, fr: string | null = null) => ({ id: "chatcmpl-s", object: "chat.completion.chunk", created: 5, model: "gpt-4o-mini-2024", choices: [{ index: 0, delta, finish_reason: fr }] });
      list.push(ok("text/event-stream", sse([[null, c({ role: "assistant", content: "" })], [null, c({ content: "Hel" })], [null, c({ content: uni })], [null, c({}, "stop")], [null, { id: "chatcmpl-s", choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }], [null, "[DONE]"]])));
      list.push(ok("text/event-stream", sse([[null, c({ role: "assistant", tool_calls: [{ index: 0, id: "c1", type: "function", function: { name: "lookup", arguments: "" } }] })], [null, c({ tool_calls: [{ index: 0, function: { arguments: "{\"q\":" } }] })], [null, c({ tool_calls: [{ index: 0, function: { arguments: "\"x\"}" } }, { index: 1, id: "c2", function: { name: "lookup", arguments: "{}" } }] })], [null, c({}, "tool_calls")], [null, "[DONE]"]], true)));
      list.push(ok("text/event-stream", sse([[null, c({ content: "cut" })]])));
      list.push(ok("text/event-stream", [": keepalive\n\n", ...sse([[null, c({ content: "a" })], [null, { error: { message: "overloaded", type: "server_error" } }]])]));
    }
  } else if (kind === "anthropic") {
    if (!stream) {
      list.push(json({ id: "msg_1", type: "message", role: "assistant", model: "claude-3-5-haiku-20241022", content: [{ type: "text", text: uni }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 9, output_tokens: 3, cache_read_input_tokens: 2, cache_creation_input_tokens: 1 } }));
      list.push(json({ id: "msg_2", type: "message", content: [{ type: "thinking", thinking: "t" }, { type: "text", text: "call" }, { type: "tool_use", id: "t1", name: "lookup", input: { q: "x" } }], stop_reason: "tool_use", usage: { input_tokens: 1, output_tokens: 1 } }));
      list.push(json({ id: "msg_3", content: [], stop_reason: "max_tokens" }));
    } else {
      const ev: Array<[string, unknown]> = [
        ["message_start", { type: "message_start", message: { id: "msg_s", type: "message", role: "assistant", model: "claude-3-5-haiku-20241022", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }],
        ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
        ["ping", { type: "ping" }],
        ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi " } }],
        ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: uni } }],
        ["content_block_stop", { type: "content_block_stop", index: 0 }],
        ["content_block_start", { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "t1", name: "lookup", input: {} } }],
        ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "{\"q\":" } }],
        ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "\"x\"}" } }],
        ["content_block_stop", { type: "content_block_stop", index: 1 }],
        ["message_delta", { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 20 } }],
        ["message_stop", { type: "message_stop" }],
      ];
      list.push(ok("text/event-stream", sse(ev)));
      list.push(ok("text/event-stream", sse(ev.slice(0, 5))));
      list.push(ok("text/event-stream", sse([ev[0], ev[1], ["error", { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }]], true)));
    }
  } else if (kind === "gemini") {
    const cand = (parts: unknown[], fr?: string) => ({ candidates: [{ content: { role: "model", parts }, index: 0, ...(fr ? { finishReason: fr } : {}) }], modelVersion: "gemini-2.0-flash-001" });
    const usage = { usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 3, totalTokenCount: 10, cachedContentTokenCount: 2 } };
    if (!stream) {
      list.push(json({ ...cand([{ text: uni }], "STOP"), ...usage, responseId: "r1" }));
      list.push(json({ ...cand([{ text: "x" }, { functionCall: { name: "lookup", args: { q: "x" } } }], "STOP"), ...usage }));
      list.push(json({ ...cand([{ text: "long" }], "MAX_TOKENS") }));
    } else {
      list.push(ok("text/event-stream", sse([[null, cand([{ text: "Hel" }])], [null, cand([{ text: uni }])], [null, { ...cand([{ text: "." }], "STOP"), ...usage }]], true)));
      list.push(ok("text/event-stream", sse([[null, { ...cand([{ functionCall: { name: "lookup", args: { q: "y" } } }], "STOP"), ...usage }]])));
      list.push(ok("text/event-stream", sse([[null, cand([{ text: "no finish" }])]])));
    }
  } else if (kind === "bedrock") {
    if (!stream) {
      list.push(json({ output: { message: { role: "assistant", content: [{ text: uni }] } }, stopReason: "end_turn", usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7, cacheReadInputTokens: 1 } }));
      list.push(json({ output: { message: { role: "assistant", content: [{ toolUse: { toolUseId: "tu1", name: "lookup", input: { q: "z" } } }] } }, stopReason: "tool_use", usage: { inputTokens: 5, outputTokens: 2 } }));
    } else {
      const es = "application/vnd.amazon.eventstream";
      const frames = [converseEvent("messageStart", { role: "assistant" }), converseEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hi " } }), converseEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: uni } }), converseEvent("contentBlockStop", { contentBlockIndex: 0 }),
        converseEvent("contentBlockStart", { contentBlockIndex: 1, start: { toolUse: { toolUseId: "tu1", name: "lookup" } } }), converseEvent("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: "{\"q\":" } } }), converseEvent("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: "1}" } } }),
        converseEvent("contentBlockStop", { contentBlockIndex: 1 }), converseEvent("messageStop", { stopReason: "tool_use" }), converseEvent("metadata", { usage: { inputTokens: 5, outputTokens: 9, totalTokens: 14 }, metrics: { latencyMs: 3 } })];
      list.push({ status: 200, ct: es, chunks: frames });
      list.push({ status: 200, ct: es, chunks: frames.slice(0, 3) });
      const bad = Buffer.from(frames[1]); bad[bad.length - 1] ^= 1;
      list.push({ status: 200, ct: es, chunks: [frames[0], bad] });
    }
  }
  // Errors and garbage, whatever the dialect.
  list.push({ status: 429, ct: "application/json", chunks: [JSON.stringify({ error: { message: "Rate limited", type: "rate_limit_error" } })] });
  list.push({ status: 500, ct: "text/plain", chunks: ["upstream connect error or disconnect/reset before headers"] });
  list.push({ status: 400, ct: "application/json", chunks: [JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "bad \"thing\"" } })] });
  list.push({ status: 200, ct: stream ? "text/event-stream" : "application/json", chunks: ["{not json"] });
  return list;
}

/** The answer's chunks re-cut: as given, all in one, every 7 bytes. */
function cuts(chunks: Array<string | Uint8Array>): Array<Array<Uint8Array>> {
  const bytes = chunks.map((c) => (typeof c === "string" ? enc.encode(c) : c));
  const all = Buffer.concat(bytes);
  const seven: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += 7) seven.push(all.subarray(i, i + 7));
  return [bytes, [all], seven];
}

export async function runExchanges(): Promise<void> {
  const p = await loadPlugin(join(root, "dist", "llm-route.wasm"), { config: CONFIG, vmId: "same-output", allowOnHeadersStopIteration: true, logLevel: "debug" });
  const kindOf: Record<string, string> = { gpt: "openai", claude: "anthropic", gemini: "gemini", br: "bedrock", az: "openai", llama: "openai", fast: "openai" };
  const clients: Array<[string, (m: string) => unknown[]]> = [["/v1/chat/completions", openaiRequests], ["/v1/messages", anthropicRequests]];
  for (const model of Object.keys(kindOf)) {
    for (const [path, reqs] of clients) {
      for (const base of reqs(model)) {
        for (const stream of [false, true]) {
          const req = typeof base === "object" && base !== null ? { ...(base as object), ...(stream ? { stream: true } : {}) } : base;
          const answerKind = model === "fast" ? "openai" : kindOf[model];
          for (const a of answers(answerKind, stream)) {
            for (const chunks of a.status === 200 ? cuts(a.chunks) : [a.chunks.map((c) => (typeof c === "string" ? enc.encode(c) : c))]) {
              const body = enc.encode(JSON.stringify(req));
              const s = p.newStream();
              s.requestHeaders({ ":method": "POST", ":path": path, ":authority": "gw", "content-type": "application/json", "content-length": String(body.length), "x-api-key": "client", authorization: "Bearer c", "accept-encoding": "gzip", "anthropic-version": "2023-06-01" }, false);
              if (!s.localReply) s.requestBody(body, true);
              if (!s.localReply) {
                s.responseHeaders({ ":status": String(a.status), "content-type": a.ct, "retry-after": "1" }, false);
                chunks.forEach((c, i) => s.responseBody(c, i === chunks.length - 1));
              }
              s.complete();
              p.tick(120_000); // every provider back up for the next exchange
            }
          }
        }
      }
    }
  }
  // The other OpenAI endpoints, passed to OpenAI-speaking providers.
  for (const [path, req] of [["/v1/embeddings", { model: "gpt", input: ["a", "b"] }], ["/v1/completions", { model: "gpt", prompt: "x", max_tokens: 3 }], ["/v1/responses", { model: "gpt", input: [{ role: "user", content: [{ type: "input_text", text: "hi" }] }], instructions: "be brief", stream: true }], ["/v1/responses", { model: "claude", input: "x" }]] as const) {
    const body = enc.encode(JSON.stringify(req));
    const s = p.newStream();
    s.requestHeaders({ ":method": "POST", ":path": path, ":authority": "gw", "content-type": "application/json", "content-length": String(body.length) }, false);
    if (!s.localReply) s.requestBody(body, true);
    if (!s.localReply) {
      const streamed = path === "/v1/responses";
      s.responseHeaders({ ":status": "200", "content-type": streamed ? "text/event-stream" : "application/json" }, false);
      if (streamed) sse([["response.output_text.delta", { type: "response.output_text.delta", delta: "hi" }], ["response.completed", { type: "response.completed", response: { usage: { input_tokens: 3, output_tokens: 1 } } }]]).forEach((c, i, all) => s.responseBody(c, i === all.length - 1));
      else s.responseBody(JSON.stringify({ object: "list", usage: { prompt_tokens: 2, total_tokens: 2 } }), true);
    }
    s.complete();
  }
  for (const path of ["/v1/models", "/v2/other"]) {
    const s = p.newStream();
    s.requestHeaders({ ":method": "GET", ":path": path, ":authority": "gw" }, true);
    s.complete();
  }
}
