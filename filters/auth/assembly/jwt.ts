// JWS compact tokens (RFC 7515 section 7.1) carrying JWT claims (RFC 7519): parsing, signature
// check against a key set, and claim validation. Pure: the caller passes the clock.
// Every failure returns a reason (a metric label); nothing here throws on input.
import { parseJson, JsonKind, JsonValue } from "../../common/assembly/json/value";
import { base64urlDecodeRaw, HashAlg, verifyHmac, verifyRsaPkcs1Key, verifyRsaPssKey } from "./crypto";
import { Alg, algFromName, Jwk, KeySet } from "./jwk";
import { JwtProvider } from "./model";
import { JsonClaims } from "./claims";

/** A token split and decoded, before the signature is checked. */
export class ParsedJwt {
  alg: i32 = -1;
  kid: string | null = null;
  claims: JsonValue = new JsonValue();
  signingInput: Uint8Array = new Uint8Array(0);
  signature: Uint8Array = new Uint8Array(0);
}

export class JwtParse {
  constructor(public jwt: ParsedJwt | null, public reason: string) {}
}

function fail(reason: string): JwtParse { return new JwtParse(null, reason); }

/** Looks like a JWS compact token: three base64url segments separated by two dots. */
export function looksLikeJwt(s: string): bool {
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x2e) { dots++; continue; }
    const b64 = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 45 || c == 95;
    if (!b64) return false;
  }
  return dots == 2;
}

function decodeJsonSegment(bytes: Uint8Array, start: i32, end: i32): JsonValue | null {
  const raw = base64urlDecodeRaw(bytes.dataStart + <usize>start, end - start);
  if (raw === null) return null;
  // Duplicate member names are rejected (RFC 7515 section 5.2 step 4 allows it; the alternative,
  // last-wins, lets two parsers disagree about `alg` or `sub`).
  const parsed = parseJson(raw, 0, raw.length, 16, true);
  if (parsed.value === null) return null;
  const v = parsed.value!;
  if (v.kind != JsonKind.OBJECT) return null;
  return v;
}

/** Splits and decodes `token`; checks the header only (alg, crit). */
export function parseJwt(token: string, maxBytes: i32): JwtParse {
  const bytes = Uint8Array.wrap(String.UTF8.encode(token));
  if (bytes.length > maxBytes) return fail("token_too_large");
  let d1 = -1, d2 = -1;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] == 0x2e) {
      if (d1 < 0) d1 = i;
      else if (d2 < 0) d2 = i;
      else return fail("malformed_token"); // JWE (five parts) or garbage
    }
  }
  if (d1 <= 0 || d2 <= d1 + 1 || d2 >= bytes.length - 1) return fail("malformed_token");
  const header = decodeJsonSegment(bytes, 0, d1);
  if (header === null) return fail("malformed_token");
  const algV = header.get("alg");
  if (algV === null || algV.kind != JsonKind.STRING) return fail("malformed_token");
  const algName = algV.str;
  if (algName.toLowerCase() == "none") return fail("alg_none");
  const alg = algFromName(algName);
  if (alg < 0) return fail("unsupported_alg");
  // RFC 7515 section 4.1.11: extensions listed in `crit` must be understood; we understand none.
  if (header.has("crit")) return fail("unsupported_crit");
  const out = new ParsedJwt();
  out.alg = alg;
  const kid = header.get("kid");
  if (kid !== null) {
    if (kid.kind != JsonKind.STRING) return fail("malformed_token");
    out.kid = kid.str;
  }
  const claims = decodeJsonSegment(bytes, d1 + 1, d2);
  if (claims === null) return fail("malformed_token");
  out.claims = claims;
  const sig = base64urlDecodeRaw(bytes.dataStart + <usize>(d2 + 1), bytes.length - d2 - 1);
  if (sig === null || sig.length == 0) return fail("malformed_token");
  out.signature = sig;
  out.signingInput = bytes.subarray(0, d2);
  return new JwtParse(out, "");
}

function hashOf(alg: i32): HashAlg {
  if (alg == Alg.HS384 || alg == Alg.RS384 || alg == Alg.PS384 || alg == Alg.ES384) return HashAlg.SHA384;
  if (alg == Alg.HS512 || alg == Alg.RS512 || alg == Alg.PS512) return HashAlg.SHA512;
  return HashAlg.SHA256;
}

