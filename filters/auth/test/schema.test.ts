// schema.json describes what the filter accepts: the README's example validates and is accepted
// by the filter; configurations the filter rejects for shape reasons are rejected by the schema.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readmeJsonBlocks, schemaValidator } from "../../common/test/support/schema.ts";
import { authPlugin, makeKey, sha256hex } from "./helpers.ts";

const validate = schemaValidator("auth");

test("every JSON example in README.md validates against the schema and is accepted by the filter", async () => {
  const blocks = readmeJsonBlocks("auth");
  assert.ok(blocks.length >= 1);
  for (const b of blocks) {
    const cfg = JSON.parse(b);
    assert.ok(validate(cfg), JSON.stringify(validate.errors));
    const p = await authPlugin(cfg, { clusters: { idp: () => ({ status: 503 }) } });
    assert.equal(p.failed, false);
  }
});

test("shapes the filter rejects are rejected by the schema too", () => {
  const hs = makeKey("HS256");
  const bad = [
    { realms: "x" },
    { default_mode: "maybe" },
    { consumers: [{ name: "a" }], api_keys: { keys: [{ consumer: "a" }] } },
    { consumers: [{ name: "a" }], api_keys: { keys: [{ consumer: "a", sha256: "abc" }] } },
    { consumers: [{ name: "a" }], api_keys: { keys: [{ consumer: "a", key: "k", sha256: sha256hex("k") }] } },
    { jwt_providers: [{ jwks: { keys: [hs.jwk] }, algorithms: ["none"] }] },
    { jwt_providers: [{ jwks: { keys: [hs.jwk] }, remote_jwks: { cluster: "c", path: "/j" } }] },
    { jwt_providers: [{ remote_jwks: { cluster: "c", path: "j" } }] },
    { rules: [{ prefixx: "/" }] },
    { rules: [{ allow: {} }] },
    { api_keys: { from: [{ query: "k", scheme: "Bearer" }], keys: [] } },
  ];
  for (const b of bad) assert.equal(validate(b), false, JSON.stringify(b));
});
