// Fuzz (fixed seeds, bounded): mutated requests, answers and slot values, split anywhere, never
// trap the VM; a request is either answered from the cache with a stored answer's body, or reaches
// the upstream byte for byte as the client sent it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mutateText, seededRandom, sharedData } from "../../../host-test/src/index.ts";
import { pieces } from "../../common/test/support/sse.ts";
import { anthropicStream, load, openaiAnswer, openaiStream } from "./helpers.ts";

const enc = new TextEncoder();
const SEEDS = [
  JSON.stringify({ model: "m", stream: true, messages: [{ role: "system", content: "s" }, { role: "user", content: [{ type: "text", text: "hi" }, { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }] }], tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }] }),
  JSON.stringify({ model: "m", max_tokens: 5, system: "x", messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "r" }] }, { role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input: { a: [1, { b: null }] } }] }] }),
  JSON.stringify({ model: "m", seed: 1, temperature: 0.2, messages: [{ role: "user", content: "q" }] }),
];
const ANSWERS = [openaiAnswer("a"), openaiStream(["x", "y"]).join(""), anthropicStream(["z"]).join(""), '{"content":[{"type":"text","text":"t"}]}'];

const mutate = mutateText;

test("mutated requests, answers and slot values, cut anywhere, never trap; hits serve stored bodies, misses pass as sent", async () => {
  const p = await load({ slots: 16, budget_bytes: 65536, max_entry_bytes: 8192 });
  const r = seededRandom(4321);
  const stored = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const seed = SEEDS[i % SEEDS.length];
    const text = i % 4 === 0 ? seed : mutate(r, seed);
    const body = enc.encode(text);
    const path = r() < 0.5 ? "/v1/chat/completions" : "/v1/messages";
    const s = p.newStream();
    s.stream.filterState.set("wasm.aigw.consumer", enc.encode(r() < 0.5 ? "a" : "b"));
    s.requestHeaders({ ":method": "POST", ":path": path, ":authority": "gw", ...(r() < 0.1 ? { "cache-control": "no-cache" } : {}) }, false);
    const cut = 1 + Math.floor(r() * 40);
    for (let at = 0; at < body.length && !s.localReply; at += cut) s.requestBody(body.subarray(at, at + cut), at + cut >= body.length);
    if (s.localReply) {
      assert.equal(s.localReply.status, 200);
      assert.match(s.client.headers!.get("x-ai-cache") ?? "", /hit/);
      s.complete();
    } else {
      assert.equal(s.upstream.body, text, "a miss reaches the upstream as sent");
      const ans = ANSWERS[Math.floor(r() * ANSWERS.length)];
      const a = r() < 0.3 ? mutate(r, ans) : ans;
      const status = r() < 0.2 ? "500" : "200";
      s.responseHeaders({ ":status": status, "content-type": a.startsWith("{") ? "application/json" : "text/event-stream" }, false);
      const parts = pieces(a, 1 + Math.floor(r() * 30));
      parts.forEach((c, k) => s.responseBody(c, k === parts.length - 1));
      assert.equal(s.client.body, a, "answers pass unchanged");
      s.complete();
      stored.add(a);
    }
    // Now and then, scribble over a slot.
    if (i % 25 === 24) {
      const keys = Object.keys(sharedData.snapshot(p.vmId)).filter((k) => !k.endsWith(".held"));
      if (keys.length) {
        const k = keys[Math.floor(r() * keys.length)];
        const v = sharedData.get(p.vmId, k).value!.slice();
        if (v.length) { v[Math.floor(r() * v.length)] ^= 1 + Math.floor(r() * 255); sharedData.set(p.vmId, k, v, 0); }
      }
    }
    assert.equal(p.vm.failed, false, `iteration ${i}: ${p.vm.failure}`);
  }
  assert.deepEqual(p.logs("critical"), []);
  assert.ok((p.metrics.counter("aigw.cache.hits") ?? 0) > 0, "some requests hit");
});
