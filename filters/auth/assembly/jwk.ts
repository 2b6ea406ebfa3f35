// JSON Web Keys (RFC 7517) and the algorithms they may verify (RFC 7518, RFC 8037, and the
// fully-specified `Ed25519` name of draft-ietf-jose-fully-specified-algorithms).
// Each key is bound to the algorithms its type allows, narrowed to its own `alg` when it has one:
// an HMAC token can never be checked with an RSA key's public bytes used as an HMAC secret
// (algorithm confusion), whatever the token's header says.
import { JsonKind, JsonValue } from "../../common/assembly/json/value";
import { base64urlDecodeString, RsaPublicKey } from "./crypto";

export namespace Alg {
  export const HS256: i32 = 0;
  export const HS384: i32 = 1;
  export const HS512: i32 = 2;
  export const RS256: i32 = 3;
  export const RS384: i32 = 4;
  export const RS512: i32 = 5;
  export const PS256: i32 = 6;
  export const PS384: i32 = 7;
  export const PS512: i32 = 8;
  export const ES256: i32 = 9;
  export const ES384: i32 = 10;
  export const EDDSA: i32 = 11;
  export const COUNT: i32 = 12;
}

const NAMES: StaticArray<string> = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];

/** The algorithm for a JOSE name, or -1 (unknown, or "none": never accepted). */
export function algFromName(name: string): i32 {
  for (let i = 0; i < NAMES.length; i++) if (NAMES[i] == name) return i;
  if (name == "Ed25519") return Alg.EDDSA;
  return -1;
}

export function algName(a: i32): string { return a >= 0 && a < Alg.COUNT ? NAMES[a] : "unknown"; }

export namespace Kty {
  export const OCT: i32 = 0;
  export const RSA: i32 = 1;
  export const EC: i32 = 2;
  export const OKP: i32 = 3;
}

const HMAC_ALGS: u32 = (1 << Alg.HS256) | (1 << Alg.HS384) | (1 << Alg.HS512);
const RSA_ALGS: u32 = (1 << Alg.RS256) | (1 << Alg.RS384) | (1 << Alg.RS512) | (1 << Alg.PS256) | (1 << Alg.PS384) | (1 << Alg.PS512);

export class Jwk {
  kid: string | null = null;
  kty: i32 = Kty.OCT;
  /** Bit set of Alg values this key may verify. */
  algs: u32 = 0;
  /** oct: k. RSA: n (modulus), e. EC: x, y. OKP: x. */
  k: Uint8Array = new Uint8Array(0);
  n: Uint8Array = new Uint8Array(0);
  e: Uint8Array = new Uint8Array(0);
  x: Uint8Array = new Uint8Array(0);
  y: Uint8Array = new Uint8Array(0);
  private rsaKey: RsaPublicKey | null = null;
  private rsaTried: bool = false;

  /**
   * RSA: n and e prepared for verification (Montgomery context), built on the first token this
   * key checks and kept with the key, so a set with any number of RSA keys pays the setup once per
   * key (the crypto layer's raw n/e path has a 16-key cache). Built lazily: preparing costs about
   * one and a half verifies, wasted on keys of a set that never sign a request. null for a key the
   * crypto layer refuses (even n, e out of range): every signature is then refused, as before.
   */
  rsa(): RsaPublicKey | null {
    if (!this.rsaTried) {
      this.rsaTried = true;
      this.rsaKey = RsaPublicKey.create(this.n, this.e);
    }
    return this.rsaKey;
  }
}

export class KeySet {
  keys: Array<Jwk> = new Array<Jwk>(0);
  /** Keys left out (unsupported or unusable), for the log and the metric. */
  skipped: i32 = 0;
  /** One metric label per skipped key (SkipReason values). */
  skippedReasons: Array<string> = new Array<string>(0);
  /** One log note per skipped key: "keys[i] (kid `x`): why". */
  skippedNotes: Array<string> = new Array<string>(0);
}

