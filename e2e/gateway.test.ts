// End to end: the local gateway (`npm start`) over real HTTP on 127.0.0.1, driven by OpenAI's own
// client and fetch, with the compiled filters (dist/auth.wasm, dist/pii-mask.wasm).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { DescriptionError } from "../tools/compose/index.ts";
import { startLocalGateway, type LocalGateway } from "../host-test/src/cli/local-gateway.ts";
import { spawnStart, waitForStdout } from "../host-test/src/cli/start-process.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = mkdtempSync(join(tmpdir(), "aigw-e2e-"));

// The project's own description, plus a route without pii-mask (to see raw streaming).
const config = join(tmp, "gateway.yaml");
writeFileSync(config, readFileSync(join(root, "envoy/gateway.yaml"), "utf8").replace("routes:\n", `routes:
  - name: raw
    match: { prefix: /v1/, headers: { x-raw: "yes" } }
    filters: [auth]
    provider: sample
`));

let gw: LocalGateway;
const log: Record<string, unknown>[] = [];
const alice = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: "sk-demo-bob", maxRetries: 0, timeout: 20_000 });

before(async () => {
  gw = await startLocalGateway({ config, port: 0, root, accessLog: (l) => log.push(JSON.parse(l)) });
});
after(async () => { await gw?.close(); });

