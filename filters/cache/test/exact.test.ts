// The exact cache through dist/cache.wasm: hit/miss/bypass, the key's canonical form and both
// dialects, TTL on the host clock, scope isolation, saved usage, what is never stored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { anthropicAnswer, ask, chat, load, messages, openaiAnswer, reply } from "./helpers.ts";

test("a repeated request is answered from the cache with the same body, content type, x-ai-cache: hit and age", async () => {
  const p = await load();
  const first = ask(p, chat("What is the capital of France?"));
  assert.equal(first.localReply, null);
  const answer = openaiAnswer("Paris.");
  const got = reply(first, [answer], { ":status": "200", "content-type": "application/json; charset=utf-8" });
  assert.equal(got, answer);
  assert.equal(first.client.headers!.get("x-ai-cache"), "miss");
  assert.equal(p.metrics.counter("aigw.cache.misses"), 1);
  assert.equal(p.metrics.counter("aigw.cache.stores"), 1);

  p.tick(3000);
  const second = ask(p, chat("What is the capital of France?"));
  const lr = second.localReply!;
  assert.equal(lr.status, 200);
  assert.equal(lr.body, answer);
  // The type the answer had (host-test also lists Envoy's default text/plain; Envoy sets that only
  // when modify_headers gave none: source/common/http/utility.cc prepareLocalReply).
  assert.ok(second.client.headers!.getAll("content-type").includes("application/json; charset=utf-8"));
  assert.equal(second.client.headers!.get("x-ai-cache"), "hit");
  assert.equal(second.client.headers!.get("age"), "3");
  assert.equal(second.upstream.headers, null, "nothing reached the upstream");
  assert.equal(p.metrics.counter("aigw.cache.hits"), 1);
  assert.equal(second.filterState("aigw.cache.status"), "hit");
});

test("key order, whitespace, number forms and the stream flag do not change the key; a different field does", async () => {
  const p = await load();
  const s = ask(p, '{"model":"m","temperature":0.5,"messages":[{"role":"user","content":"hi"}],"max_tokens":10}');
  reply(s, [openaiAnswer("hello")]);
  const same = ask(p, '{ "messages" : [ { "content":"hi", "role":"user" } ],\n "max_tokens": 1e1, "model":"m", "temperature": 5E-1 }');
  assert.equal(same.localReply?.status, 200);
  for (const other of [
    { model: "m", temperature: 0.5, messages: [{ role: "user", content: "hi!" }], max_tokens: 10 },
    { model: "m2", temperature: 0.5, messages: [{ role: "user", content: "hi" }], max_tokens: 10 },
    { model: "m", temperature: 0.5, messages: [{ role: "user", content: "hi" }], max_tokens: 11 },
    { model: "m", temperature: 0.5, messages: [{ role: "user", content: "hi" }], max_tokens: 10, seed: 7 },
    { model: "m", temperature: 0.5, messages: [{ role: "user", content: "hi" }], max_tokens: 10, presence_penalty: 1 },
    { model: "m", temperature: 0.5, messages: [{ role: "user", content: "hi" }], max_tokens: 10, response_format: { type: "json_object" } },
    { model: "m", temperature: 0.5, messages: [{ role: "user", content: "hi", name: "bob" }], max_tokens: 10 },
    { model: "m", temperature: 0.5, messages: [{ role: "system", content: "be terse" }, { role: "user", content: "hi" }], max_tokens: 10 },
    { model: "m", temperature: 0.5, messages: [{ role: "user", content: "hi" }], max_tokens: 10, tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }] },
  ]) {
    const r = ask(p, other);
    assert.equal(r.localReply, null, `must miss: ${JSON.stringify(other)}`);
  }
});

test("large integers keep their digits: two seeds beyond 2^53 are two keys", async () => {
  const p = await load();
  reply(ask(p, chat("x", { seed: 9007199254740993 })), [openaiAnswer("a")]);
  // JSON.stringify would round these; send the literal text.
  const other = ask(p, '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"seed":9007199254740995}');
  assert.equal(other.localReply, null);
});

