// Ways around the filter (issue 11), by class: content types, JSON fields in every dialect, stream
// event kinds. Each test sends what a client or provider would and checks no value passes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, request, respond, chat, openaiSse, sseText } from "./helpers.ts";

const CARD = "4111111111111111";
const EMAIL = "john.doe@example.com";
const enc = new TextEncoder();

function noLeak(s: string, what: string): void {
  assert.ok(!s.includes(EMAIL), `${what}: e-mail leaked: ${s.slice(0, 300)}`);
  assert.ok(!s.includes(CARD), `${what}: card leaked: ${s.slice(0, 300)}`);
}

test("content type: a chat request is scanned whatever content-type it claims, and the filter state says how", async () => {
  const p = await load();
  const body = chat(`card ${CARD} mail ${EMAIL}`);
  for (const ct of [undefined, "application/octet-stream", "application/x-json", "multipart/form-data; boundary=x", "application/json, text/plain", "text/plain", "image/png", "application/json; charset=utf-16"]) {
    const headers: Record<string, string> = {};
    const x = request(p, body, { contentType: ct ?? "", headers: ct === undefined ? { "content-type": undefined as unknown as string } : headers });
    noLeak(x.upstream, `content-type ${ct}`);
    assert.equal(JSON.parse(x.upstream).messages[0].content, "card [CREDIT_CARD] mail [EMAIL]", `content-type ${ct}`);
    assert.equal(x.s.filterState("aigw.pii.request_scan"), "scanned-as-json", `content-type ${ct}`);
    assert.equal(x.s.filterState("aigw.pii.action"), "masked");
  }
});

test("content type: text, form and multipart bodies are scanned as text; a JSON-declared body that does not parse too", async () => {
  const p = await load();
  const cases: Array<[string, string]> = [
    [`to=${EMAIL}&card=${CARD}`, "application/x-www-form-urlencoded"],
    [`--xyz\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nmail ${EMAIL} card ${CARD}\r\n--xyz--\r\n`, "multipart/form-data; boundary=xyz"],
    [`{"messages": "broken ${EMAIL} ${CARD}`, "application/json"],
    [`plain ${EMAIL} ${CARD}`, "application/octet-stream"],
  ];
  for (const [body, ct] of cases) {
    const x = request(p, body, { contentType: ct });
    noLeak(x.upstream, ct);
    assert.equal(x.s.filterState("aigw.pii.request_scan"), "scanned-as-text", ct);
  }
});

test("content type: compressed request bodies are refused with 415 (OpenAI error shape) unless configured to pass", async () => {
  const p = await load();
  const x = request(p, chat(`mail ${EMAIL}`), { headers: { "content-encoding": "gzip" } });
  assert.equal(x.status, 415);
  const e = JSON.parse(x.localBody!).error;
  assert.equal(e.type, "invalid_request_error");
  assert.equal(e.code, "unsupported_body");
  assert.equal(x.upstream, "");
  assert.equal(x.s.filterState("aigw.pii.request_scan"), "refused:compressed");
  assert.equal(x.s.filterState("aigw.pii.action"), "refused:compressed");
  assert.equal(p.metrics.counter("wasmcustom.aigw.pii_mask.rejected.reason.compressed"), 1);
  const q = await load({ unscannable_requests: "pass" });
  const y = request(q, chat(`mail ${EMAIL}`), { headers: { "content-encoding": "br" } });
  assert.equal(y.status, undefined);
  assert.equal(y.s.filterState("aigw.pii.request_scan"), "passed-unscanned:compressed");
  assert.equal(q.metrics.counter("wasmcustom.aigw.pii_mask.skipped.reason.compressed.direction.request"), 1);
  // identity is not compression
  const z = request(p, chat(`mail ${EMAIL}`), { headers: { "content-encoding": "identity" } });
  assert.equal(JSON.parse(z.upstream).messages[0].content, "mail [EMAIL]");
});

