// Bad input gets a clear error or a pass per configuration, never a trap: oversize bodies,
// compressed bodies, invalid UTF-8, deep nesting, empty bodies, and fuzzed bodies/answers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, request, chat, respond, openaiSse, INJECTION } from "./helpers.ts";
import { seededRandom } from "../../../host-test/src/index.ts";

test("oversize bodies: 413 by default, passed unread with oversize: pass (counted)", async () => {
  const p = await load({ max_body_bytes: 2048 });
  const big = chat("x".repeat(3000));
  const x = request(p, big);
  assert.equal(x.status, 413);
  assert.equal(x.error!.code, "request_too_large");
  const q = await load({ max_body_bytes: 2048, oversize: "pass" });
  const y = request(q, big);
  assert.equal(y.status, undefined);
  assert.equal(y.upstream, big);
  assert.equal(q.metrics.counter("wasmcustom.aigw.prompt_guard.skipped.reason.oversize"), 1);
});

test("a compressed request body cannot be read and is refused (415)", async () => {
  const p = await load();
  const x = request(p, chat("hello"), { headers: { "content-encoding": "gzip" } });
  assert.equal(x.status, 415);
  assert.equal(x.error!.code, "unsupported_content_encoding");
});

test("invalid UTF-8, deep nesting, empty and binary bodies: read as text, never a trap", async () => {
  const p = await load();
  const inj = new TextEncoder().encode(INJECTION);
  const bad = new Uint8Array([0xff, 0xfe, 0xc0, 0x80, ...inj, 0xed, 0xa0, 0x80]);
  assert.equal(request(p, bad).status, 403, "an injection among invalid bytes is still found");
  const deep = "[".repeat(20000) + JSON.stringify(INJECTION) + "]".repeat(20000);
  assert.equal(request(p, deep).status, 403, "too deep for JSON: read as text");
  assert.equal(request(p, "").status, undefined);
  const bin = new Uint8Array(5000).map((_, i) => (i * 7919) & 0xff);
  assert.ok([undefined, 403].includes(request(p, bin, { contentType: "application/octet-stream" }).status));
  assert.equal(p.vm.failed, false);
});

test("fuzz: random bodies, splits and answers never trap the VM", async () => {
  const p = await load({ rules: [{ name: "w", phrases: ["forbidden word"], direction: "both" }], decorate: { prepend: ["p"] }, limits: { max_messages: 50 } });
  const pool = ["{", "}", "[", "]", "\"", ":", ",", "\\", "\\u00", "messages", "role", "content", "system", "tool", "user", "ignore previous instructions", "🙂", "é", "\u200b", "forbidden word", " ", "\n", "null", "1e999", "aWdub3Jl", "<|im_start|>"];
  for (let seed = 1; seed <= 200; seed++) {
    const r = seededRandom(seed);
    let s = "";
    const n = Math.floor(r() * 200);
    for (let i = 0; i < n; i++) s += pool[Math.floor(r() * pool.length)];
    const body = seed % 3 === 0 ? chat(s) : s;
    const bytes = new TextEncoder().encode(body);
    if (seed % 5 === 0 && bytes.length > 2) bytes[Math.floor(r() * bytes.length)] = 0xff;
    const cuts = [...new Set([Math.floor(r() * bytes.length), Math.floor(r() * bytes.length)])].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b);
    const x = request(p, bytes, { chunks: cuts, contentType: seed % 2 ? "application/json" : "text/plain" });
    if (!x.status) {
      const answer = seed % 2 ? openaiSse([s.slice(0, 10), s.slice(10)]) : s;
      const ct = seed % 2 ? "text/event-stream" : "application/json";
      const b = new TextEncoder().encode(answer);
      const k = Math.floor(r() * b.length);
      respond(x.s, [b.subarray(0, k), b.subarray(k)], { ":status": "200", "content-type": ct });
    }
    assert.equal(p.vm.failed, false, `seed ${seed} trapped: ${p.vm.failure}`);
  }
  // Still serving after all that.
  assert.equal(request(p, chat(INJECTION)).status, 403);
});

test("large prompts (1 MB of text) are scored without a trap", async () => {
  const p = await load({ max_body_bytes: 4 * 1024 * 1024 });
  const text = "The quick brown fox jumps over the lazy dog. ".repeat(23000);
  const x = request(p, chat(text + INJECTION));
  assert.equal(x.status, 403, "an instruction at the end of a long document is found (windows)");
  assert.equal(request(p, chat(text)).status, undefined);
});

test("a body ended by request trailers never reaches the upstream unread", async () => {
  const p = await load();
  const s = p.newStream();
  const body = chat(INJECTION);
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "api.example", "content-type": "application/json" }, false);
  s.requestBody(body, false);
  s.requestTrailers({ "x-checksum": "1" });
  // Envoy calls on_request_trailers while the body is buffered and the filter refuses (400);
  // host-test holds trailers until the filter continues. Either way nothing unread goes upstream.
  assert.ok(!s.upstream.body.includes("Ignore all previous"), "the held body was passed unread");
  if (s.localReply) assert.equal(JSON.parse(s.localReply.body).error.code, "request_trailers_unsupported");
  assert.equal(p.vm.failed, false);
});