/** Signature check with one key already known to allow `alg`. */
export function verifyWithKey(alg: i32, key: Jwk, input: Uint8Array, sig: Uint8Array): bool {
  if ((key.algs & (<u32>1 << alg)) == 0) return false;
  if (alg <= Alg.HS512) return verifyHmac(hashOf(alg), key.k, input, sig);
  if (alg <= Alg.PS512) {
    const rsa = key.rsa();
    if (rsa === null) return false;
    const h = hashOf(alg);
    if (alg <= Alg.RS512) return verifyRsaPkcs1Key(h, rsa, input, sig);
    // RFC 7518 section 3.5: the salt is as long as the hash.
    return verifyRsaPssKey(h, rsa, input, sig, h == HashAlg.SHA256 ? 32 : h == HashAlg.SHA384 ? 48 : 64);
  }
  return verifyAsymmetric(alg, key, input, sig);
}

// ECDSA and Ed25519 are bound in sig-ec.ts once the crypto module provides them.
import { verifyAsymmetric } from "./sig-ec";

/** "" when a key of `set` verifies the token's signature, otherwise the reason. Every key its
 *  `kid` selects (or, without one, every key of its `alg`) is tried: a set may hold several keys
 *  with one kid during a rotation. The work is bounded by the set's size (jwk.ts MAX_KEYS). */
export function verifySignature(jwt: ParsedJwt, set: KeySet, allowed: u32): string {
  if (allowed != 0 && (allowed & (<u32>1 << jwt.alg)) == 0) return "alg_not_allowed";
  let candidates = 0;
  for (let i = 0; i < set.keys.length; i++) {
    const k = set.keys[i];
    if ((k.algs & (<u32>1 << jwt.alg)) == 0) continue;
    const kid = jwt.kid;
    if (kid !== null) {
      const kk = k.kid;
      if (kk === null || kk != kid) continue;
    }
    candidates++;
    if (verifyWithKey(jwt.alg, k, jwt.signingInput, jwt.signature)) return "";
  }
  return candidates == 0 ? (jwt.kid !== null ? "unknown_kid" : "no_matching_key") : "bad_signature";
}

/** Reads a NumericDate (RFC 7519 section 2); -1 = absent, -2 = present but not a number. */
function numericDate(claims: JsonValue, name: string): f64 {
  const v = claims.get(name);
  if (v === null) return -1;
  if (v.kind != JsonKind.NUMBER || !(v.num >= 0) || v.num > 1e15) return -2;
  return Math.floor(v.num);
}

/** "" when the time, issuer, audience and required claims hold at `now` (seconds). */
export function validateClaims(claims: JsonValue, p: JwtProvider, now: i64): string {
  const skew = <f64>p.clockSkewSeconds;
  const t = <f64>now;
  const exp = numericDate(claims, "exp");
  const nbf = numericDate(claims, "nbf");
  const iat = numericDate(claims, "iat");
  if (exp == -2 || nbf == -2 || iat == -2) return "malformed_token";
  if (exp == -1 && p.requireExp) return "missing_exp";
  if (exp >= 0 && t >= exp + skew) return "expired";
  if (nbf >= 0 && nbf > t + skew) return "not_yet_valid";
  if (iat >= 0 && iat > t + skew) return "iat_in_future";
  if (p.maxLifetimeSeconds > 0 && exp >= 0) {
    const from = iat >= 0 ? iat : t;
    if (exp - from > <f64>p.maxLifetimeSeconds) return "lifetime_too_long";
  }
  if (p.issuer.length > 0) {
    const iss = claims.get("iss");
    if (iss === null || iss.kind != JsonKind.STRING || iss.str != p.issuer) return "wrong_issuer";
  }
  if (p.audiences.length > 0) {
    const aud = claims.get("aud");
    let ok = false;
    if (aud !== null) {
      // RFC 7519 section 4.1.3: a string or an array of strings.
      if (aud.kind == JsonKind.STRING) ok = p.audiences.includes(aud.str);
      else if (aud.kind == JsonKind.ARRAY) {
        for (let i = 0; i < aud.items.length && !ok; i++) {
          const a = aud.items[i];
          if (a.kind == JsonKind.STRING && p.audiences.includes(a.str)) ok = true;
        }
      }
    }
    if (!ok) return "wrong_audience";
  }
  const c = new JsonClaims(claims);
  for (let i = 0; i < p.requiredClaims.length; i++) {
    const v = c.get(p.requiredClaims[i]);
    if (v === null || v.kind == JsonKind.NULL) return "missing_claim";
  }
  return "";
}

/** The token's `exp` in seconds, or i64.MAX_VALUE when it has none. */
export function expiryOf(claims: JsonValue): i64 {
  const exp = numericDate(claims, "exp");
  return exp >= 0 ? <i64>exp : i64.MAX_VALUE;
}

/** The unverified `iss` (selects among several providers; trusted only after verification). */
export function issuerOf(claims: JsonValue): string {
  const v = claims.get("iss");
  return v !== null && v.kind == JsonKind.STRING ? v.str : "";
}
