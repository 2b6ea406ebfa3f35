// schema.json agrees with the filter: the README example validates and loads; a config the
// schema rejects (unknown field) the filter rejects too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { load } from "./helpers.ts";

const dir = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(dir, "..", "schema.json"), "utf8"));

test("schema.json accepts what the filter accepts and rejects what it rejects", async () => {
  const ajv = new Ajv2020({ strict: false });
  const validate = ajv.compile(schema);
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