/** Why a key of a set was left out (metric label values: aigw.auth.jwks_key_skipped.reason.*). */
export namespace SkipReason {
  export const NOT_SIGNING = "not_signing"; // `use` other than "sig"
  export const UNSUPPORTED_TYPE = "unsupported_type"; // no or another `kty`, another curve
  export const UNSUPPORTED_ALG = "unsupported_alg"; // `alg` unknown (RSA-OAEP-256) or not fitting the type (EC key labelled RS256)
  export const WEAK_KEY = "weak_key"; // RSA modulus under 2048 bits
  export const MALFORMED = "malformed"; // members missing, not base64url, of the wrong size
  export const TOO_MANY = "too_many_keys"; // past MAX_KEYS
}

/** A set holds at most this many usable keys: a token is checked against every key its `kid` (or,
 *  without one, its `alg`) selects, so this bounds the work one token can cause. */
export const MAX_KEYS: i32 = 100;

export class JwksResult {
  constructor(public set: KeySet | null, public error: string) {}
}

function b64field(o: JsonValue, name: string): Uint8Array | null {
  const v = o.get(name);
  if (v === null || v.kind != JsonKind.STRING) return null;
  return base64urlDecodeString(v.str);
}

function strField(o: JsonValue, name: string): string | null {
  const v = o.get(name);
  if (v === null || v.kind != JsonKind.STRING) return null;
  return v.str;
}

/** Strips leading zero bytes (an RSA modulus/exponent is an unsigned big-endian integer). */
function unsignedBytes(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] == 0) i++;
  return i == 0 ? b : b.slice(i);
}

class KeyParse {
  constructor(public key: Jwk | null, public reason: string, public why: string) {}
}

function skip(reason: string, why: string): KeyParse { return new KeyParse(null, reason, why); }

/** One JWK (RFC 7517 section 4) as a verification key bound to its algorithms, or why it is left out. */
function parseKey(o: JsonValue): KeyParse {
  if (o.kind != JsonKind.OBJECT) return skip(SkipReason.MALFORMED, "expected object");
  const kty = strField(o, "kty");
  if (kty === null) return skip(SkipReason.UNSUPPORTED_TYPE, "missing `kty`");
  const use = strField(o, "use");
  if (use !== null && use != "sig") return skip(SkipReason.NOT_SIGNING, "`use` is `" + use + "`");
  const key = new Jwk();
  key.kid = strField(o, "kid");
  if (kty == "oct") {
    key.kty = Kty.OCT;
    const k = b64field(o, "k");
    if (k === null || k.length == 0) return skip(SkipReason.MALFORMED, "`k` missing or not base64url");
    key.k = k;
    key.algs = HMAC_ALGS;
  } else if (kty == "RSA") {
    key.kty = Kty.RSA;
    const n = b64field(o, "n");
    const e = b64field(o, "e");
    if (n === null || e === null || n.length == 0 || e.length == 0) return skip(SkipReason.MALFORMED, "`n`/`e` missing or not base64url");
    key.n = unsignedBytes(n);
    key.e = unsignedBytes(e);
    // RFC 7518 section 3.3: keys of 2048 bits or larger MUST be used.
    if (key.n.length < 256) return skip(SkipReason.WEAK_KEY, "RSA modulus shorter than 2048 bits");
    if (key.n.length > 1024) return skip(SkipReason.MALFORMED, "RSA modulus longer than 8192 bits");
    if (key.e.length > 8) return skip(SkipReason.MALFORMED, "RSA exponent too large");
    key.algs = RSA_ALGS;
  } else if (kty == "EC") {
    key.kty = Kty.EC;
    const crv = strField(o, "crv");
    if (crv === null) return skip(SkipReason.MALFORMED, "missing `crv`");
    let size = 0;
    if (crv == "P-256") { size = 32; key.algs = 1 << Alg.ES256; }
    else if (crv == "P-384") { size = 48; key.algs = 1 << Alg.ES384; }
    else return skip(SkipReason.UNSUPPORTED_TYPE, "curve `" + crv + "`");
    const x = b64field(o, "x");
    const y = b64field(o, "y");
    if (x === null || y === null || x.length != size || y.length != size) return skip(SkipReason.MALFORMED, "`x`/`y` missing or of the wrong length for " + crv);
    key.x = x;
    key.y = y;
  } else if (kty == "OKP") {
    key.kty = Kty.OKP;
    const crv = strField(o, "crv");
    if (crv === null || crv != "Ed25519") return skip(SkipReason.UNSUPPORTED_TYPE, "OKP curve is not Ed25519");
    const x = b64field(o, "x");
    if (x === null || x.length != 32) return skip(SkipReason.MALFORMED, "`x` missing or not 32 bytes");
    key.x = x;
    key.algs = 1 << Alg.EDDSA;
  } else {
    return skip(SkipReason.UNSUPPORTED_TYPE, "key type `" + kty + "`");
  }
  const alg = strField(o, "alg");
  if (alg !== null) {
    const a = algFromName(alg);
    if (a < 0) return skip(SkipReason.UNSUPPORTED_ALG, "unknown algorithm `" + alg + "`");
    if ((key.algs & (<u32>1 << a)) == 0) return skip(SkipReason.UNSUPPORTED_ALG, "algorithm `" + alg + "` does not fit key type " + kty);
    key.algs = <u32>1 << a;
  }
  return new KeyParse(key, "", "");
}

