// Attacks on the chat chain as `npm start` composes it (auth → quota → guard → pii → cache → route),
// with the project's own filter configs from envoy/gateway.yaml and an upstream the test controls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Gateway, loadPlugin, type Plugin, type UpstreamResponse } from "../host-test/src/index.ts";
import { loadDescription } from "../tools/compose/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const d = loadDescription(join(root, "envoy", "gateway.yaml"), { root });
let vm = 0;

async function plugin(name: string): Promise<Plugin> {
  const f = d.filters.find((x) => x.name === name)!;
  return loadPlugin(join(root, "dist", `${f.module}.wasm`), { name, rootId: f.module, vmId: `rt-${process.pid}-${++vm}`, config: f.configJson, allowOnHeadersStopIteration: true, logLevel: "error", clock: () => BigInt(Date.now()) * 1_000_000n });
}

async function chain(names: string[], upstream: (body: string) => UpstreamResponse) {
  const plugins = await Promise.all(names.map(plugin));
  let calls = 0;
  const gw = new Gateway(plugins, { upstream: (r) => { calls++; return upstream(r.body); } });
  return { gw, calls: () => calls };
}

const ask = (key: string, body: unknown) => ({ method: "POST", path: "/v1/chat/completions", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
/** The text of an OpenAI chat stream (its content deltas joined). */
function sseText(body: string): string {
  return body.split("\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? "").join("");
}
const openaiAnswer = (text: string) => ({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ id: "c1", object: "chat.completion", created: 1, model: "sample-small", choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }], usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } }) });

test("a cache hit is masked like a fresh answer: the stored answer holds the provider's words, the replay goes through pii-mask", async () => {
  const { gw, calls } = await chain(["auth", "pii", "cache"], () => openaiAnswer("Write to jane.doe@example.com."));
  const body = { model: "sample-small", temperature: 0, messages: [{ role: "user", content: "Who handles refunds?" }] };
  const first = await gw.request(ask("sk-demo-bob", body));
  assert.equal(first.status, 200);
  assert.equal(first.body.includes("jane.doe@example.com"), false, first.body);
  const second = await gw.request(ask("sk-demo-bob", body));
  assert.equal(second.headers["x-ai-cache"], "hit");
  assert.equal(calls(), 1);
  assert.equal(second.body.includes("jane.doe@example.com"), false, `the hit replays the unmasked answer: ${second.body}`);
});

test("a cache entry is never replayed to another consumer, nor a streamed hit unmasked", async () => {
  const sse = (text: string) => ({ status: 200, headers: { "content-type": "text/event-stream" }, chunks: [
    `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "sample-small", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] })}\n\n`,
    ...text.match(/\S+\s*/g)!.map((w) => `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "sample-small", choices: [{ index: 0, delta: { content: w }, finish_reason: null }] })}\n\n`),
    `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "sample-small", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } })}\n\n`,
    "data: [DONE]\n\n"] });
  let n = 0;
  const { gw, calls } = await chain(["auth", "pii", "cache"], () => { n++; return sse(`Answer ${n}: write to jane.doe@example.com now.`); });
  const body = { model: "sample-small", temperature: 0, stream: true, messages: [{ role: "user", content: "Who handles refunds?" }] };
  const bob1 = await gw.request(ask("sk-demo-bob", body));
  assert.equal(bob1.status, 200);
  const alice = await gw.request(ask("sk-demo-alice", body));
  assert.notEqual(alice.headers["x-ai-cache"], "hit", "alice never gets bob's entry");
  assert.match(sseText(alice.body), /^Answer 2/);
  const bob2 = await gw.request(ask("sk-demo-bob", body));
  assert.equal(bob2.headers["x-ai-cache"], "hit");
  assert.equal(calls(), 2);
  for (const r of [bob1, alice, bob2]) assert.equal(r.body.includes("jane.doe@example.com"), false, r.body);
  assert.match(sseText(bob2.body), /^Answer 1/);
});

test("quota and cache: a hit counts as a request and spends no tokens (cache README), a miss pays the provider's usage", async () => {
  const quota = d.filters.find((x) => x.name === "quota")!;
  const q = await loadPlugin(join(root, "dist", "quota.wasm"), { name: "quota", vmId: `rt-${process.pid}-${++vm}`, allowOnHeadersStopIteration: true, logLevel: "error", clock: () => BigInt(Date.now()) * 1_000_000n,
    config: { limits: [{ name: "tpm", key: "consumer", window: "1m", counts: "total_tokens", limit: 100_000 }, { name: "rpm", key: "consumer", window: "1m", counts: "requests", limit: 100 }] } });
  assert.ok(quota);
  const [auth, cache] = await Promise.all([plugin("auth"), plugin("cache")]);
  let calls = 0;
  const gw = new Gateway([auth, q, cache], { upstream: () => { calls++; return openaiAnswer("Refunds are handled by the billing team."); } });
  const body = { model: "sample-small", temperature: 0, max_tokens: 5000, messages: [{ role: "user", content: "Who handles refunds?" }] };
  const miss = await gw.request(ask("sk-demo-bob", body));
  assert.equal(miss.headers["x-ai-cache"], "miss");
  const hit = await gw.request(ask("sk-demo-bob", body));
  assert.equal(hit.headers["x-ai-cache"], "hit");
  assert.equal(calls, 1);
  assert.equal(q.metrics.counter("aigw.quota.tokens.direction.input"), 5, "the miss: the provider's prompt_tokens; the hit: none");
  assert.equal(q.metrics.counter("aigw.quota.tokens.direction.output"), 7);
  const third = await gw.request(ask("sk-demo-bob", { ...body, messages: [{ role: "user", content: "Something else?" }] }));
  assert.equal(third.headers["x-ratelimit-remaining-requests"], "97", "both earlier requests counted");
});
