// Routing: aliases, wildcards, strategies, the routing header, :path/:authority, credentials,
// refusals in the client's error shape, GET /v1/models, the published filter state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CONFIG, answer, load, send } from "./helpers.ts";

const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "hello there" }], ...extra });

test("a model name a provider lists goes to that provider with the routing header, path and authority set", async () => {
  const p = await load();
  const r = send(p, chat("gpt-4o"));
  assert.equal(r.status, undefined);
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "openai");
  assert.equal(r.upstreamHeaders[":path"], "/v1/chat/completions");
  assert.equal(r.upstreamHeaders[":authority"], "api.openai.com");
  assert.equal(r.upstreamBody.model, "gpt-4o-2024-08-06");
  assert.equal(r.upstreamHeaders["content-length"], String(Buffer.byteLength(r.upstreamRaw)));
  assert.equal(r.s.filterState("gen_ai.provider.name"), "openai");
  assert.equal(r.s.filterState("gen_ai.request.model"), "gpt-4o-2024-08-06");
  assert.equal(r.s.filterState("aigw.llm.requested_model"), "gpt-4o");
});

test("client-sent copies of the routing header are removed, even on refused or unrouted requests", async () => {
  const p = await load();
  const r = send(p, chat("gpt-4o"), { headers: { "x-aigw-cluster": "internal-admin" } });
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "openai");
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "x-aigw-cluster": "internal-admin", "content-type": "application/json" }, false);
  assert.equal(s.currentRequestHeaders["x-aigw-cluster"], undefined);
  const bad = send(p, "{not json", { headers: { "x-aigw-cluster": "internal-admin" } });
  assert.equal(bad.status, 400);
  assert.equal(bad.s.currentRequestHeaders["x-aigw-cluster"], undefined);
});

test("the body arriving in many chunks routes the same", async () => {
  const p = await load();
  const r = send(p, chat("claude-haiku"), { chunks: 7 });
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "anthropic");
  assert.equal(r.upstreamBody.model, "claude-3-5-haiku-20241022");
});

test("least-cost picks the cheapest candidate that has the capabilities the request needs", async () => {
  const p = await load();
  assert.equal(send(p, chat("fast")).upstreamHeaders["x-aigw-cluster"], "vllm");
  // Tools are not among llama's capabilities: the next cheapest that has them.
  const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }];
  const r = send(p, chat("fast", { tools }));
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "openai");
  assert.equal(r.upstreamBody.model, "gpt-4o-mini");
});

test("least-cost skips a candidate whose context is too short for the prompt", async () => {
  const p = await load();
  const long = "word ".repeat(8000); // about 10k tokens: over llama's 8192
  const r = send(p, { model: "fast", messages: [{ role: "user", content: long }] });
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "openai");
});

test("priority takes the first target; wildcard aliases pass the requested name on", async () => {
  const p = await load();
  const r = send(p, chat("smart"));
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "anthropic");
  assert.equal(r.upstreamBody.model, "claude-sonnet-4-20250514");
  const w = send(p, chat("gpt-4.1-nano"));
  assert.equal(w.upstreamHeaders["x-aigw-cluster"], "openai");
  assert.equal(w.upstreamBody.model, "gpt-4.1-nano");
});

test("weighted and sticky: one consumer always lands on the same target, consumers spread", async () => {
  const p = await load();
  const seen = new Map<string, Set<string>>();
  for (let i = 0; i < 40; i++) {
    const consumer = `user-${i % 10}`;
    const r = send(p, chat("ab"), { consumer });
    if (!seen.has(consumer)) seen.set(consumer, new Set());
    seen.get(consumer)!.add(r.upstreamHeaders["x-aigw-cluster"]);
  }
  for (const [, s] of seen) assert.equal(s.size, 1);
  const all = new Set([...seen.values()].flatMap((s) => [...s]));
  assert.deepEqual([...all].sort(), ["anthropic", "openai"]);
});

