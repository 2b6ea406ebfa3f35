// Fuzz (fixed seeds, bounded): mutated requests, identities, usage values and answers, split
// anywhere, never trap the VM and log no error; every request is either let through or refused
// with a JSON 429, and the budgets are reached along the way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mutateText, seededRandom } from "../../../host-test/src/index.ts";
import { load, openAIStream } from "./helpers.ts";

const enc = new TextEncoder();
const SEEDS = [
  JSON.stringify({ model: "gpt-4o", stream: true, max_tokens: 40, messages: [{ role: "user", content: [{ type: "text", text: "hi there" }, { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }] }] }),
  JSON.stringify({ model: "fast", max_completion_tokens: 1e300, messages: [{ role: "user", content: "x".repeat(300) }] }),
  JSON.stringify({ model: "claude", max_tokens: -5, system: [{ type: "text", text: "s" }], messages: [] }),
];
const ANSWERS = [
  openAIStream(30, "abcdefgh").join(""),
  `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "zzzzzzzz" } })}\n\n`.repeat(20),
  JSON.stringify({ id: "c", choices: [{ message: { content: "x" } }], usage: { prompt_tokens: 3 } }),
];

// The shared mutation with a carriage return added (an SSE line end of its own, WHATWG 9.2.6).
const INSERTS = ["{", "}", "\"", "\\", ",", "[", "\u00e9", "\ud83d\ude00", "\n\n", "\r", ":"];
const mutate = (r: () => number, s: string): string => mutateText(r, s, INSERTS);

const CONFIG = {
  models: { "gpt-4o": { input_price: 2.5, output_price: 10 }, "gpt-4o-mini": { input_price: 0.15, output_price: 0.6 } },
  aliases: { fast: ["gpt-4o", "gpt-4o-mini"] },
  default_price: { input_price: 1, output_price: 1 },
  limits: [
    { name: "tpm", key: "consumer", window: "1m", counts: "total_tokens", limit: 3000 },
    { name: "rpm", key: ["tenant", "consumer"], window: "1m", limit: 40 },
    { name: "cost", key: "attribute:plan", window: "1h", counts: "cost_micro_usd", limit: 200000 },
    { name: "proj", key: "header:x-project", window: "30s", counts: "output_tokens", limit: 500, shadow: true },
  ],
  downgrade: { header: "x-aigw-model", models: { "*": "gpt-4o-mini" } },
  anomaly: { z_score: 3, min_requests: 5, min_tokens: 100, warmup_minutes: 1, tighten_factor: 0.5, cooldown_ms: 1000 },
};

