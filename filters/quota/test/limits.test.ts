// Local limits: 429 in OpenAI's shape with OpenAI's rate-limit headers, windows on the host
// clock, token reservations settled with llm-route's usage, several limits and hierarchical keys,
// shadow mode, configuration errors that name the field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { JSON_OK, chat, load, request, respond } from "./helpers.ts";

const RPM = { limits: [{ name: "rpm", key: "consumer", window: "1m", counts: "requests", limit: 3 }] };

test("the request after the budget gets a 429 in OpenAI's shape with retry-after and x-ratelimit-* headers", async () => {
  const p = await load(RPM);
  const remaining: string[] = [];
  for (let i = 0; i < 3; i++) {
    const s = request(p, chat("gpt-4o"), { who: { consumer: "alice" } });
    assert.equal(s.localReply, null);
    respond(s, JSON_OK, { input: 3, output: 1 });
    const h = s.client.headers!.toObject();
    assert.equal(h["x-ratelimit-limit-requests"], "3");
    remaining.push(h["x-ratelimit-remaining-requests"]);
    assert.match(h["x-ratelimit-reset-requests"], /^(\d+m)?\d+(\.\d+)?s$|^\d+ms$/);
  }
  assert.deepEqual(remaining, ["2", "1", "0"]);
  const s = request(p, chat("gpt-4o"), { who: { consumer: "alice" } });
  const lr = s.localReply!;
  assert.equal(lr.status, 429);
  const body = JSON.parse(lr.body);
  assert.equal(body.error.type, "requests");
  assert.equal(body.error.code, "rate_limit_exceeded");
  assert.equal(body.error.param, null);
  assert.match(body.error.message, /Rate limit reached for `rpm` on requests per 1m0s: Limit 3, Used 3, Requested 1\. Please try again in /);
  assert.equal(lr.headers["content-type"], "application/json");
  assert.equal(lr.headers["x-ratelimit-limit-requests"], "3");
  assert.equal(lr.headers["x-ratelimit-remaining-requests"], "0");
  const retry = Number(lr.headers["retry-after"]);
  assert.ok(retry >= 1 && retry <= 60, `retry-after ${lr.headers["retry-after"]}`);
  assert.equal(s.upstream.headers, null, "nothing reached the upstream");
  assert.equal(s.filterState("aigw.quota.decision"), "limited:rpm");
  // Another consumer has its own budget.
  assert.equal(request(p, chat("gpt-4o"), { who: { consumer: "bob" } }).localReply, null);
  assert.equal(p.metrics.counter("aigw.quota.limited.limit.rpm"), 1);
  assert.equal(p.metrics.counter("aigw.quota.allowed.limit.rpm"), 4);
});

test("windows roll over on the host clock: the next window has the whole budget again", async () => {
  const p = await load(RPM);
  // Start at a window boundary so the test does not depend on when it runs.
  const msIntoWindow = Number((p.nowNs() / 1_000_000n) % 60_000n);
  p.tick(60_000 - msIntoWindow);
  for (let i = 0; i < 3; i++) respond(request(p, chat("m"), { who: { consumer: "a" } }), JSON_OK, null);
  assert.equal(request(p, chat("m"), { who: { consumer: "a" } }).localReply?.status, 429);
  p.tick(59_000);
  const late = request(p, chat("m"), { who: { consumer: "a" } });
  assert.equal(late.localReply?.status, 429);
  assert.equal(late.localReply!.headers["retry-after"], "1");
  p.tick(1_000);
  const s = request(p, chat("m"), { who: { consumer: "a" } });
  assert.equal(s.localReply, null);
  respond(s, JSON_OK, null);
  assert.equal(s.client.headers!.get("x-ratelimit-remaining-requests"), "2");
});

test("a token budget reserves prompt + max_tokens and is settled with the real usage", async () => {
  const p = await load({ limits: [{ name: "tpm", key: "consumer", window: "1m", counts: "total_tokens", limit: 1000 }] });
  const prompt = "x".repeat(400); // about 100 tokens
  const s = request(p, chat("gpt-4o", prompt, { max_tokens: 300 }), { who: { consumer: "a" } });
  assert.equal(s.localReply, null);
  s.responseHeaders({ ":status": "200", "content-type": "application/json" });
  // Reserved: about 101 prompt + 300 output.
  const reservedLeft = Number(s.client.headers!.get("x-ratelimit-remaining-tokens"));
  assert.ok(reservedLeft >= 595 && reservedLeft <= 600, `remaining after reservation ${reservedLeft}`);
  assert.equal(s.client.headers!.get("x-ratelimit-limit-tokens"), "1000");
  s.stream.filterState.set("wasm.gen_ai.usage.input_tokens", new TextEncoder().encode("90"));
  s.stream.filterState.set("wasm.gen_ai.usage.output_tokens", new TextEncoder().encode("10"));
  s.responseBody(JSON_OK[0], true);
  s.complete();
  // Settled at 100: the next request sees 900 left before its own reservation.
  const t = request(p, chat("gpt-4o", "", { max_tokens: 1 }), { who: { consumer: "a" } });
  respond(t, JSON_OK, { input: 0, output: 0 });
  assert.equal(t.client.headers!.get("x-ratelimit-remaining-tokens"), "898");
  assert.equal(p.metrics.counter("aigw.quota.tokens.direction.input"), 90);
  assert.equal(p.metrics.counter("aigw.quota.tokens.direction.output"), 10);
});

