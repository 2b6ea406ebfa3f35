// schema.json agrees with the filter: the README example validates and loads; a config the
// schema rejects (unknown field) the filter rejects too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { schemaValidator } from "../../common/test/support/schema.ts";
import { load } from "./helpers.ts";

test("schema.json accepts what the filter accepts and rejects what it rejects", async () => {
  const validate = schemaValidator("pii-mask");
  const good = {
    detectors: { CREDIT_CARD: { action: "mask", keep_last: 4 }, EMAIL: "tokenize", AWS_SECRET_KEY: "block", IPV4: false },
    custom_patterns: [{ name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}", action: "hash" }],
    secret: "change-me-to-32-random-bytes....",
  };
  assert.ok(validate(good), JSON.stringify(validate.errors));
  await load(good);
  for (const bad of [{ detectors: { NOPE: true } }, { stream_window_bytes: 1024 }]) {
    assert.equal(validate(bad), false, JSON.stringify(bad));
    await assert.rejects(load(bad), JSON.stringify(bad));
  }
});

test("a reversible-masking secret of the wrong type fails configuration without its value in the log line", async () => {
  let logs = "";
  await assert.rejects(load({ detectors: { EMAIL: "tokenize" }, secret: 987654321987 }), (e: Error) => { logs = e.message; return true; });
  const line = logs.split("\n").find((l) => l.includes("configuration rejected"));
  assert.ok(line !== undefined && line.includes("secret") && /got number/.test(line), line);
  assert.ok(!logs.includes("987654321987"), "the secret's value is in the log");
});
