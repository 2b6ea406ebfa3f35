// Fleet-wide limits: two gateways (two proxies: separate shared data) ask one rate limit service
// over real gRPC on 127.0.0.1, whose counters live in a real Redis; together they enforce one
// budget. Token budgets are charged the prompt at request time and the rest of the real usage at
// the end (from the root context). An unreachable service allows or refuses per the switch.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Gateway, loadPlugin, closeGrpcClients } from "../../../../host-test/src/index.ts";
import { ROUTE_WASM, WASM, freshVmId } from "../helpers.ts";
import { freePort, startRateLimitServer, startRedis, type RateLimitConfig, type RateLimitServer, type Redis } from "./ratelimit-server.ts";

const RLS: RateLimitConfig = {
  domain: "aigw",
  descriptors: [
    { key: "aigw_limit", value: "fleet-rph", descriptors: [{ key: "header_x-user", rate_limit: { unit: "hour", requests_per_unit: 5 } }] },
    { key: "aigw_limit", value: "fleet-tph", descriptors: [{ key: "header_x-user", rate_limit: { unit: "hour", requests_per_unit: 1000 } }] },
  ],
};

const ROUTE = { providers: [{ name: "openai", kind: "openai", host: "api.openai.com", models: { "gpt-4o-mini": { input_price: 0.15, output_price: 0.6 } } }] };

let redis: Redis;
let rls: RateLimitServer;

before(async () => {
  redis = await startRedis();
  rls = await startRateLimitServer(RLS, redis.port);
});
after(async () => {
  closeGrpcClients();
  await rls?.stop();
  await redis?.stop();
});

/** Avoids starting a test in the last seconds of an hour (the service's window would roll). */
async function awayFromWindowEdge(): Promise<void> {
  const left = 3600 - (Math.floor(Date.now() / 1000) % 3600);
  if (left < 5) await new Promise((r) => setTimeout(r, left * 1000 + 100));
}

async function gateway(quota: unknown, grpcTarget: string, answerTokens = { prompt: 10, completion: 20 }) {
  const opts = { allowOnHeadersStopIteration: true, logLevel: "warn" as const };
  const q = await loadPlugin(WASM, { ...opts, config: quota, vmId: freshVmId(), name: "quota", grpcClusters: { ratelimit: grpcTarget } });
  const route = await loadPlugin(ROUTE_WASM, { ...opts, config: ROUTE, vmId: freshVmId(), name: "llm-route" });
  const gw = new Gateway([q, route], {
    upstream: () => ({
      status: 200, headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "c", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }], usage: { prompt_tokens: answerTokens.prompt, completion_tokens: answerTokens.completion, total_tokens: answerTokens.prompt + answerTokens.completion } }),
    }),
  });
  return { gw, q };
}

const ask = (gw: Gateway, user: string) => gw.request({
  method: "POST", path: "/v1/chat/completions", headers: { "x-user": user, "content-type": "application/json" },
  body: JSON.stringify({ model: "gpt-4o-mini", max_tokens: 50, messages: [{ role: "user", content: "hello" }] }),
});

const FLEET = (extra: Record<string, unknown> = {}) => ({
  fleet: { cluster: "ratelimit", domain: "aigw", timeout_ms: 2000, ...extra },
  limits: [{ name: "fleet-rph", key: "header:x-user", window: "1h", counts: "requests", scope: "fleet" }],
});

test("two gateways sharing one rate limit service (Redis) enforce one budget", async () => {
  await awayFromWindowEdge();
  const user = `u-${Date.now()}`;
  const a = await gateway(FLEET(), rls.address);
  const b = await gateway(FLEET(), rls.address);
  const statuses: number[] = [];
  const remaining: string[] = [];
  for (let i = 0; i < 7; i++) {
    const r = await ask(i % 2 ? b.gw : a.gw, user);
    statuses.push(r.status);
    remaining.push(r.headers["x-ratelimit-remaining-requests"]);
    if (r.status === 429) {
      const e = JSON.parse(r.body).error;
      assert.equal(e.code, "rate_limit_exceeded");
      assert.match(e.message, /`fleet-rph` on requests across the fleet/);
      assert.equal(r.headers["x-ratelimit-limit-requests"], "5");
      const retry = Number(r.headers["retry-after"]);
      assert.ok(retry >= 1 && retry <= 3600);
    }
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
  assert.deepEqual(remaining.slice(0, 5), ["4", "3", "2", "1", "0"]);
  // Another user is counted apart.
  assert.equal((await ask(b.gw, `${user}-other`)).status, 200);
  assert.equal(a.q.metrics.counter("aigw.quota.limited.limit.fleet_rph"), 1);
  assert.equal(b.q.metrics.counter("aigw.quota.limited.limit.fleet_rph"), 1);
});

test("a fleet token budget is charged the prompt estimate at request time and the rest of the real usage at the end", async () => {
  await awayFromWindowEdge();
  const user = `t-${Date.now()}`;
  const cfg = { fleet: { cluster: "ratelimit", timeout_ms: 2000 }, limits: [{ name: "fleet-tph", key: "header:x-user", window: "1h", counts: "total_tokens", scope: "fleet" }] };
  const a = await gateway(cfg, rls.address, { prompt: 300, completion: 200 });
  const b = await gateway(cfg, rls.address, { prompt: 300, completion: 200 });
  const r1 = await ask(a.gw, user);
  assert.equal(r1.status, 200);
  await a.q.settle();
  const r2 = await ask(b.gw, user);
  assert.equal(r2.status, 200);
  // r2's request-time answer saw r1's 500 real tokens and its own prompt (2 + 1 output token).
  assert.equal(r2.headers["x-ratelimit-remaining-tokens"], String(1000 - 500 - 3));
  await b.q.settle();
  const hourStart = Math.floor(Date.now() / 3_600_000) * 3600;
  const count = Number(await rls.redis.get(`aigw_aigw_limit_fleet-tph_header_x-user_${user}_${hourStart}`));
  assert.equal(count, 1000, "two answers of 500 tokens");
  const r3 = await ask(a.gw, user);
  assert.equal(r3.status, 429);
  assert.equal(r3.headers["x-ratelimit-limit-tokens"], "1000");
});

test("an unreachable service: allowed by default (counted as an error), refused with failure_mode_deny", async () => {
  const dead = `127.0.0.1:${await freePort()}`;
  const open = await gateway(FLEET({ timeout_ms: 500 }), dead);
  const r = await ask(open.gw, "x");
  assert.equal(r.status, 200);
  await open.q.settle();
  assert.ok((open.q.metrics.counter("aigw.quota.fleet_errors") ?? 0) >= 1);
  const closed = await gateway(FLEET({ timeout_ms: 500, failure_mode_deny: true }), dead);
  const d = await ask(closed.gw, "x");
  assert.equal(d.status, 503);
  assert.equal(JSON.parse(d.body).error.code, "rate_limit_service_unavailable");
  assert.equal(d.filterState("aigw.quota.decision"), "fleet_unavailable");
});
