// RSA signature verification for JWS RS256/384/512 (RSASSA-PKCS1-v1_5, RFC 8017 section 8.2.2) and
// PS256/384/512 (RSASSA-PSS, RFC 8017 section 8.1.2 with EMSA-PSS-VERIFY, section 9.1.2).
import { HashAlg, digest, hashLen } from "../../../common/assembly/crypto/sha2";
import { constantTimeEqual } from "../../../common/assembly/crypto/ct";
import { Mont, bitLength, cmp, limbsFromBytes, limbsFromBytesInto } from "./bigint";

/** Moduli outside this range are refused (JWA asks for >= 2048 bits; the caller may enforce more). */
export const RSA_MIN_BITS: i32 = 512;
export const RSA_MAX_BITS: i32 = 16384;

function stripLeadingZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length && unchecked(b[i]) == 0) i++;
  return b.subarray(i);
}

function sameBytes(a: Uint8Array, b: Uint8Array): bool {
  return a.length == b.length && memory.compare(a.dataStart, b.dataStart, <usize>a.length) == 0;
}

/**
 * An RSA public key checked and prepared once for any number of verifications: the Montgomery
 * context for n (n0', R^2 mod n: about 11 squarings for 2048 bits, a third of a verify with
 * e = 65537) and R^e mod n, which turns the exponentiation of the plain signature into s^e (see
 * `rsaPublic`), plus scratch buffers, so a verify allocates only its hashes.
 * Not re-entrant (shared scratch); Wasm is single-threaded.
 */
export class RsaPublicKey {
  /** Byte length of n (leading zeros stripped): every signature must be exactly this long. */
  readonly k: i32;
  readonly modBits: i32;
  /** n and e as given, leading zero bytes stripped (copies: the caller's arrays may change). */
  readonly n: Uint8Array;
  readonly e: Uint8Array;
  private readonly mont: Mont;
  private readonly eLimbs: StaticArray<u32>;
  /** R^e mod n as a plain value. */
  private readonly fix: StaticArray<u32>;
  private readonly s: StaticArray<u32>;
  private readonly x: StaticArray<u32>;
  private readonly em: Uint8Array;

  /**
   * null when the key is unusable: n empty, even or outside RSA_MIN_BITS..RSA_MAX_BITS; e even or
   * not in [3, n-1] (RFC 8017 section 3.1). Leading zero bytes of n and e are ignored.
   */
  static create(nBytes: Uint8Array, eBytes: Uint8Array): RsaPublicKey | null {
    const nb = stripLeadingZeros(nBytes);
    const k = nb.length;
    if (k == 0) return null;
    const limbs = (k + 3) >> 2;
    const n = limbsFromBytes(nb, limbs)!;
    const modBits = bitLength(n);
    if (modBits < RSA_MIN_BITS || modBits > RSA_MAX_BITS) return null;
    const eb = stripLeadingZeros(eBytes);
    if (eb.length == 0 || eb.length > k || (unchecked(eb[eb.length - 1]) & 1) == 0) return null;
    const e = limbsFromBytes(eb, limbs)!;
    if (bitLength(e) < 2 || cmp(e, n) >= 0) return null;
    const mont = Mont.create(n);
    if (mont === null) return null;
    return new RsaPublicKey(nb.slice(), eb.slice(), k, modBits, mont, limbsFromBytes(eb, (eb.length + 3) >> 2)!);
  }

  private constructor(n: Uint8Array, e: Uint8Array, k: i32, modBits: i32, mont: Mont, eLimbs: StaticArray<u32>) {
    this.n = n;
    this.e = e;
    this.k = k;
    this.modBits = modBits;
    this.mont = mont;
    this.eLimbs = eLimbs;
    this.s = mont.newElem();
    this.x = mont.newElem();
    this.em = new Uint8Array(k);
    // Mont form of R is R^2 mod n (r2); its e-th power in Mont form is R^(e+1); out of Mont form, R^e.
    const fix = mont.newElem();
    mont.pow(fix, mont.r2, eLimbs);
    mont.fromMont(fix, fix);
    this.fix = fix;
  }

  /** True when this key was prepared from these n and e (leading zeros ignored), compared in full. */
  matches(nBytes: Uint8Array, eBytes: Uint8Array): bool {
    return sameBytes(this.n, stripLeadingZeros(nBytes)) && sameBytes(this.e, stripLeadingZeros(eBytes));
  }

