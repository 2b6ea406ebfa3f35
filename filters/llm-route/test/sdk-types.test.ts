// The shapes the filter writes, checked against the official SDKs' TypeScript types: fixtures
// (typed with the SDK types in fixtures/sdk-shapes.ts) go through dist/llm-route.wasm, and what
// comes out is written into a TypeScript file as literals typed with the other SDK's types, then
// type-checked (strict, excess properties included). Fields the SDK types as `X | null` may be
// absent from a translated answer (Loose<T>); everything else must be there with the right type.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { answer, load, parseSse, send, sse } from "./helpers.ts";
import { anthropicEvents, anthropicMessage, anthropicRequest, openaiChunks, openaiCompletion, openaiRequest } from "./fixtures/sdk-shapes.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const JSON_H = { ":status": "200", "content-type": "application/json" };
const SSE_H = { ":status": "200", "content-type": "text/event-stream" };

function typeCheck(files: string[]): string[] {
  const p = ts.createProgram(files, { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, allowImportingTsExtensions: true });
  return ts.getPreEmitDiagnostics(p).map((d) => `${d.file?.fileName ?? ""}:${d.start ?? 0}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n").slice(0, 600)}`);
}

test("the filter's requests and answers type-check against openai and @anthropic-ai/sdk types", async () => {
  const p = await load();
  // OpenAI client → Anthropic provider: the request, the JSON answer, the stream.
  const a = send(p, openaiRequest);
  const toAnthropic = a.upstreamBody;
  const oaiFromMessage = JSON.parse(answer(a.s, [JSON.stringify(anthropicMessage)], JSON_H));
  const s1 = send(p, { ...openaiRequest, stream: true, stream_options: { include_usage: true } });
  const oaiChunks = parseSse(answer(s1.s, [sse(anthropicEvents.map((e) => [e.type, e] as [string, unknown]))], SSE_H)).filter((e) => e.data !== "[DONE]").map((e) => e.data);
  // Anthropic client → OpenAI provider.
  const b = send(p, anthropicRequest, { path: "/v1/messages" });
  const toOpenAI = b.upstreamBody;
  const msgFromCompletion = JSON.parse(answer(b.s, [JSON.stringify(openaiCompletion)], JSON_H));
  const s2 = send(p, { ...anthropicRequest, stream: true }, { path: "/v1/messages" });
  const antEvents = parseSse(answer(s2.s, [sse([...openaiChunks.map((c) => [null, c] as [null, unknown]), [null, "[DONE]"]])], SSE_H)).map((e) => e.data);
  assert.ok(oaiChunks.length > 5 && antEvents.length > 8);
  const refusal = send(p, { model: "nope", max_tokens: 1, messages: [] }, { path: "/v1/messages" }).local;

  const dir = join(root, "node_modules", ".cache", "llm-route-sdk-types");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "outputs.ts");
  const lit = (v: unknown) => JSON.stringify(v, null, 1);
  writeFileSync(file, `import type OpenAI from "openai";
import type Anthropic from "@anthropic-ai/sdk";
type Loose<T> = T extends Array<infer U> ? Array<Loose<U>> : T extends object
  ? { [K in keyof T as null extends T[K] ? never : K]: Loose<T[K]> } & { [K in keyof T as null extends T[K] ? K : never]?: Loose<T[K]> }
  : T;
export const toAnthropic: Anthropic.MessageCreateParams = ${lit(toAnthropic)};
export const toOpenAI: OpenAI.ChatCompletionCreateParams = ${lit(toOpenAI)};
export const completion: Loose<OpenAI.ChatCompletion> = ${lit(oaiFromMessage)};
export const chunks: Array<Loose<OpenAI.ChatCompletionChunk>> = ${lit(oaiChunks)};
export const message: Loose<Anthropic.Message> = ${lit(msgFromCompletion)};
export const events: Array<Loose<Anthropic.RawMessageStreamEvent>> = ${lit(antEvents)};
export const error: Loose<Anthropic.ErrorResponse> = ${lit(refusal)};
`);
  const diags = typeCheck([join(here, "fixtures", "sdk-shapes.ts"), file]);
  assert.deepEqual(diags, []);
});

test("Gemini and Bedrock request bodies the filter writes type-check against @google/genai and @aws-sdk/client-bedrock-runtime", async () => {
  const { geminiResponse, bedrockResponse, bedrockEvents } = await import("./fixtures/sdk-shapes.ts");
  const p = await load({ providers: [
    { name: "g", kind: "gemini", models: { gem: "gemini-2.0-flash" } },
    { name: "b", kind: "bedrock", region: "us-east-1", models: { nova: "amazon.nova-lite-v1:0" } },
  ] });
  // No images for Bedrock: the SDK types image bytes as Uint8Array (it base64-encodes them itself).
  const noImages = { ...openaiRequest, messages: openaiRequest.messages.map((m) => m.role === "user" ? { role: "user", content: "Paris?" } : m) };
  const g = send(p, { ...openaiRequest, model: "gem", response_format: { type: "json_schema", json_schema: { name: "w", schema: { type: "object" } } } });
  const b = send(p, { ...noImages, model: "nova", response_format: { type: "json_schema", json_schema: { name: "w", schema: { type: "object" } } } });
  assert.deepEqual(b.upstreamBody.outputConfig, { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: "{\"type\":\"object\"}", name: "w" } } } });
  // Provider fixtures (typed above) go through the filter too: they must be read, not trapped on.
  const gOut = JSON.parse(answer(g.s, [JSON.stringify(geminiResponse)], JSON_H));
  assert.equal(gOut.choices[0].message.tool_calls[0].function.name, "get_weather");
  const bOut = JSON.parse(answer(b.s, [JSON.stringify(bedrockResponse)], JSON_H));
  assert.equal(bOut.choices[0].message.tool_calls[0].id, "tu9");
  assert.equal(bedrockEvents.length, 8);
  const dir = join(root, "node_modules", ".cache", "llm-route-sdk-types");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "providers.ts");
  writeFileSync(file, `import type { Content, Tool, ToolConfig, GenerationConfig } from "@google/genai";
import type { ConverseRequest } from "@aws-sdk/client-bedrock-runtime";
// The SDKs type enum fields with TypeScript string enums; on the wire they are their string values.
type Wire<T> = T extends string ? \`\${T}\` : T extends Array<infer U> ? Array<Wire<U>> : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;
export const gemini: Wire<{ contents: Content[]; systemInstruction?: Content; tools?: Tool[]; toolConfig?: ToolConfig; generationConfig?: GenerationConfig }> = ${JSON.stringify(g.upstreamBody, null, 1)};
export const bedrock: Wire<Omit<ConverseRequest, "modelId">> = ${JSON.stringify(b.upstreamBody, null, 1)};
`);
  assert.deepEqual(typeCheck([file]), []);
});
