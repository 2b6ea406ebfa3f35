// A built-in, offline sample LLM upstream that speaks the OpenAI HTTP API (and Anthropic's
// messages API), so `npm start` works with no provider account and tests need no network.
//
// Models:
//   echo           answers with the request it received (method, path, headers, body), so a
//                  user sees exactly what a provider would have seen behind the filters
//   sample-*  /    any other name: a short deterministic answer that quotes the last user
//   gpt-*, claude-* message (so masking/restoring through the gateway is visible)
// Streaming (`"stream": true`) answers as server-sent events, one word per chunk, like OpenAI
// (`data: {chunk}` ... `data: [DONE]`) or Anthropic (`event: content_block_delta` ...).
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { paraphraseEmbedding } from "./sample-embeddings.ts";

export interface SampleLlm {
  url: string;
  server: Server;
  close(): Promise<void>;
  /** The exact bytes of an echo answer, by the `x-sample-echo` id its response carried (each is
   *  taken once; the last 256 are kept). The local gateway returns these to the client so that the
   *  echo shows what the provider received, untouched by response-side filters. */
  takeEcho(id: string): Buffer | undefined;
}

/** Answers of the echo model as sent, by id (bounded). */
class EchoStore {
  private items = new Map<string, Buffer>();
  private n = 0;
  /** Records what `res` sends from now on, under a new id set as the `x-sample-echo` header. */
  capture(res: ServerResponse): void {
    const id = `echo-${(++this.n).toString(36)}`;
    res.setHeader("x-sample-echo", id);
    const parts: Buffer[] = [];
    const write = res.write.bind(res), end = res.end.bind(res);
    const keep = (c: unknown) => { if (typeof c === "string" || c instanceof Uint8Array) parts.push(Buffer.from(c)); };
    res.write = ((c: unknown, ...rest: unknown[]) => { keep(c); return (write as (...a: unknown[]) => boolean)(c, ...rest); }) as ServerResponse["write"];
    // Stored before the last bytes leave, so the reader never sees the end first.
    res.end = ((c?: unknown, ...rest: unknown[]) => {
      if (typeof c !== "function") keep(c);
      this.items.set(id, Buffer.concat(parts));
      if (this.items.size > 256) this.items.delete(this.items.keys().next().value!);
      return (end as (...a: unknown[]) => ServerResponse)(c, ...rest);
    }) as ServerResponse["end"];
  }
  take(id: string): Buffer | undefined { const b = this.items.get(id); this.items.delete(id); return b; }
}

/** Rough token count (about 4 characters per token, as OpenAI's rule of thumb). */
export function approxTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: string; content?: unknown };
    if (m?.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content)) {
      return m.content.map((p: { type?: string; text?: string }) => (p?.type === "text" && typeof p.text === "string" ? p.text : "")).join("");
    }
  }
  return "";
}

function promptText(body: Record<string, unknown>): string {
  return JSON.stringify(body.messages ?? body.prompt ?? body.input ?? "");
}

function answerFor(model: string, req: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: string }, parsed: Record<string, unknown>): string {
  if (model === "echo") {
    return JSON.stringify({ method: req.method, path: req.path, headers: req.headers, body: parsed });
  }
  const said = lastUserText(parsed.messages);
  return said ? `Sample answer from ${model}. You said: ${said}` : `Sample answer from ${model}.`;
}

