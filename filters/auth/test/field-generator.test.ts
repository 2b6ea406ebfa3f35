// filters/auth/assembly/crypto/field.ts holds generated code (the unrolled products and the
// special-form reductions); its generator is filters/auth/scripts/gen-field.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { FIELD_TS, regenerate } from "../scripts/gen-field.mjs";

test("regenerating field.ts gives the committed file byte for byte", () => {
  const now = readFileSync(FIELD_TS, "utf8");
  assert.equal(regenerate(now), now);
  const r = spawnSync(process.execPath, ["filters/auth/scripts/gen-field.mjs", "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

test("a hand edit inside a generated part is found: --check would fail and regenerating restores the line", () => {
  const now = readFileSync(FIELD_TS, "utf8");
  const edited = now.replace("acc = (acc >> 32) + w(t, 6) - c8 - c9 + c13 + 3 * c14 + 2 * c15;", "acc = (acc >> 32) + w(t, 6) - c8 - c9 + c13 + 3 * c14 + c15;");
  assert.notEqual(edited, now, "the P-256 column 6 line is in field.ts");
  assert.equal(regenerate(edited), now);
});
