// OpenAI chat ⇄ Anthropic messages through the filter: requests, JSON answers, streams event by
// event (split at every byte), tool calls, usage chunks, provider errors, streams cut short.
import { test } from "node:test";
import assert from "node:assert/strict";
import { answer, load, parseSse, pieces, send, sse } from "./helpers.ts";

const SSE = { ":status": "200", "content-type": "text/event-stream" };

const tools = [{ type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];

test("OpenAI request → Anthropic: system hoisted, tools, tool calls and results, images, stop, max_tokens default", async () => {
  const p = await load();
  const r = send(p, {
    model: "claude-haiku", temperature: 0.2, stop: "END", user: "u-1", tools, tool_choice: "required", parallel_tool_calls: false,
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Weather in Paris?" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] },
      { role: "assistant", content: null, tool_calls: [
        { id: "call_1", type: "function", function: { name: "get_weather", arguments: "{\"city\":\"Paris\"}" } },
        { id: "call_2", type: "function", function: { name: "get_weather", arguments: "{\"city\":\"Lyon\"}" } }] },
      { role: "tool", tool_call_id: "call_1", content: "18C" },
      { role: "tool", tool_call_id: "call_2", content: "21C" },
    ],
  });
  assert.equal(r.upstreamHeaders[":path"], "/v1/messages");
  const b = r.upstreamBody;
  assert.equal(b.model, "claude-3-5-haiku-20241022");
  assert.equal(b.system, "Be brief.");
  assert.equal(b.max_tokens, 4096);
  assert.deepEqual(b.stop_sequences, ["END"]);
  assert.equal(b.temperature, undefined, "the Messages API (SDK 1.17) has no temperature");
  assert.deepEqual(b.metadata, { user_id: "u-1" });
  assert.deepEqual(b.tool_choice, { type: "any", disable_parallel_tool_use: true });
  assert.deepEqual(b.tools, [{ name: "get_weather", description: "Weather for a city", input_schema: tools[0].function.parameters }]);
  assert.deepEqual(b.messages, [
    { role: "user", content: [{ type: "text", text: "Weather in Paris?" }, { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } }] },
    { role: "assistant", content: [
      { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Lyon" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: "18C" }, { type: "tool_result", tool_use_id: "call_2", content: "21C" }] },
  ]);
});

test("Anthropic JSON answer → OpenAI chat.completion with tool calls, finish reason and usage", async () => {
  const p = await load();
  const r = send(p, { model: "claude-haiku", messages: [{ role: "user", content: "hi" }], tools });
  const out = answer(r.s, [JSON.stringify({
    id: "msg_01", type: "message", role: "assistant", model: "claude-3-5-haiku-20241022",
    content: [{ type: "text", text: "Checking." }, { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }],
    stop_reason: "tool_use", stop_sequence: null, usage: { input_tokens: 20, output_tokens: 10, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 },
  })]);
  const o = JSON.parse(out);
  assert.equal(o.object, "chat.completion");
  assert.equal(o.model, "claude-3-5-haiku-20241022");
  assert.equal(o.choices[0].message.content, "Checking.");
  assert.deepEqual(o.choices[0].message.tool_calls, [{ id: "toolu_1", type: "function", function: { name: "get_weather", arguments: "{\"city\":\"Paris\"}" } }]);
  assert.equal(o.choices[0].finish_reason, "tool_calls");
  assert.deepEqual(o.usage, { prompt_tokens: 120, completion_tokens: 10, total_tokens: 130, prompt_tokens_details: { cached_tokens: 100 } });
  assert.equal(r.s.client.headers?.get("content-length"), undefined);
  // 20 * 0.8 + 100 * 0.08 + 10 * 4 = 16 + 8 + 40
  assert.equal(r.s.filterState("aigw.llm.cost_micro_usd"), "64");
  assert.equal(r.s.filterState("gen_ai.usage.cache_read.input_tokens"), "100");
});

test("Anthropic client → OpenAI provider: request and answer translated both ways", async () => {
  const p = await load();
  const r = send(p, {
    model: "gpt-4o-mini", max_tokens: 300, system: [{ type: "text", text: "You are terse." }],
    tools: [{ name: "lookup", description: "Look up", input_schema: { type: "object", properties: { q: { type: "string" } } } }],
    tool_choice: { type: "tool", name: "lookup" },
    messages: [
      { role: "user", content: "find cats" },
      { role: "assistant", content: [{ type: "text", text: "Looking." }, { type: "tool_use", id: "toolu_9", name: "lookup", input: { q: "cats" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_9", content: [{ type: "text", text: "3 cats" }] }, { type: "text", text: "and?" }] },
    ],
  }, { path: "/v1/messages", headers: { "anthropic-version": "2023-06-01", "x-api-key": "client-key" } });
  assert.equal(r.upstreamHeaders[":path"], "/v1/chat/completions");
  assert.equal(r.upstreamHeaders["anthropic-version"], undefined);
  const b = r.upstreamBody;
  assert.deepEqual(b.messages, [
    { role: "system", content: "You are terse." },
    { role: "user", content: "find cats" },
    { role: "assistant", content: "Looking.", tool_calls: [{ id: "toolu_9", type: "function", function: { name: "lookup", arguments: "{\"q\":\"cats\"}" } }] },
    { role: "tool", tool_call_id: "toolu_9", content: "3 cats" },
    { role: "user", content: "and?" },
  ]);
  assert.deepEqual(b.tool_choice, { type: "function", function: { name: "lookup" } });
  assert.equal(b.max_tokens, 300);
  const out = JSON.parse(answer(r.s, [JSON.stringify({
    id: "chatcmpl-7", object: "chat.completion", created: 5, model: "gpt-4o-mini-2024-07-18",
    choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [{ id: "call_5", type: "function", function: { name: "lookup", arguments: "{\"q\":\"dogs\"}" } }] }, finish_reason: "tool_calls" }],
    usage: { prompt_tokens: 50, completion_tokens: 7, total_tokens: 57 },
  })]));
  assert.equal(out.type, "message");
  assert.equal(out.role, "assistant");
  assert.deepEqual(out.content, [{ type: "tool_use", id: "call_5", name: "lookup", caller: { type: "direct" }, input: { q: "dogs" } }]);
  assert.equal(out.stop_reason, "tool_use");
  assert.equal(out.usage.input_tokens, 50);
  assert.equal(out.usage.output_tokens, 7);
});

test("untranslatable parts refuse with 400 naming the field", async () => {
  const p = await load();
  const r = send(p, { model: "claude-haiku", messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "x", format: "wav" } }] }] });
  assert.equal(r.status, 400);
  assert.match((r.local as any).error.message, /input_audio.*messages\[0\]\.content\[0\]/);
  const n = send(p, { model: "claude-haiku", n: 2, messages: [{ role: "user", content: "x" }] });
  assert.equal(n.status, 400);
});

