// Fuzz/property tests of the shared body code (json/, sse/) compiled to Wasm: random and
// adversarial inputs must never trap; scanning matches JSON.parse; rewriting keeps JSON valid.
// Fixed seeds, bounded loops.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { seededRandom } from "../../../host-test/src/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const wasmPath = join(root, "dist", "fixtures", "common-body-harness.wasm");
// Rebuild when the sources changed (cheap when up to date; `npm test` has built it already).
execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), "--if-needed", "--quiet", "common-body-harness"], { cwd: root, stdio: "ignore" });

type Exports = Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };

function load(): Exports {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
  const ex = inst.exports as unknown as Exports;
  ex._initialize?.();
  return ex;
}

class Harness {
  ex: Exports;
  constructor() { this.ex = load(); }
  put(bytes: Uint8Array): void {
    const p = this.ex.input(bytes.length);
    new Uint8Array(this.ex.memory.buffer, p, bytes.length).set(bytes);
  }
  out(): Buffer {
    return Buffer.from(new Uint8Array(this.ex.memory.buffer, this.ex.outPtr(), this.ex.outLen()));
  }
  scan(body: Uint8Array, maxDepth = 64): number { this.put(body); return this.ex.scanBody(maxDepth); }
  decoded(i: number): Buffer { assert.equal(this.ex.decode(i), 0); return this.out(); }
  rewrite(reps: Array<{ span: number; start: number; end: number; text: Uint8Array }>): { err: number; body: Buffer } {
    for (const r of reps) {
      this.put(r.text);
      this.ex.setReplacementText();
      this.ex.addReplacement(r.span, r.start, r.end);
    }
    const err = this.ex.rewrite();
    return { err, body: this.out() };
  }
}


const POOL = ["a", "b", "Z", " ", "@", "/", '"', "\\", "\n", "\t", "\u0001", "\u001f", "\u007f", "é", "€", "\u2028", "😀", "𝄞", "\ud800", "\udfff", "x\u0301"];

function randText(r: () => number, max = 12): string {
  let s = "";
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += POOL[Math.floor(r() * POOL.length)];
  return s;
}

// JSON-encodes a string with randomly chosen (valid) escapes: \uXXXX for any code unit,
// \/ for '/', short escapes where JSON.stringify would use them.
function enc(r: () => number, s: string): string {
  let out = '"';
  const hex = (c: number) => "\\u" + c.toString(16).padStart(4, "0").toUpperCase();
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const lone = ch.length === 1 && cp >= 0xd800 && cp <= 0xdfff;
    if (lone || r() < 0.25) {
      for (let k = 0; k < ch.length; k++) {
        const u = ch.charCodeAt(k);
        const h = hex(u);
        out += r() < 0.5 ? h : h.toLowerCase().replace("\\U", "\\u");
      }
    } else if (ch === "/" && r() < 0.5) out += "\\/";
    else out += JSON.stringify(ch).slice(1, -1);
  }
  return out + '"';
}

// Generated LLM bodies: the JSON text and the texts the scanner must report, in order.
function genBody(r: () => number): { body: string; texts: string[] } {
  const texts: string[] = [];
  const T = (s?: string) => { const v = s ?? randText(r); texts.push(v); return enc(r, v); };
  const N = () => enc(r, randText(r, 5)); // a string that must NOT be reported
  const shape = Math.floor(r() * 5);
  if (shape === 0) {
    const msgs: string[] = [];
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      const k = Math.floor(r() * 3);
      if (k === 0) msgs.push(`{"role":"user","name":${N()},"content":${T()}}`);
      else if (k === 1) msgs.push(`{"content":[{"type":"text","text":${T()}},{"type":"image_url","image_url":{"url":${N()}}}],"role":"user"}`);
      else msgs.push(`{"role":"assistant","content":null,"tool_calls":[{"id":${N()},"type":"function","function":{"name":${N()},"arguments":${T()}}}]}`);
    }
    return { body: `{"model":${N()},"messages":[${msgs.join(",")}],"stream":${r() < 0.5}}`, texts };
  }
  if (shape === 1) {
    const sys = T();
    const blocks = `[{"type":"text","text":${T()}},{"type":"tool_use","id":${N()},"name":${N()},"input":{"q":${T()},"n":1}},{"type":"tool_result","tool_use_id":${N()},"content":${T()}}]`;
    return { body: `{"model":${N()},"system":${sys},"max_tokens":10,"messages":[{"role":"user","content":${blocks}}]}`, texts };
  }
  if (shape === 2) {
    const items: string[] = [];
    const n = Math.floor(r() * 4);
    for (let i = 0; i < n; i++) items.push(T());
    return { body: ` {\n "input" : [ ${items.join(" ,\n")} ], "model":${N()} } `, texts };
  }
  if (shape === 3) return { body: `{"id":${N()},"choices":[{"index":0,"message":{"role":"assistant","content":${T()}},"finish_reason":"stop"},{"text":${T()}}]}`, texts };
  return { body: `{"type":"message","role":"assistant","content":[{"type":"text","text":${T()}}],"stop_reason":${N()}}`, texts };
}

