// Answer moderation: response rules over JSON answers, OpenAI and Anthropic streams (a match split
// across events included) and plain text; after a hit mid-stream a final error event and [DONE],
// then nothing.
import { test } from "node:test";
import zlib from "node:zlib";
import assert from "node:assert/strict";
import { load, request, respond, chat, openaiSse, anthropicSse } from "./helpers.ts";

const RULES = { rules: [
  { name: "leak", pattern: "internal use only", direction: "response" },
  { name: "codeword", phrases: ["bluebird"], direction: "both", action: "block" },
  { name: "watch", phrases: ["refund"], direction: "response", action: "log" },
] };

test("a JSON answer with a denied phrase has its text replaced; the shape stays an OpenAI completion", async () => {
  const p = await load(RULES);
  const x = request(p, chat("hello"));
  const body = JSON.stringify({ id: "c", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "This is INTERNAL use\u200b only: 42" }, finish_reason: "stop" }] });
  const out = JSON.parse(respond(x.s, [body.slice(0, 30), body.slice(30)]));
  assert.equal(out.choices[0].message.content, "[answer withheld by the gateway's content policy]");
  assert.equal(out.id, "c");
  assert.equal(x.s.filterState("aigw.guard.answer"), "block:leak");
  assert.equal(p.metrics.counter("wasmcustom.aigw.prompt_guard.answers.action.block"), 1);
  assert.equal(p.metrics.counter("wasmcustom.aigw.prompt_guard.rule_hits.rule.leak.direction.response"), 1);
  const y = request(p, chat("hello"));
  const fine = JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: "All good" } }] });
  assert.equal(respond(y.s, [fine]), fine);
  assert.equal(y.s.filterState("aigw.guard.answer"), "pass");
});

test("a log rule on answers records without changing anything", async () => {
  const p = await load(RULES);
  const x = request(p, chat("hello"));
  const body = JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: "You get a refund." } }] });
  assert.equal(respond(x.s, [body]), body);
  assert.equal(x.s.filterState("aigw.guard.answer"), "log:watch");
});

const SSE = { ":status": "200", "content-type": "text/event-stream" };

test("OpenAI stream: a hit split across two events stops the answer with an error event and [DONE]; later chunks are dropped", async () => {
  const p = await load(RULES);
  const x = request(p, chat("hello"));
  const stream = openaiSse(["Sure. This is inter", "nal use only, the plan is", " secret", " more text"]);
  const cut = stream.indexOf("more text");
  const out = respond(x.s, [stream.slice(0, 150), stream.slice(150, cut), stream.slice(cut)], SSE);
  const events = out.split("\n\n").filter(Boolean);
  assert.ok(out.includes("Sure. This is inter"), "text before the hit went out");
  assert.ok(!out.includes("nal use only"), "the event completing the hit is dropped");
  assert.ok(!out.includes("more text"));
  const err = JSON.parse(events[events.length - 2].slice(6));
  assert.equal(err.error.code, "answer_blocked");
  assert.equal(events[events.length - 1], "data: [DONE]");
  assert.equal(x.s.filterState("aigw.guard.answer"), "block:leak");
});

