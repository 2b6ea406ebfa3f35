// The SDK layer (filters/common/sdk) driven through host-test, which behaves as Envoy does.
// Each test covers one defect of @solo-io/proxy-runtime 0.1.8 that the layer fixes (see
// filters/common/sdk/README.md) or one build property real hosts depend on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Gateway, loadPlugin, type PluginOptions } from "../../../host-test/src/index.ts";

const PROBE = "dist/fixtures/common-sdk-probe.wasm";
const echoUpstream = () => ({ status: 200, headers: { "content-type": "text/plain" }, body: "ok" });

async function probe(name: string, opts: PluginOptions = {}, req: Record<string, unknown> = {}) {
  const plugin = await loadPlugin(PROBE, { vmId: `probe-${name}-${Math.random()}`, ...opts });
  const gw = new Gateway([plugin], { upstream: echoUpstream });
  const res = await gw.request({ path: "/v1/chat/completions", headers: { "x-probe": name }, ...req });
  return { plugin, gw, res, seen: res.upstreamRequest?.headers ?? {} };
}

test("get_property sends NUL-separated segments: request.path and xds.route_name are read; an absent property is null, not a trap", async () => {
  // proxy-runtime 0.1.8 sends "request.path" as one segment; Envoy answers NotFound and 0.1.8 throws.
  const { res, seen } = await probe("property", { properties: { "xds.route_name": "chat-route" } });
  assert.equal(res.status, 200);
  assert.equal(seen["x-seen-path"], "/v1/chat/completions");
  assert.equal(seen["x-seen-route"], "chat-route");
  assert.equal(seen["x-seen-missing"], "<null>");
});

test("metrics: a counter read back after one increment is 1 (0.1.8's get_metric overwrote it with a pointer)", async () => {
  const plugin = await loadPlugin(PROBE, { vmId: "probe-metric" });
  const gw = new Gateway([plugin], { upstream: echoUpstream });
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await gw.request({ headers: { "x-probe": "metric" } });
    seen.push(r.upstreamRequest!.headers["x-counter"]);
  }
  assert.deepEqual(seen, ["1", "2", "3"]);
  assert.equal(plugin.metrics.counter("probe.requests"), 3);
  assert.equal(plugin.metrics.all()["wasmcustom.probe.requests"], 3);
});

test("shared data: get returns the value and its CAS; a write with a stale CAS is refused (CasMismatch)", async () => {
  const vmId = `probe-shared-${Math.random()}`;
  const a = await loadPlugin(PROBE, { vmId });
  const b = await loadPlugin(PROBE, { vmId }); // a second worker VM: same vm_id, same shared data
  const r1 = await new Gateway([a], { upstream: echoUpstream }).request({ headers: { "x-probe": "shared" } });
  const r2 = await new Gateway([b], { upstream: echoUpstream }).request({ headers: { "x-probe": "shared" } });
  // "<new value>/<result of set with the CAS just read>/<result of a second set with that now-stale CAS>"
  assert.equal(r1.upstreamRequest!.headers["x-shared"], "1/0/0"); // first write: cas 0, unconditional
  assert.equal(r2.upstreamRequest!.headers["x-shared"], "2/0/8"); // 8 = WasmResult.CasMismatch
  assert.equal(a.sharedData["probe.count"], "2");
});

test("set_property stores filter state as wasm.<key>, readable back by the filter and by the access log", async () => {
  const { res, seen } = await probe("filter-state");
  assert.equal(seen["x-filter-state"], "alice");
  assert.equal(res.filterState("wasm.probe.consumer"), "alice");
});

test("a repeated header: get_header_map_value gives the first value only; countHeader sees both", async () => {
  const { seen } = await probe("duplicate", {}, { headers: [["x-probe", "duplicate"], ["x-dup", "one"], ["x-dup", "two"]] });
  assert.equal(seen["x-dup-first"], "one");
  assert.equal(seen["x-dup-count"], "2");
});

test("send_local_response: the client gets the reply with its headers added; the upstream is never called", async () => {
  const { res } = await probe("reply");
  assert.equal(res.status, 418);
  assert.equal(res.headers["x-reply"], "yes");
  assert.deepEqual(JSON.parse(res.body), { probe: true });
  assert.equal(res.responseCodeDetails, "probe_reply");
  assert.equal(res.upstreamRequest, null);
});

test("body rewrite with set_buffer_bytes (missing from 0.1.8); content-length removed while headers were held", async () => {
  const { res } = await probe("rewrite", { allowOnHeadersStopIteration: true }, { method: "POST", body: "hello wasm", headers: { "x-probe": "rewrite", "content-length": "10" } });
  assert.equal(res.status, 200);
  assert.equal(res.upstreamRequest!.body, "HELLO WASM");
  assert.equal(res.upstreamRequest!.headers["content-length"], undefined);
});

test("http_call from a stream: the answer reaches that stream (effective context), which then continues", async () => {
  const { res, plugin } = await probe("call", { clusters: { lookup: () => ({ status: 203, body: "found" }) } });
  assert.equal(res.status, 200);
  assert.equal(res.upstreamRequest!.headers["x-call-status"], "203");
  assert.equal(res.upstreamRequest!.headers["x-call-body"], "found");
  assert.equal(plugin.httpCalls[0].cluster, "lookup");
});

test("http_call made for a stream carries the request's traceparent/tracestate (Envoy starts no child span)", async () => {
  const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const { plugin } = await probe("call", { clusters: { lookup: () => ({ status: 200, body: "" }) } }, { headers: { "x-probe": "call", traceparent: tp, tracestate: "congo=t61rcWkgMzE" } });
  assert.equal(plugin.httpCalls[0].headers.get("traceparent"), tp);
  assert.equal(plugin.httpCalls[0].headers.get("tracestate"), "congo=t61rcWkgMzE");
  const without = await probe("call", { clusters: { lookup: () => ({ status: 200, body: "" }) } });
  assert.equal(without.plugin.httpCalls[0].headers.get("traceparent"), undefined);
});