const anthropicStream = sse([
  ["message_start", { type: "message_start", message: { id: "msg_s", type: "message", role: "assistant", model: "claude-3-5-haiku-20241022", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } } }],
  ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
  ["ping", { type: "ping" }],
  ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } }],
  ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " wörld" } }],
  ["content_block_stop", { type: "content_block_stop", index: 0 }],
  ["content_block_start", { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_x", name: "get_weather", input: {} } }],
  ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "{\"ci" } }],
  ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "ty\":\"Paris\"}" } }],
  ["content_block_stop", { type: "content_block_stop", index: 1 }],
  ["message_delta", { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 15 } }],
  ["message_stop", { type: "message_stop" }],
]);

function openaiDeltas(body: string) {
  const evs = parseSse(body);
  assert.equal(evs[evs.length - 1].data, "[DONE]");
  return evs.slice(0, -1).map((e) => e.data);
}

for (const size of [1, 7, 64, 100000]) {
  test(`Anthropic stream → OpenAI chunks, provider chunks of ${size} bytes: text and tool-call argument deltas survive`, async () => {
    const p = await load();
    const r = send(p, { model: "claude-haiku", stream: true, messages: [{ role: "user", content: "hi" }], tools });
    assert.equal(r.upstreamBody.stream, true);
    const out = answer(r.s, pieces(anthropicStream, size), SSE);
    const chunks = openaiDeltas(out);
    for (const c of chunks) assert.equal(c.object, "chat.completion.chunk");
    assert.equal(chunks[0].choices[0].delta.role, "assistant");
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    assert.equal(text, "Hello wörld");
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    assert.deepEqual(calls[0], { index: 0, id: "toolu_x", type: "function", function: { name: "get_weather", arguments: "" } });
    assert.equal(calls.map((c: any) => c.function.arguments).join(""), "{\"city\":\"Paris\"}");
    assert.equal(chunks[chunks.length - 1].choices[0].finish_reason, "tool_calls");
    assert.ok(chunks.every((c) => !("usage" in c) || c.usage === undefined), "no usage chunk the client did not ask for");
    assert.equal(r.s.filterState("gen_ai.usage.input_tokens"), "25");
    assert.equal(r.s.filterState("gen_ai.usage.output_tokens"), "15");
    assert.ok(Number(r.s.filterState("aigw.llm.ttft_ms")) >= 0);
  });
}

