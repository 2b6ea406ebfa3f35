// Tokens an attacker would try: every one is refused with 401 and never reaches the upstream.
import { test } from "node:test";
import assert from "node:assert/strict";
import { authPlugin, b64u, claims, makeKey, provider, send, signJwt, signRaw, now } from "./helpers.ts";

const rsa = makeKey("RS256", "rsa");
const hs = makeKey("HS256", "hs");

async function plugin() {
  return authPlugin({ jwt_providers: [provider([rsa, hs])] });
}

function refused(p: Awaited<ReturnType<typeof plugin>>, token: string, code?: string) {
  const r = send(p, { authorization: `Bearer ${token}` });
  assert.equal(r.status, 401, `expected 401 for ${token.slice(0, 40)}…, got ${r.status}`);
  assert.equal(r.upstream, null);
  if (code) assert.equal(r.json.error.code, code);
  return r;
}

const enc = (o: unknown) => b64u(JSON.stringify(o));

test("alg none (any case) is refused", async () => {
  const p = await plugin();
  for (const alg of ["none", "None", "NONE"]) {
    refused(p, `${enc({ alg, typ: "JWT" })}.${enc(claims())}.`, "malformed_token");
    refused(p, `${enc({ alg, typ: "JWT" })}.${enc(claims())}.${b64u("x")}`, "alg_none");
  }
});

test("algorithm confusion: an HS256 token MACed with the RSA public key is refused", async () => {
  const p = await plugin();
  const pub = rsa.jwk; // the attacker knows the public key; uses its bytes as an HMAC secret
  const header = enc({ alg: "HS256", kid: "rsa" });
  const body = enc(claims());
  const fake = { ...hs, privateKey: Buffer.from(JSON.stringify(pub)) };
  refused(p, `${header}.${body}.${signRaw(fake, `${header}.${body}`)}`, "unknown_kid");
  const fake2 = { ...hs, privateKey: Buffer.from(String(pub.n), "base64url") };
  refused(p, `${header}.${body}.${signRaw(fake2, `${header}.${body}`)}`, "unknown_kid");
});

test("a JWK whose alg is pinned refuses other algorithms (RS256 key, PS256 token)", async () => {
  const p = await plugin();
  const header = enc({ alg: "PS256", kid: "rsa" });
  const body = enc(claims());
  const pss = { ...rsa, alg: "PS256" as const };
  refused(p, `${header}.${body}.${signRaw(pss, `${header}.${body}`)}`, "unknown_kid");
});

test("algorithms allow-list of the provider", async () => {
  const p = await authPlugin({ jwt_providers: [provider([rsa, hs], { algorithms: ["RS256"] })] });
  refused(p, signJwt(hs, claims()), "alg_not_allowed");
  assert.equal(send(p, { authorization: `Bearer ${signJwt(rsa, claims())}` }).status, 200);
});

test("expired, not yet valid, wrong audience, wrong issuer", async () => {
  const p = await plugin();
  const t = now();
  refused(p, signJwt(rsa, claims({ exp: t - 3600 })), "expired");
  refused(p, signJwt(rsa, claims({ nbf: t + 3600 })), "not_yet_valid");
  refused(p, signJwt(rsa, claims({ aud: "someone-else" })), "wrong_audience");
  refused(p, signJwt(rsa, claims({ iss: "https://evil" })), "wrong_issuer");
});

test("truncated or altered signature, altered payload", async () => {
  const p = await plugin();
  const tok = signJwt(rsa, claims());
  const [h, b, s] = tok.split(".");
  refused(p, `${h}.${b}.${s.slice(0, -4)}`);
  refused(p, `${h}.${b}.${s.slice(0, 10)}`);
  const flipped = Buffer.from(s, "base64url"); flipped[10] ^= 1;
  refused(p, `${h}.${b}.${b64u(flipped)}`, "bad_signature");
  refused(p, `${h}.${enc(claims({ sub: "admin" }))}.${s}`, "bad_signature");
  const hsTok = signJwt(hs, claims());
  const [hh, hb, hsig] = hsTok.split(".");
  refused(p, `${hh}.${hb}.${hsig.slice(0, 24)}`, "bad_signature"); // 18 bytes: a truncated MAC (RFC 7518 3.2 forbids)
});

test("oversized token", async () => {
  const p = await plugin();
  refused(p, signJwt(rsa, claims({ pad: "x".repeat(10000) })), "token_too_large");
});

test("duplicated JSON keys in header or payload", async () => {
  const p = await plugin();
  const t = now();
  const header = b64u(`{"alg":"HS256","kid":"hs","alg":"none"}`);
  const body = b64u(`{"sub":"alice","sub":"admin","iss":"https://idp.example.com","aud":"aigw","exp":${t + 60}}`);
  refused(p, `${header}.${enc(claims())}.${signRaw(hs, `${header}.${enc(claims())}`)}`, "malformed_token");
  const h2 = enc({ alg: "HS256", kid: "hs" });
  refused(p, `${h2}.${body}.${signRaw(hs, `${h2}.${body}`)}`, "malformed_token");
  // an escaped duplicate is still a duplicate
  const body2 = b64u(`{"sub":"alice","\\u0073ub":"admin","iss":"https://idp.example.com","aud":"aigw","exp":${t + 60}}`);
  refused(p, `${h2}.${body2}.${signRaw(hs, `${h2}.${body2}`)}`, "malformed_token");
});

test("non-canonical base64url: padding, standard alphabet, stray bits, whitespace", async () => {
  const p = await plugin();
  const tok = signJwt(hs, claims());
  const [h, b, s] = tok.split(".");
  refused(p, `${h}.${b}.${s}=`);
  refused(p, `${h}=.${b}.${s}`);
  const std = Buffer.from(s, "base64url").toString("base64").replace(/=+$/, "");
  if (std !== s) refused(p, `${h}.${b}.${std}`);
  // change the last char so unused trailing bits are non-zero (same bytes, other spelling)
  const last = s[s.length - 1];
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const alt = alphabet[alphabet.indexOf(last) + 1] ?? alphabet[alphabet.indexOf(last) - 1];
  refused(p, `${h}.${b}.${s.slice(0, -1)}${alt}`);
  refused(p, `${h}.${b}`);
  refused(p, `${h}.${b}.${s}.x.y`);
});

test("header tricks: crit, non-string kid, embedded jwk/jku are never trusted", async () => {
  const p = await plugin();
  const mk = (hdr: Record<string, unknown>) => { const h = enc(hdr); const b = enc(claims()); return `${h}.${b}.${signRaw(hs, `${h}.${b}`)}`; };
  refused(p, mk({ alg: "HS256", kid: "hs", crit: ["exp"], exp: 1 }), "unsupported_crit");
  refused(p, mk({ alg: "HS256", kid: 7 }), "malformed_token");
  const attacker = makeKey("ES256", "evil");
  const h = enc({ alg: "ES256", kid: "evil", jwk: attacker.jwk, jku: "https://evil/jwks" });
  const b = enc(claims());
  refused(p, `${h}.${b}.${signRaw(attacker, `${h}.${b}`)}`, "unknown_kid");
  refused(p, mk({ alg: "HS1024", kid: "hs" }), "unsupported_alg");
});