test("a request whose prompt does not fit is refused; a smaller max_tokens is capped at what is left", async () => {
  const p = await load({ limits: [{ name: "tpm", key: "consumer", window: "1m", counts: "total_tokens", limit: 200 }] });
  const big = request(p, chat("m", "y".repeat(1000)), { who: { consumer: "a" } }); // ~251 tokens
  assert.equal(big.localReply?.status, 429);
  const body = JSON.parse(big.localReply!.body);
  assert.equal(body.error.type, "tokens");
  assert.equal(big.localReply!.headers["x-ratelimit-limit-tokens"], "200");
  // max_tokens 4096 > budget: admitted with what is left (the stream is cut if it goes beyond).
  const s = request(p, chat("m", "hi", { max_tokens: 4096 }), { who: { consumer: "a" } });
  assert.equal(s.localReply, null);
  s.responseHeaders({ ":status": "200", "content-type": "application/json" });
  assert.equal(s.client.headers!.get("x-ratelimit-remaining-tokens"), "0");
});

test("several limits apply at once; hierarchical keys: a tenant's budget is shared by its consumers", async () => {
  const p = await load({
    limits: [
      { name: "per-consumer", key: ["tenant", "consumer"], window: "1m", counts: "requests", limit: 2 },
      { name: "per-tenant", key: "tenant", window: "1d", counts: "requests", limit: 3 },
    ],
  });
  const go = (consumer: string, tenant: string) => request(p, chat("m"), { who: { consumer, tenant } });
  assert.equal(go("a", "acme").localReply, null);
  assert.equal(go("a", "acme").localReply, null);
  assert.equal(go("a", "acme").localReply?.status, 429, "a's own budget");
  const b = go("b", "acme");
  assert.equal(b.localReply, null, "b has its own consumer budget; the tenant has 1 left");
  const c = go("c", "acme");
  assert.equal(c.localReply?.status, 429, "the tenant's budget is spent");
  assert.match(JSON.parse(c.localReply!.body).error.message, /per-tenant/);
  // The same consumer name in another tenant is another counter.
  assert.equal(go("a", "globex").localReply, null);
  // A refused request gives back what other limits reserved for it.
  assert.equal(p.metrics.counter("aigw.quota.limited.limit.per_tenant"), 1);
  assert.equal(p.metrics.counter("aigw.quota.limited.limit.per_consumer"), 1);
});

test("keys from a header, a consumer attribute, the route and the model; an absent value shares one bucket", async () => {
  const p = await load({
    limits: [
      { name: "by-project", key: "header:x-project", window: "1m", limit: 1 },
      { name: "by-plan", key: "attribute:plan", window: "1m", limit: 2, routes: ["chat"] },
      { name: "by-model", key: ["route", "model"], window: "1m", limit: 5 },
    ],
  });
  assert.equal(request(p, chat("m"), { headers: { "x-project": "p1" } }).localReply, null);
  assert.equal(request(p, chat("m"), { headers: { "x-project": "p1" } }).localReply?.status, 429);
  assert.equal(request(p, chat("m"), { headers: { "x-project": "p2" } }).localReply, null);
  // Leaving the header out is no way around the limit: all such requests share one counter.
  assert.equal(request(p, chat("m")).localReply, null);
  assert.equal(request(p, chat("m")).localReply?.status, 429);
  const free = { consumer: "u", attributes: { plan: "free" } };
  assert.equal(request(p, chat("m"), { who: free, route: "chat", headers: { "x-project": "q1" } }).localReply, null);
  assert.equal(request(p, chat("m"), { who: free, route: "chat", headers: { "x-project": "q2" } }).localReply, null);
  assert.equal(request(p, chat("m"), { who: free, route: "chat", headers: { "x-project": "q3" } }).localReply?.status, 429);
  // by-plan applies to the route `chat` only.
  assert.equal(request(p, chat("m"), { who: free, route: "batch", headers: { "x-project": "q4" } }).localReply, null);
});

test("shadow mode reports what it would refuse and refuses nothing", async () => {
  const p = await load({ shadow: true, limits: [{ name: "rpm", key: "consumer", window: "1m", limit: 1 }] });
  for (let i = 0; i < 3; i++) {
    const s = request(p, chat("m"), { who: { consumer: "a" } });
    assert.equal(s.localReply, null);
    assert.equal(s.filterState("aigw.quota.decision"), i === 0 ? "allow" : "shadow_limited:rpm");
  }
  assert.equal(p.metrics.counter("aigw.quota.shadow_limited.limit.rpm"), 2);
  assert.equal(p.metrics.counter("aigw.quota.limited.limit.rpm"), undefined);
});

