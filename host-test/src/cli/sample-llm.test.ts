// The sample upstream must look like OpenAI to OpenAI's own client, streamed and not.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startSampleLlm, SampleLlm, sampleEmbedding } from "./sample-llm.ts";

let llm: SampleLlm;
let client: OpenAI;
before(async () => {
  llm = await startSampleLlm(0);
  client = new OpenAI({ baseURL: `${llm.url}/v1`, apiKey: "sk-sample", maxRetries: 0 });
});
after(async () => { await llm.close(); });

test("a chat completion quotes the user's last message and reports usage", async () => {
  const r = await client.chat.completions.create({ model: "sample-small", messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello there" }] });
  assert.equal(r.choices[0].message.content, "Sample answer from sample-small. You said: hello there");
  assert.equal(r.choices[0].finish_reason, "stop");
  assert.ok(r.usage && r.usage.prompt_tokens > 0 && r.usage.completion_tokens > 0);
});

test("the echo model answers with exactly what the provider received", async () => {
  const r = await client.chat.completions.create({ model: "echo", messages: [{ role: "user", content: "mail bob@example.com" }] }, { headers: { "x-trace": "t1" } });
  const seen = JSON.parse(r.choices[0].message.content ?? "{}");
  assert.equal(seen.path, "/v1/chat/completions");
  assert.equal(seen.headers["x-trace"], "t1");
  assert.equal(seen.headers.authorization, "Bearer sk-sample");
  assert.deepEqual(seen.body.messages, [{ role: "user", content: "mail bob@example.com" }]);
});

test("streamed answers arrive as chunks that join back to the whole answer, with usage when asked", async () => {
  const stream = await client.chat.completions.create({ model: "sample-small", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "one two three" }] });
  let text = "";
  let chunks = 0;
  let usage = 0;
  for await (const c of stream) {
    chunks++;
    text += c.choices[0]?.delta?.content ?? "";
    if (c.usage) usage = c.usage.total_tokens;
  }
  assert.equal(text, "Sample answer from sample-small. You said: one two three");
  assert.ok(chunks > 5, `expected word-by-word chunks, got ${chunks}`);
  assert.ok(usage > 0);
});

test("embeddings are deterministic and closer for similar texts", async () => {
  const r = await client.embeddings.create({ model: "sample-embedding", input: ["what is the capital of France", "what is the capital of france?", "bake a chocolate cake"] });
  const [a, b, c] = r.data.map((d) => d.embedding);
  const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
  assert.ok(dot(a, b) > dot(a, c));
  assert.deepEqual(sampleEmbedding("same"), sampleEmbedding("same"));
});

test("bad requests get OpenAI-shaped errors", async () => {
  const res = await fetch(`${llm.url}/v1/chat/completions`, { method: "POST", body: "{not json" });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error.code, "invalid_json");
  await assert.rejects(client.chat.completions.create({ model: "", messages: [] }), (e: Error & { status?: number }) => e.status === 400);
});

test("Anthropic messages API, streamed", async () => {
  const res = await fetch(`${llm.url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "claude-sample", max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] }) });
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const text = await res.text();
  const deltas = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1])).filter((d) => d.type === "content_block_delta").map((d) => d.delta.text).join("");
  assert.equal(deltas, "Sample answer from claude-sample. You said: hi");
  assert.match(text, /event: message_stop/);
});