// A codepoint-boundary offset in a UTF-8 buffer.
function boundary(buf: Buffer, r: () => number): number {
  let o = Math.floor(r() * (buf.length + 1));
  while (o > 0 && o < buf.length && (buf[o] & 0xc0) === 0x80) o--;
  return o;
}

const utf8 = (s: string) => Buffer.from(s, "utf8");

test("scanner reports exactly the text strings, decoded as JSON.parse does", () => {
  const h = new Harness();
  const r = seededRandom(1);
  for (let iter = 0; iter < 400; iter++) {
    const { body, texts } = genBody(r);
    const raw = utf8(body);
    JSON.parse(body); // the generator makes valid JSON
    const n = h.scan(raw);
    assert.equal(n, texts.length, body);
    for (let i = 0; i < n; i++) {
      const s = h.ex.spanStart(i);
      const e = h.ex.spanEnd(i);
      const viaJs = utf8(JSON.parse(raw.subarray(s - 1, e + 1).toString("utf8")));
      assert.deepEqual(h.decoded(i), viaJs);
      assert.deepEqual(h.decoded(i), utf8(texts[i]), body);
    }
    // No replacements: identical body.
    const same = h.rewrite([]);
    assert.equal(same.err, 0);
    assert.deepEqual(same.body, raw);
  }
});

test("rewriting keeps JSON valid and applies replacements", () => {
  const h = new Harness();
  const r = seededRandom(2);
  for (let iter = 0; iter < 400; iter++) {
    const { body } = genBody(r);
    const raw = utf8(body);
    const n = h.scan(raw);
    assert.ok(n >= 0);
    const decoded: Buffer[] = [];
    for (let i = 0; i < n; i++) decoded.push(Buffer.from(h.decoded(i)));
    const expected = decoded.map((d) => d);
    const reps: Array<{ span: number; start: number; end: number; text: Uint8Array }> = [];
    for (let i = 0; i < n; i++) {
      if (r() < 0.3) continue;
      const d = decoded[i];
      const a = boundary(d, r);
      const b = boundary(d, r);
      const [s, e] = a <= b ? [a, b] : [b, a];
      const text = utf8(randText(r, 4));
      reps.push({ span: i, start: s, end: e, text });
      expected[i] = Buffer.concat([d.subarray(0, s), text, d.subarray(e)]);
    }
    const res = h.rewrite(reps);
    assert.equal(res.err, 0);
    const outText = res.body.toString("utf8");
    assert.doesNotThrow(() => JSON.parse(outText), outText);
    assert.equal(h.scan(res.body), n);
    for (let i = 0; i < n; i++) {
      const s = h.ex.spanStart(i);
      const e = h.ex.spanEnd(i);
      // Lone surrogates were already U+FFFD after decoding, so compare bytes.
      assert.deepEqual(utf8(JSON.parse(res.body.subarray(s - 1, e + 1).toString("utf8"))), expected[i]);
    }
  }
});

test("rewriting at arbitrary byte offsets (mid-character, mid-escape) still gives valid JSON", () => {
  const h = new Harness();
  const r = seededRandom(3);
  for (let iter = 0; iter < 300; iter++) {
    const { body } = genBody(r);
    const n = h.scan(utf8(body));
    const reps = [];
    for (let i = 0; i < n; i++) {
      const len = h.decoded(i).length;
      const a = Math.floor(r() * (len + 1));
      const b = a + Math.floor(r() * (len - a + 1));
      const text = Buffer.from([0xe2, 0x82, 0xac, 0xff, 0x41].slice(0, Math.floor(r() * 6)));
      reps.push({ span: i, start: a, end: b, text });
    }
    const res = h.rewrite(reps);
    assert.equal(res.err, 0);
    assert.doesNotThrow(() => JSON.parse(res.body.toString("utf8")));
    assert.ok(h.scan(res.body) >= 0, "rewritten body is valid for the strict scanner too");
  }
});

