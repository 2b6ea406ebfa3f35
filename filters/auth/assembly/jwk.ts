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
  /** Keys skipped as unsupported (other kty/crv, use != sig), for the log. */
  skipped: i32 = 0;
}

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

/**
 * Builds a key set from a parsed JWKS document ({"keys":[...]}). Keys of an unsupported type or
 * curve, or with `use` other than "sig", are skipped (RFC 7517 section 5: a set may hold keys the
 * reader does not understand). A supported key with missing or malformed members, or with an `alg`
 * that does not fit its type, is an error, as is a set with no usable key.
 */
export function parseJwks(doc: JsonValue): JwksResult {
  if (doc.kind != JsonKind.OBJECT) return new JwksResult(null, "JWKS must be a JSON object");
  const keys = doc.get("keys");
  if (keys === null || keys.kind != JsonKind.ARRAY) return new JwksResult(null, "JWKS has no `keys` array");
  const set = new KeySet();
  for (let i = 0; i < keys.items.length; i++) {
    const where = "keys[" + i.toString() + "]";
    const o = keys.items[i];
    if (o.kind != JsonKind.OBJECT) return new JwksResult(null, where + ": expected object");
    const kty = strField(o, "kty");
    if (kty === null) return new JwksResult(null, where + ": missing `kty`");
    const use = strField(o, "use");
    if (use !== null && use != "sig") { set.skipped++; continue; }
    const key = new Jwk();
    key.kid = strField(o, "kid");
    if (kty == "oct") {
      key.kty = Kty.OCT;
      const k = b64field(o, "k");
      if (k === null || k.length == 0) return new JwksResult(null, where + ": `k` missing or not base64url");
      key.k = k;
      key.algs = HMAC_ALGS;
    } else if (kty == "RSA") {
      key.kty = Kty.RSA;
      const n = b64field(o, "n");
      const e = b64field(o, "e");
      if (n === null || e === null || n.length == 0 || e.length == 0) return new JwksResult(null, where + ": `n`/`e` missing or not base64url");
      key.n = unsignedBytes(n);
      key.e = unsignedBytes(e);
      // RFC 7518 section 3.3: keys of 2048 bits or larger MUST be used.
      if (key.n.length < 256) return new JwksResult(null, where + ": RSA modulus shorter than 2048 bits");
      if (key.n.length > 1024) return new JwksResult(null, where + ": RSA modulus longer than 8192 bits");
      if (key.e.length > 8) return new JwksResult(null, where + ": RSA exponent too large");
      key.algs = RSA_ALGS;
    } else if (kty == "EC") {
      key.kty = Kty.EC;
      const crv = strField(o, "crv");
      const x = b64field(o, "x");
      const y = b64field(o, "y");
      if (crv === null) return new JwksResult(null, where + ": missing `crv`");
      let size = 0;
      if (crv == "P-256") { size = 32; key.algs = 1 << Alg.ES256; }
      else if (crv == "P-384") { size = 48; key.algs = 1 << Alg.ES384; }
      else { set.skipped++; continue; }
      if (x === null || y === null || x.length != size || y.length != size) return new JwksResult(null, where + ": `x`/`y` missing or of the wrong length for " + crv);
      key.x = x;
      key.y = y;
    } else if (kty == "OKP") {
      key.kty = Kty.OKP;
      const crv = strField(o, "crv");
      if (crv === null || crv != "Ed25519") { set.skipped++; continue; }
      const x = b64field(o, "x");
      if (x === null || x.length != 32) return new JwksResult(null, where + ": `x` missing or not 32 bytes");
      key.x = x;
      key.algs = 1 << Alg.EDDSA;
    } else {
      set.skipped++;
      continue;
    }
    const alg = strField(o, "alg");
    if (alg !== null) {
      const a = algFromName(alg);
      if (a < 0) return new JwksResult(null, where + ": unknown algorithm `" + alg + "`");
      if ((key.algs & (<u32>1 << a)) == 0) return new JwksResult(null, where + ": algorithm `" + alg + "` does not fit key type " + kty);
      key.algs = <u32>1 << a;
    }
    set.keys.push(key);
  }
  if (set.keys.length == 0) return new JwksResult(null, "JWKS holds no usable signing key");
  return new JwksResult(set, "");
}
