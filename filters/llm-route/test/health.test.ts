// Health and failover: 429/5xx/timeouts mark a provider down in shared data (retry-after honoured),
// the next requests go to the next candidate, one half-open probe after the cool-down; the
// least-latency strategy learns EWMAs shared by every VM with the vm_id.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CONFIG, answer, load, send } from "./helpers.ts";

const chat = (model: string) => ({ model, messages: [{ role: "user", content: "hello" }] });
const OK = { id: "msg_1", type: "message", role: "assistant", model: "m", content: [{ type: "text", text: "ok" }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } };
const OAI_OK = { id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };

test("429 with retry-after: the provider is down that long, requests fail over, then one probe", async () => {
  const p = await load();
  const first = send(p, chat("smart"));
  assert.equal(first.upstreamHeaders["x-aigw-cluster"], "anthropic");
  const out = answer(first.s, [JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "slow down" } })], { ":status": "429", "content-type": "application/json", "retry-after": "20" });
  assert.equal(JSON.parse(out).error.type, "rate_limit_error");
  assert.equal(p.metrics.counter("aigw.llm_route.provider_errors.provider.anthropic.reason.rate_limited"), 1);
  assert.match(p.sharedData["aigw.llm_route.health.anthropic"], /^1,/);

  const next = send(p, chat("smart"));
  assert.equal(next.upstreamHeaders["x-aigw-cluster"], "openai");
  assert.equal(next.upstreamBody.model, "gpt-4o-2024-08-06");
  assert.equal(p.metrics.counter("aigw.llm_route.failover.provider.anthropic"), 1);

  p.tick(19_000);
  assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "openai");
  p.tick(2_000);
  // Cool-down over: exactly one request probes; others keep failing over while it is out.
  const probe = send(p, chat("smart"));
  assert.equal(probe.upstreamHeaders["x-aigw-cluster"], "anthropic");
  assert.match(probe.s.filterState("aigw.llm.decision")!, /^probe:/);
  assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "openai");
  answer(probe.s, [JSON.stringify(OK)]);
  assert.match(p.sharedData["aigw.llm_route.health.anthropic"], /^0,/);
  assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "anthropic");
});

test("a failed probe doubles the cool-down (up to max_cooldown_ms); 5xx and timeouts count", async () => {
  const p = await load({ ...CONFIG, health: { cooldown_ms: 1000, max_cooldown_ms: 3000 } });
  const a = send(p, chat("smart"));
  answer(a.s, ["upstream request timeout"], { ":status": "504", "content-type": "text/plain" });
  assert.equal(p.metrics.counter("aigw.llm_route.provider_errors.provider.anthropic.reason.timeout"), 1);
  p.tick(1001);
  const probe = send(p, chat("smart"));
  assert.equal(probe.upstreamHeaders["x-aigw-cluster"], "anthropic");
  answer(probe.s, ["{}"], { ":status": "500", "content-type": "application/json" });
  p.tick(1500);
  assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "openai", "down for 2 s after the failed probe");
  p.tick(600);
  const probe2 = send(p, chat("smart"));
  assert.equal(probe2.upstreamHeaders["x-aigw-cluster"], "anthropic");
  answer(probe2.s, ["{}"], { ":status": "503", "content-type": "application/json" });
  assert.match(p.sharedData["aigw.llm_route.health.anthropic"], /,3000$/, "capped at max_cooldown_ms");
});

test("a probe that never answers gives up its lease after probe_timeout_ms", async () => {
  const p = await load({ ...CONFIG, health: { cooldown_ms: 1000, probe_timeout_ms: 5000 } });
  answer(send(p, chat("smart")).s, ["x"], { ":status": "502", "content-type": "text/plain" });
  p.tick(1001);
  assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "anthropic"); // the probe, never answered
  assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "openai");
  p.tick(5001);
  assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "anthropic");
});

test("4xx other than 429 does not mark a provider down", async () => {
  const p = await load();
  answer(send(p, chat("smart")).s, [JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "bad" } })], { ":status": "400", "content-type": "application/json" });
  assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "anthropic");
});

test("every candidate down: the one back soonest gets the request rather than a refusal", async () => {
  const p = await load();
  answer(send(p, chat("smart")).s, ["x"], { ":status": "500", "content-type": "text/plain", "retry-after": "100" });
  answer(send(p, chat("smart")).s, ["x"], { ":status": "500", "content-type": "text/plain", "retry-after": "50" });
  const r = send(p, chat("smart"));
  assert.equal(r.status, undefined);
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "openai");
});

test("health is shared by plugins with the same vm_id (every worker learns)", async () => {
  const vmId = `shared-${Date.now()}`;
  const a = await load(CONFIG, { vmId });
  const b = await load(CONFIG, { vmId });
  answer(send(a, chat("smart")).s, ["x"], { ":status": "503", "content-type": "text/plain" });
  assert.equal(send(b, chat("smart")).upstreamHeaders["x-aigw-cluster"], "openai");
});

