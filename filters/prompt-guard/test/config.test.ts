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
  // Every object names its own unknown field (the known ones are listed in config.ts as word ids).
  { name: "unknown threshold", config: { thresholds: { warn: 0.5 } }, field: /`thresholds\.warn`/, reason: /unknown field/ },
  { name: "unknown limit", config: { limits: { max_chars: 5 } }, field: /`limits\.max_chars`/, reason: /unknown field/ },
  { name: "unknown decoration", config: { decorate: { prefix: ["x"] } }, field: /`decorate\.prefix`/, reason: /unknown field/ },
  { name: "unknown rule field", config: { rules: [{ name: "r", phrases: ["x"], when: "now" }] }, field: /`rules\[0\]\.when`/, reason: /unknown field/ },
  { name: "unknown route field", config: { routes: [{ name: "r", rules: [] }] }, field: /`routes\[0\]\.rules`/, reason: /unknown field/ },
  { name: "unknown match field", config: { routes: [{ name: "r", match: { path: "/" } }] }, field: /`routes\[0\]\.match\.path`/, reason: /unknown field/ },
  { name: "unknown template field", config: { templates: { t: { versions: [], default: "v1" } } }, field: /`templates\.t\.default`/, reason: /unknown field/ },
  { name: "unknown version field", config: { templates: { t: { versions: [{ version: "v1", messages: [{ role: "user", content: "x" }], note: "" }] } } }, field: /versions\[0\]\.note/, reason: /unknown field/ },
  { name: "unknown template message field", config: { templates: { t: { versions: [{ version: "v1", messages: [{ role: "user", text: "x" }] }] } } }, field: /messages\[0\]\.text/, reason: /unknown field/ },
  { name: "unknown moderation field", config: { moderation: { cluster: "c", retries: 2 } }, field: /`moderation\.retries`/, reason: /unknown field/ },
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

test("a configuration using every field of every object is accepted", async () => {
  const p = await load({
    thresholds: { block: 0.9, flag: 0.6, log: 0.3 }, roles: ["user", "tool"],
    limits: { max_prompt_chars: 100000, max_messages: 50, max_tokens: 20000 }, client_system: "demote",
    decorate: { prepend: ["Be brief."], append: ["Answer in English."] }, answers: true, unscanned_media: "flag",
    max_body_bytes: 65536, oversize: "pass", flag_headers: false, consumer_key: "aigw.tenant",
    rules: [{ name: "r", effect: "deny", phrases: ["forbidden topic"], roles: ["user"], routes: ["chat"], direction: "both", action: "flag" },
      { name: "a", effect: "allow", pattern: "ticket [0-9]+", direction: "request", action: "log" }],
    routes: [{ name: "chat", match: { route: "r1", prefix: "/v1/", host: "api.example.com" }, thresholds: { block: 0.8 }, roles: ["user"],
      limits: { max_messages: 10 }, client_system: "forbid", decorate: { prepend: ["Hi."] }, moderation: false, answers: false, unscanned_media: "block" }],
    templates: { support: { versions: [{ version: "v1", weight: 3, messages: [{ role: "system", content: "Help with {{product}}." }] }] } },
    moderation: { cluster: "moderation", path: "/v1/moderations", authority: "mod.example.com", timeout_ms: 500, failure: "closed", model: "omni", headers: { "X-Key": "k" } },
  });
  // The route's own block threshold and the top-level flag threshold apply: the injection is refused.
  assert.equal(request(p, chat(INJECTION), { headers: { ":authority": "api.example.com" } }).status, 403);
});

test("an empty configuration means the defaults: injections blocked", async () => {
  const p = await load("");
  assert.equal(request(p, chat(INJECTION)).status, 403);
});