test("mutated requests, identities, usage and answers, cut anywhere, never trap; refusals are JSON 429s", async () => {
  const p = await load(CONFIG);
  const r = seededRandom(4242);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  for (let i = 0; i < 500; i++) {
    const seed = SEEDS[i % SEEDS.length];
    const body = enc.encode(i % 4 === 0 ? seed : mutate(r, seed));
    const s = p.newStream({ properties: { "xds.route_name": pick(["chat", "", "x".repeat(300)]) } });
    const set = (k: string, v: string) => s.stream.filterState.set(`wasm.${k}`, enc.encode(v));
    if (r() < 0.8) set("aigw.consumer", pick(["a", "b", "\u00e9\u00e9", "", "x".repeat(1000)]));
    if (r() < 0.5) set("aigw.consumer.tenant", pick(["t1", "t2", ""]));
    if (r() < 0.5) set("aigw.consumer.attributes", pick(['{"plan":"pro"}', '{"plan":1}', "[", '{"plan":null}', "{}"]));
    const path = pick(["/v1/chat/completions", "/v1/messages", "/v1/messages?beta=true", "/"]);
    const headers: Record<string, string> = { ":method": pick(["POST", "GET"]), ":path": path, ":authority": "gw" };
    if (r() < 0.5) headers["x-project"] = pick(["p", "q", "\u00e9"]);
    if (r() < 0.2) headers["x-aigw-model"] = pick(["gpt-4o", "", "fast"]);
    const noBody = r() < 0.1;
    s.requestHeaders(headers, noBody);
    const cut = 1 + Math.floor(r() * 60);
    if (!noBody) for (let at = 0; at < body.length && !s.localReply; at += cut) s.requestBody(body.subarray(at, at + cut), at + cut >= body.length);
    if (s.localReply) {
      assert.equal(s.localReply.status, 429);
      assert.ok(JSON.parse(s.localReply.body), "refusals are JSON");
      s.complete();
      p.tick(Math.floor(r() * 3000));
      continue;
    }
    const ans = pick(ANSWERS);
    const a = r() < 0.4 ? mutate(r, ans) : ans;
    const status = pick(["200", "200", "200", "429", "500"]);
    s.responseHeaders({ ":status": status, "content-type": a.startsWith("{") ? "application/json" : "text/event-stream" }, false);
    const bytes = enc.encode(a);
    const size = 1 + Math.floor(r() * 50);
    const clientGone = r() < 0.1;
    for (let at = 0; at < bytes.length; at += size) {
      const last = at + size >= bytes.length;
      if (last && clientGone) break;
      if (last && r() < 0.7) {
        set("gen_ai.usage.input_tokens", pick(["10", "0", "-3", "99999999999999999999", "x"]));
        set("gen_ai.usage.output_tokens", pick(["30", "1e9", ""]));
        if (r() < 0.5) set("aigw.llm.cost_micro_usd", pick(["100", "abc", "18446744073709551616"]));
      }
      s.responseBody(bytes.subarray(at, at + size), last);
    }
    s.complete();
    assert.equal(p.vm.failed, false, `VM failed at request ${i}: ${p.vm.failure}`);
    p.tick(Math.floor(r() * 3000));
  }
  assert.equal(p.logs("critical").length, 0, p.logs("critical").join("\n"));
  assert.equal(p.logs("error").length, 0, p.logs("error").join("\n"));
  assert.ok((p.metrics.counter("aigw.quota.limited.limit.tpm") ?? 0) + (p.metrics.counter("aigw.quota.limited.limit.rpm") ?? 0) > 0, "budgets were reached");
});

test("configured (local and fleet limits, anomalies), every proxy_on_* export survives unknown ids, tokens and sizes", async () => {
  const p = await load({ ...CONFIG, fleet: { cluster: "ratelimit" }, limits: [...CONFIG.limits, { name: "f", key: "consumer", window: "1m", scope: "fleet" }] },
    { grpcClusters: { ratelimit: () => ({ status: 0, response: new Uint8Array([0x08, 0x02, 0x12, 0x02, 0x08, 0x02]) }) } });
  const r = seededRandom(99);
  const calls: Array<[string, number]> = [
    ["proxy_on_request_headers", 3], ["proxy_on_request_body", 3], ["proxy_on_response_headers", 3], ["proxy_on_response_body", 3],
    ["proxy_on_grpc_receive", 3], ["proxy_on_grpc_close", 3], ["proxy_on_http_call_response", 5], ["proxy_on_tick", 1],
    ["proxy_on_queue_ready", 2], ["proxy_on_log", 1], ["proxy_on_done", 1], ["proxy_on_delete", 1],
  ];
  const interesting = [0, 1, 2, 3, 0xffff, 0x7fffffff, 0xffffffff];
  for (let round = 0; round < 200; round++) {
    // A real stream in flight while the exports are called with arbitrary arguments.
    const s = p.newStream();
    s.stream.filterState.set("wasm.aigw.consumer", enc.encode("c"));
    s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw" }, false);
    for (const [fn, arity] of calls) {
      const args = Array.from({ length: arity }, (_, i) => (i === 0 && fn === "proxy_on_tick" ? p.root.id : r() < 0.4 ? interesting[Math.floor(r() * interesting.length)] : Math.floor(r() * 1000)));
      if (fn === "proxy_on_delete" && args[0] === p.root.id) continue;
      p.vm.call(p.root, fn, ...args);
      assert.equal(p.vm.failed, false, `${fn}(${args.join(", ")}) trapped: ${p.vm.failure}`);
    }
    if (!s.localReply) s.requestBody(SEEDS[round % SEEDS.length], true);
    await p.settle();
    s.complete();
  }
});
