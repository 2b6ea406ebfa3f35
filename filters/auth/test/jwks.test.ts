// Remote JWKS: fetched through http_call to a cluster, refreshed on the timer, the last good set
// kept on failure, shared between VMs (one fetch), requests held until the first set arrives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { authPlugin, claims, makeKey, now, resultOf, signJwt, type KeyPair } from "./helpers.ts";
import type { ClusterRequest, ClusterResponse, Plugin } from "../../../host-test/src/index.ts";

let vmCounter = 0;
const vmId = () => `auth-jwks-${process.pid}-${++vmCounter}`;

/** A JWKS endpoint whose answers the test controls; counts requests. */
class Idp {
  calls: ClusterRequest[] = [];
  keys: KeyPair[];
  status = 200;
  body: string | null = null;
  gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  constructor(...keys: KeyPair[]) { this.keys = keys; }
  hold() { this.gate = new Promise((r) => { this.open = r; }); }
  release() { this.open?.(); this.gate = null; }
  handler = async (req: ClusterRequest): Promise<ClusterResponse> => {
    this.calls.push(req);
    if (this.gate) await this.gate;
    return { status: this.status, headers: { "content-type": "application/json" }, body: this.body ?? JSON.stringify({ keys: this.keys.map((k) => k.jwk) }) };
  };
}

function remoteConfig(extra: Record<string, unknown> = {}) {
  return {
    jwt_providers: [{
      name: "idp", issuer: "https://idp.example.com", audiences: ["aigw"],
      remote_jwks: { cluster: "idp", path: "/.well-known/jwks.json", authority: "idp.example.com", refresh_seconds: 60, retry_seconds: 5, hold_timeout_ms: 3000, ...extra },
    }],
  };
}

function start(p: Plugin, token: string) {
  const s = p.newStream();
  const action = s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "api", authorization: `Bearer ${token}` }, true);
  return { s, action, result: () => resultOf(s, action) };
}

test("fetched from the cluster at configure time, then used", async () => {
  const k = makeKey("ES256");
  const idp = new Idp(k);
  const p = await authPlugin(remoteConfig(), { vmId: vmId(), clusters: { idp: idp.handler } });
  await p.settle();
  assert.equal(idp.calls.length, 1);
  assert.equal(idp.calls[0].path, "/.well-known/jwks.json");
  assert.equal(idp.calls[0].authority, "idp.example.com");
  const r = start(p, signJwt(k, claims())).result();
  assert.equal(r.status, 200);
  assert.equal(p.metrics.counter("aigw.auth.jwks_fetch.result.ok"), 1);
});

test("requests that arrive before the first set are held, then resumed when it arrives", async () => {
  const k = makeKey("RS256");
  const idp = new Idp(k);
  idp.hold();
  const p = await authPlugin(remoteConfig(), { vmId: vmId(), clusters: { idp: idp.handler } });
  const good = start(p, signJwt(k, claims()));
  const forged = start(p, signJwt(makeKey("RS256", k.kid), claims()));
  assert.match(good.action, /^Stop/);
  assert.equal(good.s.upstream.headers, null);
  idp.release();
  await p.settle();
  assert.equal(good.result().status, 200);
  assert.equal(good.s.upstream.headers!.get("x-aigw-consumer"), "alice");
  assert.equal(forged.result().status, 401);
  assert.equal(idp.calls.length, 1, "both waited for the same fetch");
});

