// Throughput of PII/secret detection on a 1 MB mixed prompt, without and with PII:
//   wasm engine, buffered (all built-in detectors, one pass over the whole buffer)
//   wasm engine, streamed (Detector.scanStream over 16 KiB and over 64-byte chunks with the carried
//     tail, as the filter does for SSE answers; each call rescans CONTEXT_BYTES + what was held back)
//   wasm engine + custom detectors (2 patterns and 1 dictionary added to the built-ins)
//   plain byte loop in the same Wasm module (the floor: one load and compare per byte)
//   JS RegExp reference (one RegExp per detector + the same validators, bench/js-reference.ts)
// Every variant runs RUNS times, interleaved (so load on the machine hits all alike); prints medians
// (MB/s) and the ratios engine / RegExp reference and engine / byte loop ("+ custom" rows are compared
// with the reference plus one RegExp per custom detector).
// DETECT_BASELINE=<path to another pii-mask-detect-harness.wasm> adds that build's engine rows, measured
// in the same run (before/after comparisons on a busy machine).
// Run: node scripts/build.mjs pii-mask-detect-harness && node --import tsx filters/pii-mask/bench/detect.bench.ts
import { readFileSync } from "node:fs";
import { median } from "../../../bench/lib.ts";
import { Harness } from "../test/fixtures/detect-harness/load.ts";
import { referenceScan, dictionaryRule, type Rule } from "./js-reference.ts";

const SIZE = 1 << 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const CHUNK = 16 * 1024;
/** LLM-sized arrivals (a few SSE deltas per network chunk): the carried tail dominates the cost. */
const SMALL_CHUNK = 64;
const CONTEXT_BYTES = 128;

const PROSE = [
  "Can you explain the difference between TCP and UDP in simple terms? ",
  "Refactor this function to be async and add error handling for the network calls. ",
  "Here is my config:\n```yaml\nserver:\n  port: 8080\n  timeout: 30s\n```\n",
  "Bitte fasse den folgenden Text zusammen und übersetze ihn ins Englische. ",
  "この文章を要約してください。重要なポイントを三つ挙げてください。 ",
  "Version 1.2.3 was released on 2024-01-15T10:30:00Z with 1735071166123 events processed. ",
  "{\"role\": \"user\", \"content\": \"What does HTTP status 429 mean?\"} ",
  "Order #A-2024-118 (invoice 99812) shipped; tracking 1Z999AA10123456784. ",
];
const PII = [
  "Contact jane.doe@example.com or call +44 20 7946 0958. ",
  "My card 4111 1111 1111 1111 was charged twice. ",
  "IBAN DE89 3704 0044 0532 0130 00 for the refund. ",
  "SSN 123-45-6789 on file, server 10.20.30.40 and [2001:db8::1]:8443. ",
  "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and AKIAIOSFODNN7EXAMPLE ",
  "token=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 password=Xk9#mPq2$vLw7!Rt ",
  "Employee EMP-204518 at Globex asked about Project Falcon and the Acme Corp renewal. ",
];

function build(withPii: boolean): string {
  let s = "";
  let k = 0;
  while (s.length < SIZE) {
    s += PROSE[k % PROSE.length];
    if (withPii && k % 6 === 5) s += PII[(k / 6) % PII.length | 0];
    k++;
  }
  return s;
}

