// Requests: every action, JSON awareness (escapes, content parts, tool calls, Anthropic), plain
// text, binary, block → 400, oversize → 413, content-length, filter state and metrics.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, request, chat, SECRET } from "./helpers.ts";

const CARD = "4242-4242-4242-4242";
const EMAIL = "john.doe@example.com";

test("redact replaces the value with [TYPE] and keeps the JSON valid", async () => {
  const p = await load();
  const x = request(p, chat(`mail ${EMAIL} now`));
  const j = JSON.parse(x.upstream);
  assert.equal(j.messages[0].content, "mail [EMAIL] now");
  assert.equal(j.model, "gpt-4o");
  assert.equal(x.upstreamHeaders["content-length"], undefined, "content-length dropped");
  assert.equal(x.s.filterState("aigw.pii.request"), '{"EMAIL":1}');
  assert.equal(x.s.filterState("aigw.pii.action"), "masked");
  assert.equal(p.metrics.counter("wasmcustom.aigw.pii_mask.detections.type.email.direction.request"), 1);
});

test("mask keeps the last N characters and the separators; N and the mask character are configurable", async () => {
  const p = await load({ detectors: { CREDIT_CARD: "mask" } });
  assert.equal(JSON.parse(request(p, chat(`card ${CARD}`)).upstream).messages[0].content, "card ****-****-****-4242");
  const q = await load({ detectors: { CREDIT_CARD: { action: "mask", keep_last: 2, mask_char: "#" } } });
  assert.equal(JSON.parse(request(q, chat(`card ${CARD}`)).upstream).messages[0].content, "card ####-####-####-##42");
});

test("hash gives a stable pseudonym per scope (tenant from filter state) and differs across tenants", async () => {
  const p = await load({ detectors: { EMAIL: "hash" }, secret: SECRET });
  const a1 = JSON.parse(request(p, chat(`hi ${EMAIL}`), { tenant: "acme" }).upstream).messages[0].content;
  const a2 = JSON.parse(request(p, chat(`hi ${EMAIL}`), { tenant: "acme" }).upstream).messages[0].content;
  const b = JSON.parse(request(p, chat(`hi ${EMAIL}`), { tenant: "globex" }).upstream).messages[0].content;
  const other = JSON.parse(request(p, chat(`hi jane@example.com`), { tenant: "acme" }).upstream).messages[0].content;
  assert.match(a1, /^hi \[EMAIL_[0-9a-f]{16}\]$/);
  assert.equal(a1, a2);
  assert.notEqual(a1, b);
  assert.notEqual(a1, other);
  assert.ok(!a1.includes("john"));
});

test("block answers 400 in the OpenAI error shape naming the type, never the value", async () => {
  const p = await load({ detectors: { CREDIT_CARD: "block" } });
  const x = request(p, chat(`pay with ${CARD}`));
  assert.equal(x.status, 400);
  const e = JSON.parse(x.localBody!).error;
  assert.deepEqual(Object.keys(e).sort(), ["code", "message", "param", "type"]);
  assert.equal(e.type, "invalid_request_error");
  assert.equal(e.code, "pii_detected");
  assert.match(e.message, /CREDIT_CARD/);
  assert.ok(!x.localBody!.includes("4242"));
  assert.equal(x.upstream, "", "nothing reached the upstream");
  assert.equal(x.s.filterState("aigw.pii.action"), "blocked:CREDIT_CARD");
  assert.equal(p.metrics.counter("wasmcustom.aigw.pii_mask.blocked.type.credit_card"), 1);
  for (const l of p.logs()) assert.ok(!l.includes("4242"), l);
});

test("escaped characters are decoded before scanning (\\u0040 email) and the output stays valid JSON", async () => {
  const p = await load();
  const body = chat(`write to ${EMAIL} "quoted" \\ back`).replace("@", "\\u0040");
  assert.ok(body.includes("\\u0040"));
  const x = request(p, body);
  assert.equal(JSON.parse(x.upstream).messages[0].content, 'write to [EMAIL] "quoted" \\ back');
});

