// Streaming through the detection engine (Detector.scanStream), the way the filter drives it: carry
// buf[cut - 128, end) into the next call, `from` = the old cut. Whatever the chunking, the matches
// must be exactly those of one buffered scan, and ordinary text must be held back only as far as an
// entity could still begin (its last word), not a fixed window.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Harness, ENTITY_NAMES } from "./fixtures/detect-harness/load.ts";
import { DEV_CORPUS } from "../scripts/eval.ts";
import { generate } from "./generalise-corpus.ts";
import { seededRandom } from "../../../host-test/src/index.ts";

const CONTEXT_BYTES = 128;
const enc = new TextEncoder();
const dec = new TextDecoder();

interface Streamed { spans: string[]; held: number[]; cuts: number[] }

/**
 * Streams `full` in pieces ending at `bounds` (increasing offsets; the last piece ends at full.length).
 * `held[k]`: bytes not released after piece k; `cuts[k]`: absolute cut after piece k.
 */
function stream(h: Harness, full: Uint8Array, bounds: number[]): Streamed {
  const out: Streamed = { spans: [], held: [], cuts: [] };
  let carry = new Uint8Array(0), base = 0, from = 0, pos = 0;
  const ends = [...bounds.filter((b) => b > 0 && b < full.length), full.length];
  for (const next of ends) {
    if (next <= pos) continue;
    const buf = new Uint8Array(carry.length + next - pos);
    buf.set(carry); buf.set(full.subarray(pos, next), carry.length);
    const last = next === full.length;
    h.load(buf);
    const r = h.scanStream(0, from, buf.length, last);
    assert.ok(r.cut >= from && r.cut <= buf.length, `cut ${r.cut} outside [${from}, ${buf.length}]`);
    for (const m of r.matches) out.spans.push(`${m.type}:${m.start + base}:${m.end + base}`);
    out.held.push(buf.length - r.cut);
    out.cuts.push(r.cut + base);
    if (last) break;
    const keep = Math.max(0, r.cut - CONTEXT_BYTES);
    carry = buf.slice(keep); base += keep; from = r.cut - keep; pos = next;
  }
  return out;
}

const buffered = (h: Harness, full: Uint8Array) => h.scanBytes(full).map((m) => `${m.type}:${m.start}:${m.end}`);
const fixed = (n: number, size: number) => { const b: number[] = []; for (let i = size; i < n; i += size) b.push(i); return b; };
function randomBounds(n: number, rnd: () => number, maxPiece: number): number[] {
  const b: number[] = [];
  for (let i = 1 + Math.floor(rnd() * maxPiece); i < n; i += 1 + Math.floor(rnd() * maxPiece)) b.push(i);
  return b;
}
function show(full: Uint8Array, spans: string[]): string[] {
  return spans.map((s) => { const [t, a, b] = s.split(":").map(Number); return `${ENTITY_NAMES[t] ?? t}:${dec.decode(full.slice(a, b))}@${a}`; });
}

/** Harnesses: built-ins only, and built-ins + custom patterns/dictionary (words with spaces, \b). */
function harnesses(): [string, Harness][] {
  const custom = new Harness();
  assert.equal(custom.addPattern("\\bEMP-\\d{6}\\b", 40), "");
  assert.equal(custom.addPattern("(?i)project[ -](falcon|osprey)", 41), "");
  assert.equal(custom.addDictionary(["Acme Corp", "Globex", "Umbrella Health Group", "C++"], 42), "");
  return [["built-ins", new Harness()], ["with custom detectors", custom]];
}

// The corpus is part of the test's input (../shared, see tools/shared): missing, the test fails.
const corpus: string[] = readFileSync(DEV_CORPUS, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).text as string);

test("dev corpus streamed at every split point and in chunks of 1..24 bytes gives the buffered matches", () => {
  const rnd = seededRandom(20240611);
  // Bounded: every text in random pieces; a seeded sample at every split point and fixed chunk sizes.
  const sample = corpus.filter(() => rnd() < 0.08);
  for (const [label, h] of harnesses()) {
    let checked = 0;
    for (const text of corpus) {
      const full = enc.encode(text);
      const want = buffered(h, full);
      const got = stream(h, full, randomBounds(full.length, rnd, 40));
      assert.deepEqual(show(full, got.spans), show(full, want), `${label}, random pieces: ${text}`);
      checked++;
    }
    for (const text of sample) {
      const full = enc.encode(text);
      const want = show(full, buffered(h, full));
      for (let split = 1; split < full.length; split++) {
        assert.deepEqual(show(full, stream(h, full, [split]).spans), want, `${label}, split at ${split}: ${text}`);
      }
      for (let size = 1; size <= 24; size++) {
        assert.deepEqual(show(full, stream(h, full, fixed(full.length, size)).spans), want, `${label}, chunks of ${size}: ${text}`);
      }
      checked++;
    }
    assert.ok(checked > corpus.length);
  }
});