/** The access-log line of the last request to `path` (bounded wait: the line is written when the response ends). */
async function logLine(path: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const e = [...log].reverse().find((x) => x.path === path);
    if (e) return e;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no access-log line for ${path}`);
}

test("health route: answered by the gateway, no filter runs (no key needed)", async () => {
  const r = await fetch(`${gw.url}/healthz`);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), "ok\n");
  const e = await logLine("/healthz");
  assert.equal(e.route, "health");
  assert.equal(e["aigw.auth.decision"], undefined, "auth did not run");
});

test("no API key: 401 from auth, in OpenAI's error shape (the client raises AuthenticationError)", async () => {
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-wrong", maxRetries: 0 });
  await assert.rejects(client.chat.completions.create({ model: "echo", messages: [{ role: "user", content: "hi" }] }), (e: unknown) => e instanceof OpenAI.AuthenticationError);
  const r = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(r.status, 401);
  assert.equal(((await r.json()) as { error: { type: string } }).error.type, "authentication_error");
});

test("chat route: auth then pii-mask; the provider (echo model) sees the e-mail masked and the consumer, never the client key", async () => {
  const r = await alice(gw.url).chat.completions.create({ model: "echo", messages: [{ role: "user", content: "write to jane.doe@example.com please" }] });
  const seen = JSON.parse(r.choices[0].message.content ?? "{}");
  assert.equal(seen.body.messages[0].content.includes("jane.doe@example.com"), false);
  assert.match(seen.body.messages[0].content, /^write to \S+ please$/);
  assert.equal(seen.headers["x-aigw-consumer"], "bob");
  assert.equal(seen.headers.authorization, undefined);
  const e = await logLine("/v1/chat/completions");
  assert.equal(e.route, "chat");
  assert.equal(e.status, 200);
  assert.equal(e["aigw.consumer"], "bob");
  assert.equal(e["aigw.pii.action"], "masked");
  assert.deepEqual(JSON.parse(e["aigw.pii.request"] as string), { EMAIL: 1 });
  assert.equal(typeof e.duration_ms, "number");
  assert.ok((e.usage as { input_tokens: number }).input_tokens > 0, "token usage from the answer");
});

test("a card number is blocked by pii-mask before the provider", async () => {
  await assert.rejects(alice(gw.url).chat.completions.create({ model: "echo", messages: [{ role: "user", content: "my card is 4111 1111 1111 1111" }] }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && /CREDIT_CARD/.test(String((e as Error).message)));
  const e = await logLine("/v1/chat/completions");
  assert.equal(e["aigw.pii.action"], "blocked:CREDIT_CARD");
  assert.equal(e.details === "via_upstream", false);
});

test("streamed answers come through as server-sent events that join back to the answer", async () => {
  for (const raw of [false, true]) {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-demo-bob", maxRetries: 0, timeout: 20_000, defaultHeaders: raw ? { "x-raw": "yes" } : {} });
    const stream = await client.chat.completions.create({ model: "sample-small", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "one two three four" }] });
    let text = "";
    let contentChunks = 0;
    for await (const c of stream) {
      const t = c.choices[0]?.delta?.content ?? "";
      if (t) contentChunks++;
      text += t;
    }
    assert.equal(text, "Sample answer from sample-small. You said: one two three four");
    if (raw) assert.ok(contentChunks > 5, `without pii-mask every word is its own event (${contentChunks})`);
  }
  const e = await logLine("/v1/chat/completions");
  assert.equal(e.route, "raw");
  assert.equal(e["aigw.pii.action"], undefined, "pii-mask is not on this route");
  assert.ok((e.usage as { output_tokens: number }).output_tokens > 0);
});

test("embeddings and models routes run their own chains", async () => {
  const emb = await alice(gw.url).embeddings.create({ model: "sample-embedding", input: "hello" });
  assert.equal(emb.data.length, 1);
  const models = await alice(gw.url).models.list();
  assert.ok(models.data.some((m) => m.id === "echo"));
  assert.equal((await logLine("/v1/models"))["aigw.pii.action"], undefined, "models route: auth only");
  const r = await fetch(`${gw.url}/v1/models`);
  assert.equal(r.status, 401, "but auth does run there");
});

test("no route: 404", async () => {
  const r = await fetch(`${gw.url}/nowhere`);
  assert.equal(r.status, 404);
  assert.equal((await logLine("/nowhere")).route, null);
});

test("a bad description fails at start with file:line: path: message", async () => {
  const bad = join(tmp, "bad.yaml");
  writeFileSync(bad, readFileSync(join(root, "envoy/gateway.yaml"), "utf8").replace("filters: [auth]\n", "filters: [authz]\n"));
  const line = readFileSync(bad, "utf8").split("\n").findIndex((l) => l.includes("[authz]")) + 1;
  await assert.rejects(startLocalGateway({ config: bad, port: 0, root }), (e: unknown) =>
    e instanceof DescriptionError && e.message.endsWith(`:${line}: routes[5].filters[0]: unknown filter instance "authz" (defined: auth, quota, pii, guard, cache, route); did you mean "auth"?`));
});

test("a missing .wasm fails at start naming the filter instance and how to build it", async () => {
  const fakeRoot = mkdtempSync(join(tmpdir(), "aigw-root-"));
  const { mkdirSync } = await import("node:fs");
  mkdirSync(join(fakeRoot, "filters", "noop", "assembly"), { recursive: true });
  writeFileSync(join(fakeRoot, "filters", "noop", "assembly", "index.ts"), "");
  const desc = join(fakeRoot, "g.yaml");
  writeFileSync(desc, "providers:\n  p: { url: 'http://127.0.0.1:9' }\nfilters:\n  nothing: { module: noop }\nroutes:\n  - { name: r, match: { prefix: / }, filters: [nothing], provider: p }\n");
  await assert.rejects(startLocalGateway({ config: desc, port: 0, root: fakeRoot }), (e: unknown) =>
    e instanceof DescriptionError && /:4: filters\.nothing: dist\/noop\.wasm not found \(build it: npm run build/.test(e.message));
});

test("npm start's entry point: the first line is the URL; bad config exits 1 with the error on stderr", async () => {
  const child = spawnStart(["--config", config, "--port", "0"]);
  try {
    const out = await waitForStdout(child, (o) => o.includes("\n"), 30_000, "no URL");
    const first = out.slice(0, out.indexOf("\n"));
    assert.match(first, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await (await fetch(`${first}/healthz`)).text(), "ok\n");
  } finally {
    child.kill("SIGTERM");
  }
  const bad = join(tmp, "bad2.yaml");
  writeFileSync(bad, "listener: { prot: 1 }\n");
  const code = await new Promise<{ code: number | null; err: string }>((resolve) => {
    const c = spawnStart(["--config", bad]);
    let err = "";
    c.stderr.on("data", (d) => { err += d; });
    const timer = setTimeout(() => c.kill(), 30_000);
    c.once("exit", (code) => { clearTimeout(timer); resolve({ code, err }); });
  });
  assert.equal(code.code, 1);
  assert.match(code.err, /bad2\.yaml:1: listener\.prot: unknown key "prot" \(did you mean "port"\?\)/);
});

test("kill -TERM of the npm start process stops the gateway (npm forwards the signal; no shell in between)", async () => {
  const npm = spawn("npm", ["start", "--silent", "--", "--config", config, "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => npm.once("exit", (c) => resolve(c)));
  let url = "";
  try {
    url = await new Promise<string>((resolve, reject) => {
      let buf = "";
      const timer = setTimeout(() => reject(new Error(`no URL within 60 s: ${buf}`)), 60_000);
      npm.stdout.on("data", (d) => { buf += d; const nl = buf.indexOf("\n"); if (nl >= 0) { clearTimeout(timer); resolve(buf.slice(0, nl)); } });
    });
    assert.equal(await (await fetch(`${url}/healthz`)).text(), "ok\n");
  } finally {
    npm.kill("SIGTERM");
  }
  const bounded = await Promise.race([exited.then(() => "exited"), new Promise((r) => setTimeout(() => r("still running after 10 s"), 10_000))]);
  assert.equal(bounded, "exited");
  await assert.rejects(fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }), "nothing listens on the gateway's port any more");
});

test("the provider (echo model) sees exactly the client's headers minus what the filters removed, plus what they added and the gateway's edge headers", async () => {
  // The raw route (auth only): pii-mask would mask the addresses inside the echoed answer.
  const body = JSON.stringify({ model: "echo", messages: [{ role: "user", content: "hello" }] });
  const u = new URL(`${gw.url}/v1/chat/completions`);
  const sent = { "content-type": "application/json", authorization: "Bearer sk-demo-bob", "x-client-note": "kept", "x-raw": "yes", "x-envoy-retry-on": "5xx", "content-length": String(Buffer.byteLength(body)) };
  const answer = await new Promise<string>((resolve, reject) => {
    const r = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: sent }, (res) => { let b = ""; res.setEncoding("utf8"); res.on("data", (d) => { b += d; }); res.on("end", () => resolve(b)); });
    r.on("error", reject);
    r.end(body);
  });
  const seen = JSON.parse(JSON.parse(answer).choices[0].message.content) as { headers: Record<string, string> };
  const removedByFilters = ["authorization" /* auth */];
  const addedByFilters = ["x-aigw-consumer" /* auth */];
  const edge = ["x-forwarded-for", "x-forwarded-proto", "x-request-id"]; // HCM use_remote_address: true
  const dropped = ["x-envoy-retry-on"]; // client x-envoy-* headers at the edge
  const transport = ["host", "connection"]; // HTTP/1.1 framing of the upstream request
  const expected = [...Object.keys(sent).filter((k) => !removedByFilters.includes(k) && !dropped.includes(k)), ...addedByFilters, ...edge, ...transport];
  assert.deepEqual(Object.keys(seen.headers).sort(), [...new Set(expected)].sort());
  assert.equal(seen.headers["x-client-note"], "kept");
  assert.equal(seen.headers["x-forwarded-for"], "127.0.0.1");
  assert.equal(seen.headers["x-forwarded-proto"], "http");
  assert.equal(seen.headers.host, u.hostname, "the sample provider is an IP: no host rewrite, as in Envoy; the port is stripped (strip_any_host_port)");
  assert.equal(seen.headers["content-length"], sent["content-length"]);
  const e = await logLine("/v1/chat/completions");
  assert.equal(e.request_id, seen.headers["x-request-id"], "the access log's request_id is the one the provider saw");
});

test("access log: status, route, latency, details, upstream, token usage and the contract's filter state; never the API key or a masked value", async () => {
  const r = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-demo-bob" },
    body: JSON.stringify({ model: "sample-small", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "mail jane.doe@example.com today" }] }),
  });
  const text = await r.text();
  assert.equal(r.status, 200);
  assert.equal(text.includes("jane.doe@example.com"), false, "masked before the provider");
  const e = await logLine("/v1/chat/completions");
  const line = JSON.stringify(e);
  assert.equal(line.includes("sk-demo-bob"), false, line);
  assert.equal(line.includes("jane.doe"), false, line);
  assert.equal(line.includes("example.com"), false, line);
  assert.equal(e.status, 200);
  assert.equal(e.route, "chat");
  assert.equal(e.upstream, "sample");
  assert.equal(e.details, "via_upstream");
  assert.equal(e.flags, "-");
  assert.equal(typeof e.duration_ms, "number");
  assert.match(String(e.request_id), /^[0-9a-f-]{36}$/);
  assert.ok((e.bytes_received as number) > 0 && (e.bytes_sent as number) > 0);
  const usage = e.usage as { input_tokens: number; output_tokens: number };
  assert.ok(usage.input_tokens > 0 && usage.output_tokens > 0, "usage read from the streamed answer");
  assert.equal(e["aigw.consumer"], "bob");
  assert.equal(e["aigw.auth.decision"], "allow");
  assert.equal(e["aigw.pii.action"], "masked");
  assert.deepEqual(JSON.parse(e["aigw.pii.request"] as string), { EMAIL: 1 });
});

test("timeouts and upstream failures as Envoy: connect refused 503, route timeout 504, stream idle timeout 408", async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
  const downPort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const silent = createServer(() => { /* accepts, never answers */ });
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
  const silentPort = (silent.address() as AddressInfo).port;
  const desc = join(tmp, "timeouts.yaml");
  writeFileSync(desc, `listener: { port: 10000, stream_idle_timeout: 300ms }
providers:
  down: { url: "http://127.0.0.1:${downPort}" }
  silent: { url: "http://127.0.0.1:${silentPort}" }
routes:
  - { name: down, match: { path: /down }, provider: down }
  - { name: slow, match: { path: /slow }, provider: silent, timeout: 100ms }
  - { name: idle, match: { path: /idle }, provider: silent }
`);
  const lines: Record<string, unknown>[] = [];
  const g = await startLocalGateway({ config: desc, port: 0, root, accessLog: (l) => lines.push(JSON.parse(l)) });
  try {
    const down = await fetch(`${g.url}/down`);
    assert.equal(down.status, 503);
    assert.match(await down.text(), /^upstream connect error or disconnect\/reset before headers\. reset reason: remote connection failure/);
    const slow = await fetch(`${g.url}/slow`);
    assert.equal(slow.status, 504);
    assert.equal(await slow.text(), "upstream request timeout");
    const idle = await fetch(`${g.url}/idle`);
    assert.equal(idle.status, 408);
    assert.equal(await idle.text(), "stream timeout");
    for (let i = 0; i < 200 && lines.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    const by = (route: string) => lines.find((l) => l.route === route)!;
    assert.match(String(by("down").details), /^upstream_reset_before_response_started\{remote_connection_failure/);
    assert.equal(by("down").flags, "UF");
    assert.equal(by("slow").details, "upstream_response_timeout");
    assert.equal(by("slow").flags, "UT");
    assert.equal(by("idle").details, "stream_idle_timeout");
    assert.equal(by("idle").flags, "SI");
  } finally {
    await g.close();
    silent.closeAllConnections();
    silent.close();
  }
});

test("access log: the path is logged without its query or fragment, which may carry a key (as Envoy's %REQ_WITHOUT_QUERY%)", async () => {
  const secret = "sk-query-secret-123";
  const r = await fetch(`${gw.url}/v1/models?api_key=${secret}&x=1`, { headers: { authorization: "Bearer sk-demo-bob" } });
  assert.equal(r.status, 200);
  await r.arrayBuffer();
  const e = await logLine("/v1/models");
  assert.equal(JSON.stringify(e).includes(secret), false, JSON.stringify(e));
  assert.equal(e.route, "models");
  // Refused before routing (a fragment: 400 as Envoy's http_reject_path_with_fragment) and not routed (404).
  const refused = await rawStatus(`/v1/chat/completions#?api_key=${secret}`);
  assert.equal(refused, 400);
  const lost = await rawStatus(`/nowhere?access_token=${secret}`);
  assert.equal(lost, 404);
  await logLine("/nowhere");
  assert.equal(log.some((x) => JSON.stringify(x).includes(secret)), false, "no line holds the secret");
  assert.ok(log.some((x) => x.path === "/v1/chat/completions" && x.status === 400), "the refused request is logged, without its fragment");
});

