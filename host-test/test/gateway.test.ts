// Filter chains (Envoy filter manager iteration) and the gateway over real HTTP.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Gateway, serveGateway } from "../src/index.ts";
import { abiPlugin, lines } from "./helpers.ts";

test("request path runs filters in order, response path in reverse", async () => {
  const a = await abiPlugin(["request_headers|hadd|0|x-order|a", "response_headers|hadd|2|x-order|a"], { name: "a" });
  const b = await abiPlugin(["request_headers|hadd|0|x-order|b", "response_headers|hadd|2|x-order|b"], { name: "b" });
  const res = await new Gateway([a, b], { upstream: (r) => ({ status: 200, body: r.headers["x-order"] }) }).request({ path: "/" });
  assert.equal(res.body, "a,b");
  assert.equal(res.headers["x-order"], "b,a");
});

test("a filter that stops holds later filters until it continues", async () => {
  let bSawHeadersBeforeCallout: boolean | null = null;
  const b = await abiPlugin([], { name: "b" });
  const a = await abiPlugin(["request_headers|httpcall|svc|0||:method|GET|:path|/|:authority|s", "request_headers|ret|1", "http_call_response|resume|0"], {
    name: "a",
    clusters: { svc: () => { bSawHeadersBeforeCallout = lines(b.logs("debug"), "request_headers").length > 0; return { status: 200 }; } },
  });
  const res = await new Gateway([a, b], { upstream: () => ({ status: 200, body: "ok" }) }).request({ method: "POST", path: "/", body: "hi" });
  assert.equal(bSawHeadersBeforeCallout, false);
  assert.equal(res.body, "ok");
  assert.equal(res.upstreamRequest?.body, "hi");
  assert.equal(lines(b.logs("debug"), "request_headers").length, 1);
});

test("a local reply from the first filter never reaches later filters or the upstream", async () => {
  const a = await abiPlugin(["request_headers|local|401|no_token|unauthorized|www-authenticate|Bearer"], { name: "auth" });
  const b = await abiPlugin([], { name: "b" });
  let called = false;
  const res = await new Gateway([a, b], { upstream: () => { called = true; return { status: 200 }; } }).request({ path: "/" });
  assert.equal(res.status, 401);
  assert.equal(res.body, "unauthorized");
  assert.equal(res.headers["www-authenticate"], "Bearer");
  assert.equal(res.localReply?.details, "no_token");
  assert.equal(res.upstreamRequest, null);
  assert.equal(called, false);
  // b never saw the request; Envoy's Context::log still creates its context and calls on_log
  // (then on_done/on_delete), so that every filter can log a stream an earlier filter refused.
  assert.deepEqual(b.logs("debug").map((l) => l.replace(/ctx=\d+/, "ctx")), ["log ctx", "done ctx", "delete ctx"]);
});

test("the gateway serves real HTTP and streams upstream chunks to the client through the filters", async () => {
  const upstream = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("data: 1\n\n");
    setTimeout(() => { res.write("data: 2\n\n"); res.end(); }, 10);
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", () => r()));
  const p = await abiPlugin(["response_headers|hadd|2|x-filtered|yes", "response_body|bget|1|0|100"]);
  const gw = new Gateway([p], { upstream: `http://127.0.0.1:${(upstream.address() as any).port}` });
  const srv = await serveGateway(gw);
  try {
    const res = await fetch(`${srv.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-filtered"), "yes");
    assert.equal(await res.text(), "data: 1\n\ndata: 2\n\n");
    assert.ok(lines(p.logs("info"), "bget").length >= 2, "body callbacks ran per chunk");
  } finally { await srv.close(); upstream.close(); }
});

test("a handler upstream whose streamed body breaks off after the response started: the stream is reset (UC), not a gateway error", async () => {
  const p = await abiPlugin([]);
  async function* cut() { yield "data: 1\n\n"; throw Object.assign(new Error("aborted"), { code: "ECONNRESET" }); }
  const res = await new Gateway([p], { upstream: () => ({ status: 200, headers: { "content-type": "text/event-stream" }, chunks: cut() }) }).request({ method: "POST", path: "/", body: "{}" });
  assert.equal(res.status, 200);
  assert.equal(res.body, "data: 1\n\n");
  assert.equal(res.reset, "upstream_reset_after_response_started{connection_termination}");
  assert.equal(res.responseCodeDetails, "upstream_reset_after_response_started{connection_termination}");
  assert.equal(res.responseFlags, "UC");
});