// Pieces that make entities, near-misses and prefixes of each other when glued in random order.
const PIECES = [
  " ", " ", " ", "  ", "\n", "-", ".", ":", "=", "/", "(", ")", "+", "@", "_", ",", "\"", "\\\"", "é", "日本",
  "4111", "1111", "111", "4111111111111111", "378282246310005", "5", "3782", "822463", "10005", "123", "45", "6789", "12",
  "10", "0", "1", "255", "192.168.0.1", "10.0.0.25", "2001", "db8", "::", "::1", "fe80", "abcd",
  "+44", "20", "7946", "0958", "(415)", "555", "0123", "020", "0170", "98765", "43210",
  "DE89", "3704", "0044", "0532", "0130", "00", "GB82", "WEST", "1234", "5698", "7654", "32", "DE89370400440532013000",
  "jane", "doe", "jane.doe", "example", "com", "co", "uk", "mail.example.co.uk",
  "password", "token", "aws_secret_access_key", "Xk9#mPq2$vLw7!Rt", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiIxMjM0NTY3ODkwIn0", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  "ghp_", "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "sk-", "sk-proj-", "Ab3dE5gH7jK9mN1pQAb3dE5gH7jK9mN1pQAb3dE5gH7jK9",
  "AKIA", "IOSFODNN7EXAMPLE", "AIza", "xoxb-", "glpat-",
  "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN ", "RSA PRIVATE KEY", "-----", "MIIEowIBAAKCAQEA7bq", "-----END RSA PRIVATE KEY-----",
  "EMP-", "204518", "Project", "project", "Falcon", "Acme", "Corp", "Globex", "Umbrella", "Health", "Group", "C++",
  "the", "and", "Please", "summarise", "notes", "I", "OK", "NASA",
  // look-alike characters the engine folds (issue 11): Unicode spaces and dashes, full-width
  // digits and '@', zero-width characters, %XX and \uXXXX escapes
  "\u00a0", "\u2009", "\u202f", "\u3000", "\u2013", "\u2212", "\u200b", "\u200d", "\ufeff", "\u00ad",
  "\uff14\uff11\uff11\uff11", "\uff20", "%40", "\\u0040", "%2", "\\u00",
];

// Whole entities (and look-alikes) glued between the pieces, so that many texts have several.
const WHOLE = [
  "4111 1111 1111 1111", "4111-1111-1111-1111", "3782-822463-10005", "123-45-6789", "123 45 6789", "10.20.30.40",
  "[2001:db8::1]:8443", "jane.doe+x@mail.example.co.uk", "+44 20 7946 0958", "(415) 555-0123", "020 7946 0958",
  "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "AKIAIOSFODNN7EXAMPLE", "password=Xk9#mPq2$vLw7!Rt",
  "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----", "EMP-204518", "Project Falcon", "Acme Corp",
  "Umbrella Health Group",
  "4111\u00a01111\u00a01111\u00a01111", "4111\u20131111\u20131111\u20131111", "\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11",
  "jane\u200b.doe@exam\u200bple.com", "jane.doe\uff20example.com", "jane%40example.com", "123\u2011" + "45\u201167\u200b89",
];

test("random glued entity pieces streamed in random chunks give the buffered matches", () => {
  const rnd = seededRandom(7);
  for (const [label, h] of harnesses()) {
    let entities = 0;
    for (let round = 0; round < 400; round++) {
      let text = "";
      const len = 5 + Math.floor(rnd() * 120);
      for (let k = 0; k < len; k++) {
        const r = rnd();
        const whole = WHOLE[Math.floor(rnd() * WHOLE.length)];
        text += r < 0.04 ? whole : r < 0.1 ? ` ${whole} ` : PIECES[Math.floor(rnd() * PIECES.length)];
      }
      const full = enc.encode(text);
      const want = show(full, buffered(h, full));
      entities += want.length;
      for (const maxPiece of [1, 3, 9, 40, 300]) {
        const bounds = randomBounds(full.length, rnd, maxPiece);
        assert.deepEqual(show(full, stream(h, full, bounds).spans), want, `${label}, round ${round}, max piece ${maxPiece}, pieces ending ${bounds.slice(0, 40).join(",")}...: ${JSON.stringify(text)}`);
      }
    }
    assert.ok(entities > 1000, `${label}: only ${entities} entities in the random texts`);
  }
});

