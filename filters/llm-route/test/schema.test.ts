// schema.json describes what the filter accepts: README's JSON examples validate and configure
// the filter; shapes the filter rejects are rejected by the schema too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readmeJsonBlocks, schemaValidator } from "../../common/test/support/schema.ts";
import { load } from "./helpers.ts";

const validate = schemaValidator("llm-route");

test("every JSON example in README.md validates against the schema and configures the filter", async () => {
  const blocks = readmeJsonBlocks("llm-route");
  assert.ok(blocks.length >= 1);
  for (const b of blocks) {
    const cfg = JSON.parse(b);
    assert.ok(validate(cfg), JSON.stringify(validate.errors));
    await load(cfg); // throws when on_configure fails
  }
});

test("shapes the filter rejects are rejected by the schema too", async () => {
  const p = { name: "p", kind: "openai", models: { m: "m" } };
  const bad: unknown[] = [
    { providers: {} },
    { providers: [{ name: "p" }] },
    { providers: [{ name: "p", kind: "cohere" }] },
    { providers: [{ ...p, base_path: "v1" }] },
    { providers: [{ ...p, models: { m: { input_price: -1 } } }] },
    { providers: [{ ...p, models: { m: { capabilities: ["telepathy"] } } }] },
    { providers: [p], aliases: { a: { strategy: "fastest", targets: ["p/m"] } } },
    { providers: [p], aliases: { a: { targets: [] } } },
    { providers: [p], aliases: { a: ["nope"] } },
    { providers: [p], cluster_header: "X-Upper" },
    { providers: [p], max_body_bytes: 10 },
    { providers: [p], colour: "blue" },
  ];
  for (const b of bad) {
    assert.equal(validate(b), false, JSON.stringify(b));
    await assert.rejects(load(b), JSON.stringify(b));
  }
});
