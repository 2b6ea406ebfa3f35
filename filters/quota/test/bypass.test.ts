// Red-team cases: request and answer shapes that once let tokens past a budget unreserved or
// unpaid. Each test failed on the build before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { JSON_OK, chat, load, openAIStream, request, respond } from "./helpers.ts";

const TOKENS = (limit: number, counts = "total_tokens") => ({ limits: [{ name: "tpm", key: "consumer", window: "1h", counts, limit }] });
const WHO = { who: { consumer: "a" } };

function remainingTokens(p: Awaited<ReturnType<typeof load>>): number {
  const s = request(p, chat("m", "", { max_tokens: 1 }), WHO);
  if (s.localReply) return Number(s.localReply.headers["x-ratelimit-remaining-tokens"]);
  respond(s, JSON_OK, { input: 0, output: 0 });
  return Number(s.client.headers!.get("x-ratelimit-remaining-tokens")) + 2;
}

/** What a request reserved: the budget left after its reservation, as its answer's header says. */
function reservedBy(p: Awaited<ReturnType<typeof load>>, limit: number, body: unknown, path?: string): number | "refused" {
  const s = request(p, body, { ...WHO, path });
  if (s.localReply) return "refused";
  s.responseHeaders({ ":status": "200", "content-type": "application/json" });
  return limit - Number(s.client.headers!.get("x-ratelimit-remaining-tokens"));
}

test("n > 1 (and legacy best_of) multiply the output a request reserves: each choice is billed", async () => {
  const p = await load(TOKENS(100_000));
  const one = reservedBy(p, 100_000, chat("m", "hi", { max_tokens: 100 })) as number;
  const q = await load(TOKENS(100_000));
  const eight = reservedBy(q, 100_000, chat("m", "hi", { max_tokens: 100, n: 8 })) as number;
  assert.equal(eight - one, 700, `n=8 reserves 8 x 100 output tokens (one: ${one}, eight: ${eight})`);
  const r = await load(TOKENS(100_000));
  const best = reservedBy(r, 100_000, { model: "m", prompt: "hi", max_tokens: 100, n: 2, best_of: 5 }, "/v1/completions") as number;
  assert.ok(best >= 500, `best_of=5 generates 5 completions: reserved ${best}`);
});

test("text hidden in object keys (a tool's JSON Schema property names) is prompt text", async () => {
  const p = await load(TOKENS(500, "input_tokens"));
  const tools = [{ type: "function", function: { name: "f", parameters: { type: "object", properties: { ["k".repeat(4000)]: { type: "string" } } } } }];
  assert.equal(reservedBy(p, 500, chat("m", "hi", { max_tokens: 1, tools })), "refused", "4000 bytes of key text is about 1000 tokens");
  // Anthropic: the keys of a tool_use block's input are the model's text too.
  const q = await load(TOKENS(500, "input_tokens"));
  const body = { model: "m", max_tokens: 1, messages: [
    { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "f", input: { ["q".repeat(4000)]: 1 } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "ok" }] },
  ] };
  assert.equal(reservedBy(q, 500, body, "/v1/messages"), "refused");
  // The API's own member names are not billed text: a plain request reserves as before.
  const r = await load(TOKENS(500, "input_tokens"));
  assert.equal(reservedBy(r, 500, chat("m", "x".repeat(400), { max_tokens: 1, temperature: 0.5, top_p: 1 })), 101);
});

test("token-array prompts (embeddings input, completions prompt) count one token per number", async () => {
  const p = await load(TOKENS(1000, "input_tokens"));
  const tokens = Array.from({ length: 3000 }, (_, i) => 1000 + i);
  assert.equal(reservedBy(p, 1000, { model: "text-embedding-3-small", input: [tokens] }, "/v1/embeddings"), "refused");
  const q = await load(TOKENS(1000, "input_tokens"));
  assert.equal(reservedBy(q, 1000, { model: "m", prompt: tokens, max_tokens: 1 }, "/v1/completions"), "refused");
  const r = await load(TOKENS(10_000, "input_tokens"));
  const n = reservedBy(r, 10_000, { model: "text-embedding-3-small", input: [tokens.slice(0, 500), tokens.slice(0, 500)] }, "/v1/embeddings") as number;
  assert.ok(n >= 1000 && n <= 1010, `1000 tokens reserve ~1000 (got ${n})`);
});

