// A sample Anthropic Messages provider on 127.0.0.1 (POST /v1/messages, JSON or SSE), offline.
// With tools in the request and no tool result yet, it calls the first tool (arguments from its
// schema: every string property gets the user's text); otherwise it answers with text quoting the
// user (or the tool result). Faults (429 / 500 / slow / reset) are switched with setFault or
// POST /_sample/fault. With `apiKey`, requests need it in x-api-key (401 otherwise).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { FaultSwitch, answerText, cutAnswer, closer, handleFaultControl, listen, readBody, sendJson, sleep, tokens, toolArguments, words, type SampleProvider } from "./sample-common.ts";

/** What the `reset` fault sends before it cuts the connection: the start of a streamed answer with
 *  some text (a partly generated answer the provider would bill). */
export const RESET_TEXT = "Sample answer cut half-way by the reset fault";
const RESET_PREFIX = [
  { type: "message_start", message: { id: "msg_cut", type: "message", role: "assistant", model: "sample", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } },
  { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: RESET_TEXT } },
].map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");

type Block = { type?: string; text?: string; content?: unknown; tool_use_id?: string };

function lastUser(messages: unknown): { said: string; toolResult: string | null } {
  const list = Array.isArray(messages) ? messages : [];
  const m = list[list.length - 1] as { role?: string; content?: unknown } | undefined;
  if (!m || m.role !== "user") return { said: "", toolResult: null };
  if (typeof m.content === "string") return { said: m.content, toolResult: null };
  const blocks = (Array.isArray(m.content) ? m.content : []) as Block[];
  const tr = blocks.find((b) => b.type === "tool_result");
  const said = blocks.filter((b) => b.type === "text").map((b) => b.text ?? "").join("");
  if (tr) {
    const c = typeof tr.content === "string" ? tr.content : Array.isArray(tr.content) ? (tr.content as Block[]).map((b) => b.text ?? "").join("") : "";
    return { said, toolResult: c };
  }
  return { said, toolResult: null };
}

function error(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { type: "error", error: { type, message } }, headers);
}

let ids = 0;

async function handle(req: IncomingMessage, res: ServerResponse, faults: FaultSwitch, apiKey: string | null, seen: SampleProvider["seen"]): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (await handleFaultControl(req, res, path, faults)) return;
  const raw = await readBody(req, 8 << 20).catch(() => null);
  seen.push({ path: req.url ?? path, headers: req.headers, body: raw ?? "" });
  if (req.method !== "POST" || path !== "/v1/messages") return error(res, 404, "not_found_error", `no route for ${req.method} ${path}`);
  if (apiKey !== null && req.headers["x-api-key"] !== apiKey) return error(res, 401, "authentication_error", "invalid x-api-key");
  if (!req.headers["anthropic-version"]) return error(res, 400, "invalid_request_error", "anthropic-version header is required");
  const f = faults.take();
  if (f?.mode === "429") return error(res, 429, "rate_limit_error", "sample: rate limited", { "retry-after": String(f.retryAfterS) });
  if (f?.mode === "500") return error(res, 500, "api_error", "sample: internal error");
  if (f?.mode === "slow") await sleep(f.delayMs);
  if (f?.mode === "reset") return cutAnswer(res, "text/event-stream", RESET_PREFIX);
  let body: { model?: string; max_tokens?: number; stream?: boolean; messages?: unknown; tools?: Array<{ name: string; input_schema?: unknown }>; system?: unknown };
  try { body = JSON.parse(raw ?? ""); } catch { return error(res, 400, "invalid_request_error", "body is not valid JSON"); }
  if (typeof body.model !== "string") return error(res, 400, "invalid_request_error", "model: field required");
  if (typeof body.max_tokens !== "number") return error(res, 400, "invalid_request_error", "max_tokens: field required");
  const model = body.model;
  const { said, toolResult } = lastUser(body.messages);
  const tool = toolResult === null && Array.isArray(body.tools) && body.tools.length ? body.tools[0] : null;
  const text = tool ? "" : answerText("anthropic", model, said, toolResult);
  const input = tokens(JSON.stringify(body.messages ?? "") + JSON.stringify(body.system ?? ""));
  const output = tokens(text) + (tool ? 10 : 0);
  const id = `msg_sample${(++ids).toString(36)}`;
  const toolId = `toolu_sample${ids.toString(36)}`;
  const args = tool ? toolArguments(tool.input_schema, said) : {};
  if (!body.stream) {
    const content = tool ? [{ type: "tool_use", id: toolId, name: tool.name, input: args }] : [{ type: "text", text }];
    return sendJson(res, 200, { id, type: "message", role: "assistant", model, content, stop_reason: tool ? "tool_use" : "end_turn", stop_sequence: null, usage: { input_tokens: input, output_tokens: output } });
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const ev = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...(data as object) })}\n\n`);
  ev("message_start", { message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: input, output_tokens: 1 } } });
  if (tool) {
    ev("content_block_start", { index: 0, content_block: { type: "tool_use", id: toolId, name: tool.name, input: {} } });
    const json = JSON.stringify(args);
    const half = Math.floor(json.length / 2);
    for (const part of [json.slice(0, half), json.slice(half)]) ev("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: part } });
  } else {
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
    ev("ping", {});
    for (const w of words(text)) ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: w } });
  }
  ev("content_block_stop", { index: 0 });
  ev("message_delta", { delta: { stop_reason: tool ? "tool_use" : "end_turn", stop_sequence: null }, usage: { output_tokens: output } });
  ev("message_stop", {});
  res.end();
}

export async function startSampleAnthropic(port = 0, options: { apiKey?: string } = {}): Promise<SampleProvider> {
  const faults = new FaultSwitch();
  const seen: SampleProvider["seen"] = [];
  const server = createServer((req, res) => {
    handle(req, res, faults, options.apiKey ?? null, seen).catch(() => { if (!res.headersSent) error(res, 500, "api_error", "sample error"); else res.destroy(); });
  });
  const url = await listen(server, port);
  return { url, server, seen, setFault: (f) => faults.set(f), close: closer(server) };
}