test("fields: every string that can reach the model is scanned in every dialect; structural words are kept", async () => {
  const p = await load();
  const bodies: unknown[] = [
    // OpenAI chat: name, tools and their parameter descriptions, metadata, user, response_format schema
    {
      model: "gpt-4o", user: EMAIL, metadata: { owner: EMAIL, [EMAIL]: "key", note: `card ${CARD}` },
      messages: [{ role: "user", name: EMAIL, content: "hi" }, { role: "tool", tool_call_id: "call_1", content: `r ${CARD}` }],
      tools: [{ type: "function", function: { name: "send", description: `mail ${EMAIL}`, parameters: { type: "object", properties: { to: { type: "string", description: `e.g. ${EMAIL}`, enum: [CARD] } } } } }],
      response_format: { type: "json_schema", json_schema: { name: "x", schema: { description: EMAIL } } },
      stop: [EMAIL], logit_bias: { "123": 1 },
    },
    // completions, embeddings
    { model: "gpt-3.5-turbo-instruct", prompt: [`a ${EMAIL}`], suffix: CARD },
    { model: "text-embedding-3-small", input: [`a ${EMAIL}`, CARD] },
    // Responses API
    {
      model: "gpt-4o", instructions: `you serve ${EMAIL}`, input: [
        { type: "message", role: "user", content: [{ type: "input_text", text: EMAIL }, { type: "input_image", image_url: `https://x/${EMAIL}` }] },
        { type: "function_call_output", call_id: "c1", output: `card ${CARD}` },
      ], metadata: { k: EMAIL }, text: { format: { type: "text" } },
    },
    { model: "gpt-4o", input: `just ${EMAIL}` },
    // Anthropic messages incl. system blocks, tool_result, tool_use input keys, thinking
    {
      model: "claude-sonnet", max_tokens: 100, system: [{ type: "text", text: EMAIL, cache_control: { type: "ephemeral" } }],
      metadata: { user_id: EMAIL },
      messages: [
        { role: "assistant", content: [{ type: "thinking", thinking: `card ${CARD}`, signature: "sig" }, { type: "tool_use", id: "t1", name: "lookup", input: { [EMAIL]: CARD, nested: [{ q: EMAIL }] } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: CARD }], is_error: false }] },
        { role: "user", content: [{ type: "document", source: { type: "text", media_type: "text/plain", data: `doc ${EMAIL}` }, title: EMAIL }] },
      ],
      tools: [{ name: "lookup", description: `find ${EMAIL}`, input_schema: { type: "object", properties: { q: { type: "string", description: CARD } } } }],
    },
    // a structural key name nested where it is not structural carries data: still scanned
    { model: "gpt-4o", messages: [{ role: "user", content: "x" }], metadata: { model: EMAIL, role: CARD, type: `mail ${EMAIL}`, id: EMAIL } },
    // a root that is not an object
    [{ role: "user", content: EMAIL }], `"${EMAIL}"`,
  ];
  for (const b of bodies) {
    const s = typeof b === "string" ? b : JSON.stringify(b);
    const x = request(p, s);
    noLeak(x.upstream, s.slice(0, 60));
    JSON.parse(x.upstream);
  }
  // structural values untouched
  const j = JSON.parse(request(p, JSON.stringify(bodies[0])).upstream);
  assert.equal(j.model, "gpt-4o");
  assert.equal(j.messages[1].role, "tool");
  assert.equal(j.tools[0].type, "function");
  assert.equal(j.tools[0].function.parameters.properties.to.type, "string");
  assert.equal(j.messages[0].name, "[EMAIL]");
  assert.equal(j.metadata["[EMAIL]"], "key");
});

test("answers: every string of a JSON answer is scanned (OpenAI, Responses output_text, Anthropic)", async () => {
  const p = await load();
  const answers = [
    { id: "c", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: EMAIL, refusal: CARD, tool_calls: [{ id: "x", type: "function", function: { name: "f", arguments: JSON.stringify({ a: EMAIL }) } }] }, finish_reason: "stop" }] },
    { id: "resp_1", object: "response", output_text: `buffered ${EMAIL}`, output: [{ type: "message", role: "assistant", content: [{ type: "output_text", text: CARD, annotations: [] }] }] },
    { id: "m", type: "message", role: "assistant", content: [{ type: "text", text: EMAIL }, { type: "thinking", thinking: CARD }], stop_reason: "end_turn" },
  ];
  for (const a of answers) {
    const x = request(p, chat("hi"));
    const out = respond(x.s, [JSON.stringify(a)]);
    noLeak(out, JSON.stringify(a).slice(0, 50));
    JSON.parse(out);
  }
});

