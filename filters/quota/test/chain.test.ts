// The real chain over host-test's Gateway: auth -> quota -> llm-route -> provider. Identity comes
// from auth's filter state, usage and cost from llm-route's; the answer the client gets carries
// the x-ratelimit-* headers, and a small budget ends in a 429. A downgrade reaches the provider
// as the cheaper model through llm-route's model header.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Gateway, loadPlugin } from "../../../host-test/src/index.ts";
import { AUTH_WASM, ROUTE_WASM, WASM, freshVmId } from "./helpers.ts";

const AUTH = {
  consumers: [
    { name: "team-a", attributes: { tenant: "acme", plan: "pro" } },
    { name: "team-b", attributes: { tenant: "acme", plan: "free" } },
  ],
  api_keys: { keys: [{ consumer: "team-a", key: "sk-team-a-test-key" }, { consumer: "team-b", key: "sk-team-b-test-key" }] },
};

const ROUTE = {
  model_header: "x-aigw-model",
  providers: [{
    name: "openai", kind: "openai", host: "api.openai.com", api_key: "sk-upstream",
    models: { "gpt-4o": { input_price: 2.5, output_price: 10 }, "gpt-4o-mini": { input_price: 0.15, output_price: 0.6 } },
  }],
};

async function chain(quota: unknown) {
  const opts = { allowOnHeadersStopIteration: true, logLevel: "warn" as const };
  const auth = await loadPlugin(AUTH_WASM, { ...opts, config: AUTH, vmId: freshVmId(), name: "auth" });
  const q = await loadPlugin(WASM, { ...opts, config: quota, vmId: freshVmId(), name: "quota" });
  const route = await loadPlugin(ROUTE_WASM, { ...opts, config: ROUTE, vmId: freshVmId(), name: "llm-route" });
  const models: string[] = [];
  const gw = new Gateway([auth, q, route], {
    upstream: (req) => {
      const body = JSON.parse(req.body);
      models.push(body.model);
      return {
        status: 200, headers: { "content-type": "application/json" },
        body: JSON.stringify({ id: "c1", object: "chat.completion", model: body.model, choices: [{ index: 0, message: { role: "assistant", content: "hello" }, finish_reason: "stop" }], usage: { prompt_tokens: 100, completion_tokens: 200, total_tokens: 300 } }),
      };
    },
  });
  return { gw, q, models };
}

const ask = (gw: Gateway, key: string, model = "gpt-4o") => gw.request({
  method: "POST", path: "/v1/chat/completions", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  body: JSON.stringify({ model, max_tokens: 200, messages: [{ role: "user", content: "hello" }] }),
});

test("auth -> quota -> llm-route: a tenant's token budget ends in a 429 with OpenAI's headers", async () => {
  const { gw, q } = await chain({ limits: [{ name: "tenant-tpm", key: "tenant", window: "1m", counts: "total_tokens", limit: 700 }] });
  const a = await ask(gw, "sk-team-a-test-key");
  assert.equal(a.status, 200);
  assert.equal(a.headers["x-ratelimit-limit-tokens"], "700");
  const b = await ask(gw, "sk-team-b-test-key");
  assert.equal(b.status, 200);
  // Two answers of 300 real tokens each leave 100: the next prompt (2 tokens) and some output
  // fit, so the third is admitted with its reservation capped at the 100 left.
  const c = await ask(gw, "sk-team-a-test-key");
  assert.equal(c.status, 200);
  assert.equal(c.headers["x-ratelimit-remaining-tokens"], "0");
  const d = await ask(gw, "sk-team-b-test-key");
  assert.equal(d.status, 429);
  assert.equal(JSON.parse(d.body).error.code, "rate_limit_exceeded");
  assert.equal(d.headers["x-ratelimit-limit-tokens"], "700");
  assert.equal(d.headers["x-ratelimit-remaining-tokens"], "0");
  assert.ok(Number(d.headers["retry-after"]) >= 1);
  assert.equal(d.filterState("aigw.quota.decision"), "limited:tenant-tpm");
  assert.equal(q.metrics.counter("aigw.quota.tokens.direction.output"), 600);
  assert.equal(q.metrics.counter("aigw.quota.cost_micro_usd"), 3 * (100 * 2.5 + 200 * 10));
});

test("auth -> quota -> llm-route: a spent cost budget downgrades to the cheaper model instead of refusing", async () => {
  const { gw, q, models } = await chain({
    models: { "gpt-4o": { input_price: 2.5, output_price: 10 }, "gpt-4o-mini": { input_price: 0.15, output_price: 0.6 } },
    limits: [{ name: "cost", key: "consumer", window: "1d", counts: "cost_micro_usd", limit: 2260 }],
    downgrade: { header: "x-aigw-model", models: { "gpt-4o": "gpt-4o-mini" } },
  });
  assert.equal((await ask(gw, "sk-team-a-test-key")).status, 200); // 2250 µ$ charged (llm-route's cost)
  const r = await ask(gw, "sk-team-a-test-key");
  assert.equal(r.status, 200);
  assert.deepEqual(models, ["gpt-4o", "gpt-4o-mini"]);
  assert.equal(r.filterState("gen_ai.request.model"), "gpt-4o-mini");
  assert.equal(q.metrics.counter("aigw.quota.downgraded.limit.cost"), 1);
});
