// The Gateway as Envoy's connection manager and router over real HTTP on 127.0.0.1: request bodies
// streamed through the filters, the upstream request sent with exactly the filtered headers and
// its answer streamed back, Envoy's timeouts and upstream-failure answers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Gateway, loadPlugin, serveGateway } from "../src/index.ts";
import { abiPlugin, fixture, lines } from "./helpers.ts";
import { fileURLToPath } from "node:url";

const noopWasm = fileURLToPath(new URL("../../dist/noop.wasm", import.meta.url));

/** Resolves with the value, or fails the test after `ms` (a bound, not a timing assertion). */
function within<T>(p: Promise<T>, what: string, ms = 5000): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, no) => { t = setTimeout(() => no(new Error(`not within ${ms} ms: ${what}`)), ms); })]).finally(() => clearTimeout(t));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An upstream that records each request and each body chunk as it arrives. */
async function recordingUpstream(answer: (req: IncomingMessage, res: import("node:http").ServerResponse, body: Buffer) => void = (_q, s) => s.end("ok")) {
  const seen: Array<{ headers: IncomingMessage["headers"]; rawHeaders: string[]; chunks: string[] }> = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const rec = { headers: req.headers, rawHeaders: req.rawHeaders, chunks: [] as string[] };
    seen.push(rec);
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => { rec.chunks.push(c.toString()); parts.push(c); waiters.splice(0).forEach((w) => w()); });
    req.on("end", () => answer(req, res, Buffer.concat(parts)));
    waiters.splice(0).forEach((w) => w());
  });
  const url = await listen(server);
  /** Waits until the upstream got `text` in its body so far. */
  const got = (text: string) => new Promise<void>((resolve) => {
    const check = () => { if (seen.some((s) => s.chunks.join("").includes(text))) resolve(); else waiters.push(check); };
    check();
  });
  return { url, seen, got, close: () => { server.closeAllConnections(); server.close(); } };
}