test("an Anthropic event is translated in the callback it completes in (nothing held back)", async () => {
  const p = await load();
  const r = send(p, { model: "claude-haiku", stream: true, messages: [{ role: "user", content: "hi" }] });
  r.s.responseHeaders(SSE, false);
  const evs = anthropicStream.split(/(?<=\n\n)/);
  r.s.responseBody(evs[0], false);
  assert.match(r.s.client.body, /"role":"assistant"/);
  r.s.responseBody(evs[1] + evs[2] + evs[3], false);
  assert.match(r.s.client.body, /"content":"Hello"/);
  r.s.responseBody(evs[4].slice(0, 20), false);
  assert.doesNotMatch(r.s.client.body, /wörld/);
  r.s.responseBody(evs[4].slice(20), false);
  assert.match(r.s.client.body, /wörld/);
});

test("OpenAI client asking for usage in the stream gets the usage chunk from Anthropic's counts", async () => {
  const p = await load();
  const r = send(p, { model: "claude-haiku", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] });
  const chunks = openaiDeltas(answer(r.s, [anthropicStream], SSE));
  const last = chunks[chunks.length - 1];
  assert.deepEqual(last.choices, []);
  assert.equal(last.usage.prompt_tokens, 25);
  assert.equal(last.usage.completion_tokens, 15);
});

