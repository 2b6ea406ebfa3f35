// End to end: llm-route in the local gateway (`npm start`'s envoy/gateway.yaml) over real HTTP,
// driven by the official `openai` and `@anthropic-ai/sdk` clients against sample providers that
// speak OpenAI's, Anthropic's, Gemini's and Bedrock's wire formats: aliases, translation both
// ways (streams and tool calls included), failover after a 429, least-cost, the access log.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { startLocalGateway, type LocalGateway } from "../host-test/src/cli/local-gateway.ts";
import { RESET_TEXT } from "../host-test/src/cli/sample-anthropic.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let gw: LocalGateway;
const log: Record<string, unknown>[] = [];
const openai = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-demo-bob", maxRetries: 0, timeout: 20_000 });
const anthropic = () => new Anthropic({ baseURL: gw.url, apiKey: null, authToken: "sk-demo-bob", maxRetries: 0, timeout: 20_000 });
const weather = { type: "function" as const, function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } };

before(async () => { gw = await startLocalGateway({ port: 0, root, accessLog: (l) => log.push(JSON.parse(l)) }); });
after(async () => { await gw?.close(); });

async function lastLog(): Promise<Record<string, unknown>> {
  const n = log.length;
  for (let i = 0; i < 200 && log.length === n; i++) await new Promise((r) => setTimeout(r, 10));
  return log[log.length - 1];
}

test("openai client → Anthropic provider: answer, stream and a tool call, translated", async () => {
  const c = openai();
  const r = await c.chat.completions.create({ model: "claude-haiku", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hello there" }] });
  assert.match(r.choices[0].message.content!, /^Sample answer from anthropic claude-3-5-haiku-latest\. You said: hello there$/);
  assert.equal(r.choices[0].finish_reason, "stop");
  assert.ok(r.usage!.prompt_tokens > 0);
  let e = await lastLog();
  assert.equal(e.upstream, "anthropic-sample");
  assert.equal(e["gen_ai.provider.name"], "anthropic-sample");
  assert.equal(e["gen_ai.request.model"], "claude-3-5-haiku-latest");
  assert.ok(Number(e["aigw.llm.cost_micro_usd"]) > 0);

  const stream = await c.chat.completions.create({ model: "claude-haiku", stream: true, messages: [{ role: "user", content: "stream please" }] });
  let text = "";
  for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? "";
  assert.equal(text, "Sample answer from anthropic claude-3-5-haiku-latest. You said: stream please");
  e = await lastLog();
  assert.ok(Number(e["gen_ai.usage.output_tokens"]) > 0);

  const t = await c.chat.completions.create({ model: "claude-haiku", tools: [weather], messages: [{ role: "user", content: "Paris" }] });
  assert.equal(t.choices[0].finish_reason, "tool_calls");
  const call = t.choices[0].message.tool_calls![0] as { id: string; function: { name: string; arguments: string } };
  assert.equal(call.function.name, "get_weather");
  assert.deepEqual(JSON.parse(call.function.arguments), { city: "Paris" });
  const after = await c.chat.completions.create({ model: "claude-haiku", tools: [weather], messages: [
    { role: "user", content: "Paris" }, t.choices[0].message, { role: "tool", tool_call_id: call.id, content: "18C and sunny" }] });
  assert.match(after.choices[0].message.content!, /The tool said: 18C and sunny/);

  const ts = c.chat.completions.stream({ model: "claude-haiku", tools: [weather], messages: [{ role: "user", content: "Oslo" }] });
  const final = await ts.finalChatCompletion();
  const sc = final.choices[0].message.tool_calls![0] as { function: { name: string; arguments: string } };
  assert.deepEqual(JSON.parse(sc.function.arguments), { city: "Oslo" });
});

test("@anthropic-ai/sdk → OpenAI-speaking sample: message, stream, and Anthropic tool use", async () => {
  const a = anthropic();
  const m = await a.messages.create({ model: "sample-small", max_tokens: 100, messages: [{ role: "user", content: "hi from claude land" }] });
  assert.equal(m.type, "message");
  assert.equal(m.content[0].type, "text");
  assert.match((m.content[0] as { text: string }).text, /You said: hi from claude land/);
  assert.equal(m.stop_reason, "end_turn");
  assert.ok(m.usage.input_tokens > 0);
  const s = a.messages.stream({ model: "sample-small", max_tokens: 100, messages: [{ role: "user", content: "stream it" }] });
  let startInput = -1;
  s.on("streamEvent", (ev) => { if (ev.type === "message_start") startInput = ev.message.usage.input_tokens; });
  const fm = await s.finalMessage();
  assert.ok(startInput > 0, "message_start carries the gateway's prompt estimate (the OpenAI-format sample reports usage only at the end)");
  assert.match((fm.content[0] as { text: string }).text, /You said: stream it/);
  assert.ok(fm.usage.output_tokens > 0);
  const tu = await a.messages.create({ model: "claude-haiku", max_tokens: 100, tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }], messages: [{ role: "user", content: "Rome" }] });
  assert.equal(tu.stop_reason, "tool_use");
  assert.deepEqual((tu.content[0] as { input: unknown }).input, { city: "Rome" });
  const ts = a.messages.stream({ model: "gemini-flash", max_tokens: 100, tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }], messages: [{ role: "user", content: "Lima" }] });
  const tm = await ts.finalMessage();
  assert.equal(tm.stop_reason, "tool_use");
  assert.deepEqual((tm.content.find((b) => b.type === "tool_use") as { input: unknown }).input, { city: "Lima" });
});

