// assembly/bytes/inflate.ts against Node's zlib: whatever zlib deflates (stored, fixed and dynamic
// blocks, every level and strategy), the filter's inflater gives back byte for byte; a cut or
// corrupted stream gives back less, never a trap and never a byte past the output's size.
// Fixed seeds, bounded loops.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, deflateRawSync, inflateRawSync } from "node:zlib";
import { seededRandom } from "../../../host-test/src/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const wasmPath = join(root, "dist", "fixtures", "common-body-harness.wasm");
execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), "--if-needed", "--quiet", "common-body-harness"], { cwd: root, stdio: "ignore" });

type Exports = Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };
const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
const ex = inst.exports as unknown as Exports;
ex._initialize?.();

function inflate(packed: Uint8Array, outCap: number): Buffer {
  const p = ex.input(packed.length);
  new Uint8Array(ex.memory.buffer, p, packed.length).set(packed);
  const n = ex.inflate(outCap);
  return Buffer.from(new Uint8Array(ex.memory.buffer, ex.outPtr(), n));
}

function samples(): Buffer[] {
  const rnd = seededRandom(1951);
  const out: Buffer[] = [Buffer.alloc(0), Buffer.from("a"), Buffer.alloc(70000, 0x61)];
  // The data it is for: the pattern sources (prose-like ASCII and UTF-8).
  out.push(readFileSync(join(root, "filters", "prompt-guard", "patterns", "planted.ts")));
  out.push(readFileSync(join(root, "filters", "prompt-guard", "scripts", "lexicon.ts")));
  // Random bytes (stored blocks), and text of a small alphabet (long matches, far distances).
  for (let k = 0; k < 6; k++) {
    const n = Math.floor(rnd() * 90000);
    out.push(Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256))));
    out.push(Buffer.from(Array.from({ length: n }, () => "abcde fghij\n".charCodeAt(Math.floor(rnd() * (k + 2))))));
  }
  return out;
}

test("inflates what zlib deflates, every level and strategy, byte for byte", () => {
  let checked = 0;
  for (const data of samples()) {
    for (const opts of [{ level: 0 }, { level: 1 }, { level: 6 }, { level: 9 }, { level: 9, strategy: constants.Z_FIXED }, { level: 9, strategy: constants.Z_HUFFMAN_ONLY }, { level: 9, strategy: constants.Z_RLE }]) {
      const packed = deflateRawSync(data, opts);
      assert.ok(inflate(packed, data.length).equals(data), `${data.length} bytes, ${JSON.stringify(opts)}`);
      checked++;
    }
  }
  assert.ok(checked > 100);
});

test("a stream cut short, corrupted, or larger than the output stops early: no trap, no byte past the output", () => {
  const rnd = seededRandom(7);
  const data = readFileSync(join(root, "filters", "prompt-guard", "patterns", "asks.ts"));
  const packed = deflateRawSync(data, { level: 9 });
  // Too small an output: exactly the first bytes.
  assert.ok(inflate(packed, 1000).equals(data.subarray(0, inflate(packed, 1000).length)));
  assert.ok(inflate(packed, 1000).length <= 1000);
  for (let k = 0; k < 300; k++) {
    const cut = packed.subarray(0, Math.floor(rnd() * packed.length));
    const got = inflate(cut, data.length);
    assert.ok(got.equals(data.subarray(0, got.length)), "a cut stream gives a prefix");
    const bad = Buffer.from(packed);
    for (let f = 0; f < 1 + Math.floor(rnd() * 4); f++) bad[Math.floor(rnd() * bad.length)] ^= 1 << Math.floor(rnd() * 8);
    assert.ok(inflate(bad, data.length).length <= data.length);
    // Random bytes as a stream (zlib would reject most of them): the inflater just stops.
    const junk = Buffer.from(Array.from({ length: Math.floor(rnd() * 400) }, () => Math.floor(rnd() * 256)));
    assert.ok(inflate(junk, 4096).length <= 4096);
  }
  // What the inflater accepts of a corrupted stream agrees with zlib where zlib accepts it whole.
  for (let k = 0; k < 200; k++) {
    const bad = Buffer.from(packed);
    bad[Math.floor(rnd() * bad.length)] ^= 1 << Math.floor(rnd() * 8);
    let expected: Buffer | null = null;
    try { expected = inflateRawSync(bad); } catch { /* zlib rejects it */ }
    if (expected && expected.length <= data.length) assert.ok(inflate(bad, data.length).equals(expected));
  }
});
