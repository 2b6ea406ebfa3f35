// Behaviours where host-test once differed from Envoy (issue 10). Each test names the Envoy source
// it follows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Gateway } from "../src/index.ts";
import { abiPlugin, lines } from "./helpers.ts";

const GET = { ":method": "GET", ":path": "/x", ":authority": "h" };
const POST = { ":method": "POST", ":path": "/x", ":authority": "h" };
const NOT_FOUND = 1, BAD_ARGUMENT = 2, UNIMPLEMENTED = 12; // proxy-wasm WasmResult

test("local reply headers in Utility::prepareLocalReply's order: :status, the filter's headers, content-length; text/plain only without a filter content-type (source/common/http/utility.cc)", async () => {
  const json = await abiPlugin(["request_headers|local|401|no_key|{\"error\":{}}|content-type|application/json|www-authenticate|Bearer"]);
  const res = await new Gateway([json]).request({ path: "/" });
  assert.deepEqual(res.headerPairs, [["content-type", "application/json"], ["www-authenticate", "Bearer"], ["content-length", "12"]]);
  assert.equal(res.headers["content-type"], "application/json", "one content-type, the filter's");

  const plain = await abiPlugin(["request_headers|local|403|denied|nope|x-reason|r1"]);
  const r2 = await new Gateway([plain]).request({ path: "/" });
  assert.deepEqual(r2.headerPairs, [["x-reason", "r1"], ["content-length", "4"], ["content-type", "text/plain"]]);

  // An empty body: content-length and content-type are removed, even the filter's.
  const empty = await abiPlugin(["request_headers|local|204|empty||content-type|application/json|x-a|1"]);
  const r3 = await new Gateway([empty]).request({ path: "/" });
  assert.deepEqual(r3.headerPairs, [["x-a", "1"]]);
});

test("buffer limit: a buffered request chunk is added before the VM is called; past the limit 413 and the VM never sees it (context.cc decodeData addDecodedData, filter_manager.cc)", async () => {
  const p = await abiPlugin(["request_body|ret|1"], { bufferLimitBytes: 10 });
  const s = p.newStream();
  s.requestHeaders(POST);
  assert.equal(s.requestBody("123456"), "StopIterationAndBuffer");
  s.requestBody("7890ab", true); // 12 bytes buffered > 10
  assert.equal(s.localReply?.status, 413);
  assert.equal(s.localReply?.body, "Payload Too Large");
  assert.equal(s.localReply?.details, "request_payload_too_large");
  assert.equal(lines(p.logs("debug"), "request_body").length, 1, "the second chunk never reached the filter");
  assert.equal(s.upstream.body, "");
});

test("buffer limit on a response: 500 while the response headers are held, a reset once they left (filter_manager.cc responseDataTooLarge)", async () => {
  const held = await abiPlugin(["response_headers|ret|1", "response_body|ret|1"], { bufferLimitBytes: 10, allowOnHeadersStopIteration: true });
  const h = held.newStream();
  h.requestHeaders(GET, true);
  h.responseHeaders({ ":status": "200" });
  h.responseBody("123456"); h.responseBody("7890ab");
  assert.equal(h.localReply?.status, 500);
  assert.equal(h.localReply?.details, "response_payload_too_large");
  assert.equal(lines(held.logs("debug"), "response_body").length, 1);

  const sent = await abiPlugin(["response_body|ret|1"], { bufferLimitBytes: 10 });
  const s = sent.newStream();
  s.requestHeaders(GET, true);
  s.responseHeaders({ ":status": "200" });
  assert.equal(s.client.headers?.get(":status"), "200");
  s.responseBody("123456"); s.responseBody("7890ab");
  assert.equal(s.resetReason, "response_payload_too_large");
  assert.equal(lines(sent.logs("debug"), "response_body").length, 1);
});

test("a filter that never saw the request (an earlier filter replied) gets on_context_create, then on_log, then on_done/on_delete (context.cc Context::log)", async () => {
  const a = await abiPlugin(["request_headers|local|401|no|x"], { name: "a" });
  const b = await abiPlugin(["context_create|log|1|created", "log|hget|0|:path", "log|hget|2|:status"], { name: "b" });
  const res = await new Gateway([a, b]).request({ path: "/p" });
  assert.equal(res.status, 401);
  assert.deepEqual(b.logs("debug").map((l) => l.replace(/ctx=\d+/, "ctx")), ["created", "log ctx", "done ctx", "delete ctx"]);
  // Access-log maps are the stream's final request and response headers.
  assert.deepEqual(lines(b.logs("info"), "hget"), ["hget :path r=0 v=/p", "hget :status r=0 v=401"]);
});