test("least-latency: the provider with the lower EWMA time to first token is preferred", async () => {
  const p = await load({ ...CONFIG, aliases: { quick: { strategy: "least-latency", targets: ["anthropic/claude-haiku", "openai/gpt-4o-mini"] } } });
  // Unknown latencies read as 0: the first in order goes first, the other is measured next.
  const a = send(p, chat("quick"));
  assert.equal(a.upstreamHeaders["x-aigw-cluster"], "anthropic");
  a.s.responseHeaders({ ":status": "200", "content-type": "application/json" });
  p.tick(900);
  a.s.responseBody(JSON.stringify(OK), true);
  assert.match(p.sharedData["aigw.llm_route.latency.anthropic"], /^900,900,1$/);
  const b = send(p, chat("quick"));
  assert.equal(b.upstreamHeaders["x-aigw-cluster"], "openai");
  p.tick(200);
  answer(b.s, [JSON.stringify(OAI_OK)]);
  for (let i = 0; i < 3; i++) {
    const c = send(p, chat("quick"));
    assert.equal(c.upstreamHeaders["x-aigw-cluster"], "openai");
    p.tick(100);
    answer(c.s, [JSON.stringify(OAI_OK)]);
  }
  // EWMA (alpha 0.3) of 200, 100, 100, 100.
  assert.match(p.sharedData["aigw.llm_route.latency.openai"], /^134,134,4$/);
  // openai slows down to 2 s a request: its average passes anthropic's 900 and anthropic wins again.
  for (let i = 0; i < 3; i++) {
    const c = send(p, chat("quick"));
    if (c.upstreamHeaders["x-aigw-cluster"] !== "openai") break;
    p.tick(3000);
    answer(c.s, [JSON.stringify(OAI_OK)]);
  }
  assert.equal(send(p, chat("quick")).upstreamHeaders["x-aigw-cluster"], "anthropic");
});

// Envoy's router, when the provider's connection breaks after response headers (router.cc
// onUpstreamReset with downstream_response_started_): no end_of_stream reaches the filter; the
// stream is reset with code details upstream_reset_after_response_started{<reason>}, then the
// access-log phase (proxy_on_log) and proxy_on_done run.
const SSE = { ":status": "200", "content-type": "text/event-stream" };
const HALF = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n";

function cutOff(p: Awaited<ReturnType<typeof load>>, details: string, headers: Record<string, string> = SSE) {
  const r = send(p, { ...chat("smart"), stream: true });
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "anthropic");
  r.s.responseHeaders(headers, false);
  r.s.responseBody(HALF, false);
  r.s.stream.reset(details);
  r.s.complete();
  return r;
}

test("an answer reset by the provider half-way (no end_of_stream) marks it down like a 5xx", async () => {
  for (const details of ["upstream_reset_after_response_started{connection_termination}", "upstream_reset_after_response_started{remote_reset}", "upstream_response_timeout", "upstream_per_try_idle_timeout"]) {
    const p = await load({ ...CONFIG, health: { cooldown_ms: 1000 } });
    cutOff(p, details);
    assert.match(p.sharedData["aigw.llm_route.health.anthropic"] ?? "", /^1,\d+,1000$/, details);
    const reason = details.includes("timeout") ? "timeout" : "reset";
    assert.equal(p.metrics.counter(`aigw.llm_route.provider_errors.provider.anthropic.reason.${reason}`), 1, details);
    assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "openai", details);
    p.tick(1001);
    assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "anthropic", "half-open probe after the cool-down");
  }
  // A JSON answer cut before its end counts the same.
  const p = await load();
  cutOff(p, "upstream_reset_after_response_started{connection_termination}", { ":status": "200", "content-type": "application/json" });
  assert.match(p.sharedData["aigw.llm_route.health.anthropic"] ?? "", /^1,/);
});

test("a client that goes away mid-answer does not penalise the provider", async () => {
  for (const details of ["downstream_remote_disconnect", "downstream_local_disconnect", "upstream_reset_after_response_started{local_reset}"]) {
    const p = await load();
    cutOff(p, details);
    assert.doesNotMatch(p.sharedData["aigw.llm_route.health.anthropic"] ?? "0,", /^1,/, details);
    assert.equal(send(p, chat("smart")).upstreamHeaders["x-aigw-cluster"], "anthropic", details);
  }
  // A complete answer followed by the access-log phase changes nothing either.
  const p = await load();
  const r = send(p, chat("smart"));
  answer(r.s, [JSON.stringify(OK)]);
  r.s.complete();
  assert.equal(p.sharedData["aigw.llm_route.health.anthropic"], undefined);
});

test("details that name no cause: response.flags decide (UR/UC reset, UT timeout; DC never)", async () => {
  for (const [flags, down] of [[["UR"], true], [["UC"], true], [["UT"], true], [["DC"], false], [["UC", "DC"], false], [[], false]] as Array<[string[], boolean]>) {
    const p = await load();
    const r = send(p, { ...chat("smart"), stream: true });
    r.s.responseHeaders(SSE, false);
    r.s.responseBody(HALF, false);
    for (const f of flags) r.s.stream.addResponseFlag(f);
    r.s.stream.reset("reset", true); // keeps via_upstream as the details
    r.s.complete();
    assert.equal(/^1,/.test(p.sharedData["aigw.llm_route.health.anthropic"] ?? ""), down, flags.join(","));
  }
});