test("answers without a reliable content-type are sniffed: JSON, event stream, text; binary passes and says so", async () => {
  const p = await load();
  const json = JSON.stringify({ choices: [{ message: { content: EMAIL } }] });
  for (const ct of ["application/octet-stream", "text/plain", undefined]) {
    const x = request(p, chat("hi"));
    const h: Record<string, string> = { ":status": "200" };
    if (ct) h["content-type"] = ct;
    const out = respond(x.s, [json.slice(0, 10), json.slice(10)], h);
    assert.equal(JSON.parse(out).choices[0].message.content, "[EMAIL]");
    assert.equal(x.s.filterState("aigw.pii.response_scan"), "scanned-as-json");
  }
  const x = request(p, chat("hi"));
  const out = respond(x.s, [openaiSse([`mail ${EMAIL}`])], { ":status": "200" });
  assert.equal(sseText(out), "mail [EMAIL]");
  const t = request(p, chat("hi"));
  assert.equal(respond(t.s, [`plain ${EMAIL} text`], { ":status": "200", "content-type": "application/x-foo" }), "plain [EMAIL] text");
  const b = request(p, chat("hi"));
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  respond(b.s, [png], { ":status": "200", "content-type": "image/png" });
  assert.equal(b.s.filterState("aigw.pii.response_scan"), "passed-unscanned:binary");
});

