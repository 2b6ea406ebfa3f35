// From a presented credential to an identity (or a reason to refuse). No host calls: the
// stream passes the clock, the key sets and the cache, so this is the part unit tests and the
// benchmark exercise directly.
import { ApiKeyStore } from "./apikey";
import { Identity, Method } from "./identity";
import { JsonClaims } from "./claims";
import { JsonKind } from "../../common/assembly/json/value";
import { KeySet } from "./jwk";
import { expiryOf, issuerOf, parseJwt, validateClaims, verifySignature } from "./jwt";
import { AuthConfig, Consumer, JwtProvider } from "./model";
import { CachedToken, TokenCache } from "./token-cache";
import { isSafeHeaderValue } from "../../common/assembly/http/header";

export class AuthOutcome {
  identity: Identity | null = null;
  reason: string = "";
  /** Provider whose key set is not known yet (the request must wait), or -1. */
  waitFor: i32 = -1;
  static ok(id: Identity): AuthOutcome { const o = new AuthOutcome(); o.identity = id; return o; }
  static bad(reason: string): AuthOutcome { const o = new AuthOutcome(); o.reason = reason; return o; }
  static wait(provider: i32): AuthOutcome { const o = new AuthOutcome(); o.waitFor = provider; o.reason = "jwks_unavailable"; return o; }
}

export function authenticateApiKey(store: ApiKeyStore, key: string): AuthOutcome {
  const c = store.lookup(key);
  if (c === null) return AuthOutcome.bad("unknown_api_key");
  return AuthOutcome.ok(Identity.fromConsumer(c, Method.API_KEY));
}

/** Builds the identity a verified token proves. */
export function identityFromClaims(cfg: AuthConfig, p: JwtProvider, claims: JsonClaims, exp: i64): Identity | null {
  // The consumer claim must be one non-empty JSON string (never an array, number or boolean).
  const v = claims.get(p.consumerClaim);
  if (v === null || v.kind != JsonKind.STRING || v.str.length == 0) return null;
  const name = p.consumerPrefix + v.str;
  // The name becomes an upstream header value: no control characters (header injection), bounded.
  if (name.length > 256 || !isSafeHeaderValue(name)) return null;
  const known: Consumer | null = cfg.findConsumer(name);
  const id = known !== null ? Identity.fromConsumer(known, Method.JWT) : new Identity();
  id.method = Method.JWT;
  id.name = name;
  if (known === null) id.label = "other";
  id.claims = claims;
  id.expiresAt = exp;
  if (p.groupsClaim.length > 0) {
    const g = claims.claimStrings(p.groupsClaim);
    if (g !== null) {
      const groups = known !== null ? known.groups.slice(0) : new Array<string>(0);
      for (let i = 0; i < g.length; i++) {
        // A string claim may be space-separated (OAuth `scope`, RFC 8693 section 4.2).
        const parts = g[i].split(" ");
        for (let j = 0; j < parts.length; j++) {
          const s = parts[j];
          // A prefixed provider's groups live in its namespace too (`partner:admin`): its
          // identity provider must not grant itself another issuer's groups.
          const gname = p.consumerPrefix + s;
          if (s.length > 0 && s.indexOf(",") < 0 && !groups.includes(gname)) groups.push(gname);
        }
      }
      id.groups = groups;
    }
  }
  if (p.tenantClaim.length > 0) {
    const t = claims.claimStrings(p.tenantClaim);
    if (t !== null && t.length == 1) id.tenant = p.consumerPrefix + t[0];
  }
  if (known === null && id.tenant.length > 0) {
    id.attributesJson = "{\"tenant\":" + jsonQuote(id.tenant) + "}";
  }
  for (let i = 0; i < p.claimHeaders.length; i++) {
    const h = p.claimHeaders[i];
    const v = claims.claimStrings(h.claim);
    if (v === null || v.length == 0) continue;
    const joined = v.join(",");
    if (!isSafeHeaderValue(joined)) continue;
    id.headerNames.push(h.header);
    id.headerValues.push(joined);
  }
  return id;
}

function jsonQuote(s: string): string {
  let out = "\"";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x22) out += "\\\"";
    else if (c == 0x5c) out += "\\\\";
    else if (c < 0x20) out += "\\u00" + (c < 16 ? "0" : "") + c.toString(16);
    else out += String.fromCharCode(c);
  }
  return out + "\"";
}

/**
 * Verifies `token` against the providers listed in `candidates` (indexes into cfg.providers,
 * those reading the place the token came from). With several, the token's (still unverified)
 * `iss` picks the provider; the choice is confirmed by the issuer check after verification.
 */
export function authenticateJwt(cfg: AuthConfig, candidates: Array<i32>, keys: Array<KeySet | null>, cache: TokenCache | null,
  token: string, now: i64): AuthOutcome {
  let cacheKey = "";
  if (cache !== null) {
    cacheKey = TokenCache.keyOf(token);
    const hit = cache.get(cacheKey, now);
    if (hit !== null && candidates.includes(hit.provider)) return AuthOutcome.ok(hit.identity);
  }
  let maxBytes = 0;
  for (let i = 0; i < candidates.length; i++) maxBytes = max(maxBytes, cfg.providers[candidates[i]].maxTokenBytes);
  const parsed = parseJwt(token, maxBytes);
  if (parsed.jwt === null) return AuthOutcome.bad(parsed.reason);
  const jwt = parsed.jwt!;
  let pi = -1;
  if (candidates.length == 1) pi = candidates[0];
  else {
    const iss = issuerOf(jwt.claims);
    for (let i = 0; i < candidates.length; i++) {
      if (cfg.providers[candidates[i]].issuer == iss) { pi = candidates[i]; break; }
    }
    if (pi < 0) return AuthOutcome.bad("unknown_issuer");
  }
  const p = cfg.providers[pi];
  if (token.length > p.maxTokenBytes) return AuthOutcome.bad("token_too_large");
  // The signature first: until it holds, the claims are the sender's words, and a reason such as
  // `expired` or `wrong_audience` would tell the holder of a forged token which checks it passed.
  const set = keys[pi];
  if (set === null) return AuthOutcome.wait(pi);
  const sigBad = verifySignature(jwt, set!, p.algorithms);
  if (sigBad.length > 0) return AuthOutcome.bad(sigBad);
  const bad = validateClaims(jwt.claims, p, now);
  if (bad.length > 0) return AuthOutcome.bad(bad);
  const exp = expiryOf(jwt.claims);
  const claims = new JsonClaims(jwt.claims);
  const who = claims.get(p.consumerClaim);
  if (who === null || who.kind == JsonKind.NULL) return AuthOutcome.bad("missing_claim");
  // RFC 7519 section 4.1.2: `sub` is a StringOrURI; an array, number or boolean names nobody.
  if (who.kind != JsonKind.STRING) return AuthOutcome.bad("invalid_claim");
  const id = identityFromClaims(cfg, p, claims, exp);
  if (id === null) return AuthOutcome.bad("invalid_claim");
  if (cache !== null && p.cacheEntries > 0) cache.put(cacheKey, new CachedToken(id, pi, exp));
  return AuthOutcome.ok(id);
}
