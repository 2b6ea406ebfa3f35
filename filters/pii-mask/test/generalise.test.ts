// Detection quality on a corpus the detectors were not tuned on: test/generalise-corpus.ts writes its
// own sentence frames (eight languages), document shapes (JSON, YAML, CSV, Markdown, logs, e-mail
// headers, env files, code, HTML), edge forms and distractors, with random valid values. Floors per
// type, exact spans, for two seeds: a detector that only learned the dev corpus's templates fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateRows } from "../scripts/eval.ts";
import { generate, TYPES } from "./generalise-corpus.ts";
import { Harness } from "./fixtures/detect-harness/load.ts";

const RECALL_FLOOR = 0.95;
const PRECISION_FLOOR = 0.99;

for (const seed of [20261205, 77]) {
  test(`generated corpus (seed ${seed}): recall >= ${RECALL_FLOOR * 100}% and precision >= ${PRECISION_FLOOR * 100}% for every type`, () => {
    const rows = generate(1500, seed);
    const r = evaluateRows(rows, new Harness(), "1");
    const byType = new Map(r.perType.map((t) => [t.type, t]));
    const failures: string[] = [];
    for (const type of TYPES) {
      const t = byType.get(type);
      assert.ok(t && t.gold >= 40, `${type}: too few generated entities (${t?.gold ?? 0})`);
      if (t.recall < RECALL_FLOOR) failures.push(`${type}: recall ${(t.recall * 100).toFixed(1)}% (${t.tp}/${t.gold})`);
      if (t.precision < PRECISION_FLOOR) failures.push(`${type}: precision ${(t.precision * 100).toFixed(1)}% (${t.tp}/${t.pred})`);
    }
    // No type outside the generated ones (GitLab, custom) may appear on this corpus.
    for (const t of r.perType) if (!TYPES.includes(t.type)) failures.push(`${t.type}: ${t.pred} unexpected predictions`);
    assert.deepEqual(failures, [], `${failures.join("\n")}\nfirst errors:\n${r.errors.slice(0, 12).join("\n")}`);
  });
}

test("generated corpus: values are valid and spans are the values (the generator itself)", () => {
  const rows = generate(400, 5);
  let n = 0;
  for (const row of rows) {
    const cps = [...row.text];
    for (const e of row.entities) {
      assert.equal(cps.slice(e.start, e.end).join(""), e.value);
      n++;
    }
  }
  assert.ok(n > 300);
});
