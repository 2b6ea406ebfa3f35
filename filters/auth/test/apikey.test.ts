// API keys: where they are read from, digests vs plain keys, what the upstream sees.
import { test } from "node:test";
import assert from "node:assert/strict";
import { authPlugin, send, sha256hex } from "./helpers.ts";

const consumers = [
  { name: "alice", groups: ["admin", "eng"], attributes: { tenant: "acme", plan: "pro" } },
  { name: "bob", groups: ["eng"], attributes: { tenant: "globex" } },
];

function config(from: unknown[], extra: Record<string, unknown> = {}) {
  return {
    consumers,
    api_keys: { from, keys: [{ consumer: "alice", sha256: sha256hex("sk-alice-123") }, { consumer: "bob", key: "sk-bob-456" }] },
    ...extra,
  };
}

test("Authorization: Bearer key (digest in config) authenticates and is removed upstream", async () => {
  const p = await authPlugin(config([{ header: "authorization", scheme: "Bearer" }]));
  const r = send(p, { authorization: "Bearer sk-alice-123" });
  assert.equal(r.status, 200);
  assert.equal(r.upstream!["x-aigw-consumer"], "alice");
  assert.equal(r.upstream!["authorization"], undefined);
  assert.equal(r.state("aigw.consumer"), "alice");
  assert.equal(r.state("aigw.consumer.groups"), "admin,eng");
  assert.equal(r.state("aigw.consumer.tenant"), "acme");
  assert.deepEqual(JSON.parse(r.state("aigw.consumer.attributes")!), { tenant: "acme", plan: "pro" });
  assert.equal(r.state("aigw.auth.method"), "api_key");
  assert.equal(r.state("aigw.auth.decision"), "allow");
  // the scheme is case-insensitive (RFC 7235 section 2.1)
  assert.equal(send(p, { authorization: "bearer   sk-alice-123" }).status, 200);
});

test("plain key in config is hashed at configure time and matches", async () => {
  const p = await authPlugin(config([{ header: "authorization" }]));
  const r = send(p, { authorization: "Bearer sk-bob-456" });
  assert.equal(r.status, 200);
  assert.equal(r.upstream!["x-aigw-consumer"], "bob");
});

test("named header x-api-key", async () => {
  const p = await authPlugin(config([{ header: "x-api-key" }]));
  const r = send(p, { "x-api-key": "sk-bob-456" });
  assert.equal(r.status, 200);
  assert.equal(r.state("aigw.consumer"), "bob");
  assert.equal(r.upstream!["x-api-key"], undefined);
  // the Bearer header is not a configured place here
  assert.equal(send(p, { authorization: "Bearer sk-bob-456" }).status, 401);
});

test("query parameter: accepted, then removed from :path (other parameters kept)", async () => {
  const p = await authPlugin(config([{ query: "api_key" }]));
  const r = send(p, { ":path": "/v1/models?limit=5&api_key=sk-alice-123&order=asc" });
  assert.equal(r.status, 200);
  assert.equal(r.upstream![":path"], "/v1/models?limit=5&order=asc");
  const only = send(p, { ":path": "/v1/models?api_key=sk-alice-123" });
  assert.equal(only.upstream![":path"], "/v1/models");
  const enc = send(p, { ":path": "/v1/models?api%5Fkey=sk%2Dalice%2D123" });
  assert.equal(enc.status, 200, "percent-encoded name and value are decoded");
  const dup = send(p, { ":path": "/v1/models?api_key=sk-alice-123&api_key=sk-bob-456" });
  assert.equal(dup.status, 401);
  assert.match(dup.wwwAuthenticate!, /duplicate_credential/);
});

test("forward_credential keeps the credential for the upstream", async () => {
  const p = await authPlugin(config([{ header: "x-api-key" }, { query: "key" }], { forward_credential: true }));
  const r = send(p, { "x-api-key": "sk-bob-456" });
  assert.equal(r.upstream!["x-api-key"], "sk-bob-456");
  const q = send(p, { ":path": "/x?key=sk-bob-456" });
  assert.equal(q.upstream![":path"], "/x?key=sk-bob-456");
});

