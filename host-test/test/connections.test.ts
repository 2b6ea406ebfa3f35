// Downstream HTTP/1 as Envoy's HCM and codec run it (host-test/src/downstream.ts): an answer sent
// before the request body was read closes the connection cleanly (conn_manager_impl.cc
// encodeHeaders: connection: close when the request is not complete; delayed close), and the
// request head limits are Envoy's defaults (60 KiB, 100 headers; http1/codec_impl.cc).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { Gateway, serveGateway } from "../src/index.ts";
import { abiPlugin } from "./helpers.ts";

function post(url: string, agent: Agent, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const r = request(`${url}/v1/chat/completions`, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": String(body.length), ...headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c) => parts.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: Buffer.concat(parts).toString() }));
      res.on("error", reject);
    });
    r.on("error", reject);
    r.end(body);
  });
}

test("a keep-alive client looping POSTs that a filter refuses before reading the body sees no reset: the answer says connection: close and the socket closes after the client read it", async () => {
  const p = await abiPlugin(["request_headers|local|401|no_key|{\"error\":\"no key\"}|content-type|application/json"]);
  const srv = await serveGateway(new Gateway([p]));
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  // Bounded: 2,000 requests, 16 at a time; bodies from 1 KiB to 256 KiB so that some are still
  // being written when the answer arrives.
  const total = 2000, concurrency = 16;
  const small = Buffer.alloc(1024, 0x61), large = Buffer.alloc(256 * 1024, 0x62);
  let next = 0, resets = 0, ok = 0, closeHeader = 0;
  const errors: string[] = [];
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        try {
          const r = await post(srv.url, agent, i % 50 === 0 ? large : small);
          if (r.status === 401 && r.body === "{\"error\":\"no key\"}") ok++;
          if (r.connection === "close") closeHeader++;
        } catch (e) {
          resets++;
          if (errors.length < 3) errors.push((e as NodeJS.ErrnoException).code ?? String(e));
        }
      }
    }));
  } finally {
    agent.destroy();
    await srv.close();
  }
  assert.deepEqual({ resets, errors }, { resets: 0, errors: [] });
  assert.equal(ok, total);
  assert.equal(closeHeader, total, "every early answer carries connection: close");
});

test("a request whose body was read before the answer keeps its keep-alive connection", async () => {
  const p = await abiPlugin([]);
  const srv = await serveGateway(new Gateway([p], { upstream: (req) => ({ status: 200, body: String(req.body.length) }) }));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const a = await post(srv.url, agent, Buffer.from("{}"));
    const b = await post(srv.url, agent, Buffer.from("{}"));
    assert.equal(a.status, 200); assert.equal(b.body, "2");
    assert.notEqual(a.connection, "close");
  } finally { agent.destroy(); await srv.close(); }
});

test("request head limits are Envoy's defaults: 60 KiB of headers and 100 headers; past them 431 (http1 codec_impl.cc checkMaxHeadersSize, max_headers_count)", async () => {
  const p = await abiPlugin([]);
  const srv = await serveGateway(new Gateway([p], { upstream: () => ({ status: 200, body: "ok" }) }));
  const agent = new Agent({ keepAlive: false });
  try {
    const at = (n: number) => ({ "x-big": "v".repeat(n) });
    assert.equal((await post(srv.url, agent, Buffer.from("{}"), at(16 * 1024))).status, 200, "16 KiB passes (node:http alone answered 431)");
    assert.equal((await post(srv.url, agent, Buffer.from("{}"), at(58 * 1024))).status, 200);
    const big = await post(srv.url, agent, Buffer.from("{}"), at(61 * 1024));
    assert.equal(big.status, 431);
    assert.equal(big.body, "Request Header Fields Too Large");
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-h${i}`, "1"]));
    // host, connection, content-type and content-length are four of the hundred.
    assert.equal((await post(srv.url, agent, Buffer.from("{}"), many(96))).status, 200);
    assert.equal((await post(srv.url, agent, Buffer.from("{}"), many(97))).status, 431);
    assert.equal((await post(srv.url, agent, Buffer.from("{}"), many(2000))).status, 431);
  } finally { agent.destroy(); await srv.close(); }
});
