// Bad configurations fail on_configure with one log line naming the field and the reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, request, chat, INJECTION } from "./helpers.ts";

const CASES: Array<{ name: string; config: unknown; field: RegExp; reason: RegExp }> = [
  { name: "not JSON", config: "{nope", field: /configuration/, reason: /not valid JSON/ },
  { name: "unknown field", config: { threshold: 0.5 }, field: /`threshold`/, reason: /unknown field/ },
  { name: "threshold out of range", config: { thresholds: { block: 1.5 } }, field: /`thresholds\.block`/, reason: /\[0, 1\]/ },
  { name: "unknown role", config: { roles: ["user", "robot"] }, field: /`roles`/, reason: /unknown role `robot`/ },
  { name: "bad client_system", config: { client_system: "maybe" }, field: /`client_system`/, reason: /allow, forbid, demote/ },
  { name: "rule without name", config: { rules: [{ phrases: ["x"] }] }, field: /`rules\[0\]\.name`/, reason: /missing/ },
  { name: "rule name not a label", config: { rules: [{ name: "No Spaces", phrases: ["x"] }] }, field: /`rules\[0\]\.name`/, reason: /\[a-z0-9_\]/ },
  { name: "rule with pattern and phrases", config: { rules: [{ name: "r", phrases: ["x"], pattern: "y" }] }, field: /`rules\[0\]\.pattern`/, reason: /exactly one/ },
  { name: "bad pattern", config: { rules: [{ name: "r", pattern: "(abc" }] }, field: /`rules\[0\]\.pattern`/, reason: /missing '\)'/ },
  { name: "pattern matching empty", config: { rules: [{ name: "r", pattern: "a*" }] }, field: /`rules\[0\]\.pattern`/, reason: /empty string/ },
  { name: "bad direction", config: { rules: [{ name: "r", phrases: ["x"], direction: "up" }] }, field: /direction/, reason: /request, response, both/ },
  { name: "bad action", config: { rules: [{ name: "r", phrases: ["x"], action: "nuke" }] }, field: /action/, reason: /block, flag, log/ },
  { name: "route without name", config: { routes: [{ match: { prefix: "/" } }] }, field: /`routes\[0\]\.name`/, reason: /missing/ },
  { name: "limits negative", config: { limits: { max_messages: -1 } }, field: /`limits\.max_messages`/, reason: /integer in/ },
  { name: "template without versions", config: { templates: { t: {} } }, field: /`templates\.t\.versions`/, reason: /missing/ },
  { name: "template bad placeholder", config: { templates: { t: { versions: [{ version: "v1", messages: [{ role: "user", content: "{{Bad Name}}" }] }] } } }, field: /content/, reason: /placeholders/ },
  { name: "template all weights zero", config: { templates: { t: { versions: [{ version: "v1", weight: 0, messages: [{ role: "user", content: "x" }] }] } } }, field: /versions/, reason: /weight above 0/ },
  { name: "moderation without cluster", config: { moderation: { timeout_ms: 100 } }, field: /`moderation\.cluster`/, reason: /missing/ },
  { name: "moderation bad failure", config: { moderation: { cluster: "c", failure: "sometimes" } }, field: /`moderation\.failure`/, reason: /open, closed/ },
  { name: "max_body_bytes too small", config: { max_body_bytes: 10 }, field: /max_body_bytes/, reason: /integer in/ },
  { name: "bad oversize", config: { oversize: "drop" }, field: /oversize/, reason: /block, pass/ },
];

for (const c of CASES) {
  test(`rejected: ${c.name}`, async () => {
    let logs = "";
    await assert.rejects(load(c.config), (e: Error) => { logs = e.message; return /proxy_on_configure returned false/.test(e.message); });
    const line = logs.split("\n").find((l) => l.includes("prompt-guard: configuration rejected"));
    assert.ok(line, `no rejection line in:\n${logs}`);
    assert.match(line!, c.field);
    assert.match(line!, c.reason);
  });
}

test("an empty configuration means the defaults: injections blocked", async () => {
  const p = await load("");
  assert.equal(request(p, chat(INJECTION)).status, 403);
});