test("weighted without sticky spreads requests by weight", async () => {
  const p = await load({ ...CONFIG, aliases: { w: { strategy: "weighted", targets: [{ provider: "openai", model: "gpt-4o-mini", weight: 3 }, { provider: "anthropic", model: "claude-haiku", weight: 1 }] } } });
  let openai = 0;
  for (let i = 0; i < 400; i++) if (send(p, chat("w")).upstreamHeaders["x-aigw-cluster"] === "openai") openai++;
  assert.ok(openai > 240 && openai < 360, `openai got ${openai} of 400`);
});

test("the model header overrides the body's model when configured", async () => {
  const p = await load({ ...CONFIG, model_header: "x-model" });
  const r = send(p, chat("gpt-4o"), { headers: { "x-model": "claude-haiku" } });
  assert.equal(r.upstreamHeaders["x-aigw-cluster"], "anthropic");
});

test("configured credentials replace the client's; Anthropic gets x-api-key and anthropic-version", async () => {
  const p = await load();
  const r = send(p, chat("claude-haiku"), { headers: { authorization: "Bearer client-key", "x-api-key": "client" } });
  assert.equal(r.upstreamHeaders["x-api-key"], "sk-ant-test");
  assert.equal(r.upstreamHeaders.authorization, undefined);
  assert.equal(r.upstreamHeaders["anthropic-version"], "2023-06-01");
  const cfg = { providers: [
    { name: "az", kind: "azure-openai", host: "res.openai.azure.com", api_key: "az-key", models: { "gpt-4o": "my-deployment" } },
    { name: "gem", kind: "gemini", host: "generativelanguage.googleapis.com", api_key: "g-key", models: { gemini: "gemini-2.0-flash" } },
  ] };
  const q = await load(cfg);
  const az = send(q, chat("gpt-4o"), { headers: { authorization: "Bearer x" } });
  assert.equal(az.upstreamHeaders[":path"], "/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21");
  assert.equal(az.upstreamHeaders["api-key"], "az-key");
  assert.equal(az.upstreamHeaders.authorization, undefined);
});

test("without configured credentials the client's headers are left for Envoy's credential injector", async () => {
  const p = await load();
  const r = send(p, chat("gpt-4o"), { headers: { authorization: "Bearer injected-later" } });
  assert.equal(r.upstreamHeaders.authorization, "Bearer injected-later");
});

test("unknown model: 404 in the client's error shape, naming nothing secret", async () => {
  const p = await load();
  const r = send(p, chat("no-such-model"));
  assert.equal(r.status, 404);
  const e = (r.local as any).error;
  assert.equal(e.type, "invalid_request_error");
  assert.equal(e.code, "unknown_model");
  assert.match(e.message, /no-such-model/);
  assert.doesNotMatch(JSON.stringify(r.local), /sk-ant|api\.openai|anthropic\.com/);
  const a = send(p, { model: "no-such-model", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }, { path: "/v1/messages" });
  assert.equal(a.status, 404);
  assert.equal((a.local as any).type, "error");
  assert.equal((a.local as any).error.type, "not_found_error");
  assert.equal(r.s.filterState("aigw.llm.decision"), "reject:unknown_model");
});

test("malformed JSON, a missing model, duplicate keys and a body-less request: 400", async () => {
  const p = await load();
  for (const body of ["{\"model\":", "[1,2]", "{\"messages\":[]}", "{\"model\":\"gpt-4o\",\"model\":\"llama\",\"messages\":[]}"]) {
    const r = send(p, body);
    assert.equal(r.status, 400, body);
    assert.ok((r.local as any).error.message.length > 0);
  }
  const a = send(p, "{bad", { path: "/v1/messages" });
  assert.equal(a.status, 400);
  assert.equal((a.local as any).error.type, "invalid_request_error");
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw" }, true);
  assert.equal(s.localReply?.status, 400);
});