test("random and mutated inputs never trap", () => {
  const h = new Harness();
  const r = seededRandom(4);
  for (let iter = 0; iter < 3000; iter++) {
    let bytes: Buffer;
    if (iter % 3 === 0) {
      bytes = Buffer.alloc(Math.floor(r() * 64));
      for (let i = 0; i < bytes.length; i++) bytes[i] = r() < 0.5 ? "{}[]\",:\\u0123abtrue-.eE \n"[Math.floor(r() * 24)].charCodeAt(0) : Math.floor(r() * 256);
    } else {
      bytes = Buffer.from(utf8(genBody(r).body));
      const m = 1 + Math.floor(r() * 4);
      for (let k = 0; k < m; k++) {
        const op = Math.floor(r() * 3);
        const at = Math.floor(r() * bytes.length);
        if (op === 0) bytes[at] = Math.floor(r() * 256);
        else if (op === 1) bytes = bytes.subarray(0, at);
        else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([Math.floor(r() * 256)]), bytes.subarray(at)]);
      }
    }
    h.put(bytes);
    const v = h.ex.validate(64, 1);
    const n = h.scan(bytes);
    let jsOk = true;
    try { JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)); } catch { jsOk = false; }
    // Duplicate keys are valid JSON; with that option off validity must agree with JSON.parse
    // (strict UTF-8 decoding: JSON texts must be UTF-8).
    h.put(bytes);
    assert.equal(h.ex.validate(64, 0) === 0, jsOk || bytes.length === 0 ? jsOk : false, bytes.toString("hex"));
    assert.ok(v >= 0);
    if (n >= 0) {
      for (let i = 0; i < n; i++) h.decoded(i);
      const same = h.rewrite([]);
      assert.deepEqual(same.body, bytes);
    }
  }
});

test("adversarial inputs: deep nesting, huge strings, invalid UTF-8, unterminated", () => {
  const h = new Harness();
  const deep = utf8("[".repeat(10000) + "]".repeat(10000));
  h.put(deep);
  assert.equal(h.ex.validate(64, 0), 9); // TOO_DEEP
  assert.equal(h.ex.validate(1 << 20, 1), 0); // iterative: fine even without a limit
  const deepObj = utf8('{"messages":'.repeat(10000) + "1" + "}".repeat(10000));
  assert.equal(h.scan(deepObj), -9);
  assert.ok(h.scan(deepObj, 1 << 20) >= 0);
  assert.equal(h.scan(utf8("[".repeat(10000))), -9);

  const big = "x".repeat(10 * 1024 * 1024 - 40) + "\\u0040\\n";
  const bigBody = utf8(`{"prompt":"${big}"}`);
  assert.equal(h.scan(bigBody), 1);
  const d = h.decoded(0);
  assert.equal(d.length, 10 * 1024 * 1024 - 38);
  assert.equal(d[d.length - 2], 0x40);
  const same = h.rewrite([]);
  assert.equal(same.body.length, bigBody.length);
  assert.ok(same.body.equals(bigBody));
  const masked = h.rewrite([{ span: 0, start: 5, end: 10, text: utf8("[X]") }]);
  assert.equal(masked.err, 0);
  assert.equal(JSON.parse(masked.body.toString()).prompt.length, 10 * 1024 * 1024 - 40);

  assert.equal(h.scan(Buffer.from([0x7b, 0x22, 0x70, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])), -7); // invalid UTF-8
  assert.equal(h.ex.errorOffset(), 6);
  assert.equal(h.scan(utf8('{"prompt":"abc')), -3); // unterminated string
  assert.equal(h.scan(utf8('{"prompt":"' + "a".repeat(100000))), -3);
  assert.equal(h.scan(utf8("")), -12);
});

// A straightforward reference implementation of the WHATWG event-stream interpretation.
function referenceSse(text: string): Array<{ type: string; data: string }> {
  const out: Array<{ type: string; data: string }> = [];
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
  lines.pop(); // the part after the last terminator is not a complete line
  let data = "";
  let type = "";
  for (const line of lines) {
    if (line === "") {
      if (data !== "") out.push({ type, data: data.slice(0, -1) });
      data = "";
      type = "";
      continue;
    }
    if (line.startsWith(":")) continue;
    const c = line.indexOf(":");
    const name = c < 0 ? line : line.slice(0, c);
    let value = c < 0 ? "" : line.slice(c + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "data") data += value + "\n";
    else if (name === "event") type = value;
  }
  return out;
}