test("Anthropic stream: a hit ends with an error event", async () => {
  const p = await load(RULES);
  const x = request(p, chat("hello"), { path: "/v1/messages" });
  const out = respond(x.s, [anthropicSse(["The word is blue", "bird, of course", " and more"])], SSE);
  assert.ok(out.includes("event: message_start"));
  assert.ok(out.includes("The word is blue"));
  assert.ok(!out.includes("and more"));
  assert.match(out, /event: error\ndata: \{"type":"error","error":\{"type":"invalid_request_error","message":"[^"]*codeword/);
  assert.ok(!out.includes("message_stop"));
});

test("a clean stream passes byte for byte, whatever its chunking", async () => {
  const p = await load(RULES);
  const stream = openaiSse(["Hello", " there,", " friend"]);
  for (const cut of [1, 7, 50, stream.length - 3]) {
    const x = request(p, chat("hello"));
    assert.equal(respond(x.s, [stream.slice(0, cut), stream.slice(cut)], SSE), stream);
  }
});

test("plain-text answers: on a hit the rest is replaced by a notice", async () => {
  const p = await load(RULES);
  const x = request(p, chat("hello"));
  const out = respond(x.s, ["first part, ", "now BLUEBIRD ", "and the rest"], { ":status": "200", "content-type": "text/plain" });
  assert.equal(out, "first part, [answer withheld by the gateway's content policy]");
});

test("a denied phrase in the request itself is refused (direction both)", async () => {
  const p = await load(RULES);
  assert.equal(request(p, chat("say bluebird")).status, 403);
});

test("without response rules, answers are not touched and accept-encoding is kept", async () => {
  const p = await load({});
  const x = request(p, chat("hello"), { headers: { "accept-encoding": "gzip" } });
  assert.equal(x.upstreamHeaders["accept-encoding"], "gzip");
  const q = await load(RULES);
  const y = request(q, chat("hello"), { headers: { "accept-encoding": "gzip" } });
  assert.equal(y.upstreamHeaders["accept-encoding"], undefined, "answers must come uncompressed to be checked");
});

test("SSE data that is not JSON is checked, joined across events as a client joins it (comments, data-less events, CRLF/CR between), at every split", async () => {
  const p = await load(RULES);
  for (const eol of ["\n", "\r\n", "\r"]) {
    const stream = `data: the blue${eol}${eol}: keep-alive${eol}${eol}event: x${eol}${eol}data: bird flies${eol}${eol}data: more${eol}${eol}`;
    for (let cut = 0; cut < stream.length; cut++) {
      const x = request(p, chat("hello"));
      const out = respond(x.s, cut === 0 ? [stream] : [stream.slice(0, cut), stream.slice(cut)], SSE);
      assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword", `${JSON.stringify(eol)} cut ${cut}`);
      assert.ok(!out.includes("bird flies") && !out.includes("more"), `${JSON.stringify(eol)} cut ${cut}: ${JSON.stringify(out)}`);
      assert.match(out, /answer_blocked|event: error/); // an `event:` line makes it an Anthropic-style error
    }
  }
  // On its own too, and in a data event that only looks like JSON.
  for (const stream of ["data: a bluebird\n\n", 'data: {"choices": bluebird\n\n']) {
    const x = request(p, chat("hello"));
    respond(x.s, [stream], SSE);
    assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword", stream);
  }
});

test("after an SSE event larger than max_body_bytes the rest of the answer is still checked, as text", async () => {
  const p = await load({ ...RULES, max_body_bytes: 1024 });
  const big = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "x ".repeat(1000) } }] })}\n\n`;
  const x = request(p, chat("hello"));
  const out = respond(x.s, [big.slice(0, 1500), big.slice(1500) + "data: the blue", "bird and more\n\n", "data: tail\n\n"], SSE);
  assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword");
  assert.ok(!out.includes("bird and more") && !out.includes("tail"), out.slice(-200));
  assert.match(out, /answer_blocked/);
  // A clean oversized stream still passes byte for byte.
  const y = request(p, chat("hello"));
  assert.equal(respond(y.s, [big.slice(0, 1500), big.slice(1500), "data: fine\n\n"], SSE), big + "data: fine\n\n");
});

test("every string an answer shows is checked: a refusal, a Responses output_text, a Gemini part, reasoning, a done event's whole text", async () => {
  const p = await load(RULES);
  const JSON_CT = { ":status": "200", "content-type": "application/json" };
  const jsonAnswers: Array<[string, unknown]> = [
    ["/v1/chat/completions", { choices: [{ index: 0, message: { role: "assistant", content: null, refusal: "a bluebird" } }] }],
    ["/v1/responses", { object: "response", output: [{ type: "message", role: "assistant", content: [{ type: "output_text", text: "a bluebird" }] }] }],
    ["/v1beta/models/g:generateContent", { candidates: [{ content: { role: "model", parts: [{ text: "a bluebird" }] } }] }],
  ];
  for (const [path, a] of jsonAnswers) {
    const x = request(p, chat("hello"), { path });
    const out = respond(x.s, [JSON.stringify(a)], JSON_CT);
    assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword", path);
    assert.ok(!out.includes("bluebird") && out.includes("answer withheld"), out);
    JSON.parse(out);
  }
  const ev = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const streams: string[] = [
    ev({ choices: [{ index: 0, delta: { refusal: "a bluebird" } }] }),
    ev({ choices: [{ index: 0, delta: { reasoning_content: "a bluebird" } }] }),
    `event: response.output_text.done\n` + ev({ type: "response.output_text.done", text: "a bluebird" }),
  ];
  for (const st of streams) {
    const x = request(p, chat("hello"));
    const out = respond(x.s, [st + "data: [DONE]\n\n"], SSE);
    assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword", st);
    assert.ok(!out.includes("bluebird"), out);
  }
  // Ids, object names and the like do not break a phrase split between two deltas.
  const x = request(p, chat("hello"));
  respond(x.s, [openaiSse(["the blue", "bird"])], SSE);
  assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword");
});

test("a refusal or reasoning text split across deltas is joined like the content", async () => {
  const p = await load(RULES);
  for (const key of ["refusal", "reasoning_content", "reasoning"]) {
    const ev = (t: string) => `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { [key]: t } }] })}\n\n`;
    const x = request(p, chat("hello"));
    const out = respond(x.s, [ev("the blue"), ev("bird flies") + "data: [DONE]\n\n"], SSE);
    assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword", key);
    assert.ok(!out.includes("bird flies"), out);
  }
});

test("Gemini answers: a denied phrase split between two streamed text parts is found", async () => {
  const p = await load(RULES);
  const ev = (t: string) => `data: ${JSON.stringify({ candidates: [{ content: { role: "model", parts: [{ text: t }] }, index: 0 }] })}\n\n`;
  const x = request(p, chat("hello"), { path: "/v1beta/models/g:streamGenerateContent" });
  const out = respond(x.s, [ev("the blue"), ev("bird flies")], SSE);
  assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword");
  assert.ok(!out.includes("bird flies"), out);
});

test("an answer that comes compressed anyway (gzip, br, any content-encoding) cannot be checked: it is withheld as a 502 error, never passed unread", async () => {
  const p = await load(RULES);
  const json = JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: "the bluebird flies" } }] });
  const sse = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "the bluebird" } }] })}\n\ndata: [DONE]\n\n`;
  const cases: Array<[string, string, Buffer]> = [
    ["gzip", "application/json", zlib.gzipSync(json)],
    ["GZIP", "text/event-stream", zlib.gzipSync(sse)],
    ["br", "text/event-stream", zlib.brotliCompressSync(sse)],
    ["deflate, identity", "text/plain", zlib.deflateSync("the bluebird")],
  ];
  for (const [enc, type, bytes] of cases) {
    const x = request(p, chat("hello"));
    const half = bytes.length >> 1;
    const out = respond(x.s, [bytes.subarray(0, half), bytes.subarray(half)], { ":status": "200", "content-type": type, "content-encoding": enc, "content-length": String(bytes.length) });
    const h = x.s.client.headers!.toObject();
    assert.equal(h[":status"], "502", enc);
    assert.equal(h["content-encoding"], undefined);
    assert.equal(h["content-length"], undefined);
    assert.equal(JSON.parse(out).error.code, "answer_unreadable");
    assert.equal(x.s.filterState("aigw.guard.answer"), "block:compressed");
  }
  assert.equal(p.metrics.counter("wasmcustom.aigw.prompt_guard.rejected.reason.compressed_answer"), 4);
  // identity is no compression: checked as usual.
  const y = request(p, chat("hello"));
  assert.equal(respond(y.s, [json.replace("bluebird", "robin")], { ":status": "200", "content-type": "application/json", "content-encoding": "identity" }), json.replace("bluebird", "robin"));
});

