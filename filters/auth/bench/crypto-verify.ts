// Per-verify cost of each JWS algorithm in the Wasm crypto (dist/fixtures/auth-crypto-harness.wasm),
// on keys and signatures made by node:crypto. Run: node scripts/build.mjs auth-crypto-harness &&
// node --import tsx filters/auth/bench/crypto-verify.ts
// CRYPTO_BASELINE=<other build of the harness .wasm> adds that build's figures, measured in the
// same run, interleaved sample by sample with the current build (same machine load for both).
// RSA rows: "cached" = verifyRsaPkcs1/verifyRsaPss with raw n, e (what the filter calls; the key
// is prepared on first use), "prepared" = an RsaPublicKey made once, "per-call key" = the key
// prepared inside every verify (the cost without any reuse).
import { createHmac, generateKeyPairSync, randomBytes, sign, constants } from "node:crypto";
import { median } from "../../../bench/lib.ts";
import { CryptoHarness, Curve, Hash } from "../test/fixtures/crypto-harness/load.ts";

const wasm = CryptoHarness.load();
const baselinePath = process.env.CRYPTO_BASELINE;
const base = baselinePath ? CryptoHarness.load(baselinePath) : null;
const b64u = (s: string) => new Uint8Array(Buffer.from(s, "base64url"));
const msg = randomBytes(600); // about the size of a JWS signing input
const SAMPLES = 7;

type Fn = () => boolean;

function sample(fn: Fn, iterations: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1000 / iterations;
}

/** Median µs per call of `fn` and, when given, of `baseFn`, sampled alternately. */
function bench(name: string, iterations: number, fn: Fn, baseFn?: Fn): void {
  for (const f of baseFn ? [fn, baseFn] : [fn]) {
    if (!f()) throw new Error(`${name}: signature did not verify`);
    for (let i = 0; i < Math.max(20, iterations >> 2); i++) f(); // warm up (Wasm tier-up)
  }
  const cur: number[] = [], old: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    cur.push(sample(fn, iterations));
    if (baseFn) old.push(sample(baseFn, iterations));
  }
  const c = median(cur);
  let line = `${name.padEnd(30)} ${c.toFixed(1).padStart(9)} µs`;
  if (baseFn) {
    const o = median(old);
    line += ` ${o.toFixed(1).padStart(11)} µs ${(c / o).toFixed(2).padStart(7)}`;
  }
  console.log(line);
}

console.log(`${"case".padEnd(30)} ${"current".padStart(12)}` + (base ? ` ${"baseline".padStart(14)} ${"ratio".padStart(7)}` : ""));

const hk = randomBytes(32);
const hs = new Uint8Array(createHmac("sha256", hk).update(msg).digest());
bench("HS256", 2000, () => wasm.verifyHmac(Hash.SHA256, hk, msg, hs), base ? () => base.verifyHmac(Hash.SHA256, hk, msg, hs) : undefined);

for (const bits of [2048, 3072, 4096]) {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const jwk = publicKey.export({ format: "jwk" });
  const n = b64u(jwk.n!), e = b64u(jwk.e!);
  const key = wasm.prepareRsaKey(n, e)!;
  const iterations = bits === 2048 ? 200 : bits === 3072 ? 100 : 50;
  const rs = new Uint8Array(sign("sha256", msg, privateKey));
  bench(`RS256 (${bits}) cached`, iterations, () => wasm.verifyRsaPkcs1(Hash.SHA256, n, e, msg, rs), base ? () => base.verifyRsaPkcs1(Hash.SHA256, n, e, msg, rs) : undefined);
  bench(`RS256 (${bits}) prepared`, iterations, () => key.verifyPkcs1(Hash.SHA256, msg, rs));
  bench(`RS256 (${bits}) per-call key`, iterations, () => wasm.verifyRsaPkcs1Fresh(Hash.SHA256, n, e, msg, rs));
  const ps = new Uint8Array(sign("sha256", msg, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
  bench(`PS256 (${bits}) cached`, iterations, () => wasm.verifyRsaPss(Hash.SHA256, n, e, msg, ps, 32), base ? () => base.verifyRsaPss(Hash.SHA256, n, e, msg, ps, 32) : undefined);
  bench(`PS256 (${bits}) prepared`, iterations, () => key.verifyPss(Hash.SHA256, msg, ps, 32));
  key.release();
}

for (const [curve, name, hash] of [[Curve.P256, "prime256v1", "sha256"], [Curve.P384, "secp384r1", "sha384"]] as const) {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: name });
  const jwk = publicKey.export({ format: "jwk" });
  const x = b64u(jwk.x!), y = b64u(jwk.y!);
  const sig = new Uint8Array(sign(hash, msg, { key: privateKey, dsaEncoding: "ieee-p1363" }));
  bench(curve === Curve.P256 ? "ES256" : "ES384", 200, () => wasm.verifyEcdsa(curve, x, y, msg, sig), base ? () => base.verifyEcdsa(curve, x, y, msg, sig) : undefined);
}

const ed = generateKeyPairSync("ed25519");
const edPub = b64u(ed.publicKey.export({ format: "jwk" }).x!);
const edSig = new Uint8Array(sign(null, msg, ed.privateKey));
bench("EdDSA (Ed25519)", 200, () => wasm.verifyEd25519(edPub, msg, edSig), base ? () => base.verifyEd25519(edPub, msg, edSig) : undefined);