test("a body larger than max_body_bytes is refused with 413", async () => {
  const p = await load({ ...CONFIG, max_body_bytes: 2048 });
  const r = send(p, chat("gpt-4o", { pad: "x".repeat(4096) }), { chunks: 4 });
  assert.equal(r.status, 413);
});

test("unknown paths get 404 and are never forwarded; GET /v1/models lists models and aliases", async () => {
  const p = await load();
  const r = send(p, chat("gpt-4o"), { path: "/admin/clusters" });
  assert.equal(r.status, 404);
  assert.equal(r.upstreamHeaders[":path"], undefined);
  const s = p.newStream();
  s.requestHeaders({ ":method": "GET", ":path": "/v1/models", ":authority": "gw" }, true);
  assert.equal(s.localReply?.status, 200);
  const ids = JSON.parse(s.localReply!.body).data.map((m: { id: string }) => m.id);
  for (const id of ["fast", "smart", "ab", "gpt-4o-mini", "claude-haiku", "llama"]) assert.ok(ids.includes(id), id);
  assert.ok(!ids.includes("gpt-4*"));
});

test("alias restricted to groups: other consumers get 403", async () => {
  const p = await load({ ...CONFIG, aliases: { vip: { targets: ["openai/gpt-4o"], groups: ["admin"] } } });
  const s = p.newStream();
  s.stream.filterState.set("wasm.aigw.consumer", new TextEncoder().encode("bob"));
  s.stream.filterState.set("wasm.aigw.consumer.groups", new TextEncoder().encode("eng"));
  const body = JSON.stringify(chat("vip"));
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw" }, false);
  s.requestBody(body, true);
  assert.equal(s.localReply?.status, 403);
  const t = p.newStream();
  t.stream.filterState.set("wasm.aigw.consumer", new TextEncoder().encode("alice"));
  t.stream.filterState.set("wasm.aigw.consumer.groups", new TextEncoder().encode("eng,admin"));
  t.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw" }, false);
  t.requestBody(body, true);
  assert.equal(t.localReply, null);
});

test("embeddings go to OpenAI-speaking providers with the model rewritten", async () => {
  const p = await load({ providers: [{ name: "oai", kind: "openai", models: { emb: "text-embedding-3-small" } }, { name: "ant", kind: "anthropic", models: { claude: "c" } }] });
  const r = send(p, { model: "emb", input: "hello" }, { path: "/v1/embeddings" });
  assert.equal(r.upstreamHeaders[":path"], "/v1/embeddings");
  assert.equal(r.upstreamBody.model, "text-embedding-3-small");
  const out = answer(r.s, [JSON.stringify({ object: "list", data: [], model: "text-embedding-3-small", usage: { prompt_tokens: 5, total_tokens: 5 } })]);
  assert.equal(JSON.parse(out).usage.prompt_tokens, 5);
  assert.equal(r.s.filterState("gen_ai.usage.input_tokens"), "5");
  const a = send(p, { model: "claude", input: "x" }, { path: "/v1/embeddings" });
  assert.equal(a.status, 400);
});

test("usage and cost of a JSON answer are published (micro-dollars, cached tokens priced apart)", async () => {
  const p = await load();
  const r = send(p, chat("gpt-4o-mini"));
  const body = { id: "chatcmpl-1", object: "chat.completion", created: 1, model: "gpt-4o-mini-2024-07-18",
    choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, prompt_tokens_details: { cached_tokens: 400 } } };
  const out = answer(r.s, [JSON.stringify(body)]);
  assert.deepEqual(JSON.parse(out), body); // same dialect: untouched
  assert.equal(r.s.filterState("gen_ai.usage.input_tokens"), "1000");
  assert.equal(r.s.filterState("gen_ai.usage.output_tokens"), "100");
  assert.equal(r.s.filterState("gen_ai.usage.cache_read.input_tokens"), "400");
  // 600 * 0.15 + 400 * 0.075 + 100 * 0.6 = 90 + 30 + 60
  assert.equal(r.s.filterState("aigw.llm.cost_micro_usd"), "180");
  assert.equal(r.s.filterState("gen_ai.response.model"), "gpt-4o-mini-2024-07-18");
  assert.equal(r.s.filterState("aigw.llm.usage_source"), "provider");
  assert.equal(p.metrics.counter("aigw.llm_route.tokens.provider.openai.model.gpt_4o_mini.direction.input"), 1000);
  assert.equal(p.metrics.counter("aigw.llm_route.cost_micro_usd.provider.openai.model.gpt_4o_mini"), 180);
  assert.equal(p.metrics.counter("aigw.llm_route.requests.provider.openai.model.gpt_4o_mini"), 1);
});

