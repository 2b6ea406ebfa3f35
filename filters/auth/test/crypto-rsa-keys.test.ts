// RSA keys prepared once (RsaPublicKey: Montgomery context, R^e mod n) must give exactly the
// answers of a key built for one call, whether prepared explicitly or found in the bounded cache
// behind verifyRsaPkcs1 / verifyRsaPss; and two keys must never share a prepared context, even
// when their moduli agree on hundreds of leading bytes.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { checkPrimeSync, constants, createPrivateKey, createPublicKey, generateKeyPairSync, generatePrimeSync, randomBytes, sign, verify } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sharedData } from "../../../tools/shared/index.ts";
import { CryptoHarness, Hash, hex, type RsaKey } from "./fixtures/crypto-harness/load.ts";

const wasm = CryptoHarness.load();
const dir = sharedData("wycheproof");

function hashOf(name: string): Hash {
  return ({ "SHA-256": Hash.SHA256, "SHA-384": Hash.SHA384, "SHA-512": Hash.SHA512 } as Record<string, Hash>)[name];
}

interface Case { file: string; tcId: number; pss: boolean; alg: Hash; n: Uint8Array; e: Uint8Array; msg: Uint8Array; sig: Uint8Array; sLen: number; expected: boolean; key: RsaKey | null }

// Every RSA vector, with one prepared key per Wycheproof group.
function loadCases(): Case[][] {
  const files = readdirSync(dir).filter((f) => /^rsa_(signature|pss)_.*\.json$/.test(f)).sort();
  assert.ok(files.length >= 10, "the Wycheproof RSA files are present");
  return files.map((file) => {
    const doc = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const pss = file.startsWith("rsa_pss_");
    const out: Case[] = [];
    for (const g of doc.testGroups) {
      const n = hex(g.publicKey.modulus), e = hex(g.publicKey.publicExponent);
      const key = wasm.prepareRsaKey(n, e);
      for (const t of g.tests) {
        out.push({ file, tcId: t.tcId, pss, alg: hashOf(g.sha), n, e, msg: hex(t.msg), sig: hex(t.sig), sLen: g.sLen ?? 0, expected: t.result === "valid", key });
      }
    }
    assert.equal(out.length, doc.numberOfTests, `${file}: every vector loaded`);
    return out;
  });
}

function viaCache(c: Case): boolean {
  return c.pss ? wasm.verifyRsaPss(c.alg, c.n, c.e, c.msg, c.sig, c.sLen) : wasm.verifyRsaPkcs1(c.alg, c.n, c.e, c.msg, c.sig);
}
function fresh(c: Case): boolean {
  return c.pss ? wasm.verifyRsaPssFresh(c.alg, c.n, c.e, c.msg, c.sig, c.sLen) : wasm.verifyRsaPkcs1Fresh(c.alg, c.n, c.e, c.msg, c.sig);
}
function prepared(c: Case): boolean {
  if (c.key === null) return false;
  return c.pss ? c.key.verifyPss(c.alg, c.msg, c.sig, c.sLen) : c.key.verifyPkcs1(c.alg, c.msg, c.sig);
}

describe("prepared RSA keys on every Wycheproof RSA vector", () => {
  const byFile = loadCases();

  test("prepared key, cached key and a per-call key agree with each other and with the expected result", () => {
    const mismatches: string[] = [];
    let total = 0;
    for (const cases of byFile) {
      for (const c of cases) {
        const r = [fresh(c), viaCache(c), prepared(c)];
        total++;
        if (r.some((x) => x !== c.expected)) mismatches.push(`${c.file} tcId ${c.tcId}: fresh/cached/prepared = ${r.join("/")}, expected ${c.expected}`);
      }
    }
    assert.ok(total > 3000, `ran ${total} vectors`);
    assert.deepEqual(mismatches, []);
  });

  test("the same vectors interleaved across all keys (each verify switches key)", () => {
    const mismatches: string[] = [];
    const longest = Math.max(...byFile.map((c) => c.length));
    for (let i = 0; i < longest; i++) {
      for (const cases of byFile) {
        const c = cases[i];
        if (!c) continue;
        const a = viaCache(c), b = prepared(c);
        if (a !== c.expected || b !== c.expected) mismatches.push(`${c.file} tcId ${c.tcId}: cached/prepared = ${a}/${b}, expected ${c.expected}`);
      }
    }
    assert.deepEqual(mismatches, []);
    assert.ok(wasm.rsaCacheSize() <= 16, "the cache stays bounded");
    for (const cases of byFile) for (const c of cases) c.key?.release();
  });
});

