// schema.json describes what the filter accepts: the README's example validates and is accepted
// by the filter; configurations the filter rejects for shape reasons are rejected by the schema.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readmeJsonBlocks, schemaValidator } from "../../common/test/support/schema.ts";
import { load } from "./helpers.ts";

const validate = schemaValidator("cache");

test("every JSON example in README.md validates against the schema and is accepted by the filter", async () => {
  const blocks = readmeJsonBlocks("cache");
  assert.ok(blocks.length >= 1);
  for (const b of blocks) {
    const cfg = JSON.parse(b);
    assert.ok(validate(cfg), JSON.stringify(validate.errors));
    await load(cfg);
  }
  assert.ok(validate({}));
});

test("shapes the filter rejects are rejected by the schema too", async () => {
  const bad = [
    { scope: "team" }, { ttl_seconds: 0 }, { slots: 8 }, { colour: 1 }, { routes: [{ ttl_seconds: 5 }] },
    { routes: [{ prefix: "v1" }] }, { semantic: { cluster: "emb" } }, { semantic: { cluster: "emb", model: "m", threshold: 1.5 } },
    { semantic: { cluster: "emb", model: "m", encoding_format: "binary" } }, { semantic: { cluster: "emb", model: "m", path: "v1" } },
    { max_vectors: 0 }, { budget_bytes: 10 },
  ];
  for (const cfg of bad) {
    assert.equal(validate(cfg), false, `schema accepts ${JSON.stringify(cfg)}`);
    await assert.rejects(load(cfg), undefined, `filter accepts ${JSON.stringify(cfg)}`);
  }
});

test("an embeddings api_key of the wrong type fails configuration without its value in the log line", async () => {
  let logs = "";
  await assert.rejects(load({ semantic: { cluster: "emb", model: "m", api_key: 987654321987 } }), (e: Error) => { logs = e.message; return true; });
  const line = logs.split("\n").find((l) => l.includes("configuration rejected"));
  assert.ok(line !== undefined && line.includes("semantic.api_key") && /got number/.test(line), line);
  assert.ok(!logs.includes("987654321987"), "the key's value is in the log");
});
