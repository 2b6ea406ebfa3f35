// The build-time LZ packing (scripts/lz.ts) round-trips, and its stream is what the filters'
// unpacker (assembly/bytes/lz.ts, checked by the as-pect spec bytes.spec.ts) reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { lzPack, lzUnpack, MIN_MATCH } from "../scripts/lz.ts";
import { seededRandom } from "../../../host-test/src/index.ts";

function roundTrip(data: Uint8Array): Uint8Array {
  const packed = lzPack(data);
  assert.deepEqual(lzUnpack(packed, data.length), data);
  return packed;
}

test("lz: empty, short, random and repetitive inputs round-trip", () => {
  roundTrip(new Uint8Array(0));
  roundTrip(Uint8Array.from([7]));
  roundTrip(new TextEncoder().encode("abcabcabcabcabcabc"));
  const r = seededRandom(11);
  for (const n of [3, 4, 5, 127, 128, 129, 300, 70000]) {
    roundTrip(Uint8Array.from({ length: n }, () => Math.floor(r() * 256)));
    roundTrip(Uint8Array.from({ length: n }, () => Math.floor(r() * 3)));
  }
  // A run longer than one match, and matches further back than the 64 KiB window.
  roundTrip(new Uint8Array(1000).fill(0x61));
  const far = new Uint8Array(140000);
  for (let i = 0; i < far.length; i++) far[i] = i < 70000 ? Math.floor(r() * 256) : far[i - 70000];
  roundTrip(far);
});

test("lz: text packs to well under its size; the format's tokens are as documented", () => {
  const text = new Uint8Array(readFileSync(new URL("../README.md", import.meta.url)));
  const packed = roundTrip(text);
  assert.ok(packed.length < text.length * 0.7, `${packed.length} of ${text.length}`);
  // "abcd" then a 4-byte match one back repeats the last byte four times: literal token 3, match token 0x80.
  assert.deepEqual([...lzPack(new TextEncoder().encode("abcddddd"))], [3, 0x61, 0x62, 0x63, 0x64, 0x80, 1, 0]);
  assert.equal(MIN_MATCH, 4);
});