test("long runs and separator clusters across chunks (beyond the context window) give the buffered matches", () => {
  const rnd = seededRandom(99);
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  const texts = [
    // A JWT start inside a long run is no JWT; a rescan that starts in the run must not see one.
    `x${"a".repeat(700)}${jwt} mail ${"b".repeat(90)}@example.com`,
    `${"A1".repeat(400)} 4111 1111 1111 1111 ${"1 ".repeat(150)}4111 1111 1111 1111`,
    `${"9".repeat(40)} +44 20 7946 0958 ${"12 ".repeat(80)}(415) 555-0123`,
    `secret = ${"Zq8$".repeat(70)} password = Xk9#mPq2$vLw7!Rt`,
    `${"-".repeat(300)}-----BEGIN EC PRIVATE KEY-----\n${"MHcCAQEEIIrYSSNQ\n".repeat(40)}-----END EC PRIVATE KEY----- done`,
  ];
  for (const [label, h] of harnesses()) {
    for (const text of texts) {
      const full = enc.encode(text);
      const want = show(full, buffered(h, full));
      for (let round = 0; round < 40; round++) {
        const bounds = randomBounds(full.length, rnd, [1, 7, 60, 200][round % 4]);
        assert.deepEqual(show(full, stream(h, full, bounds).spans), want, `${label}, pieces ending ${bounds.slice(0, 40).join(",")}...: ${text.slice(0, 60)}`);
      }
    }
  }
});

test("a rescan that starts inside a long token finds no entity there (every split point)", () => {
  // The carried context starts 128 bytes before the cut, possibly inside a token: "eyJ..." inside a
  // run is no JWT (a JWT begins a token), so the email after the run must still be found whole.
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  const full = enc.encode(`x${"a".repeat(700)}${jwt}${"b".repeat(700)}@example.com and more`);
  for (const [label, h] of harnesses()) {
    const want = show(full, buffered(h, full));
    assert.equal(want.length, 1);
    for (let split = 600; split < 1500; split++) {
      assert.deepEqual(show(full, stream(h, full, [split]).spans), want, `${label}, split at ${split}`);
    }
  }
});

