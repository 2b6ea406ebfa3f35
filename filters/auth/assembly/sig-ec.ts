// ECDSA (ES256/ES384, RFC 7518 section 3.4: the signature is raw r||s, not DER) and Ed25519
// (RFC 8037 section 3.1, `EdDSA` / `Ed25519`) with the key's curve fixed by the JWK.
import { Curve, verifyEcdsa, verifyEd25519 } from "./crypto";
import { Alg, Jwk } from "./jwk";

export function verifyAsymmetric(alg: i32, key: Jwk, input: Uint8Array, sig: Uint8Array): bool {
  if (alg == Alg.ES256) return verifyEcdsa(Curve.P256, key.x, key.y, input, sig);
  if (alg == Alg.ES384) return verifyEcdsa(Curve.P384, key.x, key.y, input, sig);
  if (alg == Alg.EDDSA) return verifyEd25519(key.x, input, sig);
  return false;
}
