// Envoy's 0.2.x stream rules, callback by callback (low-level stream API).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Gateway } from "../src/index.ts";
import { abiPlugin, lines } from "./helpers.ts";

const GET = { ":method": "GET", ":path": "/x", ":authority": "h" };

test("headers StopIteration becomes StopAllIterationAndWatermark: no body callback until continue (cpp-host context.cc convertVmCallResultToFilterHeadersStatus)", async () => {
  const p = await abiPlugin(["request_headers|ret|1"]);
  const s = p.newStream();
  assert.equal(s.requestHeaders(GET), "StopAllIterationAndWatermark");
  s.requestBody("ab");
  s.requestBody("cd", true);
  assert.equal(lines(p.logs("debug"), "request_body").length, 0, "the filter saw no body while stopped");
  assert.equal(s.upstream.headers, null);
});

test("allowOnHeadersStopIteration keeps StopIteration: body callbacks run while headers are held, Continue from body releases both", async () => {
  const p = await abiPlugin(["request_headers|ret|1"], { allowOnHeadersStopIteration: true });
  const s = p.newStream();
  assert.equal(s.requestHeaders(GET), "StopIteration");
  assert.equal(s.requestBody("ab", true), "Continue");
  assert.ok(lines(p.logs("debug"), "request_body").length === 1);
  assert.equal(s.upstream.headers?.get(":path"), "/x");
  assert.equal(s.upstream.body, "ab");
});

test("StopIterationAndBuffer accumulates chunks; get_buffer_bytes sees the whole buffered body; Continue releases it", async () => {
  const p = await abiPlugin(["request_body|bget|0|0|100", "request_body|ret|1"]);
  const s = p.newStream();
  s.requestHeaders(GET);
  assert.equal(s.requestBody("ab"), "StopIterationAndBuffer");
  assert.equal(s.requestBody("cd"), "StopIterationAndBuffer");
  assert.deepEqual(lines(p.logs("info"), "bget"), ["bget r=0 v=ab", "bget r=0 v=abcd"]);
  assert.equal(s.upstream.body, "");
});

test("StopIterationNoBuffer drops the chunk; Continue passes only the current chunk", async () => {
  const p = await abiPlugin(["request_body|bget|0|0|100", "request_body|ret|3"]);
  const s = p.newStream();
  s.requestHeaders(GET);
  assert.equal(s.requestBody("ab"), "StopIterationNoBuffer");
  assert.deepEqual(lines(p.logs("info"), "bget"), ["bget r=0 v=ab"]);
  const q = await abiPlugin(["request_body|bget|0|0|100"]);
  const t = q.newStream();
  t.requestHeaders(GET);
  t.requestBody("ab"); t.requestBody("cd", true);
  assert.deepEqual(lines(q.logs("info"), "bget"), ["bget r=0 v=ab", "bget r=0 v=cd"]);
  assert.equal(t.upstream.body, "abcd");
});

test("set_buffer_bytes: start 0 drains `length` then prepends, start >= size appends, otherwise BadArgument (Envoy context.cc Buffer::copyFrom)", async () => {
  const p = await abiPlugin([
    "request_body|bset|0|0|0|<",      // prepend
    "request_body|bset|0|0|99|",      // length >= size: replace all (drain all, then add)
    "request_body|bset|0|0|0|new",
    "request_body|bset|0|3|0|N",      // start >= size: append
    "request_body|bset|0|1|0|x",      // start inside: BadArgument
    "request_body|bset|0|0|1|x",      // start 0 with 0 < length < size: BadArgument
  ]);
  const s = p.newStream();
  s.requestHeaders(GET);
  s.requestBody("body", true);
  assert.deepEqual(lines(p.logs("info"), "bset"), ["bset r=0", "bset r=0", "bset r=0", "bset r=0", "bset r=2", "bset r=2"]);
  assert.equal(s.upstream.body, "newN");
  // Envoy does not fix content-length after a body change: the header is passed as it was.
});

test("content-length is not rewritten when a filter changes the body (Envoy leaves it to the filter)", async () => {
  const p = await abiPlugin(["request_body|bset|0|0|99|changed-body"]);
  const gw = new Gateway([p], { upstream: (r) => ({ status: 200, body: r.headers["content-length"] + ":" + r.body }) });
  const res = await gw.request({ method: "POST", path: "/", body: "abc" });
  assert.equal(res.body, "3:changed-body");
});