test("http_call to an unknown cluster is BadArgument, reported to the filter instead of a trap", async () => {
  const { res } = await probe("call", { clusters: {} });
  assert.equal(res.status, 500);
  assert.equal(res.body, "2"); // WasmResult.BadArgument
});

test("a stream deleted while its http_call is pending: the late answer is dropped, the VM keeps serving", async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const plugin = await loadPlugin(PROBE, { vmId: "probe-late", clusters: { lookup: async () => { await gate; return { status: 200, body: "late" }; } } });
  const s = plugin.newStream();
  s.requestHeaders({ ":method": "GET", ":path": "/", ":authority": "x", "x-probe": "call" }, true);
  s.complete(); // client went away: on_done, on_log, on_delete
  release();
  await plugin.settle();
  const r = await new Gateway([plugin], { upstream: echoUpstream }).request({ headers: { "x-probe": "duplicate", "x-dup": "a" } });
  assert.equal(r.status, 200);
  assert.equal(r.upstreamRequest!.headers["x-dup-first"], "a");
  assert.equal(plugin.logs("critical").length, 0);
});

test("grpc_call with the ABI 0.2.x signature: the reply (or the failure status) reaches the calling stream", async () => {
  const { res, plugin } = await probe("grpc", { grpcClusters: { rls: () => ({ status: 0, response: "pong" }) } });
  assert.equal(res.status, 200);
  assert.equal(res.upstreamRequest!.headers["x-grpc-call"], "0");
  assert.equal(res.upstreamRequest!.headers["x-grpc-message"], "pong");
  assert.equal(res.upstreamRequest!.headers["x-grpc-status"], undefined);
  const failed = await probe("grpc", { grpcClusters: { rls: () => ({ status: 14, message: "unavailable" }) } });
  assert.equal(failed.res.status, 200);
  assert.equal(failed.res.upstreamRequest!.headers["x-grpc-status"], "14");
  assert.equal(failed.res.upstreamRequest!.headers["x-grpc-message"], undefined);
  assert.equal(plugin.grpcCalls[0].request.service, "envoy.service.ratelimit.v3.RateLimitService");
});

test("abort() logs the reason at critical level and ends in proc_exit: fail-closed 503, no env.abort import", async () => {
  const { res, plugin } = await probe("abort");
  assert.equal(res.status, 503);
  assert.equal(res.responseCodeDetails, "wasm_fail_stream");
  assert.ok(plugin.logs("critical").some((l) => l.includes("probe abort")), plugin.logs().join("\n"));
});

test("configure returning false rejects the plugin, with the filter's log line in the error", async () => {
  await assert.rejects(loadPlugin(PROBE, { config: "reject" }), /rejected on purpose/);
});

// ---- build properties real hosts depend on --------------------------------------------------

/** Function signatures of a module's imports, read from its type and import sections. */
function importSignatures(bytes: Uint8Array): Map<string, { params: number; results: number }> {
  let p = 8;
  const u32 = () => { let r = 0, s = 0, b; do { b = bytes[p++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  const name = () => { const n = u32(); const s = Buffer.from(bytes.subarray(p, p + n)).toString(); p += n; return s; };
  const types: Array<{ params: number; results: number }> = [];
  const out = new Map<string, { params: number; results: number }>();
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = u32();
    const end = p + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) { p++; const np = u32(); p += np; const nr = u32(); p += nr; types.push({ params: np, results: nr }); }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        const mod = name(); const field = name(); const kind = bytes[p++];
        if (kind === 0) out.set(`${mod}.${field}`, types[u32()]);
        else if (kind === 1) { p++; const f = bytes[p++]; u32(); if (f & 1) u32(); }
        else if (kind === 2) { const f = bytes[p++]; u32(); if (f & 1) u32(); }
        else { p += 2; }
      }
    }
    p = end;
  }
  return out;
}

test("modules: no env.abort import, an exported _initialize and no start section, ABI 0.2.1 exports", () => {
  for (const file of ["dist/noop.wasm", PROBE]) {
    const mod = new WebAssembly.Module(readFileSync(file));
    const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`);
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
    assert.ok(!imports.includes("env.abort"), `${file} imports env.abort`);
    assert.ok(exports.includes("_initialize") && exports.includes("malloc") && exports.includes("proxy_abi_version_0_2_1"), file);
    assert.ok(exports.includes("proxy_on_grpc_receive_trailing_metadata") && !exports.includes("proxy_on_grpc_trailing_metadata"), file);
    // No start section (id 8): host calls from a start function trap before reaching the host.
    const bytes = readFileSync(file);
    let p = 8, hasStart = false;
    while (p < bytes.length) {
      const id = bytes[p++]; let size = 0, s = 0, b;
      do { b = bytes[p++]; size |= (b & 0x7f) << s; s += 7; } while (b & 0x80);
      if (id === 8) hasStart = true;
      p += size;
    }
    assert.ok(!hasStart, `${file} has a start section`);
  }
  const sigs = importSignatures(readFileSync(PROBE));
  assert.deepEqual(sigs.get("env.proxy_grpc_call"), { params: 12, results: 1 }); // 0.1.8 declares 10
  assert.deepEqual(sigs.get("env.proxy_set_buffer_bytes"), { params: 5, results: 1 });
  assert.deepEqual(sigs.get("env.proxy_get_metric"), { params: 2, results: 1 });
});
