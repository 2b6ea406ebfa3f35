// Budgets during answers: a stream's output is debited as it passes and the stream ends with an
// error event and [DONE] when the budget runs out; streamed, failed and cut-off answers are
// charged right; simulated workers sharing the counters never overspend by more than one request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPlugin } from "../../../host-test/src/index.ts";
import { JSON_OK, WASM, chat, freshVmId, load, openAIStream, parseSse, request, respond, sharedClock } from "./helpers.ts";

const SSE = { ":status": "200", "content-type": "text/event-stream" };
const TPM = (limit: number) => ({ limits: [{ name: "tpm", key: "consumer", window: "1h", counts: "total_tokens", limit }] });

function remainingTokens(p: Awaited<ReturnType<typeof load>>, consumer = "a"): number {
  const s = request(p, chat("m", "", { max_tokens: 1 }), { who: { consumer } });
  if (s.localReply) return Number(s.localReply.headers["x-ratelimit-remaining-tokens"]);
  respond(s, JSON_OK, { input: 0, output: 0 });
  return Number(s.client.headers!.get("x-ratelimit-remaining-tokens")) + 2; // its own reservation: 1 prompt + 1 output
}

test("a stream within its reservation passes unchanged and is settled with the real usage", async () => {
  const p = await load(TPM(10_000));
  const s = request(p, chat("m", "hi", { stream: true, max_tokens: 500 }), { who: { consumer: "a" } });
  const chunks = openAIStream(10, "abcdefgh");
  const body = respond(s, chunks, { input: 12, output: 20 }, SSE);
  assert.equal(body, chunks.join(""));
  assert.equal(remainingTokens(p), 10_000 - 32);
});

test("a stream that runs out of budget ends with an error event and [DONE]; the rest is dropped", async () => {
  const p = await load(TPM(100));
  // No max_tokens: the default (1024) is capped at what is left, 100 - prompt.
  const s = request(p, chat("m", "hi", { stream: true }), { who: { consumer: "a" } });
  assert.equal(s.localReply, null);
  s.responseHeaders(SSE);
  const chunks = openAIStream(60, "x".repeat(8)); // 2 tokens per delta: 120 tokens in all
  let sent = 0;
  for (const c of chunks.slice(0, -1)) { s.responseBody(c, false); sent++; }
  const events = parseSse(s.client.body);
  const last = events[events.length - 1];
  const error = events[events.length - 2];
  assert.equal(last.data, "[DONE]");
  assert.equal(error.data.error.code, "rate_limit_exceeded");
  assert.equal(error.data.error.type, "tokens");
  assert.match(error.data.error.message, /The budget `tpm` \(total_tokens per 1h0m0s\) ran out during this answer/);
  const deltas = events.filter((e) => e.data?.choices).length;
  assert.ok(deltas >= 45 && deltas <= 50, `deltas delivered: ${deltas}`);
  // Every event the client got is whole, and nothing follows the [DONE].
  assert.ok(s.client.body.endsWith("data: [DONE]\n\n"));
  s.stream.filterState.set("wasm.gen_ai.usage.input_tokens", new TextEncoder().encode("2"));
  s.stream.filterState.set("wasm.gen_ai.usage.output_tokens", new TextEncoder().encode("120"));
  s.responseBody(chunks[chunks.length - 1], true);
  s.complete();
  assert.ok(!s.client.body.slice(s.client.body.indexOf("[DONE]") + 6).includes("data:"), "dropped after the cut");
  assert.equal(s.filterState("aigw.quota.decision"), "stream_cut:tpm");
  assert.equal(p.metrics.counter("aigw.quota.stream_cut.limit.tpm"), 1);
  // The provider billed all 122 tokens: that is what is charged.
  const t = request(p, chat("m", "", { max_tokens: 1 }), { who: { consumer: "a" } });
  assert.equal(t.localReply?.status, 429);
  assert.match(JSON.parse(t.localReply!.body).error.message, /Used 122/);
});

test("an Anthropic stream that runs out ends with Anthropic's error event", async () => {
  const p = await load(TPM(50));
  const s = request(p, { model: "claude", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] }, { who: { consumer: "a" }, path: "/v1/messages" });
  s.responseHeaders(SSE);
  const delta = (t: string) => `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: t } })}\n\n`;
  for (let i = 0; i < 40; i++) s.responseBody(delta("abcdefgh"), false);
  const events = parseSse(s.client.body);
  const last = events[events.length - 1];
  assert.equal(last.event, "error");
  assert.equal(last.data.type, "error");
  assert.equal(last.data.error.type, "rate_limit_error");
  assert.ok(!s.client.body.includes("[DONE]"));
});