// --- keys whose moduli share a long prefix -------------------------------------------------------

const b64u = (s: string) => new Uint8Array(Buffer.from(s, "base64url"));
const toBig = (b: Uint8Array) => BigInt("0x" + (Buffer.from(b).toString("hex") || "0"));
function toBytes(x: bigint, len: number): Uint8Array {
  const h = x.toString(16).padStart(len * 2, "0");
  return new Uint8Array(Buffer.from(h, "hex"));
}
function modInv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [m, a % m, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error("not invertible");
  return ((s0 % m) + m) % m;
}
const b64uBig = (x: bigint) => Buffer.from(x.toString(16).padStart(Math.ceil(x.toString(16).length / 2) * 2, "0"), "hex").toString("base64url");

/** A second real 2048-bit key whose modulus shares about the top half of n1's bits: n2 = p*q with
 *  a fresh prime p and q the first prime above n1/p (so n2 - n1 < p * prime gap). */
function neighbourKey(n1: bigint, e: bigint) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const p = generatePrimeSync(1024, { bigint: true });
    let q = n1 / p + 1n;
    if (q % 2n === 0n) q++;
    let found = false;
    for (let i = 0; i < 20000; i++, q += 2n) {
      if (checkPrimeSync(q)) { found = true; break; }
    }
    if (!found || p === q) continue;
    const phi = (p - 1n) * (q - 1n);
    let d: bigint;
    try { d = modInv(e, phi); } catch { continue; }
    const n = p * q;
    const priv = createPrivateKey({
      format: "jwk",
      key: {
        kty: "RSA", n: b64uBig(n), e: b64uBig(e), d: b64uBig(d), p: b64uBig(p), q: b64uBig(q),
        dp: b64uBig(d % (p - 1n)), dq: b64uBig(d % (q - 1n)), qi: b64uBig(modInv(q, p)),
      },
    });
    return { n, priv };
  }
  throw new Error("no neighbour key found");
}