test("send_local_response: callback result becomes stop, reply sent after the call returns, extra headers are added not replaced", async () => {
  const p = await abiPlugin(["request_headers|local|403|access denied|nope|x-reason|r1|x-reason|r2|content-type|application/json", "request_headers|ret|0"]);
  const s = p.newStream();
  assert.equal(s.requestHeaders(GET), "StopAllIterationAndWatermark");
  assert.equal(s.localReply?.status, 403);
  assert.equal(s.localReply?.body, "nope");
  assert.equal(s.localReply?.details, "access_denied"); // whitespace replaced as in Envoy
  assert.equal(s.localReply?.headers["x-reason"], "r1,r2");
  // Envoy's encodeLocalReply sets text/plain only when modify_headers left no content-type.
  assert.equal(s.localReply?.headers["content-type"], "application/json");
  assert.equal(s.upstream.headers, null);
  // The reply passes through the filter's own response path (sendLocalReplyViaFilterChain).
  assert.equal(lines(p.logs("debug"), "response_headers").length, 1);
});

test("send_local_response from a body callback makes it StopIterationNoBuffer", async () => {
  const p = await abiPlugin(["request_body|local|400|bad|bad body"]);
  const s = p.newStream();
  s.requestHeaders(GET);
  assert.equal(s.requestBody("x", true), "StopIterationNoBuffer");
  assert.equal(s.client.headers?.get(":status"), "400");
  assert.equal(s.client.body, "bad body");
});

test("header maps cannot change once headers continued (BadArgument) and are readable only while held", async () => {
  const p = await abiPlugin(["request_headers|hadd|0|x-a|1", "request_body|hadd|0|x-b|2", "request_body|hget|0|x-a"]);
  const s = p.newStream();
  s.requestHeaders(GET);
  s.requestBody("x", true);
  assert.deepEqual(lines(p.logs("info"), "hadd"), ["hadd x-a r=0", "hadd x-b r=2"]);
  assert.deepEqual(lines(p.logs("info"), "hget"), ["hget x-a r=2"]);
  assert.equal(s.upstream.headers?.get("x-a"), "1");
});

test("changing request headers is recorded as a route-cache clear (Envoy 0.2.x clears the route cache)", async () => {
  const p = await abiPlugin(["request_headers|hrep|0|:path|/rewritten"]);
  const s = p.newStream();
  s.requestHeaders(GET, true);
  assert.equal(s.routeCacheClears, 1);
  assert.equal(s.upstream.headers?.get(":path"), "/rewritten");
});

test("get_header_map_value returns the first value of a repeated header; pairs return all; names are lowercase", async () => {
  const p = await abiPlugin(["request_headers|hget|0|X-Multi", "request_headers|hpairs|0", "request_headers|hsize|0"]);
  const s = p.newStream();
  s.requestHeaders([[":path", "/"], ["x-multi", "a"], ["X-Multi", "b"]], true);
  assert.deepEqual(lines(p.logs("info"), "hget"), ["hget X-Multi r=0 v=a"]);
  assert.deepEqual(lines(p.logs("info"), "hpairs"), ["hpairs r=0 :path=/;x-multi=a;x-multi=b"]);
  assert.deepEqual(lines(p.logs("info"), "hsize"), ["hsize r=0 n=" + (":path/x-multia" + "x-multib").length]);
});

test("set_header_map_pairs replaces the map; replace keeps one value; remove deletes all", async () => {
  const p = await abiPlugin(["response_headers|hset|2|:status|201|x-n|1|x-n|2", "response_headers|hrep|2|x-n|3", "response_headers|hadd|2|x-gone|1", "response_headers|hdel|2|x-gone"]);
  const s = p.newStream();
  s.requestHeaders(GET, true);
  s.responseHeaders({ ":status": "200", "x-old": "1" }, true);
  assert.deepEqual(s.client.headers?.pairs(), [[":status", "201"], ["x-n", "3"]]);
});