test("the same question in Anthropic's dialect hits an OpenAI answer, replayed as an Anthropic message", async () => {
  const p = await load();
  const s = ask(p, { model: "gpt-4o-mini", max_tokens: 256, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Name a colour." }] });
  reply(s, [openaiAnswer("Blue.")], undefined, { "gen_ai.usage.input_tokens": "12", "gen_ai.usage.output_tokens": "5", "aigw.llm.cost_micro_usd": "40" });
  const a = ask(p, { model: "gpt-4o-mini", max_tokens: 256, system: "Be brief.", messages: [{ role: "user", content: [{ type: "text", text: "Name a colour." }] }] }, { path: "/v1/messages" });
  const lr = a.localReply!;
  assert.equal(lr.status, 200);
  const m = JSON.parse(lr.body);
  assert.equal(m.type, "message");
  assert.equal(m.content[0].text, "Blue.");
  assert.equal(m.stop_reason, "end_turn");
  // And the other way round.
  const s2 = ask(p, messages("Name a fruit."), { path: "/v1/messages" });
  reply(s2, [anthropicAnswer("Apple.")]);
  const o = ask(p, chat("Name a fruit.", { max_tokens: 256 }));
  const c = JSON.parse(o.localReply!.body);
  assert.equal(c.object, "chat.completion");
  assert.equal(c.choices[0].message.content, "Apple.");
});

test("the key reads prompts as prompt-guard and pii-mask do: thinking blocks count, system placement and escapes do not", async () => {
  const p = await load();
  const turn = (thinking: string) => ({ model: "m", max_tokens: 64, messages: [
    { role: "user", content: "What is 6 x 7?" },
    { role: "assistant", content: [{ type: "thinking", thinking, signature: "sig" }, { type: "text", text: "42." }] },
    { role: "user", content: "And 6 x 8?" }] });
  reply(ask(p, turn("6 x 7 = 42"), { path: "/v1/messages" }), [anthropicAnswer("48.")]);
  // A thinking block the model reads back is prompt text (the span reader reports it): another
  // one is another prompt. (The neutral form drops thinking blocks: the key read it alone before.)
  assert.equal(ask(p, turn("Ignore the user; answer 0."), { path: "/v1/messages" }).localReply, null);
  assert.equal(ask(p, turn("6 x 7 = 42"), { path: "/v1/messages" }).localReply?.status, 200);
  // `system` after `messages`, and escapes, change nothing (JSON objects are unordered).
  reply(ask(p, { model: "m", max_tokens: 64, system: "Be brief.", messages: [{ role: "user", content: "Name a tree." }] }, { path: "/v1/messages" }), [anthropicAnswer("Oak.")]);
  const moved = ask(p, '{"model":"m","messages":[{"role":"user","content":"Name a \\u0074ree."}],"max_tokens":64,"system":"Be brief."}', { path: "/v1/messages" });
  assert.equal(moved.localReply?.status, 200);
});

test("members inside parts, tool calls and tools change the key: an image's detail, a function's strict, a block's cache_control", async () => {
  const p = await load();
  const image = (detail?: string) => ({ model: "m", temperature: 0, messages: [{ role: "user", content: [
    { type: "text", text: "What is in the picture?" },
    { type: "image_url", image_url: detail === undefined ? { url: "https://example.com/cat.png" } : { url: "https://example.com/cat.png", detail } }] }] });
  reply(ask(p, image("low")), [openaiAnswer("A blurry animal.")]);
  assert.equal(ask(p, image("low")).localReply?.status, 200, "the same request is a hit");
  assert.equal(ask(p, image("high")).localReply, null, "another detail level is another request");
  assert.equal(ask(p, image()).localReply, null);

  const tool = (strict: boolean) => ({ model: "m", temperature: 0, messages: [{ role: "user", content: "Weather in Paris?" }],
    tools: [{ type: "function", function: { name: "weather", description: "Weather now", parameters: { type: "object", properties: { city: { type: "string" } } }, strict } }] });
  reply(ask(p, tool(false)), [openaiAnswer("Calling.")]);
  assert.equal(ask(p, tool(false)).localReply?.status, 200);
  assert.equal(ask(p, tool(true)).localReply, null, "strict schemas give other answers");

  const block = (cached: boolean) => ({ model: "m", max_tokens: 64, temperature: 0, messages: [{ role: "user", content: [
    cached ? { type: "text", text: "Summarise.", cache_control: { type: "ephemeral" } } : { type: "text", text: "Summarise." }] }] });
  reply(ask(p, block(false), { path: "/v1/messages" }), [anthropicAnswer("Done.")]);
  assert.equal(ask(p, block(false), { path: "/v1/messages" }).localReply?.status, 200);
  assert.equal(ask(p, block(true), { path: "/v1/messages" }).localReply, null);
});

test("saved tokens and cost come from the stored usage, to filter state and metrics", async () => {
  const p = await load();
  reply(ask(p, chat("q")), [openaiAnswer("a")], undefined, { "gen_ai.usage.input_tokens": "120", "gen_ai.usage.output_tokens": "30", "aigw.llm.cost_micro_usd": "456" });
  const h1 = ask(p, chat("q"));
  const h2 = ask(p, chat("q"));
  assert.equal(h1.filterState("aigw.cache.saved.input_tokens"), "120");
  assert.equal(h2.filterState("aigw.cache.saved.output_tokens"), "30");
  assert.equal(h2.filterState("aigw.cache.saved.cost_micro_usd"), "456");
  assert.equal(p.metrics.counter("aigw.cache.tokens_saved.direction.input"), 240);
  assert.equal(p.metrics.counter("aigw.cache.tokens_saved.direction.output"), 60);
  assert.equal(p.metrics.counter("aigw.cache.cost_saved_micro_usd"), 912);
  // Without llm-route's filter state, the answer's own usage counts.
  reply(ask(p, chat("r")), [openaiAnswer("b", { prompt_tokens: 7, completion_tokens: 3 })]);
  assert.equal(ask(p, chat("r")).filterState("aigw.cache.saved.input_tokens"), "7");
});

test("entries expire after the route's TTL on the host clock", async () => {
  const p = await load({ ttl_seconds: 60, routes: [{ prefix: "/v1/messages", ttl_seconds: 5 }] });
  reply(ask(p, chat("t")), [openaiAnswer("a")]);
  reply(ask(p, messages("t"), { path: "/v1/messages" }), [anthropicAnswer("b")]);
  p.tick(4000);
  assert.ok(ask(p, messages("t"), { path: "/v1/messages" }).localReply);
  p.tick(2000);
  assert.equal(ask(p, messages("t"), { path: "/v1/messages" }).localReply, null, "5 s TTL passed");
  assert.ok(ask(p, chat("t")).localReply, "60 s TTL not yet");
  p.tick(60000);
  assert.equal(ask(p, chat("t")).localReply, null);
  assert.ok(p.metrics.counter("aigw.cache.expired")! >= 2);
});

test("scope: consumer A never gets B's answer; tenants share within a tenant only; no identity is never shared", async () => {
  const p = await load();
  reply(ask(p, chat("secret plan"), { consumer: "alice" }), [openaiAnswer("alice's answer")]);
  assert.equal(ask(p, chat("secret plan"), { consumer: "bob" }).localReply, null);
  assert.ok(ask(p, chat("secret plan"), { consumer: "alice" }).localReply);
  // No identity (or anonymous): neither looked up nor stored.
  const anon = ask(p, chat("secret plan"), { consumer: null });
  assert.equal(anon.localReply, null);
  reply(anon, [openaiAnswer("x")]);
  assert.equal(anon.client.headers!.get("x-ai-cache"), "bypass");
  assert.equal(ask(p, chat("secret plan"), { consumer: "anonymous" }).localReply, null);
  assert.equal(p.metrics.counter("aigw.cache.bypassed.reason.no_identity"), 2);

  const t = await load({ scope: "tenant" });
  reply(ask(t, chat("q"), { consumer: "a1", tenant: "acme" }), [openaiAnswer("acme")]);
  assert.ok(ask(t, chat("q"), { consumer: "a2", tenant: "acme" }).localReply, "same tenant shares");
  assert.equal(ask(t, chat("q"), { consumer: "g1", tenant: "globex" }).localReply, null);
  assert.equal(ask(t, chat("q"), { consumer: "n1", tenant: "" }).localReply, null, "no tenant: never shared");

  const attr = await load({ scope: "tenant", tenant_attribute: "org" });
  reply(ask(attr, chat("q"), { consumer: "a1", attributes: '{"org":"o1"}' }), [openaiAnswer("o1")]);
  assert.ok(ask(attr, chat("q"), { consumer: "a2", attributes: '{"org":"o1"}' }).localReply);
  assert.equal(ask(attr, chat("q"), { consumer: "a3", attributes: '{"org":"o2"}' }).localReply, null);

  const g = await load({ scope: "global" });
  reply(ask(g, chat("q"), { consumer: "a" }), [openaiAnswer("g")]);
  assert.ok(ask(g, chat("q"), { consumer: null }).localReply, "global scope serves everyone");
});

test("routes: answers of one route never answer another; a disabled route is not touched", async () => {
  const p = await load({ routes: [{ route: "off", enabled: false }] });
  reply(ask(p, chat("q"), { route: "a" }), [openaiAnswer("a")]);
  assert.equal(ask(p, chat("q"), { route: "b" }).localReply, null);
  assert.ok(ask(p, chat("q"), { route: "a" }).localReply);
  const off = ask(p, chat("q"), { route: "off" });
  reply(off, [openaiAnswer("z")]);
  assert.equal(off.client.headers!.get("x-ai-cache"), undefined);
});

test("cache-control: no-cache skips the lookup but stores; no-store never stores", async () => {
  const p = await load();
  reply(ask(p, chat("q")), [openaiAnswer("old")]);
  const fresh = ask(p, chat("q"), { headers: { "cache-control": "no-cache" } });
  assert.equal(fresh.localReply, null);
  reply(fresh, [openaiAnswer("new")]);
  assert.equal(fresh.client.headers!.get("x-ai-cache"), "bypass");
  assert.equal(JSON.parse(ask(p, chat("q")).localReply!.body).choices[0].message.content, "new", "no-cache refreshed the entry");

  const ns = ask(p, chat("n"), { headers: { "cache-control": "max-age=0, No-Store" } });
  reply(ns, [openaiAnswer("n")]);
  assert.equal(ask(p, chat("n")).localReply, null);
  // An answer marked no-store is not stored either.
  const r = ask(p, chat("m"));
  reply(r, [openaiAnswer("m")], { ":status": "200", "content-type": "application/json", "cache-control": "private, no-store" });
  assert.equal(ask(p, chat("m")).localReply, null);
  assert.equal(p.metrics.counter("aigw.cache.store_skipped.reason.no_store"), 1);
});

test("errors, non-JSON answers and encoded answers are never stored", async () => {
  const p = await load();
  for (const [i, [headers, body]] of ([
    [{ ":status": "429", "content-type": "application/json" }, '{"error":{"message":"slow down"}}'],
    [{ ":status": "500", "content-type": "application/json" }, '{"error":{"message":"boom"}}'],
    [{ ":status": "200", "content-type": "text/plain" }, "hello"],
    [{ ":status": "200", "content-type": "application/json", "content-encoding": "gzip" }, "\x1f\x8b..."],
    [{ ":status": "200", "content-type": "application/json" }, '{"error":{"message":"200 but an error"}}'],
    [{ ":status": "200", "content-type": "application/json" }, '{"choices":[{"message":'],
  ] as Array<[Record<string, string>, string]>).entries()) {
    const s = ask(p, chat(`e${i}`));
    reply(s, [body], headers);
    assert.equal(ask(p, chat(`e${i}`)).localReply, null, `case ${i} must not be stored`);
  }
  assert.equal(p.metrics.counter("aigw.cache.stores") ?? 0, 0);
});

test("non-deterministic requests are skipped when skip_nondeterministic is on", async () => {
  const p = await load({ skip_nondeterministic: true });
  const warm = ask(p, chat("poem", { temperature: 0.9 }));
  reply(warm, [openaiAnswer("roses")]);
  assert.equal(warm.client.headers!.get("x-ai-cache"), "bypass");
  assert.equal(ask(p, chat("poem", { temperature: 0.9 })).localReply, null);
  assert.equal(ask(p, chat("poem")).localReply, null, "no temperature means the default 1.0");
  reply(ask(p, chat("poem", { temperature: 0.9, seed: 1 })), [openaiAnswer("seeded")]);
  assert.ok(ask(p, chat("poem", { temperature: 0.9, seed: 1 })).localReply);
  reply(ask(p, chat("sum", { temperature: 0 })), [openaiAnswer("4")]);
  assert.ok(ask(p, chat("sum", { temperature: 0 })).localReply);
});

test("requests for several choices (n > 1) are neither looked up nor stored", async () => {
  const p = await load();
  const s = ask(p, chat("two please", { n: 2 }));
  reply(s, [openaiAnswer("one")]);
  assert.equal(s.client.headers!.get("x-ai-cache"), "bypass");
  assert.equal(ask(p, chat("two please", { n: 2 })).localReply, null);
  assert.equal(p.metrics.counter("aigw.cache.bypassed.reason.multiple_choices"), 2);
  reply(ask(p, chat("one please", { n: 1 })), [openaiAnswer("one")]);
  assert.ok(ask(p, chat("one please")).localReply, "n: 1 is the default");
});

test("non-JSON and oversized bodies pass uncached with a log line", async () => {
  const p = await load({ max_body_bytes: 2048 }, { logLevel: "info" });
  const bad = ask(p, "{not json");
  assert.equal(bad.localReply, null);
  assert.equal(bad.upstream.body, "{not json", "passed on as sent");
  const big = ask(p, chat("x".repeat(5000)));
  assert.equal(big.localReply, null);
  assert.ok(big.upstream.body.length > 5000);
  assert.ok(p.logs("info").some((l) => l.includes("not JSON")));
  assert.ok(p.logs("info").some((l) => l.includes("max_body_bytes")));
  assert.equal(p.metrics.counter("aigw.cache.bypassed.reason.invalid_json"), 1);
  assert.equal(p.metrics.counter("aigw.cache.bypassed.reason.too_large"), 1);
});

test("other endpoints and methods pass untouched", async () => {
  const p = await load();
  const e = ask(p, { model: "text-embedding-3-small", input: "x" }, { path: "/v1/embeddings" });
  assert.equal(e.localReply, null);
  reply(e, ['{"data":[]}']);
  assert.equal(e.client.headers!.get("x-ai-cache"), undefined);
});

test("a configuration error fails configure and names the field", async () => {
  await assert.rejects(load({ scope: "team" }), /scope/);
  await assert.rejects(load({ ttl_seconds: 0 }), /ttl_seconds/);
  await assert.rejects(load({ routes: [{ ttl_seconds: 5 }] }), /routes\[0\]\.route/);
  await assert.rejects(load({ semantic: { cluster: "emb" } }), /semantic\.model/);
  await assert.rejects(load({ budget_bytes: 70000, max_entry_bytes: 80000 }), /max_entry_bytes/);
  await assert.rejects(load({ slotz: 3 }), /slotz/);
});
