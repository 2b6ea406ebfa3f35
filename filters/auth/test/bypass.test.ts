// Red-team cases on identities: a token must never make its holder someone else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { authPlugin, claims, makeKey, provider, send, signJwt } from "./helpers.ts";

test("consumer_prefix: a second provider's subject `alice` is not the configured consumer alice (sub is unique per issuer only)", async () => {
  const corp = makeKey("RS256", "corp-1");
  const partner = makeKey("ES256", "partner-1");
  const p = await authPlugin({
    consumers: [{ name: "alice", groups: ["admin"], attributes: { tenant: "acme" } }],
    jwt_providers: [
      provider([corp], { name: "corp" }),
      provider([partner], { name: "partner", issuer: "https://partner.example.net", consumer_prefix: "partner:" }),
    ],
    rules: [{ prefix: "/admin/", allow: { groups: ["admin"] } }],
  });
  // The partner's identity provider signs any subject it likes, e.g. `alice`.
  const forged = signJwt(partner, claims({ iss: "https://partner.example.net", sub: "alice" }));
  const r = send(p, { authorization: `Bearer ${forged}`, ":path": "/admin/users" });
  assert.equal(r.status, 403, "not alice: not in her groups");
  assert.equal(r.state("aigw.consumer"), "partner:alice");
  const c = send(p, { authorization: `Bearer ${forged}` });
  assert.equal(c.status, 200);
  assert.equal(c.upstream!["x-aigw-consumer"], "partner:alice", "quota and the cache key on another consumer than alice");
  assert.equal(c.state("aigw.consumer.tenant"), "", "not alice's tenant");
  // The corporate provider's alice is alice.
  const a = send(p, { authorization: `Bearer ${signJwt(corp, claims({ sub: "alice" }))}`, ":path": "/admin/users" });
  assert.equal(a.status, 200);
  assert.equal(a.state("aigw.consumer"), "alice");
  assert.equal(a.state("aigw.consumer.tenant"), "acme");
  // Its groups and tenant claims are in its namespace too: it cannot grant itself `admin` or
  // name the tenant `acme` (a tenant-scoped cache or quota would share acme's).
  const claimsP = await authPlugin({
    jwt_providers: [
      provider([corp], { name: "corp", groups_claim: "groups", tenant_claim: "org" }),
      provider([partner], { name: "partner", issuer: "https://partner.example.net", consumer_prefix: "partner:", groups_claim: "groups", tenant_claim: "org" }),
    ],
    rules: [{ prefix: "/admin/", allow: { groups: ["admin"] } }],
  });
  const g = send(claimsP, { authorization: `Bearer ${signJwt(partner, claims({ iss: "https://partner.example.net", sub: "bob", groups: ["admin"], org: "acme" }))}`, ":path": "/admin/x" });
  assert.equal(g.status, 403);
  assert.equal(g.state("aigw.consumer.groups"), "partner:admin");
  const t = send(claimsP, { authorization: `Bearer ${signJwt(partner, claims({ iss: "https://partner.example.net", sub: "bob", org: "acme" }))}` });
  assert.equal(t.state("aigw.consumer.tenant"), "partner:acme");
  assert.equal(t.state("aigw.consumer.attributes"), '{"tenant":"partner:acme"}');
  const own = send(claimsP, { authorization: `Bearer ${signJwt(corp, claims({ sub: "bob", groups: ["admin"], org: "acme" }))}`, ":path": "/admin/x" });
  assert.equal(own.status, 200);
  assert.equal(own.state("aigw.consumer.tenant"), "acme");
  // A prefix with control characters is a configuration error naming the field.
  await assert.rejects(authPlugin({ jwt_providers: [provider([corp], { consumer_prefix: "a\nb" })] }), /consumer_prefix/);
});