/** Status of a GET sent with `target` as the raw request target (fetch would drop a fragment). */
function rawStatus(target: string): Promise<number> {
  const u = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: target, method: "GET" }, (res) => { res.resume(); res.on("end", () => resolve(res.statusCode ?? 0)); });
    req.on("error", reject);
    req.end();
  });
}

test("the echo model shows what the provider received, not what response-side masking made of it: an e-mail in a header reached the provider in clear and the echo shows it", async () => {
  const r = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-demo-bob", "x-note": "jane.doe@example.com" },
    body: JSON.stringify({ model: "echo", messages: [{ role: "user", content: "mail jane.doe@example.com" }] }),
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("x-aigw-echo"), "as-received");
  const seen = JSON.parse((await r.json()).choices[0].message.content);
  assert.equal(seen.headers["x-note"], "jane.doe@example.com", "pii-mask does not scan request headers: the provider got it in clear");
  assert.equal(seen.body.messages[0].content.includes("jane.doe@example.com"), false, "the body was masked before the provider");
  assert.equal((await logLine("/v1/chat/completions"))["aigw.pii.action"], "masked");
});

test("Anthropic route: x-api-key is accepted, and local replies come in Anthropic's error shape", async () => {
  const ask = (headers: Record<string, string>, content: string) => fetch(`${gw.url}/v1/messages`, {
    method: "POST", headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers },
    body: JSON.stringify({ model: "claude-sample", max_tokens: 64, messages: [{ role: "user", content }] }),
  });
  const ok = await ask({ "x-api-key": "sk-demo-bob" }, "hello");
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).type, "message");
  const noKey = await ask({ "x-api-key": "sk-wrong" }, "hello");
  assert.equal(noKey.status, 401);
  const e401 = await noKey.json();
  assert.equal(e401.type, "error");
  assert.equal(e401.error.type, "authentication_error");
  assert.equal(typeof e401.error.message, "string");
  const card = await ask({ "x-api-key": "sk-demo-bob" }, "my card is 4111 1111 1111 1111");
  assert.equal(card.status, 400);
  const e400 = await card.json();
  assert.deepEqual([e400.type, e400.error.type], ["error", "invalid_request_error"]);
  assert.match(e400.error.message, /CREDIT_CARD/);
});
