// Throughput of PII/secret detection on a 1 MB mixed prompt, with and without PII:
//   wasm engine (all detectors, one pass) | plain byte loop in the same Wasm module | JS RegExp reference
//   (one RegExp per detector + the same validators). Prints medians (MB/s) and ratios.
// Run: node scripts/build.mjs pii-mask-detect-harness && node --import tsx filters/pii-mask/bench/detect.bench.ts
import { Harness } from "../test/fixtures/detect-harness/load.ts";
import { referenceScan } from "./js-reference.ts";

const SIZE = 1 << 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

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

function median(xs: number[]): number { const a = [...xs].sort((x, y) => x - y); return a[a.length >> 1]; }

function time(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const h = new Harness();
console.log(`input ${(SIZE / 1048576).toFixed(1)} MB, ${RUNS} runs each, medians\n`);
console.log("corpus        engine              MB/s    matches   vs JS");
for (const withPii of [false, true]) {
  const text = build(withPii);
  const bytes = new TextEncoder().encode(text);
  const mb = bytes.length / 1048576;
  h.load(bytes);
  let wasmCount = 0, refCount = 0;
  const tw: number[] = [], tl: number[] = [], tj: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    tw.push(time(() => { wasmCount = h.x.scan(0, bytes.length); }));
    tl.push(time(() => h.x.byteLoop(0, bytes.length)));
    tj.push(time(() => { refCount = referenceScan(text).length; }));
  }
  const label = withPii ? "with PII" : "no PII";
  const w = mb / median(tw), l = mb / median(tl), j = mb / median(tj);
  console.log(`${label.padEnd(13)} wasm engine    ${w.toFixed(1).padStart(9)} ${String(wasmCount).padStart(9)}   ${(w / j).toFixed(1)}x`);
  console.log(`${"".padEnd(13)} wasm byte loop ${l.toFixed(1).padStart(9)} ${"-".padStart(9)}   ${(l / j).toFixed(1)}x`);
  console.log(`${"".padEnd(13)} JS RegExp ref  ${j.toFixed(1).padStart(9)} ${String(refCount).padStart(9)}   1.0x`);
  console.log(`${"".padEnd(13)} engine / byte loop: ${(w / l).toFixed(2)}\n`);
}
