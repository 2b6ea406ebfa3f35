// Per-route rules: mode by route name, path prefix or host; allow/deny by consumer, group, claim.
import { test } from "node:test";
import assert from "node:assert/strict";
import { authPlugin, claims, makeKey, provider, send, signJwt } from "./helpers.ts";

const hs = makeKey("HS256");

const base = {
  consumers: [
    { name: "alice", groups: ["admin"], attributes: { tenant: "acme" } },
    { name: "bob", groups: ["eng"], attributes: { tenant: "globex" } },
    { name: "carol", groups: ["eng", "blocked"] },
  ],
  api_keys: { from: [{ header: "x-api-key" }], keys: [{ consumer: "alice", key: "ka" }, { consumer: "bob", key: "kb" }, { consumer: "carol", key: "kc" }] },
  jwt_providers: [provider([hs])],
};

test("mode per route name, path prefix and host (first match wins)", async () => {
  const p = await authPlugin({
    ...base,
    rules: [
      { route: "health", mode: "off" },
      { prefix: "/public/", mode: "optional" },
      { host: "*.internal.example.com", mode: "off" },
      { prefix: "/v1/", mode: "required" },
    ],
    default_mode: "required",
  });
  assert.equal(send(p, {}, { "xds.route_name": "health" }).status, 200);
  assert.equal(send(p, {}, { "xds.route_name": "chat" }).status, 401);
  const pub = send(p, { ":path": "/public/models?x=1" });
  assert.equal(pub.status, 200);
  assert.equal(pub.state("aigw.consumer"), "anonymous");
  // optional: a credential that is present but wrong is still refused
  assert.equal(send(p, { ":path": "/public/models", "x-api-key": "nope" }).status, 401);
  assert.equal(send(p, { ":path": "/public/models", "x-api-key": "kb" }).state("aigw.consumer"), "bob");
  assert.equal(send(p, { ":authority": "svc.internal.example.com:8443" }).status, 200);
  assert.equal(send(p, { ":authority": "internal.example.com" }).status, 401, "wildcard does not match the apex");
  assert.equal(send(p, { ":path": "/v1/chat" }).status, 401);
  assert.equal(send(p, { ":path": "/other" }).status, 401, "default mode");
});

test("allow by group, deny by group and consumer: 403 with the permission error shape", async () => {
  const p = await authPlugin({
    ...base,
    rules: [
      { prefix: "/admin/", allow: { groups: ["admin"] } },
      { prefix: "/eng/", allow: { groups: ["eng"] }, deny: { groups: ["blocked"], consumers: ["mallory"] } },
    ],
  });
  assert.equal(send(p, { ":path": "/admin/x", "x-api-key": "ka" }).status, 200);
  const r = send(p, { ":path": "/admin/x", "x-api-key": "kb" });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.type, "permission_error");
  assert.equal(r.json.error.code, "not_allowed");
  assert.match(r.wwwAuthenticate!, /insufficient_scope/);
  assert.equal(r.state("aigw.consumer"), "bob");
  assert.equal(r.state("aigw.auth.decision"), "deny:not_allowed");
  assert.equal(send(p, { ":path": "/eng/x", "x-api-key": "kb" }).status, 200);
  assert.equal(send(p, { ":path": "/eng/x", "x-api-key": "kc" }).json.error.code, "denied_by_rule");
  assert.equal(p.metrics.counter("aigw.auth.denied.consumer.carol"), 1);
  assert.equal(p.metrics.counter("aigw.auth.denied.reason.not_allowed"), 1);
});

test("allow by claim value (JWT claims; API key consumers answer from their attributes)", async () => {
  const p = await authPlugin({ ...base, rules: [{ prefix: "/", allow: { claims: { tenant: ["acme"], scope: "llm:write" } } }] });
  assert.equal(send(p, { "x-api-key": "ka" }).status, 200, "alice's tenant attribute is acme");
  assert.equal(send(p, { "x-api-key": "kb" }).status, 403);
  assert.equal(send(p, { authorization: `Bearer ${signJwt(hs, claims({ sub: "dave", scope: ["llm:read", "llm:write"] }))}` }).status, 200);
  const jr = send(p, { authorization: `Bearer ${signJwt(hs, claims({ sub: "dave", scope: "llm:read" }))}` });
  assert.equal(jr.status, 403);
});

/** What a client sees when its credential is of a kind the route does not take. */
function assertNotAccepted(r: ReturnType<typeof send>) {
  assert.equal(r.status, 401, r.body);
  assert.equal(r.json.error.type, "authentication_error");
  assert.equal(r.json.error.code, "method_not_allowed");
  assert.equal(r.wwwAuthenticate, 'Bearer realm="aigw", error="invalid_token", error_description="method_not_allowed"');
  assert.equal(r.state("aigw.auth.decision"), "deny:method_not_allowed");
  assert.notEqual(r.state("aigw.consumer"), "alice", "the credential was not used to identify anyone");
}

