// Fuzz (fixed seeds, bounded): random and adversarial bodies never trap the VM and never let a
// known email or card number through unmasked where the filter scans (text fields of LLM JSON,
// invalid JSON, plain text, SSE deltas), however the bytes are split.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, openaiSse, anthropicSse, sseText } from "./helpers.ts";
import { seededRandom, type Plugin } from "../../../host-test/src/index.ts";


const SECRETS = ["alice.smith@example.com", "4111 1111 1111 1111", "bob@corp.example.org", "5500-0000-0000-0004"];
const enc = new TextEncoder();

function words(r: () => number, n: number): string {
  // No digit words: "1234 4111 1111 1111 1111" is a 20-digit number, not a card, and the detector
  // rightly leaves it (the values below are always inserted where the detector recognises them).
  const pool = ["hello", "the", "ünïcödé", "🙂", "data", "\n", "\"q\"", "\\", "{", "]", "@", "-----", "==", ":", "x.y"];
  let s = "";
  for (let i = 0; i < n; i++) {
    if (r() < 0.08) s += ` ${SECRETS[Math.floor(r() * SECRETS.length)]} `;
    else s += pool[Math.floor(r() * pool.length)] + (r() < 0.7 ? " " : "");
  }
  return s;
}

function randomCuts(r: () => number, len: number, max: number): number[] {
  const n = Math.floor(r() * max);
  const cuts = new Set<number>();
  for (let i = 0; i < n; i++) cuts.add(1 + Math.floor(r() * Math.max(1, len - 1)));
  return [...cuts].sort((a, b) => a - b).filter((c) => c < len);
}

function send(p: Plugin, body: Uint8Array, ct: string, cuts: number[]): string {
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", "content-type": ct }, body.length === 0);
  let at = 0;
  for (const c of cuts) { if (s.localReply) break; s.requestBody(body.subarray(at, c), false); at = c; }
  if (!s.localReply && body.length > 0) s.requestBody(body.subarray(at), true);
  s.complete();
  return s.localReply ? "" : s.upstream.body;
}

function answer(p: Plugin, body: Uint8Array, ct: string, cuts: number[]): string {
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions" }, true);
  s.responseHeaders({ ":status": "200", "content-type": ct }, false);
  let at = 0;
  for (const c of cuts) { s.responseBody(body.subarray(at, c), false); at = c; }
  s.responseBody(body.subarray(at), true);
  s.complete();
  return s.client.body;
}

function assertNoLeak(out: string, what: string): void {
  for (const v of SECRETS) assert.ok(!out.includes(v), `${what}: leaked ${v}`);
}

test("fuzz: requests (JSON, broken JSON, deep nesting, invalid UTF-8, large strings, text) never trap or leak", async () => {
  const p = await load({ max_body_bytes: 4 * 1024 * 1024 });
  for (let seed = 1; seed <= 250; seed++) {
    const r = seededRandom(seed);
    const kind = seed % 6;
    let body: Uint8Array;
    let ct = "application/json";
    const content = words(r, 5 + Math.floor(r() * 60));
    if (kind === 0) body = enc.encode(JSON.stringify({ model: "m", messages: [{ role: "user", content }, { role: "user", content: [{ type: "text", text: words(r, 20) }] }] }));
    else if (kind === 1) { const j = JSON.stringify({ messages: [{ role: "user", content }] }); body = enc.encode(j.slice(0, Math.floor(r() * j.length))); }
    else if (kind === 2) { const d = 50 + Math.floor(r() * 400); body = enc.encode(`{"messages":[{"role":"user","content":${JSON.stringify(content)}}],"meta":${"[".repeat(d)}1${"]".repeat(r() < 0.5 ? d : 0)}}`); }
    else if (kind === 3) { const b = enc.encode(JSON.stringify({ messages: [{ role: "user", content }] })); const x = new Uint8Array(b.length + 8); x.set(b); for (let i = 0; i < 8; i++) x[Math.floor(r() * x.length)] = 0x80 + Math.floor(r() * 0x7f); body = x; }
    else if (kind === 4) body = enc.encode(JSON.stringify({ messages: [{ role: "user", content: "z".repeat(Math.floor(r() * 200000)) + content }] }));
    else { body = enc.encode(content); ct = "text/plain"; }
    const out = send(p, body, ct, randomCuts(r, body.length, 6));
    assert.equal(p.logs("critical").length, 0, `seed ${seed}: ${p.logs("critical").join(" ")}`);
    // Broken-UTF-8 inputs may have had bytes in the middle of a value replaced; the values we
    // check were inserted whole, so they must still be gone unless a random byte overwrote them.
    if (kind !== 3) assertNoLeak(out, `request seed ${seed} kind ${kind}`);
  }
});

test("fuzz: streamed answers split at random points never trap, leak, or break SSE framing", async () => {
  const p = await load();
  for (let seed = 1; seed <= 200; seed++) {
    const r = seededRandom(1000 + seed);
    const text = words(r, 10 + Math.floor(r() * 80));
    const pieces: string[] = [];
    let at = 0;
    // Deltas split between characters (code points), as providers do: a lone surrogate has no
    // UTF-8 form and would come out as U+FFFD.
    const chars = Array.from(text);
    while (at < chars.length) { const n = 1 + Math.floor(r() * 12); pieces.push(chars.slice(at, at + n).join("")); at += n; }
    const sse = seed % 2 ? openaiSse(pieces) : anthropicSse(pieces);
    const raw = r() < 0.3 ? sse.replace(/\n/g, "\r\n") : sse;
    const b = enc.encode(raw);
    const out = answer(p, b, "text/event-stream", randomCuts(r, b.length, 20));
    assert.equal(p.logs("critical").length, 0, `seed ${seed}`);
    assertNoLeak(out, `sse seed ${seed}`);
    // Split-invariance: the client reads the same text as when the answer comes in one delta.
    const whole = answer(p, enc.encode(seed % 2 ? openaiSse([text]) : anthropicSse([text])), "text/event-stream", []);
    assert.equal(sseText(out), sseText(whole), `sse seed ${seed}: splits changed the text`);
    // Every data line still holds valid JSON (or [DONE]).
    for (const line of out.split(/\r?\n/)) {
      if (!line.startsWith("data:")) continue;
      const d = line.slice(5).trim();
      if (d !== "[DONE]") JSON.parse(d);
    }
    const junk = new Uint8Array(200 + Math.floor(r() * 2000));
    for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(r() * 256);
    answer(p, junk, r() < 0.5 ? "text/event-stream" : "application/json", randomCuts(r, junk.length, 10));
    assert.equal(p.logs("critical").length, 0, `junk seed ${seed}`);
  }
});