test("an event stream labelled application/json is read as a stream: a denied phrase split between two deltas is found (read as one text it passed)", async () => {
  const p = await load(RULES);
  const sse = ["the blue", "bird sings"].map((c) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: c } }] })}\n\n`).join("") + "data: [DONE]\n\n";
  for (const chunks of [[sse], [...Buffer.from(sse)].map((b) => new Uint8Array([b]))]) {
    const x = request(p, chat("hello"));
    const out = respond(x.s, chunks, { ":status": "200", "content-type": "application/json" });
    assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword");
    assert.doesNotMatch(out, /bird/);
    assert.match(out, /answer_blocked/);
  }
  const y = request(p, chat("hello"));
  const clean = sse.replace("bird", "robin");
  assert.equal(respond(y.s, [clean], { ":status": "200", "content-type": "application/json" }), clean);
});

test("a JSON answer labelled text/event-stream is read as JSON (a client that asked for no stream parses it whatever the type): a denied phrase, escaped or not, is replaced", async () => {
  const p = await load(RULES);
  const json = '{"choices":[{"index":0,"message":{"role":"assistant","content":"the blue\\u0062ird sings"}}]}';
  for (const chunks of [[json], [" \n" + json], [...Buffer.from(json)].map((b) => new Uint8Array([b]))]) {
    const x = request(p, chat("hello"));
    const out = respond(x.s, chunks, { ":status": "200", "content-type": "text/event-stream" });
    assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword");
    assert.equal(JSON.parse(out).choices[0].message.content, "[answer withheld by the gateway's content policy]");
  }
});

test("NDJSON answers (Ollama's native stream): a denied phrase split between two lines, or escaped, is found at every split; a clean one passes byte for byte", async () => {
  const p = await load(RULES);
  const line = (c: string, done = false) => JSON.stringify({ model: "llama3", message: { role: "assistant", content: c }, done }) + "\n";
  const hit = line("the blue") + line("bird sings") + line("", true);
  const escaped = line("x").replace('"x"', '"the blue\\u0062ird"') + line("", true);
  for (const body of [hit, escaped]) {
    for (const chunks of [[body], [...Buffer.from(body)].map((b) => new Uint8Array([b]))]) {
      const x = request(p, chat("hello"), { path: "/api/chat" });
      const out = respond(x.s, chunks, { ":status": "200", "content-type": "application/x-ndjson" });
      assert.equal(x.s.filterState("aigw.guard.answer"), "block:codeword");
      assert.doesNotMatch(out, /bird|u0062/);
      const lines = out.trim().split("\n");
      assert.match(JSON.parse(lines[lines.length - 1]).error, /content policy/);
    }
  }
  const clean = line("the blue") + line("robin sings") + line("", true);
  const y = request(p, chat("hello"), { path: "/api/chat" });
  assert.equal(respond(y.s, [...Buffer.from(clean)].map((b) => new Uint8Array([b])), { ":status": "200", "content-type": "application/x-ndjson" }), clean);
  assert.equal(y.s.filterState("aigw.guard.answer"), "pass");
});
