// The cache before llm-route (the documented order): a hit never reaches llm-route or the
// provider, and the saved cost is the one llm-route published when the answer was stored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Gateway, loadPlugin } from "../../../host-test/src/index.ts";
import { CONFIG, WASM as ROUTE_WASM } from "../../llm-route/test/helpers.ts";
import { WASM, vmId } from "./helpers.ts";

test("cache → llm-route: the second ask is a hit with llm-route's usage and cost as the saving", async () => {
  const cache = await loadPlugin(WASM, { config: { scope: "global" }, vmId: vmId(), allowOnHeadersStopIteration: true, logLevel: "warn" });
  const route = await loadPlugin(ROUTE_WASM, { config: CONFIG, vmId: vmId(), allowOnHeadersStopIteration: true, logLevel: "warn" });
  let upstreamCalls = 0;
  const gw = new Gateway([cache, route], {
    upstream: () => {
      upstreamCalls++;
      // llm-route sent it to Anthropic: answer in Anthropic's format; the client asked in OpenAI's.
      return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model: "claude-3-5-haiku-20241022", content: [{ type: "text", text: "Bonjour." }], stop_reason: "end_turn", usage: { input_tokens: 1000, output_tokens: 200 } }) };
    },
  });
  const req = { method: "POST", path: "/v1/chat/completions", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "claude-haiku", max_tokens: 50, messages: [{ role: "user", content: "Say hello in French" }] }) };
  const first = await gw.request(req);
  assert.equal(first.status, 200);
  assert.equal(first.headers["x-ai-cache"], "miss");
  assert.equal(JSON.parse(first.body).choices[0].message.content, "Bonjour.");
  const second = await gw.request(req);
  assert.equal(second.headers["x-ai-cache"], "hit");
  assert.equal(second.body, first.body, "the stored answer is the one the client got (llm-route's translation)");
  assert.equal(upstreamCalls, 1);
  // claude-haiku: 0.8 $/M input, 4 $/M output → 1000 × 0.8 + 200 × 4 = 1600 micro-dollars.
  assert.equal(second.filterState("aigw.cache.saved.cost_micro_usd"), "1600");
  assert.equal(second.filterState("aigw.cache.saved.input_tokens"), "1000");
  assert.equal(second.filterState("gen_ai.usage.input_tokens"), undefined, "a hit reports no usage of its own");
  assert.equal(cache.metrics.counter("aigw.cache.cost_saved_micro_usd"), 1600);
});