test("events split across chunks: the cut comes after a whole event, never inside one", async () => {
  const p = await load(TPM(30));
  const s = request(p, chat("m", "hi", { stream: true }), { who: { consumer: "a" } });
  s.responseHeaders(SSE);
  const text = openAIStream(40, "y".repeat(8)).join("");
  for (let i = 0; i < text.length; i += 7) s.responseBody(text.slice(i, i + 7), false);
  const body = s.client.body;
  const blocks = body.split("\n\n").filter((b) => b.length);
  for (const b of blocks) assert.match(b, /^data: /, "every block is a whole event");
  for (const e of parseSse(body)) if (e.data !== "[DONE]") assert.equal(typeof e.data, "object", "every data line is whole JSON");
  assert.ok(body.endsWith("data: [DONE]\n\n"));
});

test("a failed answer is charged no tokens; the request still counts", async () => {
  const p = await load({ limits: [{ name: "tpm", key: "consumer", window: "1h", counts: "total_tokens", limit: 1000 }, { name: "rpm", key: "consumer", window: "1h", limit: 10 }] });
  const s = request(p, chat("m", "z".repeat(400), { max_tokens: 300 }), { who: { consumer: "a" } });
  respond(s, ['{"error":{"message":"overloaded","type":"server_error"}}'], null, { ":status": "503", "content-type": "application/json" });
  assert.equal(remainingTokens(p), 1000);
  const t = request(p, chat("m"), { who: { consumer: "a" } });
  respond(t, JSON_OK, { input: 1, output: 1 });
  assert.equal(t.client.headers!.get("x-ratelimit-remaining-requests"), "7"); // 503, the probe above, this one
});

test("a stream cut off before its end (client gone, upstream reset) is charged the prompt and the output it got", async () => {
  const p = await load(TPM(10_000));
  const s = request(p, chat("m", "w".repeat(400), { stream: true, max_tokens: 2000 }), { who: { consumer: "a" } });
  s.responseHeaders(SSE);
  for (const c of openAIStream(25, "abcdefgh").slice(0, 25)) s.responseBody(c, false);
  s.complete(); // the stream ends without end_of_stream and without llm-route's usage
  // 101 prompt (400 bytes / 4 + 1) + 50 output (25 deltas of 8 bytes / 4).
  assert.equal(remainingTokens(p), 10_000 - 151);
});

test("concurrent requests across simulated workers never overspend by more than one request's tokens", async () => {
  const clock = sharedClock();
  const vmId = freshVmId();
  const config = TPM(5_000);
  const workers = await Promise.all([0, 1, 2].map((i) => loadPlugin(WASM, { config, vmId, name: `w${i}`, allowOnHeadersStopIteration: true, logLevel: "warn", clock: clock.now })));
  // 30 streams opened round-robin before any answer: every one reserves at request time.
  const open = [];
  for (let i = 0; i < 30; i++) {
    const s = request(workers[i % 3], chat("m", "p".repeat(400), { stream: true, max_tokens: 300 }), { who: { consumer: "a" } });
    if (!s.localReply) { s.responseHeaders(SSE); open.push(s); }
  }
  assert.ok(open.length >= 12 && open.length < 15, `admitted ${open.length}`);
  // Answers interleave chunk by chunk; each would produce 400 tokens (more than reserved).
  const chunks = openAIStream(100, "q".repeat(16)).slice(0, 100);
  for (let k = 0; k < chunks.length; k++) for (const s of open) s.responseBody(chunks[k], false);
  let delivered = 0;
  for (const s of open) {
    delivered += parseSse(s.client.body).filter((e) => e.data?.choices).length * 4 + 101;
    s.complete();
  }
  // What clients received (prompt + output) stays within the budget plus one request's worth.
  assert.ok(delivered <= 5_000 + 401, `delivered ${delivered} tokens`);
  assert.ok(delivered >= 5_000 - 401, `the budget was used: ${delivered}`);
});

