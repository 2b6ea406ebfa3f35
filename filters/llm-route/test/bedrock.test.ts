// Bedrock Converse / ConverseStream: the request translated and SigV4-signed by the filter (the
// signature recomputed independently with node:crypto), JSON answers, the binary event stream
// (CRC-checked) translated event by event, corrupt frames ending the stream with an error event.
import { test } from "node:test";
import assert from "node:assert/strict";
import { answer, load, parseSse, send } from "./helpers.ts";
import { converseEvent, eventMessage, expectedAuthorization } from "../../../host-test/src/cli/sample-bedrock.ts";

const CREDS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1" };
const CFG = { providers: [{ name: "aws", kind: "bedrock", region: "us-east-1", access_key_id: CREDS.accessKeyId, secret_access_key: CREDS.secretAccessKey,
  models: { haiku: { model: "anthropic.claude-3-haiku-20240307-v1:0", input_price: 0.25, output_price: 1.25 } } }] };
const ES = { ":status": "200", "content-type": "application/vnd.amazon.eventstream" };
const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } }];

test("OpenAI request → Converse, signed with SigV4 over the rewritten body", async () => {
  const p = await load(CFG);
  const r = send(p, { model: "haiku", max_tokens: 64, temperature: 0.3, stop: ["##"], tools, tool_choice: "auto",
    messages: [{ role: "system", content: "S" }, { role: "user", content: [{ type: "text", text: "hi" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } }] },
      { role: "assistant", content: null, tool_calls: [{ id: "t1", type: "function", function: { name: "lookup", arguments: "{\"q\":\"x\"}" } }] },
      { role: "tool", tool_call_id: "t1", content: "found" }] },
    { headers: { authorization: "Bearer client-key" } });
  const h = r.upstreamHeaders;
  assert.equal(h[":path"], "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
  assert.equal(h[":authority"], "bedrock-runtime.us-east-1.amazonaws.com");
  assert.match(h["x-amz-date"], /^\d{8}T\d{6}Z$/);
  assert.match(h.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/);
  const headers = { ...h, host: h[":authority"] };
  assert.equal(expectedAuthorization("POST", h[":path"], headers, r.upstreamRaw, CREDS), h.authorization);
  // A changed byte breaks it (the check is not vacuous).
  assert.notEqual(expectedAuthorization("POST", h[":path"], headers, r.upstreamRaw + " ", CREDS), h.authorization);
  assert.deepEqual(r.upstreamBody, {
    messages: [
      { role: "user", content: [{ text: "hi" }, { image: { format: "png", source: { bytes: "iVBO" } } }] },
      { role: "assistant", content: [{ toolUse: { toolUseId: "t1", name: "lookup", input: { q: "x" } } }] },
      { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ text: "found" }] } }] },
    ],
    system: [{ text: "S" }],
    inferenceConfig: { maxTokens: 64, temperature: 0.3, stopSequences: ["##"] },
    toolConfig: { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: tools[0].function.parameters } } }], toolChoice: { auto: {} } },
  });
  const out = JSON.parse(answer(r.s, [JSON.stringify({ output: { message: { role: "assistant", content: [{ text: "ok" }, { toolUse: { toolUseId: "tu9", name: "lookup", input: { q: "y" } } }] } },
    stopReason: "tool_use", usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16 }, metrics: { latencyMs: 100 } })]));
  assert.equal(out.choices[0].message.content, "ok");
  assert.equal(out.choices[0].message.tool_calls[0].function.arguments, "{\"q\":\"y\"}");
  assert.equal(out.choices[0].finish_reason, "tool_calls");
  assert.equal(out.usage.prompt_tokens, 12);
  assert.equal(out.model, "anthropic.claude-3-haiku-20240307-v1:0");
});

test("an image by URL cannot go to Bedrock: 400 naming why", async () => {
  const p = await load(CFG);
  const r = send(p, { model: "haiku", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] }] });
  assert.equal(r.status, 400);
  assert.match((r.local as any).error.message, /images by URL/);
});