test("held requests fail with 503 when the first fetch fails, and after the hold timeout", async () => {
  const k = makeKey("HS256");
  const idp = new Idp(k);
  idp.status = 500;
  idp.hold();
  const p = await authPlugin(remoteConfig(), { vmId: vmId(), clusters: { idp: idp.handler } });
  const a = start(p, signJwt(k, claims()));
  idp.release();
  await p.settle();
  const ra = a.result();
  assert.equal(ra.status, 503);
  assert.equal(ra.json.error.type, "server_error");
  assert.equal(ra.json.error.code, "jwks_unavailable");
  assert.ok(p.logs("warn").some((l) => /JWKS fetch .* failed: HTTP status 500/.test(l)));
  // next attempt hangs: the request waits for hold_timeout_ms, then 503
  idp.status = 200;
  idp.hold();
  p.tick(5000); // retry_seconds elapsed: a new fetch starts (and hangs)
  const b = start(p, signJwt(k, claims()));
  assert.match(b.action, /^Stop/);
  p.tick(1000); p.tick(1000); p.tick(1000);
  assert.equal(b.result().status, 503);
  idp.release();
  await p.settle();
  assert.equal(start(p, signJwt(k, claims())).result().status, 200, "works once the keys arrive");
});

test("refreshed on the timer; the last good set is kept when a refresh fails", async () => {
  const k1 = makeKey("EdDSA", "k1");
  const k2 = makeKey("EdDSA", "k2");
  const idp = new Idp(k1);
  const p = await authPlugin(remoteConfig(), { vmId: vmId(), clusters: { idp: idp.handler } });
  await p.settle();
  assert.equal(start(p, signJwt(k1, claims())).result().status, 200);
  // refresh fails: k1 still accepted
  idp.status = 503;
  p.tick(60_000);
  await p.settle();
  assert.equal(idp.calls.length, 2);
  assert.equal(start(p, signJwt(k1, claims())).result().status, 200);
  assert.ok(p.logs("warn").some((l) => l.includes("keeping the last good key set")));
  // garbage body: also kept
  idp.status = 200;
  idp.body = "{\"keys\": [";
  p.tick(5000);
  await p.settle();
  assert.equal(idp.calls.length, 3);
  assert.equal(start(p, signJwt(k1, claims())).result().status, 200);
  // rotation: k2 replaces k1
  idp.body = null;
  idp.keys = [k2];
  p.tick(5000);
  await p.settle();
  assert.equal(idp.calls.length, 4);
  assert.equal(start(p, signJwt(k2, claims())).result().status, 200);
  assert.equal(start(p, signJwt(k1, claims())).result().status, 401, "a key removed from the set is no longer trusted (cache emptied)");
  assert.equal(p.metrics.counter("aigw.auth.jwks_fetch.result.failed"), 2);
});

test("two VMs with the same vm_id fetch once and share the set", async () => {
  const k = makeKey("ES384");
  const idp = new Idp(k);
  idp.hold();
  const id = vmId();
  const a = await authPlugin(remoteConfig(), { vmId: id, clusters: { idp: idp.handler } });
  const b = await authPlugin(remoteConfig(), { vmId: id, clusters: { idp: idp.handler } });
  const held = start(b, signJwt(k, claims()));
  assert.match(held.action, /^Stop/);
  idp.release();
  await a.settle();
  await b.settle();
  assert.equal(idp.calls.length, 1, "only the VM holding the lease fetched");
  b.tick(1000); // b adopts the published set on its timer and resumes its held request
  assert.equal(held.result().status, 200);
  assert.equal(start(a, signJwt(k, claims())).result().status, 200);
  assert.equal(start(b, signJwt(k, claims())).result().status, 200);
  assert.equal(a.httpCalls.length + b.httpCalls.length, 1);
});

for (const allow of [false, true]) {
  test(`a held request keeps its body until the keys arrive (allow_on_headers_stop_iteration ${allow})`, async () => {
    const k = makeKey("HS512");
    const idp = new Idp(k);
    idp.hold();
    const p = await authPlugin(remoteConfig(), { vmId: vmId(), clusters: { idp: idp.handler }, allowOnHeadersStopIteration: allow });
    const s = p.newStream();
    s.requestHeaders({ ":method": "POST", ":path": "/v1/chat/completions", ":authority": "api", authorization: `Bearer ${signJwt(k, claims())}` }, false);
    s.requestBody("{\"model\":", false);
    s.requestBody("\"gpt\"}", true);
    assert.equal(s.upstream.headers, null, "nothing reached the upstream while waiting");
    assert.equal(s.upstream.body, "");
    idp.release();
    await p.settle();
    assert.equal(s.upstream.headers?.get("x-aigw-consumer"), "alice");
    assert.equal(s.upstream.body, "{\"model\":\"gpt\"}");
    assert.equal(s.upstream.complete, true);
  });
}