/** A client request whose body is written by the test, chunk by chunk. */
function openClient(url: string, headers: Record<string, string> = {}) {
  const req = request(`${url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked", ...headers } });
  const response = new Promise<{ status: number; headers: IncomingMessage["headers"]; body: string }>((resolve, reject) => {
    req.on("response", (res) => { let b = ""; res.setEncoding("utf8"); res.on("data", (d) => { b += d; }); res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: b })); res.on("error", reject); });
    req.on("error", reject);
  });
  req.flushHeaders();
  return { req, response };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

test("request body streams: a filter's local reply from on_request_body reaches the client before it finished sending", async () => {
  const p = await abiPlugin(["request_body|local|413|too_large|body refused"]);
  const up = await recordingUpstream();
  const srv = await serveGateway(new Gateway([p], { upstream: up.url }));
  try {
    const c = openClient(srv.url);
    c.req.write('{"model":"a",');
    const res = await within(c.response, "the 413 while the request body is still open");
    assert.equal(c.req.writableEnded, false, "the client had not finished its request");
    assert.equal(res.status, 413);
    assert.equal(res.body, "body refused");
    c.req.destroy();
    assert.deepEqual(up.seen.flatMap((r) => r.chunks), [], "no body byte reached the upstream");
  } finally { await srv.close(); up.close(); }
});

test("request body streams: the upstream receives each chunk as the filters release it (noop.wasm)", async () => {
  const noop = await loadPlugin(noopWasm, { name: "noop" });
  const up = await recordingUpstream();
  const srv = await serveGateway(new Gateway([noop], { upstream: up.url }));
  try {
    const c = openClient(srv.url);
    c.req.write("first-chunk ");
    await within(up.got("first-chunk"), "first chunk upstream before the client sent the second");
    c.req.write("second-chunk");
    await within(up.got("second-chunk"), "second chunk upstream");
    c.req.end();
    const res = await within(c.response, "the answer");
    assert.equal(res.status, 200);
    assert.equal(up.seen[0].chunks.join(""), "first-chunk second-chunk");
  } finally { await srv.close(); up.close(); }
});

test("Gateway.request with an async body source: on_request_body runs per chunk, the reply comes before the source ends", async () => {
  const p = await abiPlugin(["request_body|bget|0|0|100", "request_body|local|401|denied|no"]);
  let release!: () => void;
  const hold = new Promise<void>((r) => { release = r; });
  let sourceEnded = false;
  async function* body() { yield "part one"; await hold; yield "part two"; sourceEnded = true; }
  const res = await within(new Gateway([p], { upstream: () => ({ status: 200 }) }).request({ method: "POST", bodyChunks: body() }), "reply before the source ended");
  assert.equal(res.status, 401);
  assert.equal(sourceEnded, false);
  assert.ok(p.logs("info").some((l) => l.startsWith("bget") && l.includes("part one")), p.logs("info").join("\n"));
  release();
});

test("the upstream sees exactly the filtered headers plus the edge headers (x-forwarded-for/-proto, x-request-id); nothing of Node's own", async () => {
  const p = await abiPlugin(["request_headers|hdel|0|x-secret", "request_headers|hadd|0|x-added|yes"]);
  const up = await recordingUpstream();
  const srv = await serveGateway(new Gateway([p], { upstream: up.url, useRemoteAddress: true }));
  try {
    const c = openClient(srv.url, { "x-secret": "s3cret", "x-client": "c", "x-forwarded-for": "203.0.113.7", "x-envoy-retry-on": "5xx", "x-request-id": "client-id" });
    c.req.end("{}");
    assert.equal((await within(c.response, "answer")).status, 200);
    const h = up.seen[0].headers;
    const clientSent = ["content-type", "transfer-encoding", "x-client", "x-forwarded-for", "x-request-id"];
    const transport = ["host", "connection"];
    assert.deepEqual(Object.keys(h).sort(), [...new Set([...clientSent, ...transport, "x-added", "x-forwarded-proto"])].sort());
    assert.equal(h["x-forwarded-for"], "203.0.113.7,127.0.0.1", "client address appended");
    assert.equal(h["x-forwarded-proto"], "http");
    assert.notEqual(h["x-request-id"], "client-id", "an edge request gets a new request id");
    assert.match(String(h["x-request-id"]), /^[0-9a-f-]{36}$/);
    assert.equal(h["x-secret"], undefined);
    assert.equal(h["x-envoy-retry-on"], undefined, "client x-envoy-* headers are dropped at the edge");
  } finally { await srv.close(); up.close(); }
});

test("route timeout: x-envoy-expected-rq-timeout-ms upstream, 504 upstream request timeout when it expires", async () => {
  const up = await recordingUpstream(() => { /* never answers */ });
  const p = await abiPlugin(["response_headers|hadd|2|x-filtered|yes"]);
  try {
    const res = await within(new Gateway([p], { upstream: up.url, routeTimeoutMs: 50 }).request({ method: "POST", body: "{}" }), "504");
    assert.equal(res.status, 504);
    assert.equal(res.body, "upstream request timeout");
    assert.equal(res.responseCodeDetails, "upstream_response_timeout");
    assert.equal(res.responseFlags, "UT");
    assert.equal(res.headers["x-filtered"], "yes", "the router's reply goes through the encoder filters");
    assert.equal(up.seen[0].headers["x-envoy-expected-rq-timeout-ms"], "50");
  } finally { up.close(); }
});

test("upstream connection refused: 503 with Envoy's body and upstream_reset_before_response_started details", async () => {
  const p = await abiPlugin([]);
  const res = await within(new Gateway([p], { upstream: `http://127.0.0.1:${await freePort()}` }).request({ path: "/" }), "503");
  assert.equal(res.status, 503);
  assert.equal(res.body, "upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: 111");
  assert.equal(res.responseCodeDetails, "upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}");
  assert.equal(res.responseFlags, "UF");
  assert.equal(res.headers["content-type"], "text/plain");
});

test("upstream connection lost after the response started: reset with upstream_reset_after_response_started details and UC", async () => {
  // Envoy's router (onUpstreamReset, downstream response started) records these details, replacing
  // via_upstream, then resets the downstream stream: no end_of_stream reaches the filters.
  const up = await recordingUpstream((_q, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("data: 1\n\n", () => setTimeout(() => res.socket?.destroy(), 20));
  });
  const p = await abiPlugin(["log|pget|response|code_details", "log|pget|response|flags", "log|pset|at_log|1", "done|pset|at_done|1"]);
  try {
    const res = await within(new Gateway([p], { upstream: up.url }).request({ method: "POST", body: "{}" }), "reset");
    // A reset stream still gets on_log then on_done (doDeferredStreamDestroy); the access log line
    // is written between them, so it has what on_log set and never what on_done set.
    assert.deepEqual(p.logs("debug").map((l) => l.split(" ")[0]).slice(-3), ["log", "done", "delete"]);
    assert.equal(res.filterState("at_log"), "1");
    assert.equal(res.filterState("at_done"), undefined);
    // What a filter reads at proxy_on_log: the details, and response.flags as Envoy's int64 bit
    // vector (UpstreamConnectionTermination = 0x40).
    const flags = Buffer.alloc(8); flags.writeBigInt64LE(0x40n);
    assert.deepEqual(lines(p.logs("info"), "pget"), [
      `pget response.code_details r=0 hex=${Buffer.from("upstream_reset_after_response_started{connection_termination}").toString("hex")}`,
      `pget response.flags r=0 hex=${flags.toString("hex")}`,
    ]);
    assert.equal(res.status, 200);
    assert.equal(res.body, "data: 1\n\n");
    assert.equal(res.reset, "upstream_reset_after_response_started{connection_termination}");
    assert.equal(res.responseCodeDetails, "upstream_reset_after_response_started{connection_termination}");
    assert.equal(res.responseFlags, "UC");
  } finally { up.close(); }
});