/**
 * Builds a key set from a parsed JWKS document ({"keys":[...]}).
 *
 * `strict` (an inline set, part of the configuration): a key the filter cannot use because it is
 * malformed, weak or has an unknown or unfitting `alg` is an error naming it; keys of another type
 * or curve, or with `use` other than "sig", are skipped (RFC 7517 section 5: a set may hold keys
 * the reader does not understand).
 * Not strict (a fetched set, which the operator does not write): every key the filter cannot use
 * is skipped with its reason (RFC 7517 section 5 again), so one encryption key, a 1024-bit key or
 * a mislabelled key published beside the signing keys never takes the whole set down. Either way
 * a set with no usable key is an error.
 */
export function parseJwks(doc: JsonValue, strict: bool = true): JwksResult {
  if (doc.kind != JsonKind.OBJECT) return new JwksResult(null, "JWKS must be a JSON object");
  const keys = doc.get("keys");
  if (keys === null || keys.kind != JsonKind.ARRAY) return new JwksResult(null, "JWKS has no `keys` array");
  const set = new KeySet();
  for (let i = 0; i < keys.items.length; i++) {
    const where = "keys[" + i.toString() + "]";
    const o = keys.items[i];
    const r = parseKey(o);
    let key = r.key;
    let reason = r.reason;
    let why = r.why;
    if (key !== null && set.keys.length >= MAX_KEYS) { key = null; reason = SkipReason.TOO_MANY; why = "more than " + MAX_KEYS.toString() + " usable keys"; }
    if (key === null) {
      const tolerated = reason == SkipReason.NOT_SIGNING || reason == SkipReason.UNSUPPORTED_TYPE;
      if (strict && !(tolerated && why != "missing `kty`")) return new JwksResult(null, where + ": " + why);
      set.skipped++;
      set.skippedReasons.push(reason);
      let kid = o.kind == JsonKind.OBJECT ? strField(o, "kid") : null;
      set.skippedNotes.push(where + (kid !== null ? " (kid `" + safeKid(kid!) + "`)" : "") + ": " + why);
      continue;
    }
    set.keys.push(key!);
  }
  if (set.keys.length == 0) return new JwksResult(null, "JWKS holds no usable signing key" + (set.skipped > 0 ? " (" + set.skippedNotes.join("; ") + ")" : ""));
  return new JwksResult(set, "");
}

/** A kid for a log line: printable ASCII only, bounded. */
function safeKid(kid: string): string {
  let out = "";
  for (let i = 0; i < kid.length && i < 64; i++) {
    const c = kid.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f && c != 0x60 ? String.fromCharCode(c) : "?";
  }
  return out;
}
