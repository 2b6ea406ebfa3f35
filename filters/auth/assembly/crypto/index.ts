// The cryptography the auth filter needs to verify JWS signatures (RFC 7515 / RFC 7518), all in
// Wasm: no host crypto. Every function returns false/null on bad input and never traps.
// See README.md in this directory for what each check enforces.
export { HashAlg, hashLen, digest, sha256, sha384, sha512 } from "../../../common/assembly/crypto/sha2";
export { hmac, verifyHmac } from "../../../common/assembly/crypto/hmac";
export { constantTimeEqual } from "../../../common/assembly/crypto/ct";
export { base64urlDecode, base64urlDecodeRaw, base64urlDecodeString, base64urlEncode, base64urlEncodeBytes } from "../../../common/assembly/crypto/base64url";
export { RsaPublicKey, verifyRsaPkcs1, verifyRsaPss, verifyRsaPkcs1Key, verifyRsaPssKey } from "./rsa";
export { Curve, verifyEcdsa } from "./ecdsa";
export { verifyEd25519 } from "./ed25519";
