// Detection quality on the dev corpus: exact-span recall and precision per structured type.
// A regression in any validator or boundary rule shows up here as a failing type.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { evaluate, DEV_CORPUS } from "../scripts/eval.ts";

const STRUCTURED = [
  "CREDIT_CARD", "IBAN", "US_SSN", "EMAIL", "PHONE", "IPV4", "IPV6", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
  "GITHUB_TOKEN", "SLACK_TOKEN", "STRIPE_KEY", "OPENAI_KEY", "ANTHROPIC_KEY", "GOOGLE_API_KEY", "JWT", "PRIVATE_KEY",
  "GENERIC_SECRET",
];

test("dev corpus: recall and precision >= 99.5% for every type (exact spans)", () => {
  // The corpus lives in ../shared beside the checkout (CI has it there too): its absence is a
  // broken setup, not a reason to pass.
  assert.ok(existsSync(DEV_CORPUS), `${DEV_CORPUS} is missing: clone the project beside its shared/ folder`);
  const r = evaluate(DEV_CORPUS);
  const byType = new Map(r.perType.map((t) => [t.type, t]));
  for (const type of STRUCTURED) {
    const t = byType.get(type);
    assert.ok(t && t.gold > 0, `${type}: no gold entities in corpus`);
    assert.ok(t.recall >= 0.995, `${type}: recall ${(t.recall * 100).toFixed(2)}% (${t.tp}/${t.gold})`);
    assert.ok(t.precision >= 0.995, `${type}: precision ${(t.precision * 100).toFixed(2)}% (${t.tp}/${t.pred})`);
  }
});