test("an entity that ends exactly at a chunk boundary waits for the next byte, the text before it goes out", () => {
  const h = new Harness();
  const cases: [string, string, string[]][] = [
    // [first chunk, second chunk, expected matches of the whole text]
    ["mail jane@example.co", "m today", ["EMAIL:jane@example.com"]],
    ["mail jane@example.com", ".au today", ["EMAIL:jane@example.com.au"]],
    ["amex 378282246310005", "5 is no card", []], // 15 digits are an Amex; 16 starting 37 are nothing
    ["card 4111 1111 1111 111", "1 ok", ["CREDIT_CARD:4111 1111 1111 1111"]],
    ["card 4111 1111 1111 1111", " 1 is longer", []],
    ["host 10.0.0.25", "6 is no IP", []],
    ["host 10.0.0.1", "2 next", ["IPV4:10.0.0.12"]],
    ["host 10.0.0.1.", "2 is an OID", []],
    ["ssn 123-45-678", "9 on file", ["US_SSN:123-45-6789"]],
    ["call +44 20 7946 095", "8 now", ["PHONE:+44 20 7946 0958"]],
    ["call (415) ", "555-0123 now", ["PHONE:(415) 555-0123"]],
    ["IBAN DE89 3704 0044 ", "0532 0130 00 ok", ["IBAN:DE89 3704 0044 0532 0130 00"]],
    ["key ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345678", "9 done", ["GITHUB_TOKEN:ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"]],
    ["key -----BEGIN RSA PRIV", "ATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- ok", ["PRIVATE_KEY:-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"]],
    ["jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0", ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok", ["JWT:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"]],
  ];
  for (const [a, b, want] of cases) {
    const full = enc.encode(a + b);
    const got = stream(h, full, [enc.encode(a).length]);
    assert.deepEqual(got.spans.map((s) => { const [t, x, y] = s.split(":").map(Number); return `${ENTITY_NAMES[t]}:${dec.decode(full.slice(x, y))}`; }), want, a + "|" + b);
    assert.deepEqual(show(full, got.spans), show(full, buffered(h, full)), a + "|" + b);
    // Released after the first chunk: everything before the entity (or its look-alike), which starts
    // after the first word (the old engine held the last 512 bytes: all of it).
    assert.equal(got.cuts[0], a.indexOf(" ") + 1, `cut after ${JSON.stringify(a)}`);
  }
  // A secret label and '=' without the value yet: nothing needs holding, the value is found after it.
  const kv = stream(h, enc.encode("password = Xk9#mPq2$vLw7!Rt ok"), [11]);
  assert.equal(kv.cuts[0], 11);
  assert.deepEqual(kv.spans, [`18:11:27`]);
});

/** Seeded English-like prose (no entities) delivered as LLM-style deltas: " word", "word,", ".". */
function proseDeltas(rnd: () => number, words: number): string[] {
  const W = ["the", "model", "answer", "streams", "tokens", "to", "a", "chat", "window", "while", "users", "read",
    "each", "sentence", "as", "it", "arrives", "and", "latency", "matters", "more", "than", "throughput", "here",
    "because", "people", "notice", "delays", "of", "several", "seconds", "between", "paragraphs", "explanation",
    "configuration", "deployment", "example", "I", "we", "you", "is", "are", "was", "with", "without", "into"];
  const out: string[] = [];
  for (let k = 0; k < words; k++) {
    let w = W[Math.floor(rnd() * W.length)];
    if (k % 11 === 0) w = w[0].toUpperCase() + w.slice(1);
    const r = rnd();
    const punct = r < 0.08 ? "." : r < 0.14 ? "," : r < 0.16 ? ":" : "";
    out.push((k === 0 ? "" : " ") + w + punct);
    if (punct === "." && rnd() < 0.3) out.push("\n\n");
  }
  return out;
}

function percentile(xs: number[], q: number): number { const a = [...xs].sort((x, y) => x - y); return a[Math.min(a.length - 1, Math.floor(q * a.length))]; }

test("plain prose is held back only by its last word (<= 32 bytes after a delta ending in a space)", (t) => {
  const h = new Harness();
  const rnd = seededRandom(31337);
  const deltas = proseDeltas(rnd, 3000);
  // Deltas as an LLM sends them (" word"), and the same text re-split after each space ("word ").
  const text = deltas.join("");
  const full = enc.encode(text);
  const asSent: number[] = [];
  let off = 0;
  for (const d of deltas) { off += enc.encode(d).length; asSent.push(off); }
  const afterSpace: number[] = [];
  for (let i = 0; i < full.length; i++) if (full[i] === 0x20) afterSpace.push(i + 1);
  const a = stream(h, full, asSent), b = stream(h, full, afterSpace);
  assert.deepEqual(a.spans, []); assert.deepEqual(b.spans, []);
  const heldA = a.held.slice(0, -1), heldB = b.held.slice(0, -1);
  const maxWord = Math.max(...text.split(/\s+/).map((w) => enc.encode(w).length));
  assert.ok(Math.max(...heldB) <= 32, `held ${Math.max(...heldB)} bytes after a chunk ending in a space`);
  assert.ok(Math.max(...heldA) <= maxWord, `held ${Math.max(...heldA)} bytes after a delta (longest word ${maxWord})`);
  t.diagnostic(`prose, ${heldA.length} deltas " word": held bytes p50 ${percentile(heldA, 0.5)}, p90 ${percentile(heldA, 0.9)}, p99 ${percentile(heldA, 0.99)}, max ${Math.max(...heldA)}`);
  t.diagnostic(`prose, ${heldB.length} chunks ending in a space: held bytes p50 ${percentile(heldB, 0.5)}, max ${Math.max(...heldB)}`);
});

test("dev corpus as word deltas: the held-back distribution stays small", (t) => {
  const h = new Harness();
  const held: number[] = [];
  let entityFree = 0;
  for (const text of corpus) {
    const full = enc.encode(text);
    const bounds: number[] = [];
    for (let i = 1; i < full.length; i++) if (full[i] === 0x20) bounds.push(i); // " word" deltas
    const r = stream(h, full, bounds);
    held.push(...r.held.slice(0, -1));
    if (buffered(h, full).length === 0) entityFree++;
  }
  const p50 = percentile(held, 0.5), p90 = percentile(held, 0.9), p99 = percentile(held, 0.99);
  t.diagnostic(`dev corpus (${corpus.length} texts, ${entityFree} without entities), ${held.length} word deltas: held bytes p50 ${p50}, p90 ${p90}, p99 ${p99}, max ${Math.max(...held)}`);
  assert.ok(p90 <= 32, `p90 held ${p90}`);
});

test("generated corpus (own contexts, new key forms, table rows, URL userinfo, CLI labels) streamed in random pieces and at split points gives the buffered matches", () => {
  const rnd = seededRandom(99);
  const h = new Harness();
  const texts = generate(600, 4242).map((r) => r.text);
  for (const text of texts) {
    const full = enc.encode(text);
    const want = show(full, buffered(h, full));
    assert.deepEqual(show(full, stream(h, full, randomBounds(full.length, rnd, 40)).spans), want, `random pieces: ${text}`);
    if (rnd() < 0.05) {
      for (let split = 1; split < full.length; split++) assert.deepEqual(show(full, stream(h, full, [split]).spans), want, `split at ${split}: ${text}`);
    }
  }
});
