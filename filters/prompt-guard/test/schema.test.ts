// schema.json agrees with the filter: the README example validates and loads; configurations the
// schema rejects, the filter rejects too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { schemaValidator } from "../../common/test/support/schema.ts";
import { load } from "./helpers.ts";

const dir = dirname(fileURLToPath(import.meta.url));

/** The example configuration of README.md (the first ```json block after "## Configuration"). */
export function readmeExample(): unknown {
  const md = readFileSync(join(dir, "..", "README.md"), "utf8");
  const at = md.indexOf("## Configuration");
  const block = md.slice(at).match(/```json\n([\s\S]*?)\n```/);
  return JSON.parse(block![1]);
}

test("schema.json accepts the README example, which the filter loads", async () => {
  const validate = schemaValidator("prompt-guard");
  const good = readmeExample();
  assert.ok(validate(good), JSON.stringify(validate.errors));
  await load(good);
  assert.ok(validate({}), "empty = defaults");
});

test("schema.json rejects what the filter rejects", async () => {
  const validate = schemaValidator("prompt-guard");
  for (const bad of [
    { threshold: 0.5 },
    { thresholds: { block: 2 } },
    { rules: [{ name: "r", phrases: ["x"], pattern: "y" }] },
    { rules: [{ name: "Bad Name", phrases: ["x"] }] },
    { moderation: { timeout_ms: 5 } },
    { client_system: "sometimes" },
    { unscanned_media: "deny" },
    { routes: [{ name: "r", unscanned_media: true }] },
  ]) {
    assert.equal(validate(bad), false, JSON.stringify(bad));
    await assert.rejects(load(bad), JSON.stringify(bad));
  }
});