  /**
   * RSAVP1 (RFC 8017 section 5.2.2): s^e mod n as k bytes, or null when the signature is not
   * exactly k bytes (section 8.2.2 step 1) or not < n (section 5.2.2 step 1). The result is this
   * key's scratch buffer: valid until the next call.
   */
  rsavp1(sig: Uint8Array): Uint8Array | null {
    const k = this.k;
    if (sig.length != k) return null;
    const s = this.s, x = this.x, mont = this.mont;
    if (!limbsFromBytesInto(s, sig) || cmp(s, mont.m) >= 0) return null;
    // Square-and-multiply on the plain s with Montgomery products: every product divides by R,
    // so the chain yields s^e / R^(e-1) (see Mont.pow); one product with R^e mod n leaves
    // s^e mod n. Saves converting s into and out of Montgomery form.
    mont.pow(x, s, this.eLimbs);
    mont.mul(x, x, this.fix);
    // Big-endian bytes of x into em (x < n fits in k bytes).
    const em = this.em;
    const px = changetype<usize>(x);
    for (let i = 0; i < k; i++) unchecked(em[k - 1 - i] = load<u8>(px + <usize>i)); // limbs are little-endian in memory
    return em;
  }
}

// Prepared keys for verifyRsaPkcs1 / verifyRsaPss called with raw n and e: JWKS keys verify token
// after token, so their setup is done once. Looked up by the full bytes of n and e (never by a
// prefix or hash: two keys must never share a context), most recently used first, bounded.
const KEY_CACHE_MAX: i32 = 16;
const keyCache = new Array<RsaPublicKey>(0);

/** The prepared key for (n, e), from the cache or built (and cached); null when unusable. */
export function rsaKeyFor(n: Uint8Array, e: Uint8Array): RsaPublicKey | null {
  for (let i = 0; i < keyCache.length; i++) {
    const key = unchecked(keyCache[i]);
    if (key.matches(n, e)) {
      for (let j = i; j > 0; j--) unchecked(keyCache[j] = keyCache[j - 1]);
      unchecked(keyCache[0] = key);
      return key;
    }
  }
  const key = RsaPublicKey.create(n, e);
  if (key === null) return null;
  if (keyCache.length < KEY_CACHE_MAX) keyCache.push(key);
  for (let j = keyCache.length - 1; j > 0; j--) unchecked(keyCache[j] = keyCache[j - 1]);
  unchecked(keyCache[0] = key);
  return key;
}

/** Number of keys held by the cache behind verifyRsaPkcs1 / verifyRsaPss (at most 16). */
export function rsaKeyCacheSize(): i32 {
  return keyCache.length;
}

// DER DigestInfo prefixes, RFC 8017 section 9.2 note 1 (AlgorithmIdentifier with NULL parameters).
const DI_SHA256: StaticArray<u8> = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
const DI_SHA384: StaticArray<u8> = [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30];
const DI_SHA512: StaticArray<u8> = [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40];

/**
 * RSASSA-PKCS1-v1_5 verify (RFC 8017 section 8.2.2) with a prepared key: compares s^e mod n byte
 * for byte with the one valid encoding 00 01 FF..FF 00 DigestInfo(H(msg)) (EMSA-PKCS1-v1_5,
 * section 9.2). No parsing of the recovered block, so no BER/garbage/padding leniency.
 */
export function verifyRsaPkcs1Key(alg: HashAlg, key: RsaPublicKey, msg: Uint8Array, sig: Uint8Array): bool {
  const hl = hashLen(alg);
  if (hl == 0) return false;
  const k = key.k;
  const prefix = alg == HashAlg.SHA256 ? DI_SHA256 : alg == HashAlg.SHA384 ? DI_SHA384 : DI_SHA512;
  const tLen = prefix.length + hl;
  if (k < tLen + 11) return false; // section 9.2 step 3: at least 8 bytes of FF padding
  const em = key.rsavp1(sig);
  if (em === null) return false;
  // Differences OR-ed together over the whole block (no early exit).
  let diff = <u32>unchecked(em[0]) | (<u32>unchecked(em[1]) ^ 0x01);
  const psEnd = k - tLen - 1;
  for (let i = 2; i < psEnd; i++) diff |= <u32>unchecked(em[i]) ^ 0xff;
  diff |= <u32>unchecked(em[psEnd]);
  for (let i = 0; i < prefix.length; i++) diff |= <u32>unchecked(em[psEnd + 1 + i]) ^ <u32>unchecked(prefix[i]);
  const h = digest(alg, msg);
  const at = k - hl;
  for (let i = 0; i < hl; i++) diff |= <u32>unchecked(em[at + i]) ^ <u32>unchecked(h[i]);
  return diff == 0;
}

