// Usage and cost of an answer cut half-way (upstream reset, timeout, client gone): published at
// the access-log phase (proxy_on_log), which Envoy runs before its access log line, so the audit
// trail shows the tokens of an answer that was partly generated and billed. A complete answer is
// published at its end, as before, and the access-log phase changes nothing then.
import { test } from "node:test";
import assert from "node:assert/strict";
import { answer, load, send } from "./helpers.ts";

const chat = (model: string) => ({ model, stream: true, messages: [{ role: "user", content: "hello" }] }); // prompt estimate: 5 bytes / 4 + 1 = 2
const SSE = { ":status": "200", "content-type": "text/event-stream" };
const ev = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const START = ev("message_start", { type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-20250514", content: [], usage: { input_tokens: 30, output_tokens: 1 } } });
const BLOCK = ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
const delta = (text: string) => ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } });
const END = ev("content_block_stop", { type: "content_block_stop", index: 0 }) +
  ev("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 12 } }) + ev("message_stop", { type: "message_stop" });
const TEXT40 = "0123456789".repeat(4); // 40 bytes: about 10 tokens by the 4-bytes estimate

const USAGE_KEYS = ["gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.cache_read.input_tokens", "aigw.llm.cost_micro_usd", "aigw.llm.usage_source", "gen_ai.response.model"];
const logged = (s: { accessLogState(k: string): string | undefined }) => Object.fromEntries(USAGE_KEYS.map((k) => [k, s.accessLogState(k)]));

test("provider reset mid-answer: the access log line has the reported input, the output that passed, the cost, marked cut:provider", async () => {
  const p = await load();
  const r = send(p, chat("smart")); // anthropic/claude-sonnet: $3 in, $15 out per million
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "anthropic");
  r.s.responseHeaders(SSE, false);
  r.s.responseBody(START + BLOCK + delta(TEXT40.slice(0, 25)), false);
  r.s.responseBody(delta(TEXT40.slice(25)), false);
  assert.equal(r.s.filterState("gen_ai.usage.output_tokens"), undefined, "nothing before the stream is over");
  r.s.stream.addResponseFlag("UC");
  r.s.stream.reset("upstream_reset_after_response_started{connection_termination}");
  r.s.complete();
  // message_start's output_tokens (1) is a start count, not the final one: the 40 bytes that
  // passed (10 tokens) are what the provider generated at least.
  assert.deepEqual(logged(r.s), {
    "gen_ai.usage.input_tokens": "30", "gen_ai.usage.output_tokens": "10", "gen_ai.usage.cache_read.input_tokens": "0",
    "aigw.llm.cost_micro_usd": String(30 * 3 + 10 * 15), "aigw.llm.usage_source": "cut:provider", "gen_ai.response.model": "claude-sonnet-4-20250514",
  });
  assert.match(r.s.accessLogState("aigw.llm.ttft_ms") ?? "", /^\d+$/);
  assert.equal(p.metrics.counter("aigw.llm_route.tokens.provider.anthropic.model.claude_sonnet.direction.output"), 10);
  assert.equal(p.metrics.counter("aigw.llm_route.cost_micro_usd.provider.anthropic.model.claude_sonnet"), 240);
  // The cut still marks the provider down, and the client got no error event, so it is no stream_error.
  assert.equal(p.metrics.counter("aigw.llm_route.provider_errors.provider.anthropic.reason.reset"), 1);
  assert.equal(p.metrics.counter("aigw.llm_route.stream_errors.provider.anthropic") ?? 0, 0);
});

