// Usage anomalies: a minute far above a consumer's EWMA baseline raises a metric, the access-log
// flag (filter state aigw.quota.anomaly) and a log line, and can tighten the consumer's limits for
// a cool-down; steady growth and quiet consumers raise nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Plugin } from "../../../host-test/src/index.ts";
import { JSON_OK, chat, load, request, respond } from "./helpers.ts";

const ANOMALY = { z_score: 4, min_requests: 20, min_tokens: 5000, alpha: 0.1, warmup_minutes: 10 };

/** Starts the plugin's clock at a minute boundary. */
function alignMinute(p: Plugin): void {
  p.tick(60_000 - Number((p.nowNs() / 1_000_000n) % 60_000n));
}

/** `n` requests of `tokens` tokens each by `consumer`, spread over one minute; returns the
 *  anomaly flags the requests carried. */
function minute(p: Plugin, consumer: string, n: number, tokens = 100): string[] {
  const flags: string[] = [];
  const step = Math.floor(59_000 / Math.max(n, 1));
  for (let i = 0; i < n; i++) {
    const s = request(p, chat("m"), { who: { consumer } });
    respond(s, JSON_OK, { input: tokens / 2, output: tokens / 2 });
    const f = s.filterState("aigw.quota.anomaly");
    if (f) flags.push(f);
    p.tick(step);
  }
  p.tick(60_000 - step * n);
  return flags;
}

test("a spike far above the baseline is raised once, with metric, access-log flag and log line", async () => {
  const p = await load({ anomaly: ANOMALY });
  alignMinute(p);
  for (let m = 0; m < 30; m++) assert.deepEqual(minute(p, "steady", 10 + (m % 3)), [], `minute ${m}`);
  const flags = minute(p, "steady", 80);
  assert.equal(flags.length, 2, `raised once per kind: ${flags}`);
  assert.match(flags[0], /^requests:z=\d+\.\d$/);
  assert.match(flags[1], /^tokens:z=\d+\.\d$/);
  assert.equal(p.metrics.counter("aigw.quota.anomalies.kind.requests"), 1);
  assert.equal(p.metrics.counter("aigw.quota.anomalies.kind.tokens"), 1);
  const line = p.logs("warn").find((l) => l.includes("usage anomaly"));
  assert.match(line!, /consumer `steady` reached \d+ requests this minute against a baseline of 1\d\.\d per minute \(z=/);
  // The next ordinary minute raises nothing.
  assert.deepEqual(minute(p, "steady", 11), []);
});

test("steady growth (the baseline follows it) and low volume are not raised", async () => {
  const p = await load({ anomaly: ANOMALY });
  alignMinute(p);
  // From 10 to 70 requests a minute over an hour.
  for (let m = 0; m < 60; m++) assert.deepEqual(minute(p, "growing", 10 + m), [], `minute ${m}`);
  // A quiet consumer tripling its traffic stays under min_requests.
  const q = await load({ anomaly: ANOMALY });
  alignMinute(q);
  for (let m = 0; m < 15; m++) minute(q, "quiet", 2);
  assert.deepEqual(minute(q, "quiet", 12), []);
  assert.equal(q.metrics.counter("aigw.quota.anomalies.kind.requests"), undefined);
});

test("with tighten_factor, a raised consumer's limits shrink for the cool-down", async () => {
  const p = await load({
    anomaly: { ...ANOMALY, tighten_factor: 0.1, cooldown_ms: 300_000 },
    limits: [{ name: "per-consumer", key: "consumer", window: "1h", limit: 10_000 }],
  });
  alignMinute(p);
  for (let m = 0; m < 20; m++) minute(p, "bot", 10);
  // 60 requests in the next minute: raised at about the 30th; from then on the hour's budget is
  // 1000 instead of 10000.
  minute(p, "bot", 60);
  const s = request(p, chat("m"), { who: { consumer: "bot" } });
  respond(s, JSON_OK, { input: 1, output: 1 });
  assert.equal(s.client.headers!.get("x-ratelimit-limit-requests"), "1000");
  // After the cool-down the configured limit is back.
  p.tick(300_000);
  const t = request(p, chat("m"), { who: { consumer: "bot" } });
  respond(t, JSON_OK, { input: 1, output: 1 });
  assert.equal(t.client.headers!.get("x-ratelimit-limit-requests"), "10000");
});