const frames = () => [
  converseEvent("messageStart", { role: "assistant", p: "abcdef" }),
  converseEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hel" } }),
  converseEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "lo" } }),
  converseEvent("contentBlockStop", { contentBlockIndex: 0 }),
  converseEvent("contentBlockStart", { contentBlockIndex: 1, start: { toolUse: { toolUseId: "tu1", name: "lookup" } } }),
  converseEvent("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: "{\"q\":" } } }),
  converseEvent("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: "\"z\"}" } } }),
  converseEvent("contentBlockStop", { contentBlockIndex: 1 }),
  converseEvent("messageStop", { stopReason: "tool_use" }),
  converseEvent("metadata", { usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 }, metrics: { latencyMs: 200 } }),
];

for (const size of [1, 10, 1000]) {
  test(`ConverseStream (chunks of ${size} bytes) → OpenAI chunks and → Anthropic events`, async () => {
    const p = await load(CFG);
    const all = Buffer.concat(frames());
    const cut = (b: Buffer) => { const out: Buffer[] = []; for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size)); return out; };
    const r = send(p, { model: "haiku", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }], tools });
    assert.equal(r.upstreamHeaders[":path"], "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream");
    const body = answer(r.s, cut(all), ES);
    assert.equal(r.s.client.headers?.get("content-type"), "text/event-stream");
    const evs = parseSse(body);
    assert.equal(evs[evs.length - 1].data, "[DONE]");
    const chunks = evs.slice(0, -1).map((e) => e.data);
    assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join(""), "Hello");
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    assert.equal(calls[0].id, "tu1");
    assert.equal(calls.map((c: any) => c.function.arguments).join(""), "{\"q\":\"z\"}");
    assert.equal(chunks[chunks.length - 1].usage.prompt_tokens, 30);
    assert.equal(r.s.filterState("gen_ai.usage.output_tokens"), "12");

    const a = send(p, { model: "haiku", max_tokens: 5, stream: true, messages: [{ role: "user", content: "hi" }] }, { path: "/v1/messages" });
    const aevs = parseSse(answer(a.s, cut(all), ES));
    assert.deepEqual(aevs.map((e) => e.event), ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
      "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    assert.equal(aevs[9].data.delta.stop_reason, "tool_use");
  });
}

test("a frame with a bad CRC, an exception frame, or a stream cut short end with an error event", async () => {
  const p = await load(CFG);
  const f = frames();
  const bad = Buffer.from(f[1]);
  bad[bad.length - 5] ^= 0xff; // payload byte: message CRC no longer matches
  const r = send(p, { model: "haiku", stream: true, messages: [{ role: "user", content: "hi" }] });
  const evs = parseSse(answer(r.s, [f[0], bad, f[2]], ES));
  assert.match(evs[evs.length - 1].data.error.message, /CRC/);
  assert.ok(!evs.some((e) => typeof e.data === "object" && e.data.choices?.[0]?.delta?.content));

  const ex = eventMessage({ ":message-type": "exception", ":exception-type": "throttlingException", ":content-type": "application/json" }, JSON.stringify({ message: "Too many tokens" }));
  const t = send(p, { model: "haiku", stream: true, messages: [{ role: "user", content: "hi" }] });
  const tevs = parseSse(answer(t.s, [f[0], f[1], ex], ES));
  assert.match(tevs[tevs.length - 1].data.error.message, /throttlingException.*Too many tokens/);

  const c = send(p, { model: "haiku", stream: true, messages: [{ role: "user", content: "hi" }] });
  const cevs = parseSse(answer(c.s, [Buffer.concat(f.slice(0, 4)), f[4].subarray(0, 7)], ES));
  assert.match(cevs[cevs.length - 1].data.error.message, /ended before/);
});