test("downgrade: a spent cost budget sends the request on with a cheaper model in llm-route's model header", async () => {
  const p = await load({
    models: { "gpt-4o": { input_price: 2.5, output_price: 10 }, "gpt-4o-mini": { input_price: 0.15, output_price: 0.6 } },
    limits: [{ name: "daily-cost", key: "consumer", window: "1d", counts: "cost_micro_usd", limit: 3010 }],
    downgrade: { header: "x-aigw-model", models: { "gpt-4o": "gpt-4o-mini" } },
  });
  // 300 output tokens of gpt-4o: 3000 µ$ + prompt; after it not even the prompt and one output
  // token fit at gpt-4o's price (13 µ$), but they do at gpt-4o-mini's (1 µ$).
  const first = request(p, chat("gpt-4o", "hi", { max_tokens: 300 }), { who: { consumer: "a" } });
  assert.equal(first.upstream.headers?.get("x-aigw-model") ?? null, null);
  respond(first, JSON_OK, { input: 2, output: 300, cost: 3005 });
  const second = request(p, chat("gpt-4o", "hi", { max_tokens: 300 }), { who: { consumer: "a" } });
  assert.equal(second.localReply, null);
  assert.equal(second.upstream.headers!.get("x-aigw-model"), "gpt-4o-mini");
  assert.match(second.filterState("aigw.quota.decision")!, /^downgrade:daily-cost:gpt-4o-mini$/);
  assert.equal(p.metrics.counter("aigw.quota.downgraded.limit.daily_cost"), 1);
  respond(second, JSON_OK, { input: 2, output: 300, cost: 181 });
  // Now the budget is overspent (3186 of 3010): a model without a cheaper one is refused, as
  // OpenAI reports a spent money budget.
  const third = request(p, chat("o1", "hi", { max_tokens: 300 }), { who: { consumer: "a" } });
  assert.equal(third.localReply?.status, 429);
  const e = JSON.parse(third.localReply!.body).error;
  assert.equal(e.type, "insufficient_quota");
  assert.equal(e.code, "insufficient_quota");
});

test("an event over the SSE parser's bound passes unchanged and the answer is still settled", async () => {
  const p = await load(TPM(10_000_000));
  const s = request(p, chat("m", "hi", { stream: true, max_tokens: 10 }), { who: { consumer: "a" } });
  s.responseHeaders(SSE);
  const huge = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "z".repeat(1_200_000) } }] })}\n\n`;
  const tail = openAIStream(3, "abc").join("");
  const all = huge + tail;
  for (let i = 0; i < all.length; i += 65536) s.responseBody(all.slice(i, i + 65536), false);
  s.stream.filterState.set("wasm.gen_ai.usage.input_tokens", new TextEncoder().encode("2"));
  s.stream.filterState.set("wasm.gen_ai.usage.output_tokens", new TextEncoder().encode("300000"));
  s.responseBody("", true);
  s.complete();
  assert.equal(s.client.body, all);
  assert.equal(p.vm.failed, false);
  assert.equal(remainingTokens(p), 10_000_000 - 300_002);
});

// Routes without llm-route (envoy/gateway.yaml's `openai` and `embeddings` routes): nothing
// publishes usage, and a whole JSON answer passed with its output uncharged.
test("an answer with no usage published is charged its real output: the provider's JSON usage, else its text, else the reservation", async () => {
  const p = await load(TPM(100_000));
  const big = "x".repeat(40_000); // 10,000 tokens of output at 4 bytes per token
  const json = JSON.stringify({ id: "c1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: big }, finish_reason: "stop" }], usage: { prompt_tokens: 30, completion_tokens: 9000, total_tokens: 9030 } });
  const s = request(p, chat("m", "w".repeat(40), { max_tokens: 20_000 }), { who: { consumer: "a" } });
  respond(s, [json.slice(0, 1000), json.slice(1000, 30_000), json.slice(30_000)], null);
  assert.equal(remainingTokens(p), 100_000 - 9030, "the provider's usage, read from the answer");

  // No usage in the answer (Anthropic-shaped here): its output text, 4 bytes per token.
  const q = await load(TPM(100_000));
  const s2 = request(q, chat("m", "w".repeat(40), { max_tokens: 20_000 }), { who: { consumer: "a" } });
  respond(s2, [JSON.stringify({ id: "m1", type: "message", role: "assistant", content: [{ type: "text", text: big }] })], null);
  assert.equal(remainingTokens(q), 100_000 - 11 - 10_000);

  // An embeddings answer: its usage has no output tokens, and the vectors are not output text.
  const e = await load(TPM(100_000));
  const s3 = request(e, { model: "emb", input: "w".repeat(40) }, { who: { consumer: "a" }, path: "/v1/embeddings" });
  respond(s3, [JSON.stringify({ object: "list", data: [{ object: "embedding", index: 0, embedding: Array.from({ length: 1536 }, (_, i) => i / 1536) }], usage: { prompt_tokens: 9, total_tokens: 9 } })], null);
  assert.equal(remainingTokens(e), 100_000 - 9);

  // Not JSON (a plain-text or NDJSON answer the filter cannot read): its bytes, at most the reservation.
  const t = await load(TPM(100_000));
  const s4 = request(t, chat("m", "w".repeat(40), { max_tokens: 3000 }), { who: { consumer: "a" } });
  respond(s4, [big], null, { ":status": "200", "content-type": "text/plain" });
  assert.equal(remainingTokens(t), 100_000 - 11 - 3000);
});