/** Splits an answer into stream deltas: words with their following space, so the text joins back exactly. */
export function streamPieces(text: string): string[] {
  const pieces = text.match(/\S+\s*|\s+/g);
  return pieces ?? [];
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function openAiError(res: ServerResponse, status: number, message: string, code: string): void {
  sendJson(res, status, { error: { message, type: "invalid_request_error", param: null, code } });
}

let idCounter = 0;
function nextId(prefix: string): string {
  idCounter = (idCounter + 1) % 1_000_000_000;
  return `${prefix}-sample${idCounter.toString(36)}`;
}

/** Deterministic pseudo-embedding: the same text always gives the same unit vector. */
export function sampleEmbedding(text: string, dims = 64): number[] {
  const v = new Array<number>(dims).fill(0);
  // Character trigram hashing: similar texts share trigrams, so they get similar vectors.
  const t = ` ${text.toLowerCase()} `;
  for (let i = 0; i + 3 <= t.length; i++) {
    let h = 2166136261;
    for (let j = i; j < i + 3; j++) h = Math.imul(h ^ t.charCodeAt(j), 16777619);
    v[(h >>> 0) % dims] += (h & 1) === 0 ? 1 : -1;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

async function handle(req: IncomingMessage, res: ServerResponse, chunkDelayMs: number, echoes: EchoStore): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "GET" && path === "/v1/models") {
    sendJson(res, 200, { object: "list", data: ["echo", "sample-small", "sample-large"].map((id) => ({ id, object: "model", created: 0, owned_by: "sample" })) });
    return;
  }
  if (req.method === "GET" && (path === "/healthz" || path === "/")) {
    sendJson(res, 200, { status: "ok" });
    return;
  }
  if (req.method !== "POST") {
    openAiError(res, 404, `no route for ${req.method} ${path}`, "not_found");
    return;
  }
  let raw: string;
  try {
    raw = await readBody(req, 8 << 20);
  } catch {
    openAiError(res, 413, "request body too large", "request_too_large");
    return;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw);
  } catch {
    openAiError(res, 400, "the request body is not valid JSON", "invalid_json");
    return;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    openAiError(res, 400, "the request body must be a JSON object", "invalid_json");
    return;
  }
  const model = typeof body.model === "string" ? body.model : "";
  const seen = { method: req.method ?? "POST", path: req.url ?? path, headers: req.headers, body: raw };

  if (path === "/v1/embeddings") {
    const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")];
    sendJson(res, 200, {
      object: "list",
      model: model || "sample-embedding",
      // OpenAI's clients ask for base64 (little-endian float32) by default.
      // Model `sample-paraphrase`: the demo embedding of sample-embeddings.ts (paraphrases close).
      data: inputs.map((text, index) => {
        const vector = model === "sample-paraphrase" ? paraphraseEmbedding(text) : sampleEmbedding(text);
        return { object: "embedding", index, embedding: body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector };
      }),
      usage: { prompt_tokens: approxTokens(inputs.join(" ")), total_tokens: approxTokens(inputs.join(" ")) },
    });
    return;
  }
  if (!model) {
    openAiError(res, 400, "you must provide a model parameter", "missing_model");
    return;
  }
  if (model === "echo") echoes.capture(res);
  const answer = answerFor(model, seen, body);
  const inputTokens = approxTokens(promptText(body));
  const outputTokens = approxTokens(answer);

  if (path === "/v1/messages") {
    await anthropicAnswer(res, model, answer, inputTokens, outputTokens, body.stream === true, chunkDelayMs);
    return;
  }
  if (path !== "/v1/chat/completions") {
    openAiError(res, 404, `no route for POST ${path}`, "not_found");
    return;
  }
  const id = nextId("chatcmpl");
  const created = Math.floor(Date.now() / 1000);
  if (body.stream !== true) {
    sendJson(res, 200, {
      id, object: "chat.completion", created, model,
      choices: [{ index: 0, message: { role: "assistant", content: answer, refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
    });
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  res.write(chunk({ role: "assistant", content: "" }, null));
  for (const piece of streamPieces(answer)) {
    if (chunkDelayMs > 0) await new Promise((r) => setTimeout(r, chunkDelayMs));
    res.write(chunk({ content: piece }, null));
  }
  res.write(chunk({}, "stop"));
  const opts = body.stream_options as { include_usage?: boolean } | undefined;
  if (opts?.include_usage) {
    res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens } })}\n\n`);
  }
  res.end("data: [DONE]\n\n");
}

async function anthropicAnswer(res: ServerResponse, model: string, answer: string, inputTokens: number, outputTokens: number, stream: boolean, chunkDelayMs: number): Promise<void> {
  const id = nextId("msg");
  if (!stream) {
    sendJson(res, 200, {
      id, type: "message", role: "assistant", model,
      content: [{ type: "text", text: answer }],
      stop_reason: "end_turn", stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: outputTokens },
    });
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const ev = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  res.write(ev("message_start", { type: "message_start", message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: 0 } } }));
  res.write(ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }));
  for (const piece of streamPieces(answer)) {
    if (chunkDelayMs > 0) await new Promise((r) => setTimeout(r, chunkDelayMs));
    res.write(ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } }));
  }
  res.write(ev("content_block_stop", { type: "content_block_stop", index: 0 }));
  res.write(ev("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: outputTokens } }));
  res.end(ev("message_stop", { type: "message_stop" }));
}

/** Starts the sample upstream on 127.0.0.1 (port 0 = any free port). */
export async function startSampleLlm(port = 0, options: { chunkDelayMs?: number } = {}): Promise<SampleLlm> {
  const delay = options.chunkDelayMs ?? 0;
  const echoes = new EchoStore();
  const server = createServer((req, res) => {
    handle(req, res, delay, echoes).catch((err) => {
      if (!res.headersSent) openAiError(res, 500, `sample upstream error: ${(err as Error).message}`, "internal_error");
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
    takeEcho: (id) => echoes.take(id),
  };
}
