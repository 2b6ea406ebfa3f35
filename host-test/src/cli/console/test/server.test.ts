// The console without a browser: what the scrub withholds, how records read (chain, columns,
// figures), bounded stats, and the server's limits (clients, history, Host, raw SSE bytes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { chainOf, COLUMNS, costOf, isBlocked, ttftOf, type AuditRecord, type RouteInfo } from "../model.ts";
import { looksSecret, scrubRecord, SCRUBBED } from "../scrub.ts";
import { startConsole } from "../server.ts";
import { StatsBook } from "../stats.ts";

const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";
const chat: RouteInfo = { name: "chat", target: "provider sample", filters: [{ name: "auth", module: "auth" }, { name: "pii", module: "pii-mask" }, { name: "router", module: "llm-route" }] };

const allowed: AuditRecord = {
  time: "2026-01-05T10:01:02.345Z", request_id: "5f0c8a3e-1b2c-4d5e-8f90-123456789abc", method: "POST", path: "/v1/chat/completions", route: "chat",
  status: 200, flags: "-", details: "via_upstream", duration_ms: 40, upstream: "sample", bytes_received: 87, bytes_sent: 775, ttfb_ms: 12,
  usage: { input_tokens: 12, output_tokens: 109 }, "aigw.consumer": "bob", "aigw.consumer.groups": "eng", "aigw.auth.method": "api_key",
  "aigw.auth.decision": "allow", "aigw.pii.request": "{\"EMAIL\":1}", "aigw.pii.action": "masked",
};

test("scrub: a normal record passes unchanged", () => {
  const { record, scrubbed } = scrubRecord(allowed);
  assert.deepEqual(record, allowed);
  assert.deepEqual(scrubbed, []);
  for (const d of ["upstream_reset_before_response_started{connection_termination}", "aigw_auth_expired", "deny:unknown_api_key", "blocked:CREDIT_CARD"]) {
    assert.equal(looksSecret(d), false, d);
  }
});

test("scrub: credentials, JWTs, e-mail addresses, card numbers and query strings never pass", () => {
  const poisoned: AuditRecord = {
    ...allowed,
    path: "/v1/chat/completions?api_key=sk-demo-bob",
    "aigw.debug": `Bearer ${JWT}`,
    "aigw.note": "key sk-proj-abcdefgh1234 used",
    "aigw.who": "jane.doe@example.com",
    "aigw.card": "4111 1111 1111 1111",
    "aigw.raw": JWT,
    "aigw.opaque": "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A",
    "x-api-key": "anything",
    "aigw.session_token": "short",
    [`aigw.${JWT}`]: "1",
    nested: { a: { b: "sk-live-xyz" } },
  };
  const { record, scrubbed } = scrubRecord(poisoned);
  const out = JSON.stringify(record);
  for (const s of ["sk-demo-bob", JWT, "sk-proj-abcdefgh1234", "jane.doe@example.com", "4111 1111 1111 1111", "Zm9vYmFy", "anything", "short", "sk-live-xyz"]) {
    assert.equal(out.includes(s), false, `${s} leaked: ${out}`);
  }
  assert.equal(record.path, "/v1/chat/completions?…");
  assert.equal(record["aigw.debug"], SCRUBBED);
  assert.equal(record["aigw.card"], SCRUBBED);
  assert.equal(record["gen_ai.usage.input_tokens"], undefined);
  assert.ok(scrubbed.includes("aigw.who") && scrubbed.includes("path (query string)"), scrubbed.join());
  // Token counts are numbers under names ending in "tokens": kept.
  assert.deepEqual(scrubRecord({ "gen_ai.usage.output_tokens": 95, "gen_ai.server.time_to_first_token": 0.2 }).record, { "gen_ai.usage.output_tokens": 95, "gen_ai.server.time_to_first_token": 0.2 });
  // A digit run that fails Luhn (a count, a timestamp) stays.
  assert.equal(looksSecret("4111 1111 1111 1112"), false);
});

test("chain: each filter in route order with its decision; after a refusal the rest are not reached", () => {
  const steps = chainOf(allowed, chat);
  assert.deepEqual(steps.map((s) => [s.filter.name, s.state]), [["auth", "decided"], ["pii", "decided"], ["router", "silent"]]);
  assert.equal(steps[0].summary, "allow, consumer bob, via api_key");
  assert.equal(steps[1].summary, "masked, request: EMAIL×1");
  const denied = { ...allowed, status: 401, "aigw.consumer": null, "aigw.auth.decision": "deny:unknown_api_key", "aigw.pii.request": null, "aigw.pii.action": null };
  const d = chainOf(denied, chat);
  assert.deepEqual(d.map((s) => s.state), ["refused", "not-reached", "not-reached"]);
  assert.match(d[0].summary, /^deny: unknown_api_key/);
  assert.equal(isBlocked(denied), true);
  assert.equal(isBlocked({ ...allowed, "aigw.pii.action": "blocked:CREDIT_CARD" }), true);
  assert.equal(isBlocked(allowed), false);
});

