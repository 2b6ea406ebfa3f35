// Gemini generateContent and streamGenerateContent?alt=sse behind OpenAI and Anthropic clients.
import { test } from "node:test";
import assert from "node:assert/strict";
import { answer, load, parseSse, pieces, send, sse } from "./helpers.ts";

const CFG = { providers: [{ name: "google", kind: "gemini", host: "generativelanguage.googleapis.com", api_key: "g-key",
  models: { gemini: { model: "gemini-2.0-flash", input_price: 0.1, output_price: 0.4, cached_input_price: 0.025 } } }] };
const SSE = { ":status": "200", "content-type": "text/event-stream" };
const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, additionalProperties: false } } }];

test("OpenAI request → Gemini: path with the model, key header, contents/systemInstruction/tools/generationConfig", async () => {
  const p = await load(CFG);
  const r = send(p, {
    model: "gemini", max_tokens: 100, temperature: 0.5, stop: ["x"], tools, tool_choice: { type: "function", function: { name: "get_weather" } },
    response_format: { type: "json_schema", json_schema: { name: "w", schema: { type: "object" } } },
    messages: [
      { role: "system", content: "Sys." },
      { role: "user", content: [{ type: "text", text: "Rome?" }, { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/" } }] },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: "{\"city\":\"Rome\"}" } }] },
      { role: "tool", tool_call_id: "c1", content: "{\"temp\":20}" },
    ],
  }, { headers: { authorization: "Bearer client" } });
  assert.equal(r.upstreamHeaders[":path"], "/v1beta/models/gemini-2.0-flash:generateContent");
  assert.equal(r.upstreamHeaders["x-goog-api-key"], "g-key");
  assert.equal(r.upstreamHeaders.authorization, undefined);
  assert.deepEqual(r.upstreamBody, {
    contents: [
      { role: "user", parts: [{ text: "Rome?" }, { inlineData: { mimeType: "image/jpeg", data: "/9j/" } }] },
      { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Rome" } } }] },
      { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { content: { temp: 20 } } } }] },
    ],
    systemInstruction: { parts: [{ text: "Sys." }] },
    tools: [{ functionDeclarations: [{ name: "get_weather", parametersJsonSchema: tools[0].function.parameters }] }],
    toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] } },
    generationConfig: { maxOutputTokens: 100, temperature: 0.5, stopSequences: ["x"], responseMimeType: "application/json", responseJsonSchema: { type: "object" } },
  });
  const out = JSON.parse(answer(r.s, [JSON.stringify({
    candidates: [{ content: { role: "model", parts: [{ text: "Calling." }, { functionCall: { name: "get_weather", args: { city: "Oslo" } } }] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 8, thoughtsTokenCount: 2, cachedContentTokenCount: 10, totalTokenCount: 50 },
    modelVersion: "gemini-2.0-flash-001", responseId: "r1",
  })]));
  assert.equal(out.choices[0].message.content, "Calling.");
  assert.deepEqual(out.choices[0].message.tool_calls, [{ id: "call_0", type: "function", function: { name: "get_weather", arguments: "{\"city\":\"Oslo\"}" } }]);
  assert.equal(out.choices[0].finish_reason, "tool_calls");
  assert.deepEqual(out.usage, { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50, prompt_tokens_details: { cached_tokens: 10 } });
  assert.equal(r.s.filterState("gen_ai.response.model"), "gemini-2.0-flash-001");
  // 30 * 0.1 + 10 * 0.025 + 10 * 0.4 = 3 + 0.25 + 4 = 7.25 → 7
  assert.equal(r.s.filterState("aigw.llm.cost_micro_usd"), "7");
});

const stream = sse([
  [null, { candidates: [{ content: { role: "model", parts: [{ text: "Hel" }] }, index: 0 }], usageMetadata: { promptTokenCount: 9 }, modelVersion: "gemini-2.0-flash-001", responseId: "r2" }],
  [null, { candidates: [{ content: { role: "model", parts: [{ text: "lo" }] }, index: 0 }], modelVersion: "gemini-2.0-flash-001" }],
  [null, { candidates: [{ content: { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Nice" } } }] }, finishReason: "STOP", index: 0 }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 6, totalTokenCount: 15 } }],
]);

test("Gemini SSE stream → OpenAI chunks and → Anthropic events; the body's end after a finish is the end", async () => {
  const p = await load(CFG);
  const r = send(p, { model: "gemini", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }], tools });
  assert.equal(r.upstreamHeaders[":path"], "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
  const evs = parseSse(answer(r.s, pieces(stream, 11), SSE));
  assert.equal(evs[evs.length - 1].data, "[DONE]");
  const chunks = evs.slice(0, -1).map((e) => e.data);
  assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join(""), "Hello");
  const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
  assert.equal(calls[0].function.name, "get_weather");
  assert.equal(calls.map((c: any) => c.function.arguments).join(""), "{\"city\":\"Nice\"}");
  assert.equal(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason, "tool_calls");
  assert.equal(chunks[chunks.length - 1].usage.completion_tokens, 6);

  const a = send(p, { model: "gemini", max_tokens: 9, stream: true, messages: [{ role: "user", content: "hi" }] }, { path: "/v1/messages" });
  const aevs = parseSse(answer(a.s, pieces(stream, 5), SSE));
  assert.deepEqual(aevs.map((e) => e.event), ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
    "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
  assert.equal(aevs[8].data.usage.output_tokens, 6);
  assert.equal(aevs[0].data.message.usage.input_tokens, 9, "Gemini's first chunk counts the prompt: message_start has the real figure");
});

test("a Gemini stream without a finish reason ends with an error event; Gemini errors map", async () => {
  const p = await load(CFG);
  const r = send(p, { model: "gemini", stream: true, messages: [{ role: "user", content: "hi" }] });
  const cut = stream.slice(0, stream.lastIndexOf("data:"));
  const evs = parseSse(answer(r.s, [cut], SSE));
  assert.match(evs[evs.length - 1].data.error.message, /ended before/);
  const e = send(p, { model: "gemini", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }, { path: "/v1/messages" });
  const body = JSON.parse(answer(e.s, [JSON.stringify({ error: { code: 429, message: "Resource has been exhausted", status: "RESOURCE_EXHAUSTED" } })], { ":status": "429", "content-type": "application/json" }));
  assert.deepEqual(body, { type: "error", error: { type: "rate_limit_error", message: "Resource has been exhausted" } });
});