test("Gemini and Bedrock (binary event stream) behind the openai client", async () => {
  const c = openai();
  const g = await c.chat.completions.create({ model: "gemini-flash", messages: [{ role: "user", content: "gem" }] });
  assert.match(g.choices[0].message.content!, /gemini gemini-2\.0-flash\. You said: gem/);
  const stream = await c.chat.completions.create({ model: "nova-lite", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "rock" }] });
  let text = "", usage = 0;
  for await (const ch of stream) { text += ch.choices[0]?.delta?.content ?? ""; if (ch.usage) usage = ch.usage.completion_tokens; }
  assert.equal(text, "Sample answer from bedrock amazon.nova-lite-v1:0. You said: rock");
  assert.ok(usage > 0);
  const seen = gw.samples.get("bedrock-sample")!.seen.at(-1)!;
  assert.match(String(seen.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
});

test("aliases: least-cost picks the cheapest; priority fails over after a 429 and probes back", async () => {
  const c = openai();
  const cheap = await c.chat.completions.create({ model: "fast", messages: [{ role: "user", content: "x" }] });
  assert.match(cheap.choices[0].message.content!, /^Sample answer from bedrock/);
  const ant = gw.samples.get("anthropic-sample")!;
  ant.setFault({ mode: "429", count: 1, retryAfterS: 1 });
  await assert.rejects(c.chat.completions.create({ model: "smart", messages: [{ role: "user", content: "x" }] }), (e: unknown) => e instanceof OpenAI.RateLimitError);
  const next = await c.chat.completions.create({ model: "smart", messages: [{ role: "user", content: "x" }] });
  assert.match(next.choices[0].message.content!, /^Sample answer from sample-large/);
  assert.equal((await lastLog())["aigw.llm.decision"], "route:sample/sample-large");
  await new Promise((r) => setTimeout(r, 1100));
  const back = await c.chat.completions.create({ model: "smart", messages: [{ role: "user", content: "x" }] });
  assert.match(back.choices[0].message.content!, /^Sample answer from anthropic claude-sonnet-4-0/);
});

test("unknown models are 404 in each client's error class; no routing header from a client survives", async () => {
  await assert.rejects(openai().chat.completions.create({ model: "gpt-9", messages: [{ role: "user", content: "x" }] }), (e: unknown) => e instanceof OpenAI.NotFoundError);
  await assert.rejects(anthropic().messages.create({ model: "gpt-9", max_tokens: 5, messages: [{ role: "user", content: "x" }] }), (e: unknown) => e instanceof Anthropic.NotFoundError);
  const r = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-demo-bob", "x-aigw-cluster": "openai" },
    body: JSON.stringify({ model: "echo", messages: [{ role: "user", content: "who am i" }] }) });
  const seen = JSON.parse((await r.json()).choices[0].message.content) as { headers: Record<string, string> };
  assert.equal(seen.headers["x-aigw-cluster"], "sample");
});

test("a provider whose streamed answer is cut after it started (connection reset) is marked down; the next request fails over", async () => {
  const c = openai();
  const ant = gw.samples.get("anthropic-sample")!;
  ant.setFault({ mode: "reset", count: 1 });
  await assert.rejects((async () => {
    const stream = await c.chat.completions.create({ model: "smart", stream: true, messages: [{ role: "user", content: "x" }] });
    for await (const _ of stream) { /* cut half-way */ }
  })());
  const e = await lastLog();
  assert.equal(e["gen_ai.provider.name"], "anthropic-sample");
  // The audit line still has the tokens and cost of what was generated before the cut (written at
  // proxy_on_log, before Envoy's access log line): message_start's input, the text that passed.
  assert.equal(e.flags, "UC");
  assert.equal(e["aigw.llm.usage_source"], "cut:provider");
  const out = Math.floor(Buffer.byteLength(RESET_TEXT) / 4);
  assert.equal(e["gen_ai.usage.input_tokens"], "1");
  assert.equal(e["gen_ai.usage.output_tokens"], String(out));
  assert.equal(e["aigw.llm.cost_micro_usd"], String(1 * 3 + out * 15)); // claude-sonnet: $3 in, $15 out per million
  const next = await c.chat.completions.create({ model: "smart", messages: [{ role: "user", content: "x" }] });
  assert.match(next.choices[0].message.content!, /^Sample answer from sample-large/);
  assert.equal((await lastLog())["aigw.llm.decision"], "route:sample/sample-large");
});
