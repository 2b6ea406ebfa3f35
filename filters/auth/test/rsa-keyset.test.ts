// RSA keys of a JWKS are prepared once per key (jwk.ts `Jwk.rsa()`): a set with more RSA keys than
// the crypto layer's 16-entry cache, tokens from every key in rotation, each accepted only with its
// own key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { authPlugin, b64u, claims, makeKey, provider, send, signJwt, type JwtAlg, type KeyPair } from "./helpers.ts";

const RSA_ALGS: JwtAlg[] = ["RS256", "PS256", "RS384", "PS384", "RS512", "PS512"];
const COUNT = 20;

/** COUNT RSA keys whose JWKs carry no `alg` (any RSA algorithm may use them); key i signs with RSA_ALGS[i % 6]. */
function rsaKeys(): KeyPair[] {
  const keys: KeyPair[] = [];
  for (let i = 0; i < COUNT; i++) {
    const k = makeKey(RSA_ALGS[i % RSA_ALGS.length], `rsa-${i}`);
    const { alg: _alg, ...jwk } = k.jwk;
    keys.push({ ...k, jwk });
  }
  return keys;
}

const keys = rsaKeys();

test(`a JWKS with ${COUNT} RSA keys: tokens signed by each verify, in rotation, again and again`, async () => {
  // cache_entries 0: every request is a real signature check.
  const p = await authPlugin({ jwt_providers: [provider(keys, { cache_entries: 0 })] });
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < COUNT; i++) {
      const r = send(p, { authorization: `Bearer ${signJwt(keys[i], claims({ sub: `user-${i}` }))}` });
      assert.equal(r.status, 200, `round ${round}, key ${i} (${keys[i].alg}): ${r.body}`);
      assert.equal(r.state("aigw.consumer"), `user-${i}`);
    }
  }
  assert.equal(p.metrics.counter("aigw.auth.allowed.method.jwt"), 3 * COUNT);
});

test(`a JWKS with ${COUNT} RSA keys: a token is never accepted with another key of the set`, async () => {
  const p = await authPlugin({ jwt_providers: [provider(keys, { cache_entries: 0 })] });
  let refused = 0;
  for (let i = 0; i < COUNT; i++) {
    // The kid of the next key (so that key, and only it, is tried), the signature of key i.
    for (const j of [(i + 1) % COUNT, (i + 7) % COUNT]) {
      const r = send(p, { authorization: `Bearer ${signJwt(keys[i], claims(), { kid: keys[j].kid })}` });
      assert.equal(r.status, 401, `signed by ${i}, presented as ${j}`);
      assert.equal(r.json.error.code, "bad_signature");
      refused++;
    }
    // and the right key still accepts it right after the wrong ones were used
    assert.equal(send(p, { authorization: `Bearer ${signJwt(keys[i], claims())}` }).status, 200, `key ${i}`);
  }
  assert.equal(p.metrics.counter("aigw.auth.denied.reason.bad_signature"), refused);
});

test("an RSA JWK the verifier cannot use (even modulus) refuses every token and never traps", async () => {
  const good = keys[0];
  const n = Buffer.from(good.jwk.n as string, "base64url");
  n[n.length - 1] &= 0xfe;
  const broken = { ...good.jwk, kid: "broken", n: b64u(n) };
  const p = await authPlugin({ jwt_providers: [{ ...provider([good], { cache_entries: 0 }), jwks: { keys: [good.jwk, broken] } }] });
  for (let round = 0; round < 2; round++) {
    const r = send(p, { authorization: `Bearer ${signJwt(good, claims(), { kid: "broken" })}` });
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, "bad_signature");
  }
  assert.equal(send(p, { authorization: `Bearer ${signJwt(good, claims())}` }).status, 200, "the other key of the set still works");
});
