// Training is deterministic and the committed weights are what it produces: regenerating
// assembly/model/weights.ts from train.jsonl gives the same file byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { TRAINING, WEIGHTS_FILE, render, trainAll, thresholdAt, foldOf } from "../scripts/train.ts";
import { exp } from "../scripts/model.ts";
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
