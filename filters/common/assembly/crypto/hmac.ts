// HMAC (RFC 2104 / FIPS 198-1) over SHA-256/384/512, as JWS HS256/HS384/HS512 use (RFC 7518 section 3.2).
import { HashAlg, blockLen, digest, hashLen } from "./sha2";
import { constantTimeEqual } from "./ct";

/** HMAC tag (full hash length); empty for an unknown algorithm. */
export function hmac(alg: HashAlg, key: Uint8Array, msg: Uint8Array): Uint8Array {
  const hl = hashLen(alg);
  if (hl == 0) return new Uint8Array(0);
  const bl = blockLen(alg);
  // Keys longer than the block are hashed first; shorter ones are zero-padded (RFC 2104 section 2).
  const k = new Uint8Array(bl);
  if (key.length > bl) k.set(digest(alg, key));
  else k.set(key);
  const inner = new Uint8Array(bl + msg.length);
  for (let i = 0; i < bl; i++) unchecked(inner[i] = k[i] ^ 0x36);
  memory.copy(inner.dataStart + <usize>bl, msg.dataStart, <usize>msg.length);
  const ih = digest(alg, inner);
  const outer = new Uint8Array(bl + hl);
  for (let i = 0; i < bl; i++) unchecked(outer[i] = k[i] ^ 0x5c);
  outer.set(ih, bl);
  return digest(alg, outer);
}

/**
 * JWS HMAC check: `sig` must be the full-length tag (RFC 7518 section 3.2 allows no truncation),
 * compared in constant time.
 */
export function verifyHmac(alg: HashAlg, key: Uint8Array, signingInput: Uint8Array, sig: Uint8Array): bool {
  const hl = hashLen(alg);
  if (hl == 0 || sig.length != hl) return false;
  return constantTimeEqual(hmac(alg, key, signingInput), sig);
}
