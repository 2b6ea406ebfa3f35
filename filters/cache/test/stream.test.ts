// Streams: a streamed miss is assembled as it passes (no chunk held back) and stored only when
// complete; a streamed hit is replayed as the client's dialect streams, and the official OpenAI
// and Anthropic clients read it over real HTTP through host-test's gateway.
import { test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { Gateway, serveGateway, type UpstreamRequest } from "../../../host-test/src/index.ts";
import { parseSse } from "../../common/test/support/sse.ts";
import { SSE, anthropicStream, ask, chat, load, messages, openaiAnswer, openaiStream, reply } from "./helpers.ts";

test("a streamed miss passes every chunk at once and is stored when it ends; the same request then hits", async () => {
  const p = await load();
  const s = ask(p, chat("count", { stream: true }));
  const chunks = openaiStream(["one", " two", " three"]);
  s.responseHeaders(SSE, false);
  let sent = "";
  for (let i = 0; i < chunks.length; i++) {
    s.responseBody(chunks[i], i === chunks.length - 1);
    sent += chunks[i];
    assert.equal(s.client.body, sent, `chunk ${i} reached the client at once`);
  }
  assert.equal(s.client.headers!.get("x-ai-cache"), "miss");
  assert.equal(p.metrics.counter("aigw.cache.stores"), 1);
  // A non-streamed ask of the same question gets the assembled answer as JSON.
  const j = JSON.parse(ask(p, chat("count")).localReply!.body);
  assert.equal(j.choices[0].message.content, "one two three");
  assert.equal(j.usage.completion_tokens, 3);
  // A streamed ask gets a stream that ends with [DONE].
  const h = ask(p, chat("count", { stream: true, stream_options: { include_usage: true } }));
  const lr = h.localReply!;
  assert.ok(h.client.headers!.getAll("content-type").includes("text/event-stream"));
  const evs = parseSse(lr.body);
  assert.equal(evs.at(-1)!.data, "[DONE]");
  assert.equal(evs.map((e) => e.data?.choices?.[0]?.delta?.content ?? "").join(""), "one two three");
  assert.equal(evs.at(-2)!.data.usage.completion_tokens, 3, "the usage chunk the client asked for");
});

test("a stream cut short, an error event or a stream split at every byte: only whole streams are stored", async () => {
  const p = await load();
  const cut = ask(p, chat("cut", { stream: true }));
  reply(cut, openaiStream(["a", "b"], { cut: true }), SSE);
  assert.equal(ask(p, chat("cut")).localReply, null);

  const err = ask(p, messages("err", { stream: true }), { path: "/v1/messages" });
  const evs = anthropicStream(["x"]);
  evs.splice(3, 0, `event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n`);
  reply(err, evs, SSE);
  assert.equal(ask(p, messages("err"), { path: "/v1/messages" }).localReply, null);

  const split = ask(p, messages("split", { stream: true }), { path: "/v1/messages" });
  const whole = anthropicStream(["Hel", "lo ", "wörld"]).join("");
  const bytes = new TextEncoder().encode(whole);
  split.responseHeaders(SSE, false);
  for (let i = 0; i < bytes.length; i++) split.responseBody(bytes.subarray(i, i + 1), i === bytes.length - 1);
  assert.equal(Buffer.from(split.client.body).toString(), whole);
  const m = JSON.parse(ask(p, messages("split"), { path: "/v1/messages" }).localReply!.body);
  assert.equal(m.content[0].text, "Hello wörld");
  assert.equal(m.usage.output_tokens, 3);
});

test("tool calls survive assembly and replay in the other dialect's stream", async () => {
  const p = await load();
  const base = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
  const ev = (o: unknown) => `data: ${JSON.stringify({ ...base, ...(o as object) })}\n\n`;
  const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
  const s = ask(p, chat("weather?", { stream: true, tools, max_tokens: 100 }));
  reply(s, [
    ev({ choices: [{ index: 0, delta: { role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }] }, finish_reason: null }] }),
    ev({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: "{\"city\":" } }] }, finish_reason: null }] }),
    ev({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: "\"Paris\"}" } }] }, finish_reason: null }] }),
    ev({ choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] }),
    "data: [DONE]\n\n",
  ], SSE);
  const a = ask(p, { model: "gpt-4o-mini", max_tokens: 100, stream: true, messages: [{ role: "user", content: "weather?" }],
    tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }] }, { path: "/v1/messages" });
  const evs = parseSse(a.localReply!.body);
  const start = evs.find((e) => e.event === "content_block_start")!;
  assert.equal(start.data.content_block.type, "tool_use");
  assert.equal(start.data.content_block.name, "get_weather");
  const args = evs.filter((e) => e.data?.delta?.type === "input_json_delta").map((e) => e.data.delta.partial_json).join("");
  assert.deepEqual(JSON.parse(args), { city: "Paris" });
  assert.equal(evs.find((e) => e.event === "message_delta")!.data.delta.stop_reason, "tool_use");
  assert.equal(evs.at(-1)!.event, "message_stop");
});