test("an Anthropic plain-text document's `data` is prompt text; base64 image data is not", async () => {
  const p = await load(TOKENS(500, "input_tokens"));
  const doc = { model: "m", max_tokens: 1, messages: [{ role: "user", content: [
    { type: "document", source: { type: "text", media_type: "text/plain", data: "lorem ipsum, ".repeat(400) } },
    { type: "text", text: "summarise" },
  ] }] };
  assert.equal(reservedBy(p, 500, doc, "/v1/messages"), "refused", "5,200 bytes of document text");
  const q = await load(TOKENS(500, "input_tokens"));
  const img = { model: "m", max_tokens: 1, messages: [{ role: "user", content: [
    { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo" + "AAAA".repeat(10_000) } },
    { type: "text", text: "what is this" },
  ] }] };
  assert.notEqual(reservedBy(q, 500, img, "/v1/messages"), "refused", "image bytes are billed per image, not per byte");
});
test("without llm-route, Anthropic's prompt-cache tokens are charged as input", async () => {
  const p = await load(TOKENS(100_000));
  const s = request(p, { model: "m", max_tokens: 50, messages: [{ role: "user", content: "hi" }] }, { ...WHO, path: "/v1/messages" });
  respond(s, [JSON.stringify({ id: "m1", type: "message", role: "assistant", content: [{ type: "text", text: "ok" }],
    usage: { input_tokens: 10, cache_creation_input_tokens: 5000, cache_read_input_tokens: 3000, output_tokens: 5 } })], null);
  assert.equal(remainingTokens(p), 100_000 - 8015);
});

test("a compressed answer (client sent accept-encoding) is charged its whole output reservation", async () => {
  // JSON answer quota cannot read because it is gzip: the reserved output, not its compressed size.
  const p = await load(TOKENS(100_000));
  const s = request(p, chat("m", "w".repeat(40), { max_tokens: 3000 }), { ...WHO, headers: { "accept-encoding": "gzip" } });
  respond(s, ["\x1f\x8b\x08\x00" + "z".repeat(400)], null, { ":status": "200", "content-type": "application/json", "content-encoding": "gzip" });
  assert.equal(remainingTokens(p), 100_000 - 11 - 3000);
  // A gzip event stream: no event can be read, so nothing was debited as it passed.
  const q = await load(TOKENS(100_000));
  const t = request(q, chat("m", "w".repeat(40), { stream: true, max_tokens: 2000 }), { ...WHO, headers: { "accept-encoding": "gzip" } });
  respond(t, ["\x1f\x8b\x08\x00" + "y".repeat(300)], null, { ":status": "200", "content-type": "text/event-stream", "content-encoding": "gzip" });
  assert.equal(remainingTokens(q), 100_000 - 11 - 2000);
  // An identity-encoded stream is still charged what passed.
  const r = await load(TOKENS(100_000));
  const u = request(r, chat("m", "w".repeat(40), { stream: true, max_tokens: 2000 }), WHO);
  respond(u, openAIStream(10, "abcdefgh"), null, { ":status": "200", "content-type": "text/event-stream", "content-encoding": "identity" });
  assert.equal(remainingTokens(r), 100_000 - 11 - 20);
});

test("llm-route's model header names the model for the `model` key and the price, not the body's cheaper model", async () => {
  const cfg = {
    model_header: "x-aigw-model",
    models: { "gpt-4o": { input_price: 2.5, output_price: 10, provider: "openai" }, mini: { input_price: 0.15, output_price: 0.6, provider: "openai" } },
    limits: [{ name: "gpt4o-rph", key: ["consumer", "model"], window: "1h", limit: 1 }],
  };
  const p = await load(cfg);
  assert.equal(request(p, chat("gpt-4o"), WHO).localReply, null);
  assert.equal(request(p, chat("gpt-4o"), WHO).localReply?.status, 429);
  // llm-route routes this one to gpt-4o (its model header wins over the body's `model`).
  const hidden = request(p, chat("mini"), { ...WHO, headers: { "x-aigw-model": "gpt-4o" } });
  assert.equal(hidden.localReply?.status, 429, "counted under gpt-4o, as llm-route routes it");
  assert.equal(request(p, chat("mini"), WHO).localReply, null, "mini has its own budget");
  // A cost budget reserves at the header's model's price.
  const q = await load({ ...cfg, limits: [{ name: "cost", key: "consumer", window: "1h", counts: "cost_micro_usd", limit: 1_000_000 }] });
  const s = request(q, chat("mini", "x".repeat(400), { max_tokens: 1000 }), { ...WHO, headers: { "x-aigw-model": "gpt-4o" } });
  assert.equal(s.localReply, null);
  respond(s, JSON_OK, null);
  // 101 prompt + 1 output token: 263 micro-dollars at gpt-4o's price (16 at mini's).
  assert.equal(q.metrics.counter("aigw.quota.cost_micro_usd"), 263, "charged at gpt-4o's price");
  // The downgrade header is llm-route's model header too: two different names are a configuration error.
  await assert.rejects(load({ model_header: "x-aigw-model", downgrade: { header: "x-model", models: { "*": "mini" } } }),
    (e: Error) => /field `downgrade\.header`: must be `model_header`/.test(e.message));
});

test("max_tokens beside a smaller max_completion_tokens: the larger one is reserved (an upstream may read either)", async () => {
  const p = await load(TOKENS(100_000));
  const n = reservedBy(p, 100_000, chat("m", "hi", { max_completion_tokens: 10, max_tokens: 5000 })) as number;
  assert.ok(n >= 5000, `reserved ${n}`);
  const q = await load(TOKENS(100_000));
  assert.ok((reservedBy(q, 100_000, chat("m", "hi", { max_completion_tokens: 5000, max_tokens: 10 })) as number) >= 5000);
});

test("a client that hangs up after its request went on, before any answer, is charged (the provider still bills it)", async () => {
  // Non-streamed: the provider generates the whole answer and bills it; the reservation is charged.
  const p = await load(TOKENS(100_000));
  const s = request(p, chat("m", "w".repeat(400), { max_tokens: 3000 }), WHO);
  assert.equal(s.localReply, null);
  s.complete(); // the client is gone: no response headers ever reach quota
  assert.equal(remainingTokens(p), 100_000 - 101 - 3000);
  // Streamed: the provider stops with the connection; the prompt is billed.
  const q = await load(TOKENS(100_000));
  const t = request(q, chat("m", "w".repeat(400), { max_tokens: 3000, stream: true }), WHO);
  t.complete();
  assert.equal(remainingTokens(q), 100_000 - 101);
  // An answer that failed (Envoy's own 503/504 for resets and timeouts carry a status) is still free.
  const r = await load(TOKENS(100_000));
  respond(request(r, chat("m", "w".repeat(400), { max_tokens: 3000 }), WHO), ["upstream connect error"], null, { ":status": "503", "content-type": "text/plain" });
  assert.equal(remainingTokens(r), 100_000);
});

test("without llm-route, a Gemini answer's thinking tokens (usageMetadata) are charged as output", async () => {
  const p = await load(TOKENS(100_000));
  const s = request(p, { contents: [{ role: "user", parts: [{ text: "hi" }] }], generationConfig: { maxOutputTokens: 20_000 } }, { ...WHO, path: "/v1beta/models/gemini-2.5-flash:generateContent" });
  respond(s, [JSON.stringify({ candidates: [{ content: { role: "model", parts: [{ text: "ok" }] }, finishReason: "STOP" }],
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 3, thoughtsTokenCount: 7000, totalTokenCount: 7015 } })], null);
  assert.equal(remainingTokens(p), 100_000 - 7015);
});