test("content-part arrays, tool-call arguments and Anthropic bodies are scanned, ids and URLs too; structural words are not", async () => {
  const p = await load();
  const openai = JSON.stringify({
    model: "gpt-4o",
    messages: [
      { role: "user", content: [{ type: "text", text: `me: ${EMAIL}` }, { type: "image_url", image_url: { url: "https://x.example/a@b.com.png" } }] },
      { role: "assistant", tool_calls: [{ id: "call_a@b.com", type: "function", function: { name: "send", arguments: JSON.stringify({ to: EMAIL }) } }] },
    ],
  });
  const j = JSON.parse(request(p, openai).upstream);
  assert.equal(j.messages[0].content[0].text, "me: [EMAIL]");
  assert.equal(j.messages[0].content[1].image_url.url, "https://x.example/[EMAIL]");
  assert.equal(j.messages[1].tool_calls[0].id, "[EMAIL]");
  assert.equal(j.messages[1].tool_calls[0].type, "function");
  assert.equal(j.messages[0].content[1].type, "image_url");
  assert.deepEqual(JSON.parse(j.messages[1].tool_calls[0].function.arguments), { to: "[EMAIL]" });

  const anthropic = JSON.stringify({ model: "claude", system: `ops ${EMAIL}`, max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: `card ${CARD}` }] }] });
  const a = JSON.parse(request(p, anthropic, { headers: { ":path": "/v1/messages" } }).upstream);
  assert.equal(a.system, "ops [EMAIL]");
  assert.equal(a.messages[0].content[0].text, "card [CREDIT_CARD]");
  const emb = JSON.parse(request(p, JSON.stringify({ model: "e", input: [`a ${EMAIL}`, "b"] })).upstream);
  assert.deepEqual(emb.input, ["a [EMAIL]", "b"]);
});

test("non-JSON text is scanned as text, also when split across chunks; binary is refused unless configured to pass", async () => {
  const p = await load();
  const text = `note for ${EMAIL} and card ${CARD} end`;
  for (const cut of [5, 12, 20, 30, 40]) {
    const x = request(p, text, { contentType: "text/plain", chunks: [cut] });
    assert.equal(x.upstream, "note for [EMAIL] and card [CREDIT_CARD] end", `cut ${cut}`);
  }
  const bin = new Uint8Array([0, 1, 2, ...new TextEncoder().encode(EMAIL), 255]);
  const refused = request(p, bin, { contentType: "application/octet-stream" });
  assert.equal(refused.status, 415);
  assert.equal(JSON.parse(refused.localBody!).error.code, "unsupported_body");
  assert.equal(refused.upstream, "");
  assert.equal(refused.s.filterState("aigw.pii.request_scan"), "refused:binary");
  const q = await load({ unscannable_requests: "pass" });
  const x = request(q, bin, { contentType: "application/octet-stream" });
  assert.equal(Buffer.from(x.s.upstream.body, "utf8").includes(EMAIL), true, "binary body untouched");
  assert.equal(x.s.filterState("aigw.pii.request_scan"), "passed-unscanned:binary");
  assert.equal(q.metrics.counter("wasmcustom.aigw.pii_mask.skipped.reason.binary.direction.request"), 1);
});

test("invalid JSON declared as JSON is still scanned (as text)", async () => {
  const p = await load();
  const x = request(p, `{"messages": [ "unterminated ${EMAIL}`);
  assert.ok(!x.upstream.includes(EMAIL));
  assert.ok(x.upstream.includes("[EMAIL]"));
});

test("a JSON body over max_body_bytes gets 413 with an OpenAI error", async () => {
  const p = await load({ max_body_bytes: 4096 });
  const big = chat("x".repeat(5000));
  const x = request(p, big, { chunks: [2000, 4000] });
  assert.equal(x.status, 413);
  assert.equal(JSON.parse(x.localBody!).error.code, "request_too_large");
  assert.equal(p.metrics.counter("wasmcustom.aigw.pii_mask.rejected.reason.too_large"), 1);
});

test("clean request: unchanged body, action pass, empty counts", async () => {
  const p = await load();
  const body = chat("hello there");
  const x = request(p, body);
  assert.equal(x.upstream, body);
  assert.equal(x.s.filterState("aigw.pii.action"), "pass");
  assert.equal(x.s.filterState("aigw.pii.request"), "{}");
});

test("disabled detectors and request: false are respected; custom patterns and dictionaries detect", async () => {
  const p = await load({
    detectors: { EMAIL: false },
    custom_patterns: [{ name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}", action: "redact" }],
    dictionaries: [{ name: "PROJECT", terms: ["Bluebird"], action: "mask", keep_last: 0 }],
  });
  const j = JSON.parse(request(p, chat(`${EMAIL} EMP-123456 project bluebird`)).upstream);
  assert.equal(j.messages[0].content, `${EMAIL} [EMPLOYEE_ID] project ********`);
  const q = await load({ request: false });
  assert.equal(JSON.parse(request(q, chat(EMAIL)).upstream).messages[0].content, EMAIL);
});
