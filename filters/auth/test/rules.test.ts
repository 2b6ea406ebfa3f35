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

test("methods restricts which credential a route accepts", async () => {
  const p = await authPlugin({ ...base, rules: [{ prefix: "/", methods: ["jwt"] }] });
  assert.equal(send(p, { "x-api-key": "ka" }).status, 403);
  assert.equal(send(p, { authorization: `Bearer ${signJwt(hs, claims())}` }).status, 200);
});

test("JWT subjects not in the configuration share the `other` metric label", async () => {
  const p = await authPlugin({ ...base });
  for (const sub of ["u1", "u2", "u3"]) send(p, { authorization: `Bearer ${signJwt(hs, claims({ sub }))}` });
  assert.equal(p.metrics.counter("aigw.auth.allowed.consumer.other"), 3);
  assert.equal(p.metrics.counter("aigw.auth.allowed.consumer.u1"), undefined);
});