test("a held request fails at hold_timeout_ms, not at the next whole-second tick; the 1 s tick comes back after", async () => {
  const k = makeKey("ES256");
  const idp = new Idp(k);
  idp.hold(); // the first fetch never answers during the test
  const p = await authPlugin(remoteConfig({ hold_timeout_ms: 200 }), { vmId: vmId(), clusters: { idp: idp.handler } });
  assert.equal(p.tickPeriodMs, 1000);
  const a = start(p, signJwt(k, claims()));
  assert.match(a.action, /^Stop/);
  p.tick(150);
  const b = start(p, signJwt(k, claims())); // its deadline is 150 ms after a's
  p.tick(49);
  assert.equal(a.s.localReply, null, "still held 1 ms before its deadline");
  p.tick(1);
  const ra = a.result();
  assert.equal(ra.status, 503, "failed 200 ms after it arrived");
  assert.equal(ra.json.error.code, "jwks_unavailable");
  assert.equal(b.s.localReply, null, "the later request is still within its own hold");
  p.tick(149);
  assert.equal(b.s.localReply, null);
  p.tick(1);
  assert.equal(b.result().status, 503);
  assert.equal(p.metrics.counter("aigw.auth.denied.reason.jwks_unavailable"), 2);
  assert.equal(p.tickPeriodMs, 1000, "nothing held: back to the 1 s tick");
  idp.release();
  await p.settle();
  assert.equal(start(p, signJwt(k, claims())).result().status, 200, "works once the keys arrive");
});

test("a hold longer than a second still ends at its deadline (the last stretch is ticked to the millisecond)", async () => {
  const k = makeKey("HS256");
  const idp = new Idp(k);
  idp.hold();
  const p = await authPlugin(remoteConfig({ hold_timeout_ms: 2500 }), { vmId: vmId(), clusters: { idp: idp.handler } });
  const a = start(p, signJwt(k, claims()));
  p.tick(1000); p.tick(1000); p.tick(499);
  assert.equal(a.s.localReply, null, "held for 2499 ms");
  p.tick(1);
  assert.equal(a.result().status, 503);
  idp.release();
  await p.settle();
});

test("keys the filter cannot use are skipped with a log line and a metric; the rest of the set works, a new key is picked up", async () => {
  const good = makeKey("RS256", "good");
  const idp = new Idp(good);
  const weak = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
  const ec = makeKey("ES256", "ec-mislabelled");
  const unusable = [
    { ...good.jwk, kid: "enc", alg: "RSA-OAEP-256", use: undefined }, // an encryption algorithm, no `use`
    { ...weak, kid: "weak", alg: "RS256" }, // 1024-bit RSA
    { ...ec.jwk, alg: "RS256" }, // an EC key labelled RS256
    { kid: "no-kty", n: good.jwk.n, e: good.jwk.e }, // no kty
    { kty: "EC", kid: "bad-ec", crv: "P-256", x: "AAAA", y: "AAAA" }, // malformed coordinates
  ];
  idp.body = JSON.stringify({ keys: [...unusable, good.jwk] });
  const p = await authPlugin(remoteConfig({ refresh_seconds: 1 }), { vmId: vmId(), clusters: { idp: idp.handler } });
  await p.settle();
  assert.equal(start(p, signJwt(good, claims())).result().status, 200, "the usable key is used at once");
  assert.equal(p.metrics.counter("aigw.auth.jwks_fetch.result.ok"), 1);
  assert.equal(p.metrics.counter("aigw.auth.jwks_key_skipped.reason.unsupported_alg"), 2);
  assert.equal(p.metrics.counter("aigw.auth.jwks_key_skipped.reason.weak_key"), 1);
  assert.equal(p.metrics.counter("aigw.auth.jwks_key_skipped.reason.unsupported_type"), 1);
  assert.equal(p.metrics.counter("aigw.auth.jwks_key_skipped.reason.malformed"), 1);
  const warns = p.logs("warn").filter((l) => /JWKS key skipped/.test(l));
  assert.equal(warns.length, 5);
  assert.ok(warns.some((l) => /keys\[0\] \(kid `enc`\): unknown algorithm `RSA-OAEP-256`/.test(l)), warns.join("\n"));
  assert.ok(warns.some((l) => /kid `weak`.*shorter than 2048 bits/.test(l)));
  // A signing key published later beside the unusable ones is picked up at the next refresh.
  const next = makeKey("ES256", "next");
  idp.body = JSON.stringify({ keys: [...unusable, good.jwk, next.jwk] });
  p.tick(1100);
  await p.settle();
  assert.equal(start(p, signJwt(next, claims())).result().status, 200, "the new key is used after the refresh");
});

