// Fuzz (fixed seeds, bounded): mutated requests and provider answers, split anywhere, never trap
// the VM; every request either routes (routing header = a configured cluster) or is refused with a
// JSON error; the client's routing header never survives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mutateText, seededRandom } from "../../../host-test/src/index.ts";
import { load, pieces, sse } from "./helpers.ts";

const enc = new TextEncoder();
const SEEDS_REQ = [
  JSON.stringify({ model: "fast", stream: true, messages: [{ role: "system", content: "s" }, { role: "user", content: [{ type: "text", text: "hi" }, { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }] }], tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }] }),
  JSON.stringify({ model: "claude-haiku", max_tokens: 5, system: "x", messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "r" }] }, { role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input: { a: [1, { b: null }] } }] }] }),
  JSON.stringify({ model: "smart", messages: [{ role: "assistant", tool_calls: [{ id: "c", function: { name: "f", arguments: "{\"a\":" } }] }, { role: "tool", tool_call_id: "c", content: null }] }),
];
const ANSWERS = [
  sse([["message_start", { type: "message_start", message: { id: "m", model: "x", usage: { input_tokens: 3 } } }], ["content_block_start", { type: "content_block_start", index: 5, content_block: { type: "tool_use", id: "t", name: "f" } }], ["content_block_delta", { type: "content_block_delta", index: 5, delta: { type: "input_json_delta", partial_json: "{" } }], ["message_stop", { type: "message_stop" }]]),
  sse([[null, { id: "c", choices: [{ index: 0, delta: { content: "a", tool_calls: [{ index: 3, function: { arguments: "x" } }] } }] }], [null, "[DONE]"]]),
  JSON.stringify({ id: "m", type: "message", content: [{ type: "tool_use", id: "t", name: "f", input: "not an object" }], usage: { input_tokens: -4, output_tokens: 1e300 } }),
  JSON.stringify({ id: "c", choices: [{ message: { content: [{ type: "text", text: "x" }], tool_calls: [{ function: { arguments: "][" } }] } }], usage: { prompt_tokens: "many" } }),
];

const mutate = mutateText;

test("mutated requests and answers, cut anywhere, never trap and are routed or refused", async () => {
  const p = await load();
  const r = seededRandom(1234);
  const clusters = new Set(["openai", "anthropic", "vllm"]);
  for (let i = 0; i < 600; i++) {
    const seed = SEEDS_REQ[i % SEEDS_REQ.length];
    const body = enc.encode(i % 5 === 0 ? seed : mutate(r, seed));
    const path = r() < 0.5 ? "/v1/chat/completions" : "/v1/messages";
    const s = p.newStream();
    s.requestHeaders({ ":method": "POST", ":path": path, ":authority": "gw", "x-aigw-cluster": "evil" }, false);
    const cut = 1 + Math.floor(r() * 40);
    for (let at = 0; at < body.length && !s.localReply; at += cut) s.requestBody(body.subarray(at, at + cut), at + cut >= body.length);
    if (s.localReply) {
      assert.ok(JSON.parse(s.localReply.body), "refusals are JSON");
      assert.notEqual(s.currentRequestHeaders["x-aigw-cluster"], "evil");
      s.complete();
      continue;
    }
    const cluster = s.upstream.headers!.get("x-aigw-cluster");
    assert.ok(cluster && clusters.has(cluster), `routed to ${cluster}`);
    const ans = ANSWERS[Math.floor(r() * ANSWERS.length)];
    const a = r() < 0.5 ? mutate(r, ans) : ans;
    const status = r() < 0.2 ? "500" : "200";
    s.responseHeaders({ ":status": status, "content-type": a.startsWith("{") ? "application/json" : "text/event-stream" }, false);
    const parts = pieces(a, 1 + Math.floor(r() * 30));
    parts.forEach((c, k) => s.responseBody(c, k === parts.length - 1));
    if (parts.length === 0) s.responseBody("", true);
    s.complete();
  }
  assert.equal(p.logs("critical").length, 0, p.logs("critical").join("\n"));
  assert.equal(p.logs("error").length, 0, p.logs("error").join("\n"));
});