function time(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** scanStream over `chunk`-sized arrivals; the input stays in place, so the carried tail is [ctx, end). */
function streamed(h: Harness, n: number, chunk = CHUNK): number {
  let ctx = 0, from = 0, end = 0, count = 0;
  for (;;) {
    end = Math.min(n, end + chunk);
    const last = end === n;
    count += h.x.scanStream(ctx, from, end, last ? 1 : 0);
    if (last) return count;
    const cut = h.x.lastCut();
    ctx = Math.max(ctx, cut - CONTEXT_BYTES);
    from = cut;
  }
}

// Custom detectors for the "+ custom" rows, and the same three as RegExps for its reference.
const CUSTOM_WORDS = ["Acme Corp", "Globex", "Initech", "Umbrella Health"];
const CUSTOM_RULES: Rule[] = [
  { type: "EMPLOYEE_ID", re: /\bEMP-\d{6}\b/g },
  { type: "PROJECT", re: /project[ -](falcon|osprey)/gi },
  dictionaryRule("CUSTOMER", CUSTOM_WORDS),
];

function withCustom(h: Harness): Harness {
  for (const [src, id] of [["\\bEMP-\\d{6}\\b", 32], ["(?i)project[ -](falcon|osprey)", 33]] as const) {
    const err = h.addPattern(src, id);
    if (err) throw new Error(err);
  }
  const err = h.addDictionary(CUSTOM_WORDS, 34);
  if (err) throw new Error(err);
  return h;
}

interface Variant { name: string; run: (n: number) => number; engine?: boolean; ref?: string }

const engines: { tag: string; h: Harness; hc: Harness }[] = [];
const baseline = process.env.DETECT_BASELINE;
if (baseline) {
  const wasm = readFileSync(baseline);
  engines.push({ tag: "baseline ", h: new Harness(wasm), hc: withCustom(new Harness(wasm)) });
}
engines.push({ tag: "", h: new Harness(), hc: withCustom(new Harness()) });
const floor = engines[engines.length - 1].h;

console.log(`input ${(SIZE / 1048576).toFixed(1)} MB, ${RUNS} interleaved runs per variant, medians; streamed = ${CHUNK / 1024} KiB chunks (or ${SMALL_CHUNK} B)\n`);
const summary: string[] = [];
for (const withPii of [false, true]) {
  const text = build(withPii);
  const bytes = new TextEncoder().encode(text);
  const n = bytes.length;
  const mb = n / 1048576;
  for (const e of engines) { e.h.load(bytes); e.hc.load(bytes); }
  const variants: Variant[] = [];
  for (const e of engines) {
    variants.push({ name: `${e.tag}engine, buffered`, run: () => e.h.x.scan(0, n), engine: true });
    variants.push({ name: `${e.tag}engine, streamed`, run: () => streamed(e.h, n), engine: true });
    variants.push({ name: `${e.tag}engine, streamed 64 B`, run: () => streamed(e.h, n, SMALL_CHUNK), engine: true });
    variants.push({ name: `${e.tag}engine + custom`, run: () => e.hc.x.scan(0, n), engine: true, ref: "JS RegExp ref + custom" });
  }
  variants.push({ name: "wasm byte loop", run: () => floor.x.byteLoop(0, n) });
  variants.push({ name: "JS RegExp ref + custom", run: () => referenceScan(text, CUSTOM_RULES).length });
  variants.push({ name: "JS RegExp reference", run: () => referenceScan(text).length });
  const times = variants.map(() => [] as number[]);
  const counts = variants.map(() => 0);
  for (let r = 0; r < RUNS; r++) {
    variants.forEach((v, k) => { times[k].push(time(() => { counts[k] = v.run(n); })); });
  }
  const speed = times.map((t) => mb / median(t));
  const at = (name: string) => speed[variants.findIndex((v) => v.name === name)];
  const loop = at("wasm byte loop");
  const label = withPii ? "with PII" : "no PII";
  console.log(`${label.padEnd(10)} ${"variant".padEnd(28)} ${"MB/s".padStart(8)} ${"matches".padStart(8)} ${"/ RegExp".padStart(9)} ${"/ loop".padStart(7)}`);
  variants.forEach((v, k) => {
    const c = v.name === "wasm byte loop" ? "-" : String(counts[k]);
    const ref = at(v.ref ?? "JS RegExp reference");
    console.log(`${"".padEnd(10)} ${v.name.padEnd(28)} ${speed[k].toFixed(1).padStart(8)} ${c.padStart(8)} ${(speed[k] / ref).toFixed(2).padStart(8)}x ${(speed[k] / loop).toFixed(3).padStart(7)}`);
    if (v.engine && !v.name.startsWith("baseline")) summary.push(`${label}, ${v.name}: ${(speed[k] / ref).toFixed(1)}x ${v.ref ?? "JS RegExp reference"}, ${(speed[k] / loop).toFixed(2)} of byte loop`);
  });
  console.log("");
}
console.log(summary.join("\n"));