test("an answer without usage gets the documented estimate", async () => {
  const p = await load();
  const r = send(p, chat("gpt-4o-mini"));
  answer(r.s, [JSON.stringify({ id: "x", model: "m", choices: [{ index: 0, message: { role: "assistant", content: "a".repeat(400) }, finish_reason: "stop" }] })]);
  assert.equal(r.s.filterState("aigw.llm.usage_source"), "estimate");
  assert.equal(r.s.filterState("gen_ai.usage.output_tokens"), "100");
});

test("Responses API streams end with response.completed (no [DONE]): passed through whole, usage read", async () => {
  const p = await load();
  const r = send(p, { model: "gpt-4o-mini", stream: true, input: "hi" }, { path: "/v1/responses" });
  assert.equal(r.upstreamHeaders[":path"], "/v1/responses");
  const events = [
    `event: response.created\ndata: ${JSON.stringify({ type: "response.created", response: { id: "resp_1", status: "in_progress" } })}\n\n`,
    `event: response.output_text.delta\ndata: ${JSON.stringify({ type: "response.output_text.delta", delta: "Hello" })}\n\n`,
    `event: response.completed\ndata: ${JSON.stringify({ type: "response.completed", response: { id: "resp_1", status: "completed", usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 } } })}\n\n`,
  ];
  const out = answer(r.s, events, { ":status": "200", "content-type": "text/event-stream" });
  assert.equal(out, events.join(""));
  assert.equal(r.s.filterState("gen_ai.usage.input_tokens"), "7");
  assert.equal(r.s.filterState("gen_ai.usage.output_tokens"), "3");
});