test("in on_log a missing map is NotFound (0.2.x), elsewhere BadArgument (context.cc getHeaderMapValue access_log_phase_)", async () => {
  const p = await abiPlugin(["log|hget|1|x-t", "request_headers|hget|2|:status"]);
  const s = p.newStream();
  s.requestHeaders(GET, true);
  s.complete();
  assert.deepEqual(lines(p.logs("info"), "hget"), [`hget :status r=${BAD_ARGUMENT}`, `hget x-t r=${NOT_FOUND}`]);
});

test("a body callback with end_of_stream creates the trailers map when asked for it: a trailer added there follows the body (context.cc getMap addDecodedTrailers/addEncodedTrailers)", async () => {
  const p = await abiPlugin(["request_body|hadd|1|x-digest|abc", "response_body|hadd|3|x-usage|7"]);
  const s = p.newStream();
  s.requestHeaders(POST);
  assert.equal(s.requestBody("hello", true), "Continue");
  assert.deepEqual(lines(p.logs("info"), "hadd"), ["hadd x-digest r=0"]);
  assert.equal(s.upstream.body, "hello");
  assert.deepEqual(s.upstream.trailers?.pairs(), [["x-digest", "abc"]]);
  assert.equal(s.upstream.complete, true);
  s.responseHeaders({ ":status": "200" });
  s.responseBody("answer", true);
  assert.deepEqual(s.client.trailers?.pairs(), [["x-usage", "7"]]);

  // Without end_of_stream there is no trailers map to add to.
  const q = await abiPlugin(["request_body|hadd|1|x-digest|abc"]);
  const t = q.newStream();
  t.requestHeaders(POST);
  t.requestBody("part", false);
  assert.deepEqual(lines(q.logs("info"), "hadd"), [`hadd x-digest r=${BAD_ARGUMENT}`]);
  assert.equal(t.upstream.trailers, null);
});

test("trailers a filter adds at the end of a chunked body reach the upstream after the body (context.cc getMap, filter_manager.cc addDecodedTrailers)", async () => {
  const p = await abiPlugin(["request_body|hadd|1|x-n|1"]);
  const r = await new Gateway([p], { upstream: (req) => ({ status: 200, body: `${req.body}|${JSON.stringify(req.trailers)}` }) })
    .request({ path: "/", method: "POST", bodyChunks: ["a", "b"] });
  assert.equal(r.body, `ab|${JSON.stringify([["x-n", "1"]])}`);
});

test("continue_stream: Upstream is Unimplemented, Downstream Ok on an HTTP stream; close_stream Downstream/Upstream Ok and the stream lives (context.cc continueStream/closeStream)", async () => {
  const p = await abiPlugin(["request_headers|continue|3", "request_headers|continue|2", "request_headers|continue|9", "request_headers|close|2", "request_headers|close|3"]);
  const res = await new Gateway([p], { upstream: () => ({ status: 200, body: "ok" }) }).request({ path: "/" });
  assert.deepEqual(lines(p.logs("info"), "continue"), [`continue r=${UNIMPLEMENTED}`, "continue r=0", `continue r=${BAD_ARGUMENT}`]);
  assert.deepEqual(lines(p.logs("info"), "close"), ["close r=0", "close r=0"]);
  assert.equal(res.status, 200);
  assert.equal(res.reset, null);
});

test("replace_header_map_value removes every entry of the name and appends it: the header moves to the end (HeaderMapImpl::setCopy)", async () => {
  const p = await abiPlugin(["request_headers|hrep|0|x-a|new", "request_headers|hrep|0|x-new|1"]);
  const s = p.newStream();
  s.requestHeaders({ ...GET, "x-a": ["1", "2"], "x-b": "b" } as Record<string, string | string[]>, true);
  assert.deepEqual(s.upstream.headers?.pairs().filter(([k]) => k.startsWith("x-")), [["x-b", "b"], ["x-a", "new"], ["x-new", "1"]]);
});

test("newStream(): every data call costs the same: the filter's callbacks are wrapped once, not once more per call", async () => {
  const p = await abiPlugin([]);
  const s = p.newStream();
  s.requestHeaders(POST);
  const f = s.stream.filters[0];
  const before = f.decodeData;
  for (let i = 0; i < 1000; i++) s.requestBody("x");
  assert.equal(f.decodeData, before, "the hook is the same function after 1000 calls");
  assert.equal(s.requestBody("y", true), "Continue");
  assert.equal(s.upstream.body.length, 1001);
});