// Lone surrogates cannot travel as UTF-8; normalise them to U+FFFD as the encoder does.
const wellFormed = (s: string) => utf8(s).toString("utf8");

function genSse(r: () => number): string {
  const eols = ["\n", "\r\n", "\r"];
  let s = r() < 0.1 ? "\ufeff" : "";
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const eol = () => eols[Math.floor(r() * 3)];
    const lines = Math.floor(r() * 4);
    for (let k = 0; k < lines; k++) {
      const kind = Math.floor(r() * 5);
      const val = randText(r, 6).replace(/[\r\n]/g, "");
      if (kind === 0) s += ": " + val + eol();
      else if (kind === 1) s += "event: " + val + eol();
      else if (kind === 2) s += "id: 1" + eol();
      else s += (r() < 0.5 ? "data: " : "data:") + (r() < 0.5 ? val : JSON.stringify({ choices: [{ delta: { content: val } }] })) + eol();
    }
    s += eol();
  }
  if (r() < 0.3) s += "data: unterminated";
  return s;
}

test("SSE: random streams at random split points match the reference parser and round-trip", () => {
  const h = new Harness();
  const r = seededRandom(5);
  for (let iter = 0; iter < 500; iter++) {
    const text = wellFormed(genSse(r));
    const bytes = utf8(text);
    h.ex.sseReset(1 << 20);
    let pos = 0;
    let guard = 0;
    while (pos < bytes.length && guard++ < 10000) {
      const len = Math.min(bytes.length - pos, Math.floor(r() * 8));
      h.put(bytes.subarray(pos, pos + len));
      assert.equal(h.ex.sseFeed(), 0);
      pos += len;
    }
    h.ex.sseFinish();
    const got: Array<{ type: string; data: string }> = [];
    const raws: Buffer[] = [];
    for (let i = 0; i < h.ex.sseCount(); i++) {
      h.ex.sseRaw(i);
      raws.push(Buffer.from(h.out()));
      if (!h.ex.sseDispatch(i)) continue;
      h.ex.sseData(i);
      const data = h.out().toString("utf8");
      const type = h.ex.sseType(i) ? h.out().toString("utf8") : "";
      got.push({ type, data });
    }
    // A bare CR then LF split across the end of an event may move the LF; the reference
    // parser splits on complete terminators the same way.
    assert.deepEqual(got, referenceSse(text), JSON.stringify(text));
    assert.ok(Buffer.concat(raws).equals(bytes), JSON.stringify(text));
  }
});

test("SSE: rewritten events re-parse to the new data; oversized events error and lose nothing", () => {
  const h = new Harness();
  const r = seededRandom(6);
  for (let iter = 0; iter < 200; iter++) {
    const text = wellFormed(genSse(r));
    h.ex.sseReset(1 << 20);
    h.put(utf8(text));
    h.ex.sseFeed();
    h.ex.sseFinish();
    const newData = wellFormed(randText(r, 8).replace(/\r\n?/g, "\n"));
    for (let i = 0; i < h.ex.sseCount(); i++) {
      if (!h.ex.sseDispatch(i)) continue;
      h.put(utf8(newData));
      h.ex.sseRewrite(i);
      const framed = h.out().toString("utf8");
      const ref = referenceSse(framed);
      h.ex.sseRaw(i);
      assert.equal(ref.length, 1, JSON.stringify(framed) + " from " + JSON.stringify(h.out().toString()));
      assert.equal(ref[0].data, newData);
    }
  }
  h.ex.sseReset(64);
  const stream = utf8("data: small\n\ndata: " + "y".repeat(100) + "\n\ndata: after\n\n");
  h.put(stream.subarray(0, 30));
  assert.equal(h.ex.sseFeed(), 0);
  h.put(stream.subarray(30));
  assert.equal(h.ex.sseFeed(), 1); // EVENT_TOO_LARGE
  assert.equal(h.ex.sseCount(), 1);
  h.ex.sseRaw(0);
  const first = Buffer.from(h.out());
  h.ex.sseBuffered();
  assert.ok(Buffer.concat([first, h.out()]).equals(stream));
});