test("without llm-route, a stream's own usage (reasoning and thinking tokens the text does not show) is what is charged", async () => {
  const SSE = { ":status": "200", "content-type": "text/event-stream" };
  // OpenAI with stream_options.include_usage: the last chunk's usage counts the hidden reasoning.
  const p = await load(TOKENS(100_000));
  const s = request(p, chat("o3", "w".repeat(40), { stream: true, stream_options: { include_usage: true }, max_completion_tokens: 20_000 }), WHO);
  const chunks = openAIStream(10, "abcdefgh");
  chunks.splice(chunks.length - 1, 0, `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 12, completion_tokens: 5000, completion_tokens_details: { reasoning_tokens: 4980 } } })}\n\n`);
  respond(s, chunks, null, SSE);
  assert.equal(remainingTokens(p), 100_000 - 5012);
  // Anthropic: message_start's input (with cache tokens) and message_delta's cumulative output.
  const q = await load(TOKENS(100_000));
  const t = request(q, { model: "m", max_tokens: 20_000, stream: true, messages: [{ role: "user", content: "hi" }] }, { ...WHO, path: "/v1/messages" });
  const ev = (name: string, o: unknown) => `event: ${name}\ndata: ${JSON.stringify(o)}\n\n`;
  respond(t, [
    ev("message_start", { type: "message_start", message: { id: "m", type: "message", role: "assistant", content: [], usage: { input_tokens: 20, cache_read_input_tokens: 1000, output_tokens: 1 } } }),
    ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
    ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ok" } }),
    ev("content_block_stop", { type: "content_block_stop", index: 0 }),
    ev("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 3000 } }),
    ev("message_stop", { type: "message_stop" }),
  ], null, SSE);
  assert.equal(remainingTokens(q), 100_000 - 1020 - 3000);
});

test("a whole (non-stream) answer the client resets after its headers is charged its reserved output (generated before it was sent)", async () => {
  const big = JSON.stringify({ id: "c1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "x".repeat(12_000) }, finish_reason: "stop" }], usage: { prompt_tokens: 11, completion_tokens: 3000 } });
  // Without llm-route: the copy quota keeps is cut short, so the answer's usage is never read.
  const p = await load(TOKENS(100_000));
  const s = request(p, chat("m", "w".repeat(40), { max_tokens: 3000 }), WHO);
  s.responseHeaders({ ":status": "200", "content-type": "application/json" });
  s.responseBody(big.slice(0, 100), false);
  s.complete(); // the client reset the stream
  assert.equal(remainingTokens(p), 100_000 - 11 - 3000);
  // With llm-route in the chain (it publishes usage only at the answer's end).
  const q = await load(TOKENS(100_000));
  const t = request(q, chat("m", "w".repeat(40), { max_tokens: 3000 }), WHO);
  t.stream.filterState.set("wasm.gen_ai.provider.name", new TextEncoder().encode("openai"));
  t.responseHeaders({ ":status": "200", "content-type": "application/json" });
  t.responseBody(big.slice(0, 100), false);
  t.complete();
  assert.equal(remainingTokens(q), 100_000 - 11 - 3000);
  // A stream cut the same way is charged what passed (the provider stops with it).
  const r = await load(TOKENS(100_000));
  const u = request(r, chat("m", "w".repeat(40), { max_tokens: 3000, stream: true }), WHO);
  u.responseHeaders({ ":status": "200", "content-type": "text/event-stream" });
  for (const c of openAIStream(5, "abcdefgh").slice(0, 5)) u.responseBody(c, false);
  u.complete();
  assert.equal(remainingTokens(r), 100_000 - 11 - 10);
});

test("Gemini's generationConfig.maxOutputTokens and candidateCount are reserved", async () => {
  const p = await load(TOKENS(100_000));
  const body = { contents: [{ role: "user", parts: [{ text: "hi" }] }], generationConfig: { maxOutputTokens: 5000, candidateCount: 2 } };
  const n = reservedBy(p, 100_000, body, "/v1beta/models/gemini-2.5-flash:generateContent") as number;
  assert.ok(n >= 10_000, `reserved ${n}`);
});