test("official clients over HTTP: OpenAI and Anthropic SDKs read hits, streamed and not, in their own dialect", async () => {
  const p = await load({ scope: "global" });
  const seen: UpstreamRequest[] = [];
  const gw = new Gateway([p], {
    upstream: (req) => {
      seen.push(req);
      const body = JSON.parse(req.body);
      if (req.path === "/v1/messages") return body.stream ? { status: 200, headers: SSE, chunks: anthropicStream(["Bonjour", " le", " monde"]) } : { status: 500, body: "unexpected" };
      return body.stream ? { status: 200, headers: SSE, chunks: openaiStream(["Hello", " world"]) } : { status: 200, headers: { "content-type": "application/json" }, body: openaiAnswer("Hi there.") };
    },
  });
  const srv = await serveGateway(gw);
  try {
    const oai = new OpenAI({ apiKey: "k", baseURL: `${srv.url}/v1`, maxRetries: 0 });
    const ant = new Anthropic({ apiKey: "k", baseURL: srv.url, maxRetries: 0 });
    const q = [{ role: "user" as const, content: "Say hello" }];
    // Miss, streamed: stored as it passes.
    const s1 = await oai.chat.completions.create({ model: "gpt-4o-mini", messages: q, stream: true, max_tokens: 64 });
    let t1 = "";
    for await (const c of s1) t1 += c.choices[0]?.delta?.content ?? "";
    assert.equal(t1, "Hello world");
    assert.equal(seen.length, 1);
    // Hit, streamed, OpenAI.
    const s2 = await oai.chat.completions.create({ model: "gpt-4o-mini", messages: q, stream: true, max_tokens: 64, stream_options: { include_usage: true } });
    let t2 = "", usage: any = null;
    for await (const c of s2) { t2 += c.choices[0]?.delta?.content ?? ""; if (c.usage) usage = c.usage; }
    assert.equal(t2, "Hello world");
    assert.equal(usage.completion_tokens, 2);
    // Hit, not streamed, OpenAI.
    const j = await oai.chat.completions.create({ model: "gpt-4o-mini", messages: q, max_tokens: 64 });
    assert.equal(j.choices[0].message.content, "Hello world");
    // Hit, streamed, Anthropic (the same question in the other dialect).
    const st = ant.messages.stream({ model: "gpt-4o-mini", max_tokens: 64, messages: q });
    const final = await st.finalMessage();
    assert.equal(final.content[0].type === "text" ? final.content[0].text : "", "Hello world");
    assert.equal(final.stop_reason, "end_turn");
    // Hit, not streamed, Anthropic.
    const m = await ant.messages.create({ model: "gpt-4o-mini", max_tokens: 64, messages: q });
    assert.equal(m.content[0].type === "text" ? m.content[0].text : "", "Hello world");
    assert.equal(seen.length, 1, "every later request was answered by the cache");
    // An Anthropic streamed miss, then its hit read by the OpenAI client.
    const q2 = [{ role: "user" as const, content: "Say hello in French" }];
    const a1 = await ant.messages.stream({ model: "gpt-4o-mini", max_tokens: 64, messages: q2 }).finalMessage();
    assert.equal(a1.content[0].type === "text" ? a1.content[0].text : "", "Bonjour le monde");
    const o2 = await oai.chat.completions.create({ model: "gpt-4o-mini", messages: q2, stream: true, max_tokens: 64 });
    let t3 = "";
    for await (const c of o2) t3 += c.choices[0]?.delta?.content ?? "";
    assert.equal(t3, "Bonjour le monde");
    assert.equal(seen.length, 2);
  } finally {
    await srv.close();
  }
});
