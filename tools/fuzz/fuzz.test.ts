// npm test's short run of the fuzz campaign (npm run fuzz runs the long ones): every built filter
// gets structure-aware inputs through every callback without a trap; and the campaign does find a
// trap that only some inputs reach, and replays it alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { replay, runCampaign } from "./campaign.ts";
import { fixture } from "../../host-test/test/helpers.ts";

const root = join(import.meta.dirname, "..", "..");
const built = readdirSync(join(root, "filters")).filter((n) => existsSync(join(root, "filters", n, "assembly", "index.ts")) && existsSync(join(root, "dist", `${n}.wasm`))).sort();

// Traps this campaign found and that are not fixed yet: the test still runs and prints its
// findings, marked TODO with the defect, so the suite stays usable until the filter is fixed.
// Remove the entry with the fix.
const KNOWN_TRAPS: Record<string, string> = {};

for (const name of built) {
  test(`fuzz (short run): ${name} survives 300 structure-aware inputs (configurations, split JSON/SSE bodies, headers, trailers, callouts, ticks)`, { todo: KNOWN_TRAPS[name] }, async () => {
    const { campaignOptions } = await import("./options.ts");
    const r = await runCampaign({ ...campaignOptions(name), inputs: 300, seed: 20261205 });
    assert.equal(r.inputs, 300);
    assert.ok(r.streams > 250 && r.configs > 0, `both kinds of input ran (${r.streams} streams, ${r.configs} configurations)`);
    assert.deepEqual(r.findings, [], `${r.traps} traps, ${r.hostErrors} host errors`);
  });
}

test("the campaign finds a trap that only inputs with response trailers reach, counts it, goes on, and replays it alone", async () => {
  const o = { name: "abi", wasm: fixture("abi"), seedConfigs: ["response_trailers|trap"], seed: 7 };
  const r = await runCampaign({ ...o, inputs: 200 });
  assert.equal(r.inputs, 200, "the campaign went on after each trap (the VM was started again)");
  assert.ok(r.traps > 0, "response trailers come in about 1 stream in 10");
  assert.ok(r.traps < r.streams / 4, `only the inputs with trailers trap (${r.traps} of ${r.streams})`);
  const f = r.findings[0];
  assert.match(f.message, /proxy_on_response_trailers failed: Uncaught RuntimeError: unreachable/);
  const again = await replay(o, f.input, f.config);
  assert.equal(again.traps, 1, "input i of the seed is the same input when run alone");
});