test("streams: data lines that are not JSON are scanned as text; Responses API events are scanned", async () => {
  const p = await load();
  const x = request(p, chat("hi"));
  const body = `data: mail ${EMAIL} now\n\ndata: ${CARD}\ndata: more\n\nevent: x\ndata: {"broken": "${EMAIL}\n\ndata: [DONE]\n\n`;
  const out = respond(x.s, [body], { ":status": "200", "content-type": "text/event-stream" });
  noLeak(out, "non-JSON data");
  assert.ok(out.includes("data: mail [EMAIL] now"));
  assert.ok(out.includes("data: [DONE]"));
  // Responses API: deltas split an entity; done events and the completed response carry it whole.
  const ev = (type: string, d: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...d })}\n\n`;
  const pieces = ["mail john.d", "oe@exam", "ple.com and ", "4111 1111 ", "1111 1111 ok"];
  let sse = ev("response.created", { response: { id: "r", object: "response", status: "in_progress", output: [] } });
  sse += ev("response.output_item.added", { output_index: 0, item: { id: "msg_1", type: "message", role: "assistant", content: [] } });
  for (const piece of pieces) sse += ev("response.output_text.delta", { item_id: "msg_1", output_index: 0, content_index: 0, delta: piece });
  const full = pieces.join("");
  sse += ev("response.output_text.done", { item_id: "msg_1", output_index: 0, content_index: 0, text: full });
  sse += ev("response.completed", { response: { id: "r", object: "response", status: "completed", output_text: full, output: [{ type: "message", content: [{ type: "output_text", text: full }] }] } });
  for (const chunking of [[sse], sse.match(/[\s\S]{1,7}/g)!]) {
    const y = request(p, chat("hi"));
    const o = respond(y.s, chunking, { ":status": "200", "content-type": "text/event-stream" });
    assert.ok(!o.includes("john.d") || !o.includes("oe@exam"), "split e-mail");
    assert.ok(!o.includes(EMAIL) && !o.includes("4111 1111 1111 1111"), o);
    let deltas = "";
    for (const block of o.split("\n\n")) {
      const line = block.split("\n").find((l) => l.startsWith("data: "));
      if (!line) continue;
      const j = JSON.parse(line.slice(6));
      if (j.type === "response.output_text.delta") deltas += j.delta;
      if (j.type === "response.output_text.done") assert.equal(j.text, "mail [EMAIL] and [CREDIT_CARD] ok");
    }
    assert.equal(deltas, "mail [EMAIL] and [CREDIT_CARD] ok");
  }
});

test("streams: an entity split across SSE events whose data is not JSON is found (the client joins their data), at every split and chunk cut", async () => {
  const p = await load({ detectors: { EMAIL: "redact", CREDIT_CARD: "redact" } });
  const text = "mail alice@example.com now, card 4111 1111 1111 1111 thanks";
  const want = "mail [EMAIL] now, card [CREDIT_CARD] thanks";
  const joined = (o: string) => o.split(/\n\n/).map((b) => b.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(6)).join("\n")).filter((d) => d !== "[DONE]").join("");
  for (let at = 1; at < text.length; at++) {
    const sse = `data: ${text.slice(0, at)}\n\ndata: ${text.slice(at)}\n\ndata: [DONE]\n\n`;
    // one chunk, and the two events in separate chunks
    for (const parts of [[sse], [sse.slice(0, at + 8), sse.slice(at + 8)]]) {
      const x = request(p, chat("hi"));
      const out = respond(x.s, parts, { ":status": "200", "content-type": "text/event-stream" });
      assert.equal(joined(out), want, `split at ${at}: ${JSON.stringify(out)}`);
      assert.ok(out.endsWith("data: [DONE]\n\n"), out);
    }
  }
  // An event name or id that holds an entity: the whole event is still scanned (nothing carried past it).
  const x = request(p, chat("hi"));
  const out = respond(x.s, [`data: mail alice@exa\n\nid: bob@example.com\ndata: mple.com now\n\n`], { ":status": "200", "content-type": "text/event-stream" });
  assert.ok(!out.includes("bob@example.com") && !out.includes("alice@exa\n"), out);
});

test("streams: strings of delta events other than the text (ids, model, keys) are scanned too", async () => {
  const p = await load();
  const x = request(p, chat("hi"));
  const chunk = (c: string) => `data: ${JSON.stringify({ id: EMAIL, model: "gpt-4o", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: c } }] })}\n\n`;
  const out = respond(x.s, [chunk("a "), chunk("b "), chunk("c")], { ":status": "200", "content-type": "text/event-stream" });
  noLeak(out, "chunk ids");
  assert.equal(sseText(out), "a b c");
});

test("unicode: look-alike separators, full-width digits, zero-width characters and escapes are folded; the original bytes are masked", async () => {
  const p = await load({ detectors: { CREDIT_CARD: "redact", EMAIL: "redact", US_SSN: "redact" } });
  const cases: Array<[string, string]> = [
    ["card 4111\u00a01111\u00a01111\u00a01111 ok", "card [CREDIT_CARD] ok"],
    ["card 4111\u20091111\u20091111\u20091111 ok", "card [CREDIT_CARD] ok"],
    ["card 4111\u20131111\u20131111\u20131111 ok", "card [CREDIT_CARD] ok"],
    ["card \uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11 ok", "card [CREDIT_CARD] ok"],
    ["card 41\u200b11111111111111 ok", "card [CREDIT_CARD] ok"],
    ["mail jo\u200bhn.doe@exa\u200dmple.com ok", "mail [EMAIL] ok"],
    ["mail john.doe\uff20example.com ok", "mail [EMAIL] ok"],
    ["mail john.doe%40example.com ok", "mail [EMAIL] ok"],
    ["mail john.doe&#64;example.com ok", "mail [EMAIL] ok"],
    ["mail john.doe&#x40;example.com ok", "mail [EMAIL] ok"],
    ["ssn 123\u201145\u20116789 ok", "ssn [US_SSN] ok"],
    ["\u00a0nothing\u00a0here\u2013at all\u200b", "\u00a0nothing\u00a0here\u2013at all\u200b"],
  ];
  for (const [input, want] of cases) {
    assert.equal(JSON.parse(request(p, chat(input)).upstream).messages[0].content, want, JSON.stringify(input));
  }
  // double-encoded JSON in tool-call arguments: \\u0040 inside the arguments string
  const args = '{"to":"john.doe\\u0040example.com"}';
  const body = JSON.stringify({ model: "m", messages: [{ role: "assistant", tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: args } }] }] });
  const out = request(p, body).upstream;
  assert.ok(!out.includes("john.doe"), out);
  // mask keeps the shape and masks the original characters
  const q = await load({ detectors: { CREDIT_CARD: { action: "mask", keep_last: 4 } } });
  const masked = JSON.parse(request(q, chat("card \uff14\uff11\uff11\uff11\u00a01111\u00a01111\u00a01111")).upstream).messages[0].content;
  assert.ok(masked.endsWith("1111") && !masked.includes("\uff14"), masked);
  // streamed answers: a card grouped with U+00A0, split inside the multi-byte characters
  const x = request(p, chat("hi"));
  const text = "your card 4111\u00a01111\u00a01111\u00a01111 and mail jo\u200bhn.doe@example.com done";
  const bytes = enc.encode(text);
  for (let cut = 1; cut < bytes.length; cut += 1) {
    const y = request(p, chat("hi"));
    const o = respond(y.s, [bytes.subarray(0, cut), bytes.subarray(cut)], { ":status": "200", "content-type": "text/plain" });
    assert.equal(o, "your card [CREDIT_CARD] and mail [EMAIL] done", `cut ${cut}`);
  }
  void x;
});

test("fields: a JSON value under a secret-looking key is judged with its key as the label", async () => {
  const p = await load();
  const body = JSON.stringify({
    model: "claude", max_tokens: 10, metadata: { password: "Xk9#mPq2$vLw7!Rt", note: "Xk9#mPq2$vLw7!Rt", api_key: "changeme" },
    messages: [{ role: "assistant", content: [{ type: "tool_use", id: "t", name: "aws", input: { aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "eu-west-1" } }] }],
  });
  const x = request(p, body);
  const j = JSON.parse(x.upstream);
  assert.equal(j.metadata.password, "[GENERIC_SECRET]");
  assert.equal(j.metadata.note, "Xk9#mPq2$vLw7!Rt", "no label, no secret");
  assert.equal(j.metadata.api_key, "changeme", "low entropy is no secret");
  assert.equal(j.messages[0].content[0].input.aws_secret_access_key, "[AWS_SECRET_KEY]");
  assert.equal(j.messages[0].content[0].input.region, "eu-west-1");
});

test("a very large string is rewritten in windows with the same result (entities across window edges)", async () => {
  const p = await load({ max_body_bytes: 4 << 20 });
  const unit = "mail jane.doe@example.com card 4111\u00a01111\u00a01111\u00a01111 key -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY----- ";
  let text = "";
  let pad = 0;
  while (text.length < 700_000) { text += "x".repeat(pad % 97) + " " + unit; pad += 13; }
  const want = text.replaceAll("jane.doe@example.com", "[EMAIL]").replaceAll("4111\u00a01111\u00a01111\u00a01111", "[CREDIT_CARD]")
    .replaceAll("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----", "[PRIVATE_KEY]");
  const j = JSON.parse(request(p, chat(text)).upstream);
  assert.equal(j.messages[0].content, want);
  // Written ASCII-only (\uXXXX escapes, surrogate pairs) the string is decoded window by window: same result.
  const asciiJson = chat(text + " caf\u00e9 \u{1f600}").replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  assert.equal(JSON.parse(request(p, asciiJson).upstream).messages[0].content, want + " caf\u00e9 \u{1f600}");
  // A large string with escapes and nothing to mask keeps its exact bytes.
  const clean = chat("plain\nline \u00e9 ".repeat(40_000)).replace(/\u00e9/g, "\\u00e9");
  assert.equal(request(p, clean).upstream, clean);
  const x = request(p, chat("hi"));
  assert.equal(respond(x.s, [text], { ":status": "200", "content-type": "text/plain" }), want);
});

test("query string: personal data in the request's query (it reaches the provider with the path) is masked or blocked, escapes decoded", async () => {
  const p = await load({ detectors: { EMAIL: "redact", CREDIT_CARD: "block" } });
  for (const q of [`user=${EMAIL}`, `user=${EMAIL.replace("@", "%40")}`, `u=${encodeURIComponent(EMAIL).replace(/o/g, "%6F")}`, `a=1&note=mail+${EMAIL}+now&b=2`]) {
    const x = request(p, chat("hello"), { headers: { ":path": `/v1/chat/completions?${q}` } });
    const path = x.upstreamHeaders[":path"];
    assert.ok(path !== undefined && !decodeURIComponent(path.replace(/\+/g, " ")).includes(EMAIL), `${q}: ${path}`);
    assert.match(decodeURIComponent(path), /\[EMAIL\]/, q);
    assert.equal(x.s.filterState("aigw.pii.action"), "masked", q);
  }
  // Parameters without findings keep their bytes; a card is refused before the provider.
  const kept = request(p, chat("hello"), { headers: { ":path": "/v1/chat/completions?api-version=2024-10-21&x=%zz&mail=" + EMAIL } });
  assert.equal(kept.upstreamHeaders[":path"], "/v1/chat/completions?api-version=2024-10-21&x=%zz&mail=%5BEMAIL%5D");
  const card = request(p, chat("hello"), { headers: { ":path": `/v1/chat/completions?c=${CARD.replace(/(\d{4})/g, "$1+")}` } });
  assert.equal(card.status, 400);
  assert.equal(card.s.upstream.headers, null, "nothing went upstream");
  // A bodiless GET too: the state says what was found.
  const s = p.newStream();
  s.requestHeaders({ ":method": "GET", ":path": `/v1/models?owner=${EMAIL}`, ":authority": "api.example" }, true);
  assert.doesNotMatch(s.upstream.headers!.get(":path")!, /example\.com/);
  assert.deepEqual(JSON.parse(s.filterState("aigw.pii.request")!), { EMAIL: 1 });
});

test("base64 documents: a text file the model reads, carried base64 (Anthropic document source, OpenAI file_data, Responses input_file), is scanned decoded and re-encoded masked", async () => {
  const p = await load({ detectors: { EMAIL: "redact", CREDIT_CARD: "block" } });
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const decodedOf = (v: string) => Buffer.from(v.replace(/^data:[^,]*;base64,/, ""), "base64").toString("utf8");
  const text = `Contract for ${EMAIL}, signed.`;
  const bodies: Array<[string, unknown, (u: any) => string]> = [
    ["anthropic document", { model: "m", max_tokens: 9, messages: [{ role: "user", content: [{ type: "document", source: { type: "base64", media_type: "text/plain", data: b64(text) } }] }] }, (u) => u.messages[0].content[0].source.data],
    ["openai file_data", { model: "m", messages: [{ role: "user", content: [{ type: "file", file: { filename: "c.txt", file_data: `data:text/plain;base64,${b64(text)}` } }] }] }, (u) => u.messages[0].content[0].file.file_data],
    ["responses input_file", { model: "m", input: [{ role: "user", content: [{ type: "input_file", filename: "c.md", file_data: `data:text/markdown;charset=utf-8;base64,${b64(text)}` }] }] }, (u) => u.input[0].content[0].file_data],
    ["unpadded", { model: "m", x: { data: b64(text).replace(/=+$/, "") } }, (u) => u.x.data],
  ];
  for (const [what, body, pick] of bodies) {
    const x = request(p, JSON.stringify(body));
    const v = pick(JSON.parse(x.upstream));
    assert.equal(decodedOf(v), "Contract for [EMAIL], signed.", what);
    assert.equal(x.s.filterState("aigw.pii.action"), "masked", what);
  }
  const card = request(p, JSON.stringify({ model: "m", messages: [{ role: "user", content: [{ type: "document", source: { type: "base64", media_type: "text/plain", data: b64(`pay with ${CARD}`) } }] }] }));
  assert.equal(card.status, 400, "a block rule fires inside the document");
  // Binary payloads (an image) and text without findings pass byte for byte.
  const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
  const plain = JSON.stringify({ model: "m", messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: png } }, { type: "document", source: { type: "base64", media_type: "text/plain", data: b64("nothing personal") } }] }] });
  assert.equal(request(p, plain).upstream, plain);
});

test("Unicode: every default-ignorable character a renderer shows as nothing (not only U+200B-like ones), C0 controls other than white space, DEL and C1 controls are absent inside an entity, streamed or not", async () => {
  const p = await load({ detectors: { EMAIL: "redact", CREDIT_CARD: "block" } });
  const hidden = ["\u034f", "\u061c", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180b", "\u180f", "\u3164", "\ufe00", "\ufe0f", "\uffa0", "\ufff0", "\ufff8", "\u0080", "\u0091", "\u009f", "\u0000", "\u0007", "\u001b", "\u001f", "\u007f"];
  for (const h of hidden) {
    const name = `U+${h.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    const x = request(p, chat(`mail jane${h}.doe@exa${h}mple.com`));
    assert.equal(JSON.parse(x.upstream).messages[0].content, "mail [EMAIL]", name);
    assert.equal(request(p, chat(`card 4111${h}1111${h}1111${h}1111`)).status, 400, name);
    // In an answer streamed one byte at a time: the character is cut between chunks.
    const s = request(p, chat("hi")).s;
    const body = JSON.stringify({ choices: [{ message: { role: "assistant", content: `write to jane.doe${h}@example.com` } }] });
    const bytes = new TextEncoder().encode(`data: ${body}\n\ndata: [DONE]\n\n`);
    s.responseHeaders({ ":status": "200", "content-type": "text/event-stream" }, false);
    for (let i = 0; i < bytes.length; i++) s.responseBody(bytes.subarray(i, i + 1), i === bytes.length - 1);
    assert.ok(!s.client.body.includes("jane.doe") && s.client.body.includes("[EMAIL]"), `${name} streamed: ${s.client.body.slice(0, 200)}`);
  }
  // U+0085 (next line) is a separator, not part of a word.
  assert.equal(request(p, chat("card 4111\u00851111\u00851111\u00851111")).status, 400);
});

