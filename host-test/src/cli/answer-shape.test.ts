import { test } from "node:test";
import assert from "node:assert/strict";
import { anthropicErrors, echoAsReceived, toAnthropicError, type AnswerWriter } from "./answer-shape.ts";

function sink() {
  const out = { status: 0, headers: [] as [string, string][], body: "" };
  const w: AnswerWriter = { onHeaders: (s, p) => { out.status = s; out.headers = p; }, onData: (c) => { out.body += Buffer.from(c).toString(); } };
  return { out, w };
}

test("toAnthropicError: an OpenAI error keeps its message, a text body becomes the message, an Anthropic error is left alone", () => {
  const j = (b: Uint8Array | null) => (b ? JSON.parse(Buffer.from(b).toString()) : null);
  assert.deepEqual(j(toAnthropicError(401, Buffer.from('{"error":{"message":"bad key","type":"authentication_error","param":null,"code":"invalid_api_key"}}'))), { type: "error", error: { type: "authentication_error", message: "bad key" } });
  assert.deepEqual(j(toAnthropicError(503, Buffer.from("upstream connect error or disconnect/reset before headers"))), { type: "error", error: { type: "api_error", message: "upstream connect error or disconnect/reset before headers" } });
  assert.deepEqual(j(toAnthropicError(413, Buffer.from("Payload Too Large"))).error.type, "request_too_large");
  assert.equal(toAnthropicError(429, Buffer.from('{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}')), null);
});

test("anthropicErrors rewrites error answers with a matching content-length and passes successes through as they stream", () => {
  const { out, w } = sink();
  const a = anthropicErrors(w);
  a.onHeaders(403, [["content-type", "application/json"], ["content-length", "60"], ["x-keep", "1"]]);
  a.onData(Buffer.from('{"error":{"message":"no'), false);
  a.onData(Buffer.from(' access"}}'), true);
  assert.equal(out.status, 403);
  assert.deepEqual(JSON.parse(out.body), { type: "error", error: { type: "permission_error", message: "no access" } });
  assert.deepEqual(out.headers, [["x-keep", "1"], ["content-type", "application/json"], ["content-length", String(Buffer.byteLength(out.body))]]);
  const s = sink();
  const b = anthropicErrors(s.w);
  b.onHeaders(200, [["content-type", "text/event-stream"]]);
  b.onData(Buffer.from("event: ping\n\n"), false);
  assert.equal(s.out.body, "event: ping\n\n", "streamed as it comes");
});

test("echoAsReceived returns the provider's own bytes for an echo answer and leaves other answers alone", () => {
  const { out, w } = sink();
  const e = echoAsReceived(w, (id) => (id === "echo-1" ? Buffer.from('{"seen":"jane@example.com"}') : undefined));
  e.onHeaders(200, [["content-type", "application/json"], ["x-sample-echo", "echo-1"]]);
  e.onData(Buffer.from('{"seen":"[EMAIL]"}'), true);
  assert.equal(out.body, '{"seen":"jane@example.com"}');
  assert.deepEqual(out.headers, [["content-type", "application/json"], ["content-length", "27"], ["x-aigw-echo", "as-received"]]);
  const s = sink();
  const f = echoAsReceived(s.w, () => undefined);
  f.onHeaders(200, [["content-type", "application/json"]]);
  f.onData(Buffer.from("{}"), true);
  assert.equal(s.out.body, "{}");
});