/** verifyRsaPkcs1Key with raw n and e (big-endian, leading zeros ignored); the key is prepared once and cached. */
export function verifyRsaPkcs1(alg: HashAlg, n: Uint8Array, e: Uint8Array, msg: Uint8Array, sig: Uint8Array): bool {
  if (hashLen(alg) == 0) return false;
  const key = rsaKeyFor(n, e);
  return key !== null && verifyRsaPkcs1Key(alg, key, msg, sig);
}

/** MGF1 (RFC 8017 appendix B.2.1) with the given hash. */
function mgf1(alg: HashAlg, seed: Uint8Array, maskLen: i32): Uint8Array {
  const hl = hashLen(alg);
  const out = new Uint8Array(maskLen);
  const buf = new Uint8Array(seed.length + 4);
  buf.set(seed);
  let counter: u32 = 0;
  for (let off = 0; off < maskLen; off += hl) {
    buf[seed.length] = <u8>(counter >> 24);
    buf[seed.length + 1] = <u8>(counter >> 16);
    buf[seed.length + 2] = <u8>(counter >> 8);
    buf[seed.length + 3] = <u8>counter;
    const h = digest(alg, buf);
    const take = min(hl, maskLen - off);
    memory.copy(out.dataStart + <usize>off, h.dataStart, <usize>take);
    counter++;
  }
  return out;
}

/**
 * RSASSA-PSS verify (RFC 8017 section 8.1.2 + EMSA-PSS-VERIFY section 9.1.2) with a prepared key,
 * MGF1 with the same hash as the message digest (as JWA section 3.5 requires) and exactly `saltLen`
 * bytes of salt (JWA: saltLen = hash length).
 */
export function verifyRsaPssKey(alg: HashAlg, key: RsaPublicKey, msg: Uint8Array, sig: Uint8Array, saltLen: i32): bool {
  const hl = hashLen(alg);
  if (hl == 0 || saltLen < 0) return false;
  const m = key.rsavp1(sig);
  if (m === null) return false;
  const k = m.length;
  const emBits = key.modBits - 1;
  const emLen = (emBits + 7) >> 3;
  // Section 8.1.2 step 2c: EM = I2OSP(m, emLen) fails when m needs more than emLen bytes.
  if (k > emLen) {
    for (let i = 0; i < k - emLen; i++) if (unchecked(m[i]) != 0) return false;
  }
  const em = m.subarray(k - emLen);
  // Section 9.1.2 steps 3-4 (the first test keeps hl + saltLen + 2 from overflowing i32).
  if (saltLen > emLen || emLen < hl + saltLen + 2) return false;
  if (unchecked(em[emLen - 1]) != 0xbc) return false;
  const dbLen = emLen - hl - 1;
  const maskedDB = em.subarray(0, dbLen);
  const h = em.subarray(dbLen, dbLen + hl);
  // Step 6: the 8*emLen - emBits leftmost bits of maskedDB must be zero.
  const topBits = 8 * emLen - emBits;
  const topMask = <u8>(0xff >> <u8>topBits);
  if ((unchecked(maskedDB[0]) & ~topMask) != 0) return false;
  // Steps 7-9.
  const db = mgf1(alg, h, dbLen);
  for (let i = 0; i < dbLen; i++) unchecked(db[i] ^= maskedDB[i]);
  db[0] &= topMask;
  // Step 10: PS zeros then 0x01.
  const psLen = emLen - hl - saltLen - 2;
  for (let i = 0; i < psLen; i++) if (unchecked(db[i]) != 0) return false;
  if (unchecked(db[psLen]) != 0x01) return false;
  // Steps 11-14: H' = Hash(0x00*8 || mHash || salt).
  const mp = new Uint8Array(8 + hl + saltLen);
  mp.set(digest(alg, msg), 8);
  mp.set(db.subarray(dbLen - saltLen), 8 + hl);
  return constantTimeEqual(digest(alg, mp), h);
}

/** verifyRsaPssKey with raw n and e (big-endian, leading zeros ignored); the key is prepared once and cached. */
export function verifyRsaPss(alg: HashAlg, n: Uint8Array, e: Uint8Array, msg: Uint8Array, sig: Uint8Array, saltLen: i32): bool {
  if (hashLen(alg) == 0 || saltLen < 0) return false;
  const key = rsaKeyFor(n, e);
  return key !== null && verifyRsaPssKey(alg, key, msg, sig, saltLen);
}
