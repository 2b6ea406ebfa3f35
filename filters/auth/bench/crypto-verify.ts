// Per-verify cost of each JWS algorithm in the Wasm crypto (dist/fixtures/auth-crypto-harness.wasm),
// on keys and signatures made by node:crypto. Run: node scripts/build.mjs auth-crypto-harness &&
// node --import tsx filters/auth/bench/crypto-verify.ts
import { createHmac, generateKeyPairSync, randomBytes, sign, constants } from "node:crypto";
import { CryptoHarness, Curve, Hash } from "../test/fixtures/crypto-harness/load.ts";

const wasm = CryptoHarness.load();
const b64u = (s: string) => new Uint8Array(Buffer.from(s, "base64url"));
const msg = randomBytes(600); // about the size of a JWS signing input

function bench(name: string, iterations: number, fn: () => boolean): void {
  if (!fn()) throw new Error(`${name}: signature did not verify`);
  for (let i = 0; i < 5; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const us = Number(process.hrtime.bigint() - t0) / 1000 / iterations;
  console.log(`${name.padEnd(22)} ${us.toFixed(1).padStart(9)} µs/verify`);
}

const hk = randomBytes(32);
const hs = new Uint8Array(createHmac("sha256", hk).update(msg).digest());
bench("HS256", 2000, () => wasm.verifyHmac(Hash.SHA256, hk, msg, hs));

for (const bits of [2048, 3072, 4096]) {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const jwk = publicKey.export({ format: "jwk" });
  const n = b64u(jwk.n!), e = b64u(jwk.e!);
  const rs = new Uint8Array(sign("sha256", msg, privateKey));
  bench(`RS256 (${bits})`, 200, () => wasm.verifyRsaPkcs1(Hash.SHA256, n, e, msg, rs));
  const ps = new Uint8Array(sign("sha256", msg, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
  bench(`PS256 (${bits})`, 200, () => wasm.verifyRsaPss(Hash.SHA256, n, e, msg, ps, 32));
}

for (const [curve, name, hash] of [[Curve.P256, "prime256v1", "sha256"], [Curve.P384, "secp384r1", "sha384"]] as const) {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: name });
  const jwk = publicKey.export({ format: "jwk" });
  const sig = new Uint8Array(sign(hash, msg, { key: privateKey, dsaEncoding: "ieee-p1363" }));
  bench(curve === Curve.P256 ? "ES256" : "ES384", 200, () => wasm.verifyEcdsa(curve, b64u(jwk.x!), b64u(jwk.y!), msg, sig));
}

const ed = generateKeyPairSync("ed25519");
const edPub = b64u(ed.publicKey.export({ format: "jwk" }).x!);
const edSig = new Uint8Array(sign(null, msg, ed.privateKey));
bench("EdDSA (Ed25519)", 200, () => wasm.verifyEd25519(edPub, msg, edSig));