test("columns: a filter not built yet has none; its keys bring them (llm-route's gen_ai.*, guard, cache, quota)", () => {
  const has = (r: AuditRecord) => COLUMNS.filter((c) => c.value(r) !== null).map((c) => c.id);
  assert.deepEqual(has(allowed).filter((c) => ["model", "cost", "guard", "cache", "quota", "anomaly", "failover"].includes(c)), []);
  const routed = { ...allowed, "gen_ai.request.model": "fast", "gen_ai.response.model": "gpt-4o-mini", "gen_ai.provider.name": "openai", "gen_ai.usage.input_tokens": "812", "gen_ai.usage.output_tokens": "95",
    "gen_ai.usage.cost_micro_usd": "1234", "aigw.guard.score": "0.91", "aigw.cache.status": "miss", "aigw.quota.remaining_tokens": "5000", "aigw.quota.anomaly": "spike" };
  const cols = has(routed);
  for (const c of ["model", "provider", "cost", "guard", "cache", "quota", "anomaly", "tokens"]) assert.ok(cols.includes(c), c);
  const col = (id: string) => COLUMNS.find((c) => c.id === id)!.value(routed);
  assert.equal(col("model"), "gpt-4o-mini");
  assert.equal(col("provider"), "openai");
  assert.equal(col("tokens"), "812/95");
  assert.equal(costOf(routed), 0.001234);
  assert.equal(chainOf(routed, chat)[2].state, "decided", "llm-route's keys belong to its step");
  assert.equal(ttftOf(allowed), 12);
  assert.equal(ttftOf({ ...allowed, "gen_ai.server.time_to_first_token": 0.25 }), 250);
});

test("stats: totals by model and consumer, p50/p95 by provider, bounded names and buckets", () => {
  let now = 1_000_000;
  const s = new StatsBook({ bucketMs: 1000, buckets: 5, maxNames: 3, latencyWindow: 10, now: () => now });
  for (let i = 0; i < 20; i++) {
    s.add({ ...allowed, duration_ms: i + 1, "aigw.consumer": `c${i}`, "gen_ai.response.model": `m${i % 2}`, "gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 1 });
    now += 500;
  }
  s.add({ ...allowed, usage: null, "aigw.auth.decision": "deny:expired", status: 401 });
  const snap = s.snapshot();
  assert.equal(snap.totals.requests, 21);
  assert.equal(snap.totals.blocked, 1);
  assert.equal(snap.totals.inputTokens, 200);
  assert.deepEqual(snap.byConsumer.map((g) => g.name).sort(), ["c0", "c1", "c2", "other"]);
  assert.equal(snap.byConsumer.find((g) => g.name === "other")!.requests, 18);
  assert.deepEqual(snap.byModel.map((g) => [g.name, g.inputTokens]), [["m0", 100], ["m1", 100], ["(not routed)", 0]]);
  assert.equal(snap.timeline.length, 5, "only the last 5 buckets");
  assert.deepEqual(snap.timeline.map((b) => b.requests), [2, 2, 2, 2, 1]);
  now += 2500; // quiet intervals are there, with zeros
  assert.deepEqual(s.snapshot().timeline.map((b) => b.requests), [2, 2, 1, 0, 0]);
  const p = snap.byProvider.find((x) => x.name === "sample")!;
  assert.equal(p.requests, 20, "the refused request is no provider's latency");
  assert.deepEqual([p.p50, p.p95], [15, 20], "over the last 10 samples (11..20)");
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((ok, fail) => {
    request(url, { headers }, (res) => {
      let body = "";
      res.on("data", (d) => { body += d; });
      res.on("end", () => ok({ status: res.statusCode!, headers: res.headers, body }));
    }).on("error", fail).end();
  });
}

/** Reads an event stream until `until` holds on the raw text (bounded wait), then closes it. */
function readEvents(url: string, until: (raw: string) => boolean, headers: Record<string, string> = {}): Promise<{ status: number; raw: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers }, (res) => {
      let raw = "";
      const timer = setTimeout(() => { req.destroy(); fail(new Error(`event stream did not deliver in 10 s: ${raw.slice(0, 500)}`)); }, 10_000);
      const check = () => { if (until(raw)) { clearTimeout(timer); req.destroy(); ok({ status: res.statusCode!, raw }); } };
      res.on("data", (d) => { raw += d; check(); });
      res.on("end", () => { clearTimeout(timer); ok({ status: res.statusCode!, raw }); });
      check();
    });
    req.on("error", (e) => { if (!req.destroyed) fail(e); });
    req.end();
  });
}

