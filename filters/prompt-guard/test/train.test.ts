// Training is deterministic and the committed weights are what it produces: regenerating
// assembly/model/weights.ts from train.jsonl gives the same file byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { TRAINING, WEIGHTS_FILE, render, trainAll, thresholdAt, foldOf, platt, lexiconRice } from "../scripts/train.ts";
import { buildLexicon } from "../scripts/features.ts";
import { exp, sigmoid, packNibbles, unpackNibbles, packWeights, unpackWeights, equalizeSources, type Sample } from "../scripts/model.ts";
import { sharedData } from "../../../tools/shared/index.ts";

test("npm run train:guard regenerates the committed weights exactly", () => {
  const t = trainAll(sharedData("prompt-guard", "train.jsonl"), TRAINING);
  assert.ok(render(t) === readFileSync(WEIGHTS_FILE, "utf8"), "assembly/model/weights.ts differs from a fresh training run: run `npm run train:guard` and commit");
  assert.ok(t.cv.fpr <= TRAINING.targetFpr + 0.001, `cross-validated FPR ${t.cv.fpr}`);
});

test("trainer helpers: threshold at an FPR, folds by source, exp", () => {
  assert.equal(thresholdAt([0.1, 0.2, 0.3, 0.9], 0.25), 0.3);
  const rows = [{ source: "a/x:1" }, { source: "b/y:2" }, { source: "a/x:3" }].map((r) => ({ ...r, text: "", label: 0, kind: "benign" }));
  const f = foldOf(rows, 2);
  assert.equal(f[0], f[2], "rows of one repository share a fold");
  assert.notEqual(f[0], f[1]);
  for (const x of [-20, -1, 0, 0.3, 1, 5, 30]) assert.ok(Math.abs(exp(x) / Math.exp(x) - 1) < 1e-12, `exp(${x})`);
});

test("int4 weights pack two to a byte and unpack to the same values", () => {
  const q = Int8Array.from([-7, 7, 0, -1, 3, -4, 1, 5]);
  const p = packNibbles(q);
  assert.equal(p.length, 4);
  assert.equal(p[0], 0x79, "bucket 0 in the low nibble (-7 = 0x9), bucket 1 in the high one");
  assert.deepEqual(Array.from(unpackNibbles(p)), Array.from(q));
});

test("the shipped weight codes (a prefix code: 0, 10 for -1, 110 for +1, 1110 for -2, 11110 for +2, 11111 for an escape) unpack to the same weights", () => {
  const q = Int8Array.from([0, 1, -1, -2, 0, -7, 2, 0, 1, -3]);
  const { codes, escapes } = packWeights(q);
  // 1 + 3 + 2 + 4 + 1 + 5 + 5 + 1 + 3 + 5 = 30 bits.
  assert.equal(codes.length, 4);
  assert.equal(codes[0], 0b11_01_011_0, "bits from the low end: 0 | 110 | 10 | 11 (of 1110)");
  assert.equal(codes[1], 0b111_11111_0_01 & 0xff, "… 10 (the rest of 1110) | 0 | 11111 (an escape) | 111 (of +2's 11110)");
  assert.equal(escapes.length, 1, "two escaped weights (-2 and +2 have codes of their own), two to a byte");
  assert.deepEqual(Array.from(unpackWeights(codes, escapes, q.length)), Array.from(q));
});

test("the lexicon's keys Rice-code to under 20 bits each and decode back in order", () => {
  const keys = [...buildLexicon().keys()].sort((a, b) => a - b);
  const { k, bytes } = lexiconRice(keys);
  assert.ok(keys.every((key) => key < 2 ** 27), "27-bit keys");
  assert.ok(bytes.length * 8 < keys.length * 20, `${bytes.length} bytes for ${keys.length} keys`);
  // The filter's reading (assembly/features.ts decodeLexiconKeys): unary quotient, then k low bits.
  const bit = (i: number) => (bytes[i >> 3] >> (i & 7)) & 1;
  let at = 0, key = 0;
  const decoded = keys.map(() => {
    let q = 0;
    while (bit(at++)) q++;
    let low = 0;
    for (let b = 0; b < k; b++) low += bit(at++) << b;
    return (key += q * 2 ** k + low);
  });
  assert.deepEqual(decoded, keys);
});

test("Platt scaling recovers a known logistic map", () => {
  // Labels drawn as y = [sigmoid(2z - 1) > u] with a fixed grid of u: the fit must find a ≈ 2, b ≈ -1.
  const z: number[] = [], y: number[] = [];
  for (let i = 0; i < 400; i++) for (let k = 0; k < 10; k++) { const zi = -4 + i / 50; z.push(zi); y.push(sigmoid(2 * zi - 1) > (k + 0.5) / 10 ? 1 : 0); }
  const { a, b } = platt(z, y);
  assert.ok(Math.abs(a - 2) < 0.4 && Math.abs(b + 1) < 0.3, `a ${a}, b ${b}`);
});

test("equal source weights: each source of a class carries the same total, classes stay balanced", () => {
  const mk = (group: string, y: number): Sample => ({ idx: new Int32Array(0), val: new Float64Array(0), y, w: 1, group, script: "latin" });
  const s = [...Array(90)].map(() => mk("big/a", 1)).concat([...Array(10)].map(() => mk("small/b", 1)), [...Array(50)].map(() => mk("c/c", 0)));
  equalizeSources(s);
  const tot = (g: string) => s.filter((x) => x.group == g).reduce((a, x) => a + x.w, 0);
  assert.ok(Math.abs(tot("big/a") - tot("small/b")) < 1e-9);
  assert.ok(Math.abs(tot("big/a") + tot("small/b") - tot("c/c")) < 1e-9);
});
