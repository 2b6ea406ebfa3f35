// http_call and grpc_call (proxy-wasm-cpp-host exports.cc routes both through the root context;
// Envoy context.cc httpCall/onHttpCallSuccess/onHttpCallFailure).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Gateway } from "../src/index.ts";
import { abiPlugin, lines } from "./helpers.ts";

const CALL = "request_headers|httpcall|svc|0|payload|:method|POST|:path|/check|:authority|svc.local|x-h|1";

test("http_call: request reaches the cluster; response goes to the ROOT context id with headers (incl. :status) and body", async () => {
  const seen: any[] = [];
  const p = await abiPlugin([CALL, "request_headers|ret|1", "http_call_response|hget|6|:status", "http_call_response|hpairs|6", "http_call_response|bget|4|0|100", "http_call_response|resume|0"], {
    clusters: { svc: async (req) => { seen.push(req); return { status: 201, headers: { "x-r": "y" }, body: "hello" }; } },
  });
  const s = p.newStream();
  s.requestHeaders({ ":path": "/" }, true);
  await p.settle();
  assert.equal(seen[0].method, "POST"); assert.equal(seen[0].path, "/check"); assert.equal(seen[0].body, "payload");
  assert.equal(seen[0].headers["x-h"], "1"); assert.equal(seen[0].headers["content-length"], "7");
  const resp = lines(p.logs("info"), "http_call_response")[0];
  assert.equal(resp, `http_call_response ctx=${p.root.id} token=1 headers=3 body=5 trailers=0`);
  assert.deepEqual(lines(p.logs("info"), "hget"), ["hget :status r=0 v=201"]);
  assert.deepEqual(lines(p.logs("info"), "bget"), ["bget r=0 v=hello"]);
  assert.equal(s.upstream.complete, true);
});

test("http_call: missing :method/:path/:authority, unknown cluster or negative timeout is BadArgument", async () => {
  const p = await abiPlugin([
    "configure|httpcall|svc|0||:path|/|:authority|a",
    "configure|httpcall|svc|0||:method|GET|:authority|a",
    "configure|httpcall|svc|0||:method|GET|:path|/",
    "configure|httpcall|nope|0||:method|GET|:path|/|:authority|a",
    "configure|httpcall|svc|0||:method|GET|:path|/|:authority|a",
  ], { clusters: { svc: () => ({ status: 200 }) } });
  assert.deepEqual(lines(p.logs("info"), "httpcall").map((l) => l.split(" ")[1]), ["r=2", "r=2", "r=2", "r=2", "r=0"]);
});

test("http_call timeout: Envoy's async client answers with a local 504; a failed call gets no headers and status BrokenConnection", async () => {
  const p = await abiPlugin(["configure|httpcall|slow|20||:method|GET|:path|/|:authority|a", "http_call_response|hget|6|:status", "http_call_response|status"], {
    clusters: { slow: () => new Promise(() => {}) },
  });
  await p.settle();
  assert.deepEqual(lines(p.logs("info"), "hget"), ["hget :status r=0 v=504"]);
  const q = await abiPlugin(["configure|httpcall|bad|0||:method|GET|:path|/|:authority|a", "http_call_response|status"], {
    clusters: { bad: () => { throw new Error("connection reset"); } },
  });
  await q.settle();
  assert.match(lines(q.logs("info"), "http_call_response")[0], /headers=0 body=0 trailers=0/);
  assert.deepEqual(lines(q.logs("info"), "status"), ["status r=0 code=11 msg=reset"]);
});

test("a pending http_call is not cancelled when its stream ends: the root context still gets the response (calls belong to the root context)", async () => {
  const p = await abiPlugin([CALL, "http_call_response|resume|0"], { clusters: { svc: async () => ({ status: 200 }) } });
  const s = p.newStream();
  s.requestHeaders({ ":path": "/" }, true);
  s.responseHeaders({ ":status": "200" }, true);
  s.complete();
  await p.settle();
  assert.equal(lines(p.logs("info"), "http_call_response").length, 1);
  // set_effective_context to the deleted stream is BadArgument; continuing then acts on the root.
  assert.deepEqual(lines(p.logs("info"), "resume"), ["resume effective=2 r=0"]);
});

test("http_call to a real upstream URL uses real HTTP", async () => {
  const server = createServer((req, res) => { res.writeHead(200, { "x-from": "real" }); res.end(`${req.method} ${req.url}`); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as any).port;
  try {
    const p = await abiPlugin(["configure|httpcall|real|2000||:method|GET|:path|/jwks|:authority|idp", "http_call_response|bget|4|0|100", "http_call_response|hget|6|x-from"], { clusters: { real: `http://127.0.0.1:${port}` } });
    await p.settle();
    assert.deepEqual(lines(p.logs("info"), "bget"), ["bget r=0 v=GET /jwks"]);
    assert.deepEqual(lines(p.logs("info"), "hget"), ["hget x-from r=0 v=real"]);
  } finally { server.close(); }
});

test("grpc_call (12-param 0.2.x signature): receive + close callbacks; unknown service is ParseFailure", async () => {
  const p = await abiPlugin([
    "configure|grpccall|authz|svc.Auth|Check|req|0|k|v",
    "configure|grpccall|nope|svc.Auth|Check|req|0",
    "grpc_receive|bget|5|0|100",
    "grpc_initial|hget|4|x-meta",
    "grpc_close|status",
  ], {
    grpcClusters: {
      authz: (r) => r.service === "svc.Auth" && r.method === "Check" ? { initialMetadata: [["x-meta", "m"]], response: "allowed" } : { status: 12 },
      deny: () => ({ status: 7, message: "denied" }),
    },
  });
  assert.deepEqual(lines(p.logs("info"), "grpccall").map((l) => l.split(" ")[1]), ["r=0", "r=4"]);
  await p.settle();
  assert.deepEqual(lines(p.logs("info"), "bget"), ["bget r=0 v=allowed"]);
  assert.deepEqual(lines(p.logs("info"), "hget"), ["hget x-meta r=0 v=m"]);
  const q = await abiPlugin(["configure|grpccall|deny|s|m||0", "grpc_close|status"], { grpcClusters: { deny: () => ({ status: 7, message: "denied" }) } });
  await q.settle();
  assert.deepEqual(lines(q.logs("info"), "status"), ["status r=0 code=7 msg=denied"]);
  assert.equal(p.grpcCalls[0].request.metadata[0][0], "k");
});

test("Gateway waits for callouts: a filter that holds the request until its http_call returns", async () => {
  const p = await abiPlugin([CALL, "request_headers|ret|1", "http_call_response|resume|0"], {
    clusters: { svc: async () => { await new Promise((r) => setTimeout(r, 5)); return { status: 200 }; } },
  });
  const gw = new Gateway([p], { upstream: (r) => ({ status: 200, body: `got ${r.body}` }) });
  const res = await gw.request({ method: "POST", path: "/v1/chat/completions", body: "{}" });
  assert.equal(res.status, 200);
  assert.equal(res.body, "got {}");
});
