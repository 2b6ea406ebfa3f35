// A trap or proc_exit inside a callback fails the VM; Envoy's failure_policy decides what streams
// see (proxy-wasm-cpp-host context.cc CHECK_FAIL; Envoy context.cc failStream: 503 with details
// wasm_fail_stream; wasm_filter.h createFilter: FAIL_CLOSED / FAIL_IGNORE(open) / FAIL_RELOAD).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Gateway } from "../src/index.ts";
import { abiPlugin } from "./helpers.ts";

const upstream = () => ({ status: 200, body: "upstream" });

test("FAIL_CLOSED (default): the trapping stream gets 503 wasm_fail_stream, and so do later streams", async () => {
  const p = await abiPlugin(["request_body|trap"]);
  const gw = new Gateway([p], { upstream });
  const r1 = await gw.request({ method: "POST", path: "/", body: "x" });
  assert.equal(r1.status, 503);
  assert.equal(r1.responseCodeDetails, "wasm_fail_stream");
  assert.equal(r1.upstreamRequest, null);
  assert.ok(p.logs("critical").some((l) => /^Function: proxy_on_request_body failed: Uncaught RuntimeError: unreachable/.test(l)));
  const r2 = await gw.request({ path: "/" });
  assert.equal(r2.status, 503);
  assert.equal(r2.localReply?.details, "wasm_fail_stream");
});

test("proc_exit in a callback fails the VM like a trap", async () => {
  const p = await abiPlugin(["request_headers|exit|3"]);
  const res = await new Gateway([p], { upstream }).request({ path: "/" });
  assert.equal(res.status, 503);
  assert.ok(p.logs("critical").some((l) => l.includes("proc_exit(3)")));
});

test("FAIL_OPEN: the trapping stream continues past the filter and later streams bypass it", async () => {
  const p = await abiPlugin(["request_body|trap", "request_headers|hadd|0|x-seen|1"], { failurePolicy: "FAIL_OPEN" });
  const gw = new Gateway([p], { upstream: (r) => ({ status: 200, body: `${r.headers["x-seen"]}:${r.body}` }) });
  const r1 = await gw.request({ method: "POST", path: "/", body: "x" });
  assert.equal(r1.status, 200);
  assert.equal(r1.body, "1:x");
  const r2 = await gw.request({ path: "/" });
  assert.equal(r2.status, 200);
  assert.equal(r2.upstreamRequest?.headers["x-seen"], undefined, "filter bypassed");
});

test("FAIL_RELOAD: the failing stream gets 503, the next stream runs on a fresh VM", async () => {
  const p = await abiPlugin(["request_body|trap"], { failurePolicy: "FAIL_RELOAD" });
  const gw = new Gateway([p], { upstream });
  assert.equal((await gw.request({ method: "POST", path: "/", body: "x" })).status, 503);
  const r2 = await gw.request({ path: "/" });
  assert.equal(r2.status, 200);
  assert.equal(r2.body, "upstream");
});

test("close_stream resets the stream (client sees no response) with details wasm_close_stream (Envoy context.cc Context::closeStream)", async () => {
  const p = await abiPlugin(["request_headers|close|0"]);
  const res = await new Gateway([p], { upstream }).request({ path: "/" });
  assert.equal(res.reset, "wasm_close_stream");
  assert.equal(res.responseCodeDetails, "wasm_close_stream");
  assert.equal(res.status, 0);
});