test("a body ended by request trailers is refused, never passed on unscanned", async () => {
  const { HeaderMap } = await import("../../../host-test/src/headers.ts");
  const p = await load({ detectors: { EMAIL: "redact" } });
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "x", "content-type": "application/json" }, false);
  s.requestBody(chat(`mail ${EMAIL}`), false);
  // Envoy calls decodeTrailers on a filter that buffers the body (StopIterationAndBuffer), and a
  // Continue there sends the buffered body on (FilterManager::commonHandleAfterTrailersCallback);
  // host-test holds the trailers instead, so the filter's callback is driven directly.
  const filter = (s.stream as unknown as { filters: Array<{ decodeTrailers(t: unknown): number }> }).filters[0];
  assert.notEqual(filter.decodeTrailers(new HeaderMap([["x-checksum", "1"]])), 0, "not Continue");
  assert.equal(s.localReply?.status, 400);
  assert.equal(JSON.parse(s.localReply!.body).error.code, "request_trailers_unsupported");
  assert.equal(s.filterState("aigw.pii.action"), "refused:trailers");
  assert.ok(!s.upstream.body.includes(EMAIL));
});

/** `s` with its ASCII digits written in the digit system whose zero is `zero`. */
function digitsIn(s: string, zero: number): string {
  return s.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
}
/** First code point of every run of ten decimal digits (general category Nd) outside ASCII and full-width. */
function digitZeros(): number[] {
  const zeros: number[] = [];
  for (let c = 0x80; c < 0x110000; c++) {
    if (c === 0xff10 || !/\p{Nd}/u.test(String.fromCodePoint(c))) continue;
    if (!/\p{Nd}/u.test(String.fromCodePoint(c - 1)) || (c - zeros[zeros.length - 1]) % 10 === 0) zeros.push(c);
  }
  return zeros;
}