function sharedPrefixBytes(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

describe("keys never share a prepared context", () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" });
  const n1 = b64u(jwk.n!), e = b64u(jwk.e!);
  const nb = neighbourKey(toBig(n1), toBig(e));
  const n2 = toBytes(nb.n, 256);
  // Not a key anyone holds: n1 with its last byte changed (still odd), 255 bytes in common.
  const n3 = new Uint8Array(n1);
  n3[255] ^= 0x02;
  const msg = randomBytes(300);
  const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  const rs1 = new Uint8Array(sign("sha256", msg, privateKey));
  const rs2 = new Uint8Array(sign("sha256", msg, nb.priv));
  const ps1 = new Uint8Array(sign("sha256", msg, { key: privateKey, ...pss }));
  const ps2 = new Uint8Array(sign("sha256", msg, { key: nb.priv, ...pss }));

  test("the neighbour key is real and shares a long prefix", () => {
    assert.ok(sharedPrefixBytes(n1, n2) >= 100, `n1 and n2 share ${sharedPrefixBytes(n1, n2)} leading bytes`);
    assert.equal(verify("sha256", msg, createPublicKey(nb.priv), rs2), true);
    assert.equal(sharedPrefixBytes(n1, n3), 255);
  });

  test("alternating verifies through the cache: each signature verifies under its own modulus only", () => {
    for (let round = 0; round < 6; round++) {
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n1, e, msg, rs1), true, `round ${round}: rs1 under n1`);
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n2, e, msg, rs1), false, `round ${round}: rs1 under n2`);
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n3, e, msg, rs1), false, `round ${round}: rs1 under n3`);
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n2, e, msg, rs2), true, `round ${round}: rs2 under n2`);
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n1, e, msg, rs2), false, `round ${round}: rs2 under n1`);
      assert.equal(wasm.verifyRsaPss(Hash.SHA256, n3, e, msg, ps1, 32), false, `round ${round}: ps1 under n3`);
      assert.equal(wasm.verifyRsaPss(Hash.SHA256, n1, e, msg, ps1, 32), true, `round ${round}: ps1 under n1`);
      assert.equal(wasm.verifyRsaPss(Hash.SHA256, n2, e, msg, ps1, 32), false, `round ${round}: ps1 under n2`);
      assert.equal(wasm.verifyRsaPss(Hash.SHA256, n2, e, msg, ps2, 32), true, `round ${round}: ps2 under n2`);
      // Same modulus, other exponent: a different key too.
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n1, new Uint8Array([3]), msg, rs1), false, `round ${round}: rs1 with e = 3`);
      // Leading zero bytes do not make a different key.
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, new Uint8Array([0, 0, ...n1]), new Uint8Array([0, ...e]), msg, rs1), true);
    }
  });

  test("explicitly prepared keys: each verifies its own signatures only, in any order", () => {
    const k1 = wasm.prepareRsaKey(n1, e)!, k2 = wasm.prepareRsaKey(n2, e)!, k3 = wasm.prepareRsaKey(n3, e)!;
    for (let round = 0; round < 4; round++) {
      assert.equal(k2.verifyPkcs1(Hash.SHA256, msg, rs2), true);
      assert.equal(k1.verifyPkcs1(Hash.SHA256, msg, rs2), false);
      assert.equal(k1.verifyPkcs1(Hash.SHA256, msg, rs1), true);
      assert.equal(k3.verifyPkcs1(Hash.SHA256, msg, rs1), false);
      assert.equal(k2.verifyPss(Hash.SHA256, msg, ps1, 32), false);
      assert.equal(k1.verifyPss(Hash.SHA256, msg, ps1, 32), true);
      assert.equal(k2.verifyPss(Hash.SHA256, msg, ps2, 32), true);
    }
    for (const k of [k1, k2, k3]) k.release();
  });

  test("more keys than the cache holds: evicted keys are rebuilt and still answer correctly", () => {
    // 20 moduli next to n1 (n1 + 2i, odd), plus n1 and n2, visited round robin three times.
    const ring: Uint8Array[] = [n1, n2];
    for (let i = 1; i <= 20; i++) ring.push(toBytes(toBig(n1) + 2n * BigInt(i), 256));
    for (let round = 0; round < 3; round++) {
      for (const n of ring) {
        assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n, e, msg, rs1), n === n1, `round ${round}`);
        assert.equal(wasm.verifyRsaPss(Hash.SHA256, n, e, msg, ps2, 32), n === n2, `round ${round}`);
      }
      assert.equal(wasm.rsaCacheSize(), 16, "bounded at 16 keys");
    }
  });

  test("unusable keys are refused, by the cache path and by prepare", () => {
    const even = new Uint8Array(n1);
    even[255] &= 0xfe;
    assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, even, e, msg, rs1), false);
    assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n1, new Uint8Array([2]), msg, rs1), false);
    assert.equal(wasm.prepareRsaKey(even, e), null);
    assert.equal(wasm.prepareRsaKey(n1, new Uint8Array(0)), null);
    // ... and refusing them did not disturb the cached good key.
    assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n1, e, msg, rs1), true);
  });
});