test("SSE from a real upstream reaches the client event by event (the next event is only produced after the client got the previous one)", async () => {
  let next!: () => void;
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("data: 1\n\n");
    next = () => res.end("data: 2\n\n");
  });
  const upstream = await listen(server);
  const p = await abiPlugin(["response_body|bget|1|0|100"]);
  const srv = await serveGateway(new Gateway([p], { upstream }));
  try {
    const res = await fetch(`${srv.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    const reader = res.body!.getReader();
    const first = await within(reader.read(), "first event before the upstream finished");
    assert.equal(Buffer.from(first.value!).toString(), "data: 1\n\n");
    next();
    let rest = "";
    for (let i = 0; i < 10; i++) { const r = await within(reader.read(), "rest"); if (r.done) break; rest += Buffer.from(r.value).toString(); }
    assert.equal(rest, "data: 2\n\n");
  } finally { await srv.close(); server.closeAllConnections(); server.close(); }
});

test("a held stream with no callout pending does not throw: it ends like Envoy's stream idle timeout (408), flagged stalled", async () => {
  const p = await abiPlugin(["request_headers|ret|1"]); // stops, never continues
  let called = false;
  const res = await within(new Gateway([p], { upstream: () => { called = true; return { status: 200 }; }, stalledStreamTimeoutMs: 0 }).request({ method: "POST", body: "x" }), "408");
  assert.equal(res.status, 408);
  assert.equal(res.body, "stream timeout");
  assert.equal(res.responseCodeDetails, "stream_idle_timeout");
  assert.equal(res.responseFlags, "SI");
  assert.equal(res.stalled, true);
  assert.equal(res.localReply?.from, "http_connection_manager", "the connection manager's own local reply");
  assert.equal(called, false);
});

test("stream idle timeout: a client that stops sending gets 408; an upstream that stops mid-answer resets the stream", async () => {
  const noop = await loadPlugin(noopWasm, { name: "noop" });
  const up = await recordingUpstream();
  const srv = await serveGateway(new Gateway([noop], { upstream: up.url, streamIdleTimeoutMs: 50 }));
  try {
    const c = openClient(srv.url);
    c.req.write("{");
    const res = await within(c.response, "408 for the idle client");
    assert.equal(res.status, 408);
    assert.equal(res.body, "stream timeout");
    c.req.destroy();
  } finally { await srv.close(); up.close(); }

  const server = createServer((_req, res) => { res.writeHead(200, { "content-type": "text/event-stream" }); res.write("data: 1\n\n"); });
  const upstream = await listen(server);
  try {
    const r = await within(new Gateway([noop], { upstream, streamIdleTimeoutMs: 50 }).request({ path: "/" }), "reset");
    assert.equal(r.status, 200, "the client had its headers");
    assert.equal(r.body, "data: 1\n\n");
    assert.equal(r.reset, "stream_idle_timeout");
  } finally { server.closeAllConnections(); server.close(); }
});

test("the common SDK probe runs through the streaming gateway unchanged", async () => {
  const p = await loadPlugin(fixture("common-sdk-probe"), { name: "probe" });
  const up = await recordingUpstream((_q, s, body) => s.end(`echo:${body}`));
  try {
    const res = await within(new Gateway([p], { upstream: up.url }).request({ method: "POST", path: "/", bodyChunks: (async function* () { yield "a"; yield "b"; })() }), "answer");
    assert.ok(res.status > 0 && res.status !== 503, `status ${res.status} (${res.responseCodeDetails})`);
  } finally { up.close(); }
});
