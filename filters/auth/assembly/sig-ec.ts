// ECDSA (ES256/ES384, RFC 7518 section 3.4: raw r||s) and Ed25519 (RFC 8037) verification,
// bound to the crypto module's primitives.
import { Alg, Jwk } from "./jwk";

export function verifyAsymmetric(alg: i32, key: Jwk, input: Uint8Array, sig: Uint8Array): bool {
  // Not yet provided by ./crypto: refuse (never accept) until it is.
  return false;
}