test("Unicode: a number written in any decimal digit system (Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Thai, mathematical, ...) is found and its original characters masked", async () => {
  const p = await load({ detectors: { CREDIT_CARD: "redact", US_SSN: "redact", PHONE: "redact" } });
  const zeros = digitZeros();
  assert.ok(zeros.length >= 70, `${zeros.length} digit systems`);
  for (const z of zeros) {
    const name = `U+${z.toString(16).toUpperCase()}`;
    for (const [plain, want] of [["card 4111 1111 1111 1111 ok", "card [CREDIT_CARD] ok"], ["ssn 123-45-6789 ok", "ssn [US_SSN] ok"], ["call 415-555-0132 ok", "call [PHONE] ok"]]) {
      const x = request(p, chat(digitsIn(plain, z)));
      assert.equal(JSON.parse(x.upstream).messages[0].content, want, `${name}: ${plain}`);
    }
  }
  // Mixed with ASCII digits, and in an answer streamed at every byte offset (the characters are cut).
  const text = `card ${digitsIn("4111", 0x660)} ${digitsIn("1111", 0x6f0)} 1111 ${digitsIn("1111", 0x966)} and ${digitsIn("4111111111111111", 0x1d7ce)} done`;
  const bytes = enc.encode(text);
  for (let cut = 1; cut < bytes.length; cut++) {
    const y = request(p, chat("hi"));
    const o = respond(y.s, [bytes.subarray(0, cut), bytes.subarray(cut)], { ":status": "200", "content-type": "text/plain" });
    assert.equal(o, "card [CREDIT_CARD] and [CREDIT_CARD] done", `cut ${cut}`);
  }
  // Digits of other systems in ordinary text are left as they are.
  const prose = "\u0627\u0644\u0633\u0646\u0629 \u0662\u0660\u0662\u0664 \u0648 \u0967\u0968 \u0e51\u0e52";
  assert.equal(JSON.parse(request(p, chat(prose)).upstream).messages[0].content, prose);
});