test("an Anthropic-style request gets Anthropic's error shape", async () => {
  const p = await load(RPM);
  for (let i = 0; i < 3; i++) request(p, { model: "claude", max_tokens: 10, messages: [] }, { who: { consumer: "a" }, path: "/v1/messages" });
  const s = request(p, { model: "claude", max_tokens: 10, messages: [] }, { who: { consumer: "a" }, path: "/v1/messages" });
  const b = JSON.parse(s.localReply!.body);
  assert.deepEqual(Object.keys(b), ["type", "error"]);
  assert.equal(b.error.type, "rate_limit_error");
});

test("bad configurations fail configure with the field and the reason", async () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ limits: [{ name: "x", key: "planet", window: "1m", limit: 1 }] }, /field `limits\[0\]\.key`: unknown key source `planet`/],
    [{ limits: [{ name: "x", key: "consumer", window: "0s", limit: 1 }] }, /field `limits\[0\]\.window`: must be a positive duration/],
    [{ limits: [{ name: "x", key: "consumer", window: 0, limit: 1 }] }, /field `limits\[0\]\.window`/],
    [{ limits: [{ name: "x", key: "consumer", window: "1m" }] }, /field `limits\[0\]\.limit`: required/],
    [{ limits: [{ name: "x", key: "consumer", window: "1m", limit: 0 }] }, /field `limits\[0\]\.limit`: expected integer in \[1, 4294967295\]/],
    [{ limits: [{ name: "x", key: "consumer", window: "1m", limit: 1, counts: "words" }] }, /field `limits\[0\]\.counts`: unknown `words`/],
    [{ limits: [{ name: "x", key: "header:X-Up", window: "1m", limit: 1 }] }, /field `limits\[0\]\.key`: `header:` needs a lowercase header name/],
    [{ limits: [{ name: "x", key: "consumer", window: "1m", scope: "fleet" }] }, /field `limits\[0\]\.scope`: `fleet` needs the top-level `fleet` section/],
    [{ fleet: { cluster: "rls" }, limits: [{ name: "x", key: "consumer", window: "1m", limit: 5, scope: "fleet" }] }, /field `limits\[0\]\.limit`: a fleet limit's value is set in the rate limit service's descriptors config/],
    [{ fleet: { cluster: "rls" }, limits: [{ name: "x", key: "consumer", window: "90s", scope: "fleet" }] }, /field `limits\[0\]\.window`: a fleet limit counts in the rate limit service's units/],
    [{ fleet: {} }, /field `fleet\.cluster`: required/],
    [{ limits: [{ name: "a", key: "consumer", window: "1m", limit: 1 }, { name: "a", key: "consumer", window: "1h", limit: 1 }] }, /field `limits\[1\]\.name`: duplicate limit name `a`/],
    [{ aliases: { fast: ["nope"] } }, /field `aliases\.fast\[0\]`: model `nope` is not listed under `models`/],
    [{ limitz: [] }, /field `limitz`: unknown field/],
  ];
  for (const [config, re] of bad) {
    await assert.rejects(load(config), (e: Error) => { assert.match(e.message, re); return true; }, JSON.stringify(config));
  }
});

test("a limit with `consumers` applies to those consumers only", async () => {
  const p = await load({ limits: [{ name: "trial", key: "consumer", consumers: ["carol"], window: "1m", limit: 1 }] });
  assert.equal(request(p, chat("m"), { who: { consumer: "carol" } }).localReply, null);
  assert.equal(request(p, chat("m"), { who: { consumer: "carol" } }).localReply?.status, 429);
  for (let i = 0; i < 3; i++) assert.equal(request(p, chat("m"), { who: { consumer: "dave" } }).localReply, null);
});

test("a body ended by request trailers is refused: the request was never admitted and must not go on", async () => {
  const { HeaderMap } = await import("../../../host-test/src/headers.ts");
  const p = await load({ limits: [{ name: "tpm", key: "consumer", window: "1m", counts: "total_tokens", limit: 1000 }] });
  const s = p.newStream();
  s.stream.filterState.set("wasm.aigw.consumer", new TextEncoder().encode("a"));
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "content-type": "application/json" }, false);
  s.requestBody(JSON.stringify({ model: "m", max_tokens: 900000, messages: [{ role: "user", content: "hi" }] }), false);
  // Envoy delivers trailers to the filter holding the body; host-test holds them, so call it directly.
  const filter = (s.stream as unknown as { filters: Array<{ decodeTrailers(t: unknown): number }> }).filters[0];
  assert.notEqual(filter.decodeTrailers(new HeaderMap([["x-checksum", "1"]])), 0, "not Continue");
  assert.equal(s.localReply?.status, 400);
  assert.equal(s.filterState("aigw.quota.decision"), "refused:request_trailers");
});