test("a provider error already in the client's shape keeps its code and param", async () => {
  const p = await load();
  const r = send(p, { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
  const body = { error: { message: "This model's maximum context length is 128000 tokens.", type: "invalid_request_error", param: "messages", code: "context_length_exceeded" } };
  assert.deepEqual(JSON.parse(answer(r.s, [JSON.stringify(body)], { ":status": "400", "content-type": "application/json" })), body);
});

test("a chunked request (no content-length) is not given one", async () => {
  const p = await load();
  const s = p.newStream();
  s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw", "transfer-encoding": "chunked" }, false);
  s.requestBody(JSON.stringify({ model: "claude-haiku", messages: [{ role: "user", content: "hi" }] }), true);
  assert.equal(s.upstream.headers!.get("content-length"), undefined);
  assert.equal(s.upstream.headers!.get("x-aigw-cluster"), "anthropic");
});

test("Responses, completions and embeddings are read like chat: tools need the capability, prompts count toward context", async () => {
  const cfg = { providers: [{ name: "small", kind: "openai-compatible", models: { m: { capabilities: ["streaming"], context_length: 100 } } }] };
  const p = await load(cfg);
  const tools = [{ type: "function", name: "f", parameters: { type: "object" } }];
  const r = send(p, { model: "m", instructions: "be brief", input: [{ role: "user", content: [{ type: "input_text", text: "hi" }] }], tools }, { path: "/v1/responses" });
  assert.equal(r.status, 400);
  assert.match((r.local as any).error.message, /tools/);
  assert.equal(send(p, { model: "m", input: "hi" }, { path: "/v1/responses" }).status, undefined);
  const long = "x".repeat(1000); // ~250 tokens: over the 100-token context
  assert.equal(send(p, { model: "m", prompt: [long] }, { path: "/v1/completions" }).status, 400);
  assert.equal(send(p, { model: "m", input: [long] }, { path: "/v1/embeddings" }).status, 400);
  assert.equal(send(p, { model: "m", input: ["short"] }, { path: "/v1/embeddings" }).status, undefined);
});

test("an empty configuration routes nothing: requests are refused as unknown models", async () => {
  const p = await load({});
  const r = send(p, { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
  assert.equal(r.status, 404);
  assert.equal(p.logs("warn").some((l) => /no providers configured/.test(l)), true);
});

test("alias restricted to tenants: a consumer of another tenant gets 403", async () => {
  const p = await load({ ...CONFIG, aliases: { acme: { targets: ["openai/gpt-4o"], tenants: ["acme"] } } });
  const ask = (tenant: string) => {
    const s = p.newStream();
    s.stream.filterState.set("wasm.aigw.consumer", new TextEncoder().encode("someone"));
    s.stream.filterState.set("wasm.aigw.consumer.tenant", new TextEncoder().encode(tenant));
    s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "gw" }, false);
    s.requestBody(JSON.stringify(chat("acme")), true);
    return s.localReply?.status ?? 200;
  };
  assert.equal(ask("acme"), 200);
  assert.equal(ask("globex"), 403);
  assert.equal(ask(""), 403);
});

test("a wildcard target cannot be walked out of its path: `.` and `..` are refused (400), other path characters stay inside one encoded segment", async () => {
  const cfg = JSON.parse(JSON.stringify(CONFIG));
  cfg.providers.push({ name: "az", kind: "azure-openai", host: "x.openai.azure.com", api_key: "az-secret", models: {} });
  cfg.providers.push({ name: "bed", kind: "bedrock", region: "us-east-1", access_key_id: "AKIDEXAMPLE", secret_access_key: "bedrock-secret", models: {} });
  cfg.aliases = { "*": ["az/*"], "b/*": ["bed/*"] };
  const p = await load(cfg);
  for (const m of ["..", "."]) {
    const r = send(p, chat(m));
    assert.equal(r.status, 400, m);
    assert.equal((r.local as any).error.code, "invalid_model");
    assert.equal(r.upstreamHeaders[":path"], undefined);
  }
  assert.equal(send(p, chat("b/..")).upstreamHeaders[":path"], "/model/b%2F../converse");
  assert.equal(send(p, chat("x/../../v1?y#z\n")).upstreamHeaders[":path"], "/openai/deployments/x%2F..%2F..%2Fv1%3Fy%23z%0A/chat/completions?api-version=2024-10-21");
  assert.equal(send(p, chat("gpt-4o..mini")).upstreamHeaders[":path"], "/openai/deployments/gpt-4o..mini/chat/completions?api-version=2024-10-21");
});

test("a provider error never hands the client the gateway's credential or a proxy's page: a key echoed in an error (even one already in the client's shape) is redacted, an HTML body is not quoted", async () => {
  const cfg = JSON.parse(JSON.stringify(CONFIG));
  cfg.providers[0].api_key = "sk-proj-gateway-key-123";
  cfg.providers.push({ name: "bed", kind: "bedrock", region: "us-east-1", access_key_id: "AKIDEXAMPLE", secret_access_key: "wJalr/K7MDENG/bPxRfiCYEXAMPLEKEY", models: { titan: { model: "amazon.titan" } } });
  const p = await load(cfg);
  // Same dialect, an error already in OpenAI's shape: would otherwise pass untouched.
  let r = send(p, chat("gpt-4o"));
  let out = answer(r.s, [JSON.stringify({ error: { message: "Incorrect API key provided: sk-proj-gateway-key-123.", type: "invalid_request_error", param: null, code: "invalid_api_key" } })], { ":status": "401", "content-type": "application/json" });
  assert.doesNotMatch(out, /gateway-key/);
  assert.match(JSON.parse(out).error.message, /\[redacted\]/);
  // Translated (Anthropic client), and a JSON-escaped slash in the echoed AWS secret.
  r = send(p, { model: "titan", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }, { path: "/v1/messages" });
  out = answer(r.s, ['{"message":"The request signature we calculated does not match; secret wJalr\\/K7MDENG\\/bPxRfiCYEXAMPLEKEY"}'], { ":status": "403", "content-type": "application/json" });
  assert.doesNotMatch(out, /bPxRfiCY/);
  assert.equal(JSON.parse(out).type, "error");
  // A load balancer's HTML page naming internal hosts is not quoted; Envoy's own text still is.
  r = send(p, chat("gpt-4o"));
  out = answer(r.s, ["<html><body>502 Bad Gateway: upstream 10.1.2.3:8443 (lb-internal-7.corp)</body></html>"], { ":status": "502", "content-type": "text/html" });
  assert.doesNotMatch(out, /10\.1\.2\.3|corp/);
  assert.equal(JSON.parse(out).error.message, "the provider answered with status 502");
  r = send(p, chat("smart"));
  out = answer(r.s, ["upstream connect error or disconnect/reset before headers. reset reason: overflow"], { ":status": "503", "content-type": "text/plain" });
  assert.match(out, /provider unavailable: upstream connect error/);
});

test("a 2xx that is no API answer (text/html, text/plain, no content-type) becomes a 502 in the client's shape: the page never reaches the client", async () => {
  const p = await load();
  for (const [model, path, type] of [["gpt-4o", "/v1/chat/completions", "text/html; charset=utf-8"], ["claude-haiku", "/v1/chat/completions", "text/plain"], ["gpt-4o", "/v1/messages", ""]] as const) {
    const body = path === "/v1/messages" ? { model, max_tokens: 5, messages: [{ role: "user", content: "hi" }] } : chat(model);
    const r = send(p, body, { path });
    const headers: Record<string, string> = { ":status": "200", "content-length": "60" };
    if (type) headers["content-type"] = type;
    const out = answer(r.s, ["<html><body>Welcome to proxy ", "gw-internal-3.corp 10.9.8.7</body></html>"], headers);
    const h = r.s.client.headers!.toObject();
    assert.equal(h[":status"], "502", type);
    assert.equal(h["content-type"], "application/json");
    assert.equal(h["content-length"], undefined);
    assert.doesNotMatch(out, /corp|10\.9/);
    const e = JSON.parse(out);
    if (path === "/v1/messages") assert.equal(e.type, "error");
    else assert.match(e.error.message, new RegExp(type.split(";")[0]));
    assert.equal(r.s.filterState("aigw.llm.provider_status"), "502");
  }
  assert.equal(p.metrics.counter("wasmcustom.aigw.llm_route.provider_errors.provider.openai.reason.bad_answer"), 2);
});

test("a credential of the wrong type fails configuration without its value in the log line", async () => {
  for (const [field, extra] of [["api_key", { api_key: 987654321987 }], ["secret_access_key", { kind: "bedrock", region: "us-east-1", access_key_id: "AKIDEXAMPLE", secret_access_key: 987654321987 }], ["session_token", { kind: "bedrock", region: "us-east-1", access_key_id: "AKIDEXAMPLE", secret_access_key: "s", session_token: 987654321987 }]] as const) {
    const cfg = { providers: [{ name: "o", kind: "openai", host: "h", models: { m: {} }, ...extra }] };
    await assert.rejects(load(cfg), (e: Error) => {
      const line = e.message.split("\n").find((l) => l.includes("configuration rejected"));
      return line !== undefined && line.includes(`providers[0].${field}`) && /got number/.test(line) && !e.message.includes("987654321987");
    }, field);
  }
});