test("Unicode: default-ignorable characters above U+FFFF (tags U+E0000-E0FFF, musical format controls U+1D173-1D17A, shorthand format controls) are absent inside an entity, streamed or not", async () => {
  const p = await load({ detectors: { EMAIL: "redact", CREDIT_CARD: "block" } });
  for (const cp of [0xe0001, 0xe0020, 0xe0041, 0xe007f, 0xe0100, 0xe01ef, 0xe0fff, 0x1d173, 0x1d17a, 0x1bca0, 0x1bca3]) {
    const h = String.fromCodePoint(cp);
    const name = `U+${cp.toString(16).toUpperCase()}`;
    assert.equal(JSON.parse(request(p, chat(`mail jane${h}.doe@exa${h}mple.com`)).upstream).messages[0].content, "mail [EMAIL]", name);
    assert.equal(request(p, chat(`card 4111${h}1111${h}1111${h}1111`)).status, 400, name);
    const text = `write to jane.doe${h}@example.com now`;
    const bytes = enc.encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const y = request(p, chat("hi"));
      assert.equal(respond(y.s, [bytes.subarray(0, cut), bytes.subarray(cut)], { ":status": "200", "content-type": "text/plain" }), "write to [EMAIL] now", `${name} cut ${cut}`);
    }
  }
});

