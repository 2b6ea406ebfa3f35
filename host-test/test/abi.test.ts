// Host functions other than the stream callbacks: properties, metrics, shared data, queues,
// timers, logs, foreign functions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Gateway } from "../src/index.ts";
import { abiPlugin, lines } from "./helpers.ts";

const hexInt = (n: number) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b.toString("hex"); };
const hexStr = (s: string) => Buffer.from(s).toString("hex");

test("get_property: NUL-separated paths, Envoy encodings, dotted single segment is NotFound (context.cc getProperty)", async () => {
  const p = await abiPlugin([
    "request_headers|pget|request|path", "request_headers|pget|request|method", "request_headers|pget|request.path",
    "request_headers|pget|source|port", "request_headers|pget|connection|mtls", "request_headers|pget|plugin_name",
    "request_headers|pget|plugin_root_id", "request_headers|pget|plugin_vm_id", "request_headers|pget|xds|route_name",
    "request_headers|pget|node|id", "request_headers|pget|request|headers|x-k", "request_headers|pget|nope",
  ], { name: "authz", vmId: "vm1", rootId: "root1", properties: { "xds.route_name": "chat" }, nodeId: "node-7" });
  const s = p.newStream({ properties: {} });
  s.requestHeaders({ ":method": "POST", ":path": "/v1?q=1", ":authority": "h", "x-k": "v" }, true);
  assert.deepEqual(lines(p.logs("info"), "pget"), [
    `pget request.path r=0 hex=${hexStr("/v1?q=1")}`,
    `pget request.method r=0 hex=${hexStr("POST")}`,
    "pget request.path r=1 hex=",
    `pget source.port r=0 hex=${hexInt(40000)}`,
    "pget connection.mtls r=0 hex=00",
    `pget plugin_name r=0 hex=${hexStr("authz")}`,
    `pget plugin_root_id r=0 hex=${hexStr("root1")}`,
    `pget plugin_vm_id r=0 hex=${hexStr("vm1")}`,
    `pget xds.route_name r=0 hex=${hexStr("chat")}`,
    `pget node.id r=0 hex=${hexStr("node-7")}`,
    `pget request.headers.x-k r=0 hex=${hexStr("v")}`,
    "pget nope r=1 hex=",
  ]);
});

test("response.code is an 8-byte little-endian int64 in the response path", async () => {
  const p = await abiPlugin(["response_headers|pget|response|code"]);
  const s = p.newStream();
  s.requestHeaders({ ":path": "/" }, true);
  s.responseHeaders({ ":status": "429" }, true);
  assert.deepEqual(lines(p.logs("info"), "pget"), [`pget response.code r=0 hex=${hexInt(429)}`]);
});

test("set_property stores filter state under wasm.<path>, readable back and by later filters; root context has none", async () => {
  const a = await abiPlugin(["configure|pset|x|1", "request_headers|pset|consumer|alice"]);
  assert.deepEqual(lines(a.logs("info"), "pset"), ["pset x r=1"]);
  const b = await abiPlugin(["request_headers|pget|consumer"]);
  const gw = new Gateway([a, b]);
  const res = await gw.request({ path: "/" });
  assert.equal(res.filterState("consumer"), "alice");
  assert.equal(res.filterState("wasm.consumer"), "alice");
  assert.deepEqual(lines(b.logs("info"), "pget"), [`pget consumer r=0 hex=${hexStr("alice")}`]);
});

test("metrics: define/increment/record/get with Envoy's rules, exposed raw and as wasmcustom.*", async () => {
  const p = await abiPlugin([
    "configure|mdef|0|reqs", "configure|mdef|1|inflight", "configure|mdef|2|latency", "configure|mdef|7|bad",
    "request_headers|minc|reqs|1", "request_headers|minc|reqs|0", "request_headers|minc|reqs|-1",
    "request_headers|minc|inflight|5", "request_headers|minc|inflight|-2", "request_headers|mrec|latency|42",
    "request_headers|mrec|inflight|9", "request_headers|mget|reqs", "request_headers|mget|latency", "request_headers|minc|latency|1",
    "request_headers|mget|nope",
  ]);
  p.newStream().requestHeaders({ ":path": "/" }, true);
  assert.deepEqual(lines(p.logs("info"), "mdef"), ["mdef reqs r=0", "mdef inflight r=0", "mdef latency r=0", "mdef bad r=2"]);
  assert.deepEqual(lines(p.logs("info"), "minc"), ["minc reqs r=0", "minc reqs r=2", "minc reqs r=2", "minc inflight r=0", "minc inflight r=0", "minc latency r=2"]);
  // get_metric: counters readable, histograms BadArgument, unknown ids NotFound.
  assert.deepEqual(lines(p.logs("info"), "mget").map((l) => l.split(" ").slice(0, 3).join(" ")), ["mget reqs r=0", "mget latency r=2", "mget nope r=1"]);
  assert.equal(lines(p.logs("info"), "mget")[0], "mget reqs r=0 v=1");
  assert.equal(p.metrics.counter("reqs"), 1);
  assert.equal(p.metrics.counter("wasmcustom.reqs"), 1);
  assert.equal(p.metrics.gauge("inflight"), 9);
  assert.deepEqual(p.metrics.histogram("latency"), [42]);
  assert.deepEqual(p.metrics.all()["wasmcustom.reqs"], 1);
});