test("a wrong key is 401 with an OpenAI-shaped body and an RFC 6750 challenge; the key is never echoed", async () => {
  const p = await authPlugin(config([{ header: "authorization" }], { realm: "gw" }));
  const r = send(p, { authorization: "Bearer sk-wrong-999" });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.type, "authentication_error");
  assert.equal(r.json.error.code, "invalid_api_key");
  assert.equal(typeof r.json.error.message, "string");
  assert.ok("param" in r.json.error);
  assert.equal(r.wwwAuthenticate, 'Bearer realm="gw", error="invalid_token", error_description="unknown_api_key"');
  assert.ok(!r.body.includes("sk-wrong-999"));
  assert.ok(!p.logs().some((l) => l.includes("sk-wrong-999")), "the key never reaches the log");
  assert.equal(r.state("aigw.auth.decision"), "deny:unknown_api_key");
  assert.equal(p.metrics.counter("aigw.auth.denied.reason.unknown_api_key"), 1);
});

test("no credential: 401 with a bare challenge (RFC 6750 section 3.1: no error code)", async () => {
  const p = await authPlugin(config([{ header: "authorization" }]));
  const r = send(p, {});
  assert.equal(r.status, 401);
  assert.equal(r.wwwAuthenticate, 'Bearer realm="aigw"');
  assert.equal(r.json.error.code, "missing_credential");
  assert.equal(p.metrics.counter("aigw.auth.denied.reason.missing_credential"), 1);
});

test("the credential header sent twice is refused, even when the first copy is valid", async () => {
  const p = await authPlugin(config([{ header: "x-api-key" }]));
  const r = send(p, [["x-api-key", "sk-alice-123"], ["x-api-key", "sk-bob-456"]]);
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, "duplicate_credential");
  assert.match(r.wwwAuthenticate!, /error="invalid_request"/);
});

test("incoming identity headers are always stripped, then set by the filter", async () => {
  const p = await authPlugin(config([{ header: "x-api-key" }], { default_mode: "optional", strip_headers: ["x-user-role"] }));
  const forged = send(p, [["x-aigw-consumer", "root"], ["x-aigw-consumer", "admin"], ["x-user-role", "admin"]]);
  assert.equal(forged.status, 200);
  assert.equal(forged.upstream!["x-aigw-consumer"], undefined, "anonymous requests carry no consumer header");
  assert.equal(forged.upstream!["x-user-role"], undefined);
  assert.equal(forged.state("aigw.consumer"), "anonymous");
  assert.equal(forged.state("aigw.auth.method"), "none");
  const real = send(p, [["x-aigw-consumer", "root"], ["x-api-key", "sk-bob-456"]]);
  assert.deepEqual(real.upstreamPairs!.filter(([k]) => k === "x-aigw-consumer"), [["x-aigw-consumer", "bob"]]);
});

test("cookie credential; the cookie is removed and other cookies kept", async () => {
  const p = await authPlugin(config([{ cookie: "aigw_key" }]));
  const r = send(p, { cookie: "theme=dark; aigw_key=sk-bob-456; lang=en" });
  assert.equal(r.status, 200);
  assert.equal(r.upstream!["cookie"], "theme=dark; lang=en");
  assert.equal(send(p, { cookie: "aigw_key=sk-bob-456; aigw_key=sk-alice-123" }).status, 401);
});

test("allowed metrics are labelled by configured consumer", async () => {
  const p = await authPlugin(config([{ header: "x-api-key" }]));
  send(p, { "x-api-key": "sk-bob-456" });
  send(p, { "x-api-key": "sk-bob-456" });
  send(p, { "x-api-key": "sk-alice-123" });
  assert.equal(p.metrics.counter("aigw.auth.allowed.consumer.bob"), 2);
  assert.equal(p.metrics.counter("aigw.auth.allowed.consumer.alice"), 1);
  assert.equal(p.metrics.counter("aigw.auth.allowed.method.api_key"), 3);
});