test("a token is checked against every key with its kid (six same-kid keys, the right one last)", async () => {
  const keys = Array.from({ length: 6 }, () => makeKey("ES256", "rotating"));
  const idp = new Idp(...keys);
  const p = await authPlugin(remoteConfig(), { vmId: vmId(), clusters: { idp: idp.handler } });
  await p.settle();
  assert.equal(start(p, signJwt(keys[5], claims())).result().status, 200);
  assert.equal(start(p, signJwt(keys[0], claims())).result().status, 200);
  const forged = start(p, signJwt(makeKey("ES256", "rotating"), claims())).result();
  assert.equal(forged.status, 401);
  assert.equal(forged.json.error.code, "bad_signature");
});

test("the signature is checked before the claims: a forged token learns nothing about which claims passed", async () => {
  const k = makeKey("ES256", "k");
  const idp = new Idp(k);
  const p = await authPlugin(remoteConfig(), { vmId: vmId(), clusters: { idp: idp.handler } });
  await p.settle();
  const forger = makeKey("ES256", "k");
  for (const c of [claims({ exp: 1 }), claims({ aud: "other" }), claims({ iss: "https://evil.example.com" }), claims({ nbf: now() + 3600 }), claims({ sub: 42 })]) {
    const r = start(p, signJwt(forger, c)).result();
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, "bad_signature", JSON.stringify(c));
    assert.match(r.wwwAuthenticate!, /error_description="bad_signature"/);
  }
  assert.equal(start(p, signJwt(k, claims({ exp: 1 }))).result().json.error.code, "expired", "a genuine token still gets its claim reason");
});

test("a consumer claim that is not a string (array, number, boolean, object) names nobody: 401 invalid_claim", async () => {
  const k = makeKey("ES256", "k");
  const idp = new Idp(k);
  const p = await authPlugin({ ...remoteConfig(), consumers: [{ name: "alice", groups: ["admin"] }, { name: "42" }, { name: "true" }] }, { vmId: vmId(), clusters: { idp: idp.handler } });
  await p.settle();
  for (const sub of [["alice"], 42, true, { name: "alice" }, ""]) {
    const r = start(p, signJwt(k, claims({ sub }))).result();
    assert.equal(r.status, 401, JSON.stringify(sub));
    assert.equal(r.json.error.code, "invalid_claim", JSON.stringify(sub));
    assert.equal(r.upstream, null);
  }
  const missing = start(p, signJwt(k, { ...claims(), sub: undefined })).result();
  assert.equal(missing.json.error.code, "missing_claim");
  assert.equal(start(p, signJwt(k, claims({ sub: "alice" }))).result().status, 200);
});