test("proxy_continue_stream resumes a request held in headers; buffered body then reaches the filter and upstream", async () => {
  const p = await abiPlugin(["request_headers|httpcall|svc|0||:method|GET|:path|/check|:authority|svc", "request_headers|ret|1", "http_call_response|resume|0"],
    { clusters: { svc: async () => ({ status: 200, body: "ok" }) } });
  const s = p.newStream();
  assert.equal(s.requestHeaders(GET), "StopAllIterationAndWatermark");
  s.requestBody("ab"); s.requestBody("cd", true);
  await p.settle();
  assert.match(lines(p.logs("info"), "resume")[0], /resume effective=0 r=0/);
  assert.equal(s.upstream.headers?.get(":path"), "/x");
  assert.equal(s.upstream.body, "abcd");
  // The held data is delivered to the filter itself once it continues (one call, whole body).
  assert.deepEqual(lines(p.logs("debug"), "request_body"), [`request_body ctx=${s.id} size=4 eos=1`]);
});

test("buffer limit exceeded while buffering: 413 on requests, 500 on responses", async () => {
  const p = await abiPlugin(["request_body|ret|1"], { bufferLimitBytes: 4 });
  const s = p.newStream();
  s.requestHeaders(GET);
  s.requestBody("abc");
  s.requestBody("def");
  assert.equal(s.localReply?.status, 413);
  assert.equal(s.localReply?.details, "request_payload_too_large");
  // Responses: 500 while the response headers are still held…
  const q = await abiPlugin(["response_headers|ret|1", "response_body|ret|1"], { bufferLimitBytes: 4, allowOnHeadersStopIteration: true });
  const t = q.newStream();
  t.requestHeaders(GET, true);
  assert.equal(t.responseHeaders({ ":status": "200" }), "StopIteration");
  t.responseBody("abcdef");
  assert.equal(t.localReply?.status, 500);
  assert.equal(t.localReply?.details, "response_payload_too_large");
  assert.equal(t.client.headers?.get(":status"), "500");
  // …and a reset once the client already has the headers.
  const u = (await abiPlugin(["response_body|ret|1"], { bufferLimitBytes: 4 })).newStream();
  u.requestHeaders(GET, true);
  u.responseHeaders({ ":status": "200" });
  u.responseBody("abcdef");
  assert.equal(u.resetReason, "response_payload_too_large");
});

test("response body chunks flow one by one through on_response_body (streaming)", async () => {
  const p = await abiPlugin(["response_body|bget|1|0|100"]);
  const gw = new Gateway([p], { upstream: () => ({ status: 200, headers: { "content-type": "text/event-stream" }, chunks: ["data: 1\n\n", "data: 2\n\n", "data: [DONE]\n\n"] }) });
  const res = await gw.request({ path: "/stream" });
  assert.deepEqual(lines(p.logs("info"), "bget"), ["bget r=0 v=data: 1\n\n", "bget r=0 v=data: 2\n\n", "bget r=0 v=data: [DONE]\n\n"]);
  assert.deepEqual(res.chunks, ["data: 1\n\n", "data: 2\n\n", "data: [DONE]\n\n"]);
});

test("trailers: request and response trailer maps are readable and writable while held", async () => {
  const p = await abiPlugin(["request_trailers|hget|1|grpc-x", "response_trailers|hadd|3|x-t|1"]);
  const s = p.newStream();
  s.requestHeaders(GET);
  s.requestBody("a");
  assert.equal(s.requestTrailers({ "grpc-x": "v" }), "Continue");
  s.responseHeaders({ ":status": "200" });
  s.responseTrailers({ "grpc-status": "0" });
  assert.deepEqual(lines(p.logs("info"), "hget"), ["hget grpc-x r=0 v=v"]);
  assert.equal(s.client.trailers?.get("x-t"), "1");
});

test("on_log sees the final request and response headers read-only", async () => {
  const p = await abiPlugin(["log|hget|0|:path", "log|hget|2|:status", "log|hadd|0|x|1"]);
  const s = p.newStream();
  s.requestHeaders(GET, true);
  s.responseHeaders({ ":status": "204" }, true);
  s.complete();
  assert.deepEqual(lines(p.logs("info"), "hget"), ["hget :path r=0 v=/x", "hget :status r=0 v=204"]);
  assert.deepEqual(lines(p.logs("info"), "hadd"), ["hadd x r=2"]);
});
