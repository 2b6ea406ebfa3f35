// Bad configurations fail on_configure with one log line naming the field and the reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { authPlugin, makeKey, sha256hex } from "./helpers.ts";

const hs = makeKey("HS256");
const okProvider = { issuer: "https://i", jwks: { keys: [hs.jwk] } };
const consumers = [{ name: "alice" }];

const CASES: Array<{ name: string; config: unknown; field: RegExp; reason: RegExp }> = [
  { name: "not JSON", config: "{nope", field: /configuration/, reason: /not valid JSON/ },
  { name: "unknown top-level field", config: { realms: "x" }, field: /`realms`/, reason: /unknown field/ },
  { name: "wrong type", config: { forward_credential: "yes" }, field: /`forward_credential`/, reason: /expected boolean/ },
  { name: "bad mode", config: { default_mode: "maybe" }, field: /`default_mode`/, reason: /required, optional, off/ },
  { name: "key without digest", config: { consumers, api_keys: { keys: [{ consumer: "alice" }] } }, field: /`api_keys\.keys\[0\]\.sha256`/, reason: /needs its sha256/ },
  { name: "malformed digest", config: { consumers, api_keys: { keys: [{ consumer: "alice", sha256: "abc" }] } }, field: /`api_keys\.keys\[0\]\.sha256`/, reason: /64 hexadecimal/ },
  { name: "unknown consumer", config: { consumers, api_keys: { keys: [{ consumer: "bob", key: "k" }] } }, field: /`api_keys\.keys\[0\]\.consumer`/, reason: /unknown consumer/ },
  { name: "same key twice", config: { consumers, api_keys: { keys: [{ consumer: "alice", key: "k" }, { consumer: "alice", sha256: sha256hex("k") }] } }, field: /keys\[1\]\.sha256/, reason: /twice/ },
  { name: "unknown algorithm", config: { jwt_providers: [{ ...okProvider, algorithms: ["RS999"] }] }, field: /`jwt_providers\[0\]\.algorithms`/, reason: /unknown algorithm `RS999`/ },
  { name: "alg none in allow-list", config: { jwt_providers: [{ ...okProvider, algorithms: ["none"] }] }, field: /algorithms/, reason: /unknown algorithm `none`/ },
  { name: "unparseable JWKS string", config: { jwt_providers: [{ issuer: "https://i", jwks: "{\"keys\":[" }] }, field: /`jwt_providers\[0\]\.jwks`/, reason: /unparseable JWKS/ },
  { name: "JWKS without keys", config: { jwt_providers: [{ issuer: "https://i", jwks: { foo: 1 } }] }, field: /jwks/, reason: /no `keys` array/ },
  { name: "JWK alg unknown", config: { jwt_providers: [{ issuer: "https://i", jwks: { keys: [{ ...hs.jwk, alg: "XX1" }] } }] }, field: /jwks/, reason: /unknown algorithm `XX1`/ },
  { name: "JWK alg does not fit kty", config: { jwt_providers: [{ issuer: "https://i", jwks: { keys: [{ ...hs.jwk, alg: "RS256" }] } }] }, field: /jwks/, reason: /does not fit key type oct/ },
  { name: "short RSA key", config: { jwt_providers: [{ issuer: "https://i", jwks: { keys: [{ kty: "RSA", n: "AQAB", e: "AQAB" }] } }] }, field: /jwks/, reason: /2048/ },
  { name: "both jwks and remote", config: { jwt_providers: [{ ...okProvider, remote_jwks: { cluster: "c", path: "/j" } }] }, field: /jwks/, reason: /exactly one/ },
  { name: "remote without cluster", config: { jwt_providers: [{ issuer: "https://i", remote_jwks: { path: "/j" } }] }, field: /`jwt_providers\[0\]\.remote_jwks\.cluster`/, reason: /missing/ },
  { name: "negative skew", config: { jwt_providers: [{ ...okProvider, clock_skew_seconds: -1 }] }, field: /clock_skew_seconds/, reason: /integer in/ },
  { name: "two providers, no issuer", config: { jwt_providers: [{ jwks: { keys: [hs.jwk] } }, { ...okProvider, name: "b" }] }, field: /jwt_providers\[0\]\.issuer/, reason: /several providers/ },
  { name: "bad claim header name", config: { jwt_providers: [{ ...okProvider, claim_headers: [{ claim: "sub", header: "x user" }] }] }, field: /claim_headers\[0\]\.header/, reason: /header name/ },
  { name: "rule unknown field", config: { rules: [{ prefixx: "/" }] }, field: /`rules\[0\]\.prefixx`/, reason: /unknown field/ },
  { name: "rule empty allow", config: { rules: [{ prefix: "/", allow: {} }] }, field: /rules\[0\]\.allow/, reason: /needs consumers, groups or claims/ },
  { name: "source with two places", config: { consumers, api_keys: { from: [{ header: "x", query: "k" }], keys: [] } }, field: /from\[0\]/, reason: /exactly one of header, query, cookie/ },
  { name: "duplicate consumer", config: { consumers: [{ name: "a" }, { name: "a" }] }, field: /consumers\[1\]\.name/, reason: /duplicate/ },
];

for (const c of CASES) {
  test(`rejected: ${c.name}`, async () => {
    let logs = "";
    await assert.rejects(authPlugin(c.config), (e: Error) => { logs = e.message; return /proxy_on_configure returned false/.test(e.message); });
    const line = logs.split("\n").find((l) => l.includes("auth: configuration rejected"));
    assert.ok(line, `no rejection line in:\n${logs}`);
    assert.match(line!, c.field);
    assert.match(line!, c.reason);
  });
}

test("an empty configuration is accepted (and then refuses every request: nothing is trusted)", async () => {
  const p = await authPlugin("");
  const s = p.newStream();
  s.requestHeaders({ ":method": "GET", ":path": "/", ":authority": "x" }, true);
  assert.equal(s.localReply?.status, 401);
});

test("a plain API key of the wrong type fails configuration without its value in the log line", async () => {
  let logs = "";
  await assert.rejects(authPlugin({ consumers, api_keys: { keys: [{ consumer: "alice", key: 987654321987 }] } }), (e: Error) => { logs = e.message; return true; });
  const line = logs.split("\n").find((l) => l.includes("auth: configuration rejected"));
  assert.ok(line !== undefined && line.includes("api_keys.keys[0].key") && /got number/.test(line), line);
  assert.ok(!logs.includes("987654321987"), "the key's value is in the log");
});
