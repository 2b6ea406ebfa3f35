// RSA signature verification for JWS RS256/384/512 (RSASSA-PKCS1-v1_5, RFC 8017 section 8.2.2) and
// PS256/384/512 (RSASSA-PSS, RFC 8017 section 8.1.2 with EMSA-PSS-VERIFY, section 9.1.2).
import { HashAlg, digest, hashLen } from "../../../common/assembly/crypto/sha2";
import { constantTimeEqual } from "../../../common/assembly/crypto/ct";
import { Mont, bitLength, cmp, limbsFromBytes, limbsToBytes } from "./bigint";

/** Moduli outside this range are refused (JWA asks for >= 2048 bits; the caller may enforce more). */
export const RSA_MIN_BITS: i32 = 512;
export const RSA_MAX_BITS: i32 = 16384;

function stripLeadingZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length && unchecked(b[i]) == 0) i++;
  return b.subarray(i);
}

/**
 * RSAVP1 (RFC 8017 section 5.2.2): s^e mod n as k bytes (k = byte length of n), or null when the
 * key is unusable (even or out-of-range n, e not odd or not in [3, n-1]) or the signature is not
 * exactly k bytes (section 8.2.2 step 1) or not < n (section 5.2.2 step 1).
 */
export function rsaPublic(nBytes: Uint8Array, eBytes: Uint8Array, sig: Uint8Array): Uint8Array | null {
  const nb = stripLeadingZeros(nBytes);
  const k = nb.length;
  if (k == 0 || sig.length != k) return null;
  const limbs = (k + 3) >> 2;
  const n = limbsFromBytes(nb, limbs)!;
  const modBits = bitLength(n);
  if (modBits < RSA_MIN_BITS || modBits > RSA_MAX_BITS) return null;
  const eb = stripLeadingZeros(eBytes);
  if (eb.length == 0 || eb.length > k || (unchecked(eb[eb.length - 1]) & 1) == 0) return null;
  const e = limbsFromBytes(eb, limbs)!;
  if (bitLength(e) < 2 || cmp(e, n) >= 0) return null;
  const s = limbsFromBytes(sig, limbs);
  if (s === null || cmp(s, n) >= 0) return null;
  const mont = Mont.create(n);
  if (mont === null) return null;
  const x = mont.newElem();
  mont.toMont(x, s);
  mont.pow(x, x, e);
  mont.fromMont(x, x);
  return limbsToBytes(x, k);
}

// DER DigestInfo prefixes, RFC 8017 section 9.2 note 1 (AlgorithmIdentifier with NULL parameters).
const DI_SHA256: u8[] = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
const DI_SHA384: u8[] = [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30];
const DI_SHA512: u8[] = [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40];

/**
 * RSASSA-PKCS1-v1_5 verify (RFC 8017 section 8.2.2): builds the one valid encoding
 * 00 01 FF..FF 00 DigestInfo(H(msg)) (EMSA-PKCS1-v1_5, section 9.2) and compares it byte for byte
 * with s^e mod n. No parsing of the recovered block, so no BER/garbage/padding leniency.
 */
export function verifyRsaPkcs1(alg: HashAlg, n: Uint8Array, e: Uint8Array, msg: Uint8Array, sig: Uint8Array): bool {
  const hl = hashLen(alg);
  if (hl == 0) return false;
  const em = rsaPublic(n, e, sig);
  if (em === null) return false;
  const k = em.length;
  const prefix = alg == HashAlg.SHA256 ? DI_SHA256 : alg == HashAlg.SHA384 ? DI_SHA384 : DI_SHA512;
  const tLen = prefix.length + hl;
  if (k < tLen + 11) return false; // section 9.2 step 3: at least 8 bytes of FF padding
  const expected = new Uint8Array(k);
  expected[1] = 0x01;
  const psEnd = k - tLen - 1;
  for (let i = 2; i < psEnd; i++) unchecked(expected[i] = 0xff);
  for (let i = 0; i < prefix.length; i++) unchecked(expected[psEnd + 1 + i] = prefix[i]);
  expected.set(digest(alg, msg), k - hl);
  return constantTimeEqual(em, expected);
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
 * RSASSA-PSS verify (RFC 8017 section 8.1.2 + EMSA-PSS-VERIFY section 9.1.2), MGF1 with the same
 * hash as the message digest (as JWA section 3.5 requires) and exactly `saltLen` bytes of salt
 * (JWA: saltLen = hash length).
 */
export function verifyRsaPss(alg: HashAlg, n: Uint8Array, e: Uint8Array, msg: Uint8Array, sig: Uint8Array, saltLen: i32): bool {
  const hl = hashLen(alg);
  if (hl == 0 || saltLen < 0) return false;
  const m = rsaPublic(n, e, sig);
  if (m === null) return false;
  const k = m.length;
  const modBits = bitLength(limbsFromBytes(stripLeadingZeros(n), (k + 3) >> 2)!);
  const emBits = modBits - 1;
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