const openaiStream = (withUsage: boolean) => sse([
  [null, { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini-2024-07-18", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }], ...(withUsage ? { usage: null } : {}) }],
  [null, { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini-2024-07-18", choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }] }],
  [null, { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini-2024-07-18", choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }] }, finish_reason: null }] }],
  [null, { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini-2024-07-18", choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: "{\"city\":" } }] }, finish_reason: null }] }],
  [null, { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini-2024-07-18", choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: "\"Rome\"}" } }] }, finish_reason: null }] }],
  [null, { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini-2024-07-18", choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] }],
  ...(withUsage ? [[null, { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini-2024-07-18", choices: [], usage: { prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 } }]] as Array<[null, unknown]> : []),
  [null, "[DONE]"],
]);

test("OpenAI stream to an OpenAI client: include_usage added, and the extra usage chunk stripped", async () => {
  const p = await load();
  const r = send(p, { model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] });
  assert.deepEqual(r.upstreamBody.stream_options, { include_usage: true });
  const out = answer(r.s, pieces(openaiStream(true), 13), SSE);
  assert.doesNotMatch(out, /prompt_tokens/);
  assert.equal(out, openaiStream(true).replace(/data: \{[^\n]*"choices":\[\],"usage"[^\n]*\n\n/, ""));
  assert.equal(r.s.filterState("gen_ai.usage.input_tokens"), "11");
  assert.equal(r.s.filterState("gen_ai.usage.output_tokens"), "9");
});

test("OpenAI stream to a client that asked for usage passes byte for byte", async () => {
  const p = await load();
  const r = send(p, { model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] });
  assert.deepEqual(r.upstreamBody.stream_options, { include_usage: true });
  const text = openaiStream(true);
  assert.equal(answer(r.s, pieces(text, 5), SSE), text);
});

test("OpenAI stream → Anthropic events: message_start, blocks, input_json_delta, message_delta with usage, message_stop", async () => {
  const p = await load();
  const r = send(p, { model: "gpt-4o-mini", max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] }, { path: "/v1/messages" });
  assert.deepEqual(r.upstreamBody.stream_options, { include_usage: true });
  const evs = parseSse(answer(r.s, pieces(openaiStream(true), 3), SSE));
  assert.deepEqual(evs.map((e) => e.event), [
    "message_start", "content_block_start", "content_block_delta", "content_block_stop",
    "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
  ]);
  for (const e of evs) assert.equal(e.data.type, e.event);
  assert.equal(evs[0].data.message.model, "gpt-4o-mini");
  assert.deepEqual(evs[1].data, { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
  assert.equal(evs[2].data.delta.text, "Hi");
  assert.deepEqual(evs[4].data.content_block, { type: "tool_use", id: "call_a", name: "get_weather", caller: { type: "direct" }, input: {} });
  assert.equal(evs[4].data.index, 1);
  assert.equal(evs[5].data.delta.partial_json + evs[6].data.delta.partial_json, "{\"city\":\"Rome\"}");
  assert.equal(evs[8].data.delta.stop_reason, "tool_use");
  assert.equal(evs[8].data.usage.output_tokens, 9);
  assert.equal(evs[8].data.usage.input_tokens, 11);
});

test("OpenAI stream → Anthropic client: message_start carries the prompt-token estimate, message_delta the provider's count", async () => {
  const p = await load();
  // OpenAI reports usage only in its last chunk; message_start must not claim 0 input tokens.
  const messages = [{ role: "user", content: "Summarise the following notes. ".repeat(40) }];
  const r = send(p, { model: "gpt-4o-mini", max_tokens: 50, stream: true, system: "Be brief.", messages }, { path: "/v1/messages" });
  const evs = parseSse(answer(r.s, pieces(openaiStream(true), 4), SSE));
  const estimate = evs[0].data.message.usage.input_tokens;
  // The estimate least-cost routing and the context check use: the context error states it
  // (with max_tokens added) for the same prompt.
  const tooLong = send(p, { model: "llama", max_tokens: 9000, system: "Be brief.", messages }, { path: "/v1/messages" });
  assert.equal(tooLong.status, 400);
  const stated = Number(/about (\d+) tokens/.exec(tooLong.local!.error.message)![1]);
  assert.equal(estimate, stated - 9000);
  assert.ok(estimate > 250 && estimate < 400, `about a quarter of ${"Summarise the following notes. ".length * 40 + 9} bytes: ${estimate}`);
  const delta = evs.find((e) => e.event === "message_delta")!;
  assert.equal(delta.data.usage.input_tokens, 11, "the final usage is the provider's own count");
  assert.equal(r.s.filterState("gen_ai.usage.input_tokens"), "11");
  assert.equal(r.s.filterState("aigw.llm.usage_source"), "provider");
});

test("a provider stream that stops half-way ends the client's stream with an error event", async () => {
  const p = await load();
  const cut = anthropicStream.slice(0, anthropicStream.indexOf("event: content_block_stop"));
  const r = send(p, { model: "claude-haiku", stream: true, messages: [{ role: "user", content: "hi" }] });
  const evs = parseSse(answer(r.s, [cut], SSE));
  const last = evs[evs.length - 1];
  assert.equal(last.data.error.type, "server_error");
  assert.match(last.data.error.message, /ended before/);
  assert.ok(!evs.some((e) => e.data === "[DONE]"));
  assert.equal(p.metrics.counter("aigw.llm_route.stream_errors.provider.anthropic"), 1);
  const a = send(p, { model: "gpt-4o-mini", max_tokens: 5, stream: true, messages: [{ role: "user", content: "hi" }] }, { path: "/v1/messages" });
  const text = openaiStream(false);
  const aevs = parseSse(answer(a.s, [text.slice(0, text.indexOf("[DONE]") - 6)], SSE));
  assert.equal(aevs[aevs.length - 1].event, "error");
  assert.equal(aevs[aevs.length - 1].data.error.type, "api_error");
  // Same dialect, passed through: still ends with an error event instead of a silent cut.
  const o = send(p, { model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] });
  const oevs = parseSse(answer(o.s, [text.slice(0, 200)], SSE));
  assert.ok(oevs[oevs.length - 1].data.error);
});

test("provider errors become the client's error shape; garbage answers never trap", async () => {
  const p = await load();
  const r = send(p, { model: "claude-haiku", messages: [{ role: "user", content: "hi" }] });
  const out = answer(r.s, [JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "max_tokens: too large" } })], { ":status": "400", "content-type": "application/json" });
  assert.deepEqual(JSON.parse(out), { error: { message: "max_tokens: too large", type: "invalid_request_error", param: null, code: null } });
  const a = send(p, { model: "gpt-4o-mini", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }, { path: "/v1/messages" });
  const aout = answer(a.s, ["upstream connect error or disconnect/reset before headers. reset reason: connection timeout"], { ":status": "503", "content-type": "text/plain" });
  const ae = JSON.parse(aout);
  assert.equal(ae.type, "error");
  assert.equal(ae.error.type, "overloaded_error");
  assert.match(ae.error.message, /connection timeout/);
  assert.equal(a.s.client.headers?.get("content-type"), "application/json");
  for (const garbage of ["{\"choices\":", "\u0000\u00ff", "data: {\"x\":\n\n", "[]"]) {
    const g = send(p, { model: "claude-haiku", messages: [{ role: "user", content: "hi" }] });
    const gout = answer(g.s, [garbage]);
    assert.ok(JSON.parse(gout).error, garbage);
    const gs = send(p, { model: "claude-haiku", stream: true, messages: [{ role: "user", content: "hi" }] });
    const sout = parseSse(answer(gs.s, [garbage], SSE));
    assert.ok(sout[sout.length - 1].data.error, garbage);
  }
  assert.equal(p.logs("critical").length, 0);
});