test("server: page with a strict CSP, own Host only, bounded history replayed after Last-Event-ID, bounded clients", async () => {
  const c = await startConsole({ routes: [chat], gatewayUrl: "http://127.0.0.1:1", port: 0, historyLimit: 3, maxClients: 2, statsIntervalMs: 10 });
  try {
    const page = await get(c.url);
    assert.equal(page.status, 200);
    assert.match(String(page.headers["content-security-policy"]), /default-src 'none'; script-src 'self'/);
    assert.match(page.body, /<script src="\/console.js" defer>/);
    assert.doesNotMatch(page.body, /https?:\/\//, "no external asset");
    const js = await get(`${c.url}console.js`);
    assert.equal(js.status, 200);
    assert.doesNotMatch(js.body, /https?:\/\/(?!www\.w3\.org\/2000\/svg)/, "the bundle loads nothing from elsewhere");
    const port = new URL(c.url).port;
    assert.equal((await get(c.url, { host: `evil.example:${port}` })).status, 421, "DNS rebinding: another Host is refused");

    for (let i = 1; i <= 5; i++) c.publish({ ...allowed, duration_ms: i });
    const first = await readEvents(`${c.url}events`, (raw) => /event: stats/.test(raw));
    const history = JSON.parse(/event: history\ndata: (.*)\n/.exec(first.raw)![1]) as Array<{ seq: number }>;
    assert.deepEqual(history.map((r) => r.seq), [3, 4, 5], "the last 3 only");
    const id = /^id: ([a-z0-9]+)-5$/m.exec(first.raw);
    assert.ok(id, "event ids carry the console's boot id and the sequence number");
    const again = await readEvents(`${c.url}events`, (raw) => /event: stats/.test(raw), { "last-event-id": `${id[1]}-4` });
    assert.deepEqual((JSON.parse(/event: history\ndata: (.*)\n/.exec(again.raw)![1]) as Array<{ seq: number }>).map((r) => r.seq), [5]);
    // An id from another run of the console (restarted): the whole history.
    const other = await readEvents(`${c.url}events`, (raw) => /event: stats/.test(raw), { "last-event-id": "zzzz-4" });
    assert.deepEqual((JSON.parse(/event: history\ndata: (.*)\n/.exec(other.raw)![1]) as Array<{ seq: number }>).map((r) => r.seq), [3, 4, 5]);

    // Two pages open: a third is refused, and gets in once one closes.
    const open: Array<ReturnType<typeof request>> = [];
    for (let i = 0; i < 2; i++) {
      await new Promise<void>((ok) => { const r = request(`${c.url}events`, (res) => { res.once("data", () => ok()); }); r.on("error", () => {}); r.end(); open.push(r); });
    }
    assert.equal(c.clientCount(), 2);
    const third = await get(`${c.url}events`);
    assert.equal(third.status, 503);
    assert.match(third.body, /too many console pages open \(2\)/);
    open[0].destroy();
    for (let i = 0; i < 100 && c.clientCount() > 1; i++) await new Promise((r) => setTimeout(r, 10));
    const fourth = await readEvents(`${c.url}events`, (raw) => /event: hello/.test(raw));
    assert.equal(fourth.status, 200);
    open[1].destroy();
  } finally {
    await c.close();
  }
});

test("server: a poisoned record is scrubbed before any byte of the event stream", async () => {
  const c = await startConsole({ routes: [chat], gatewayUrl: "http://127.0.0.1:1", port: 0 });
  try {
    const live = readEvents(`${c.url}events`, (raw) => /event: record/.test(raw) && /event: stats[\s\S]*event: stats/.test(raw));
    await new Promise((r) => setTimeout(r, 100));
    c.publish({ ...allowed, path: "/v1/chat/completions?key=sk-demo-bob", "aigw.leak": `Bearer ${JWT}`, "aigw.pii.value": "jane.doe@example.com" });
    const { raw } = await live;
    for (const s of ["sk-demo-bob", JWT, "jane.doe@example.com", "Bearer"]) assert.equal(raw.includes(s), false, `${s} in the event stream`);
    assert.match(raw, /"aigw.leak":"\[scrubbed\]"/);
    const replay = await readEvents(`${c.url}events`, (r) => /event: stats/.test(r));
    for (const s of ["sk-demo-bob", JWT, "jane.doe@example.com"]) assert.equal(replay.raw.includes(s), false, `${s} in the history`);
  } finally {
    await c.close();
  }
});