test("methods: a credential of a kind the route does not take is a 401 invalid_token, not a 403", async () => {
  const p = await authPlugin({
    ...base,
    rules: [{ prefix: "/jwt-only/", methods: ["jwt"] }, { prefix: "/keys-only/", methods: ["api_key"] }, { prefix: "/opt/", mode: "optional", methods: ["jwt"] }],
  });
  const jwt = signJwt(hs, claims({ sub: "alice" }));
  assertNotAccepted(send(p, { ":path": "/jwt-only/x", "x-api-key": "ka" }));
  assertNotAccepted(send(p, { ":path": "/jwt-only/x", "x-api-key": "not-a-key" }));
  assertNotAccepted(send(p, { ":path": "/keys-only/x", authorization: `Bearer ${jwt}` }));
  assertNotAccepted(send(p, { ":path": "/opt/x", "x-api-key": "ka" }));
  assert.equal(p.metrics.counter("aigw.auth.denied.reason.method_not_allowed"), 4);
  assert.equal(p.metrics.counter("aigw.auth.denied.consumer.alice"), undefined, "no identity was established");
  assert.equal(p.metrics.counter("aigw.auth.denied.reason.unknown_api_key"), undefined, "the key was not even looked up");
  // the accepted kind passes
  const ok = send(p, { ":path": "/jwt-only/x", authorization: `Bearer ${jwt}` });
  assert.equal(ok.status, 200);
  assert.equal(ok.state("aigw.auth.method"), "jwt");
  assert.equal(send(p, { ":path": "/keys-only/x", "x-api-key": "kb" }).state("aigw.consumer"), "bob");
  assert.equal(send(p, { ":path": "/opt/x" }).state("aigw.consumer"), "anonymous", "optional: nothing sent is still anonymous");
});

test("methods: with both an API key and a token sent, the one the route takes is used", async () => {
  const p = await authPlugin({ ...base, rules: [{ prefix: "/jwt-only/", methods: ["jwt"] }, { prefix: "/keys-only/", methods: ["api_key"] }] });
  const jwt = signJwt(hs, claims({ sub: "dave" }));
  const both = { "x-api-key": "kb", authorization: `Bearer ${jwt}` };
  const j = send(p, { ":path": "/jwt-only/x", ...both });
  assert.equal(j.status, 200, j.body);
  assert.equal(j.state("aigw.consumer"), "dave");
  assert.equal(j.upstream!["x-api-key"], undefined, "the unused credential is still removed upstream");
  assert.equal(j.upstream!["authorization"], undefined);
  const k = send(p, { ":path": "/keys-only/x", ...both });
  assert.equal(k.status, 200, k.body);
  assert.equal(k.state("aigw.consumer"), "bob");
  assert.equal(send(p, { ":path": "/other", ...both }).state("aigw.consumer"), "bob", "no restriction: API key places come first, as before");
});

test("methods: API keys and tokens sharing the Authorization header are told apart before the route's check", async () => {
  const p = await authPlugin({
    consumers: [{ name: "alice" }],
    api_keys: { keys: [{ consumer: "alice", key: "sk-alice" }] },
    jwt_providers: [provider([hs])],
    rules: [{ prefix: "/jwt-only/", methods: ["jwt"] }, { prefix: "/keys-only/", methods: ["api_key"] }],
  });
  assertNotAccepted(send(p, { ":path": "/jwt-only/x", authorization: "Bearer sk-alice" }));
  assertNotAccepted(send(p, { ":path": "/keys-only/x", authorization: `Bearer ${signJwt(hs, claims({ sub: "alice" }))}` }));
  assert.equal(send(p, { ":path": "/keys-only/x", authorization: "Bearer sk-alice" }).status, 200);
  assert.equal(send(p, { ":path": "/jwt-only/x", authorization: `Bearer ${signJwt(hs, claims({ sub: "alice" }))}` }).status, 200);
  // a malformed or repeated credential in a place the route reads is still reported as such
  assert.equal(send(p, { ":path": "/jwt-only/x", authorization: "Basic abc" }).json.error.code, "malformed_credential");
});

test("without JWT providers a token is just an unknown API key (401 invalid_token)", async () => {
  const p = await authPlugin({ consumers: [{ name: "alice" }], api_keys: { keys: [{ consumer: "alice", key: "sk-alice" }] } });
  const r = send(p, { authorization: `Bearer ${signJwt(hs, claims())}` });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, "invalid_api_key");
  assert.match(r.wwwAuthenticate!, /error="invalid_token"/);
});

test("JWT subjects not in the configuration share the `other` metric label", async () => {
  const p = await authPlugin({ ...base });
  for (const sub of ["u1", "u2", "u3"]) send(p, { authorization: `Bearer ${signJwt(hs, claims({ sub }))}` });
  assert.equal(p.metrics.counter("aigw.auth.allowed.consumer.other"), 3);
  assert.equal(p.metrics.counter("aigw.auth.allowed.consumer.u1"), undefined);
});
