// Red-team cases: requests that once made the cache store or serve an answer for a request it
// did not answer. Each test failed on the build before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ask, chat, load, openaiAnswer, reply } from "./helpers.ts";

const enc = new TextEncoder();

test("an answer from another model than the key's (llm-route's model header, quota's downgrade) is never stored", async () => {
  const p = await load({ scope: "tenant" });
  // The client names gpt-4o in the body and a cheap model in llm-route's model header: llm-route
  // routes by the header (aigw.llm.requested_model), so the answer is the cheap model's.
  const s = ask(p, chat("what is 2+2", { model: "gpt-4o" }), { consumer: "mallory", tenant: "acme", headers: { "x-aigw-model": "cheap" } });
  assert.equal(s.localReply, null);
  s.stream.filterState.set("wasm.aigw.llm.requested_model", enc.encode("cheap"));
  reply(s, [openaiAnswer("5, from the cheap model")]);
  assert.equal(p.metrics.counter("aigw.cache.stores"), 0);
  assert.equal(p.metrics.counter("aigw.cache.store_skipped.reason.model_override"), 1);
  // A tenant-mate asking gpt-4o is not served the cheap model's answer.
  const v = ask(p, chat("what is 2+2", { model: "gpt-4o" }), { consumer: "victim", tenant: "acme" });
  assert.equal(v.localReply, null, "a miss: nothing was stored under gpt-4o's key");
  // When llm-route routed the body's model, the answer is stored as before.
  v.stream.filterState.set("wasm.aigw.llm.requested_model", enc.encode("gpt-4o"));
  reply(v, [openaiAnswer("4")]);
  assert.equal(p.metrics.counter("aigw.cache.stores"), 1);
  assert.equal(ask(p, chat("what is 2+2", { model: "gpt-4o" }), { consumer: "victim", tenant: "acme" }).localReply?.status, 200);
});