test("cards: any grouping and mixed separators, with ignorable characters between digits, are found; longer numbers are not cards", async () => {
  const p = await load({ detectors: { CREDIT_CARD: "redact" } });
  const cases: Array<[string, string]> = [
    ["card 4111\u200b1111 1111 1111 ok", "card [CREDIT_CARD] ok"],
    ["card 41111111 1111 1111 ok", "card [CREDIT_CARD] ok"],
    ["card 4111 1111-1111 1111 ok", "card [CREDIT_CARD] ok"],
    ["card 4111-1111 1111\u00a01111 ok", "card [CREDIT_CARD] ok"],
    ["card 411111 111111 1111 ok", "card [CREDIT_CARD] ok"],
    ["card 4111\u2060 1111\u200d 1111 1111 ok", "card [CREDIT_CARD] ok"],
    ["card 4111 1111 1111\u200b1111 ok", "card [CREDIT_CARD] ok"],
    ["card 5555\u200b5555\u200b5555 4444 ok", "card [CREDIT_CARD] ok"],
    ["card 3782 822463 10005 ok", "card [CREDIT_CARD] ok"],
    ["card 4111 1111 1111 1111 cvv 123", "card [CREDIT_CARD] cvv 123"],
    ["card 41111111 1111 1111 123 ok", "card [CREDIT_CARD] 123 ok"],
    // Dots when every group has them, at the end of a sentence too.
    ["card 4111.1111.1111.1111 ok", "card [CREDIT_CARD] ok"],
    ["my card is 5555.5555.5555.4444.", "my card is [CREDIT_CARD]."],
    ["amex 3782.822463.10005 ok", "amex [CREDIT_CARD] ok"],
    // Not cards: a longer grouped number, a failing check digit.
    ["ref 4111 1111 1111 1111 11111 ok", "ref 4111 1111 1111 1111 11111 ok"],
    ["ref 41111111 1111 1112 ok", "ref 41111111 1111 1112 ok"],
    ["ref 4111.1111.1111.1111.1111 ok", "ref 4111.1111.1111.1111.1111 ok"],
  ];
  for (const [input, want] of cases) assert.equal(JSON.parse(request(p, chat(input)).upstream).messages[0].content, want, JSON.stringify(input));
  // Streamed at every byte offset.
  const text = "pay 4111\u200b1111 1111-1111 now";
  const bytes = enc.encode(text);
  for (let cut = 1; cut < bytes.length; cut++) {
    const y = request(p, chat("hi"));
    assert.equal(respond(y.s, [bytes.subarray(0, cut), bytes.subarray(cut)], { ":status": "200", "content-type": "text/plain" }), "pay [CREDIT_CARD] now", `cut ${cut}`);
  }
});