test("shared data: CAS semantics of cpp-host shared_data.cc, shared between plugins with the same vm_id", async () => {
  const a = await abiPlugin(["configure|sdget|k", "configure|sdset|k|v1|0", "configure|sdget|k"], { vmId: "shared-vm" });
  const got = lines(a.logs("info"), "sdget");
  assert.equal(got[0], "sdget k r=1");
  const cas = Number(/cas=(\d+)/.exec(got[1])![1]);
  // a second "worker" with the same vm_id sees the value; a stale CAS is CasMismatch
  const b = await abiPlugin(["configure|sdget|k", `configure|sdset|k|v2|${cas + 1000}`, `configure|sdset|k|v2|${cas}`, `configure|sdset|k|v3|${cas}`, "configure|sdget|k"], { vmId: "shared-vm" });
  const bl = lines(b.logs("info"), "sd");
  assert.match(bl[0], /^sdget k r=0 v=v1 cas=/);
  assert.deepEqual(bl.slice(1, 4), ["sdset k r=8", "sdset k r=0", "sdset k r=8"]);
  assert.match(bl[4], /^sdget k r=0 v=v2 /);
  const c = await abiPlugin(["configure|sdget|k"], { vmId: "other-vm" });
  assert.equal(lines(c.logs("info"), "sdget")[0], "sdget k r=1");
  assert.deepEqual(a.sharedData, { k: "v2" });
});

test("shared queues: register/resolve/enqueue/dequeue and proxy_on_queue_ready on the registering root context", async () => {
  const owner = await abiPlugin(["configure|qreg|jobs", "queue_ready|qdeq", "queue_ready|qdeq"], { vmId: "qvm" });
  const producer = await abiPlugin(["configure|qres|qvm|missing", "configure|qres|qvm|jobs", "configure|qenq|job-1"], { vmId: "pvm" });
  assert.deepEqual(lines(producer.logs("info"), "qres").map((l) => l.split(" ")[1]), ["r=1", "r=0"]);
  assert.deepEqual(lines(producer.logs("info"), "qenq"), ["qenq r=0"]);
  await new Promise((r) => setImmediate(r));
  assert.equal(lines(owner.logs("info"), "queue_ready").length, 1);
  assert.deepEqual(lines(owner.logs("info"), "qdeq"), ["qdeq r=0 v=job-1", "qdeq r=7 v="]);
});

test("tick timers fire on manual time; get_current_time_nanoseconds follows the injectable clock", async () => {
  const p = await abiPlugin(["configure|tick|100", "tick|time"], { clock: () => 1_700_000_000_000_000_000n });
  p.tick(250);
  assert.deepEqual(lines(p.logs("info"), "time"), ["time 1700000000000000000", "time 1700000000000000000"]);
  const q = await abiPlugin(["configure|tick|50", "tick|log|2|t"]);
  q.tick(49); assert.equal(q.logs("info").filter((l) => l === "t").length, 0);
  q.tick(1); assert.equal(q.logs("info").filter((l) => l === "t").length, 1);
});

test("logs honour the configured level; WASI fd_write goes to info (stdout) and error (stderr)", async () => {
  const p = await abiPlugin(["configure|log|1|dbg", "configure|log|3|warned", "configure|fdwrite|1|out", "configure|fdwrite|2|err"], { logLevel: "info" });
  assert.deepEqual(p.logs("warn"), ["warned"]);
  assert.ok(!p.logs().includes("dbg"));
  assert.ok(p.logs("info").includes("out"));
  assert.deepEqual(p.logs("error"), ["err"]);
});

test("call_foreign_function: registered functions run, unknown are NotFound", async () => {
  const p = await abiPlugin(["configure|foreign|echo|x", "configure|foreign|missing"], { foreignFunctions: { echo: (a) => a } });
  assert.deepEqual(lines(p.logs("info"), "foreign"), ["foreign r=0", "foreign r=1"]);
});

test("ABI calls with an out-of-range enum are BadArgument", async () => {
  const p = await abiPlugin(["request_headers|hget|9|x", "request_headers|bget|9|0|1", "request_headers|continue|7"]);
  p.newStream().requestHeaders({ ":path": "/" }, true);
  assert.deepEqual(lines(p.logs("info"), "hget"), ["hget x r=2"]);
  assert.deepEqual(lines(p.logs("info"), "bget"), ["bget r=2 v="]);
  assert.deepEqual(lines(p.logs("info"), "continue"), ["continue r=2"]);
});