test("a provider that reported nothing before the cut: prompt estimate and output estimate, marked cut:estimate", async () => {
  const p = await load();
  const r = send(p, chat("gpt-4o")); // openai gpt-4o-2024-08-06: $2.5 in, $10 out per million
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "openai");
  r.s.responseHeaders(SSE, false);
  const chunk = (content: string) => `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-2024-08-06", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  r.s.responseBody(chunk(TEXT40) + chunk(TEXT40), false); // 80 bytes: 20 tokens; the usage chunk never comes
  r.s.stream.reset("upstream_response_timeout");
  r.s.complete();
  assert.deepEqual(logged(r.s), {
    "gen_ai.usage.input_tokens": "2", "gen_ai.usage.output_tokens": "20", "gen_ai.usage.cache_read.input_tokens": "0",
    "aigw.llm.cost_micro_usd": String(Math.round(2 * 2.5 + 20 * 10)), "aigw.llm.usage_source": "cut:estimate", "gen_ai.response.model": "gpt-4o-2024-08-06",
  });
  assert.equal(p.metrics.counter("aigw.llm_route.provider_errors.provider.openai.reason.timeout"), 1);
});

test("a client that goes away mid-answer: its usage is published (the provider billed it), the provider is not penalised", async () => {
  const p = await load();
  const r = send(p, chat("smart"));
  r.s.responseHeaders(SSE, false);
  r.s.responseBody(START + BLOCK + delta(TEXT40), false);
  r.s.stream.addResponseFlag("DC");
  r.s.stream.reset("downstream_remote_disconnect");
  r.s.complete();
  assert.equal(r.s.accessLogState("gen_ai.usage.output_tokens"), "10");
  assert.equal(r.s.accessLogState("aigw.llm.usage_source"), "cut:provider");
  assert.doesNotMatch(p.sharedData["aigw.llm_route.health.anthropic"] ?? "0,", /^1,/);
});

test("a cut before any text (message_start only) or before the answer started", async () => {
  const p = await load();
  const r = send(p, chat("smart"));
  r.s.responseHeaders(SSE, false);
  r.s.responseBody(START, false);
  r.s.stream.reset("upstream_reset_after_response_started{remote_reset}");
  r.s.complete();
  assert.equal(r.s.accessLogState("gen_ai.usage.input_tokens"), "30");
  assert.equal(r.s.accessLogState("gen_ai.usage.output_tokens"), "1");
  assert.equal(r.s.accessLogState("aigw.llm.ttft_ms"), undefined, "no token came: no time to first token");
  // The client left before the provider's headers: no answer started, nothing is claimed.
  const q = send(p, chat("smart"));
  q.s.stream.reset("downstream_remote_disconnect");
  q.s.complete();
  assert.equal(q.s.accessLogState("gen_ai.usage.input_tokens"), undefined);
  assert.equal(q.s.accessLogState("aigw.llm.usage_source"), undefined);
});

test("a complete stream is published at its end as before; the access-log phase changes nothing", async () => {
  const p = await load();
  const r = send(p, chat("smart"));
  answer(r.s, [START + BLOCK + delta(TEXT40) + END], SSE);
  const atEnd = Object.fromEntries(USAGE_KEYS.map((k) => [k, r.s.filterState(k)]));
  assert.deepEqual(atEnd, {
    "gen_ai.usage.input_tokens": "30", "gen_ai.usage.output_tokens": "12", "gen_ai.usage.cache_read.input_tokens": "0",
    "aigw.llm.cost_micro_usd": String(30 * 3 + 12 * 15), "aigw.llm.usage_source": "provider", "gen_ai.response.model": "claude-sonnet-4-20250514",
  });
  r.s.complete();
  assert.deepEqual(logged(r.s), atEnd);
  assert.equal(p.metrics.counter("aigw.llm_route.tokens.provider.anthropic.model.claude_sonnet.direction.output"), 12, "counted once");
});

test("a stream ended by trailers (no end_of_stream on its last chunk) is complete, not cut", async () => {
  const p = await load();
  const r = send(p, chat("smart"));
  r.s.responseHeaders(SSE, false);
  r.s.responseBody(START + BLOCK + delta(TEXT40) + END, false);
  r.s.responseTrailers({ "x-done": "1" });
  r.s.complete();
  assert.equal(r.s.accessLogState("aigw.llm.usage_source"), "provider");
  assert.equal(r.s.accessLogState("gen_ai.usage.output_tokens"), "12");
});
