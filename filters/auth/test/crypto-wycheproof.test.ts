// Runs every Wycheproof vector file in ../shared/data/wycheproof through the Wasm verifiers:
// every "valid" vector must verify and every "invalid" one must be rejected. "acceptable" vectors
// (only the PKCS#1 v1.5 "MissingNull" DigestInfo, i.e. parameters omitted instead of NULL) are
// rejected: RFC 8017 section 9.2 note 1 gives the NULL form as the encoding, and a strict byte
// compare of the whole encoded message is the safe choice for a JWT verifier.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sharedData } from "../../../tools/shared/index.ts";
import { CryptoHarness, Curve, Hash, hex } from "./fixtures/crypto-harness/load.ts";

const dir = sharedData("wycheproof");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const wasm = CryptoHarness.load();

interface Vector { tcId: number; comment: string; flags: string[]; msg: string; sig?: string; tag?: string; key?: string; result: string }
interface Group { tests: Vector[]; [k: string]: any }

function hashOf(name: string): Hash {
  if (name === "SHA-256") return Hash.SHA256;
  if (name === "SHA-384") return Hash.SHA384;
  if (name === "SHA-512") return Hash.SHA512;
  throw new Error(`unexpected hash ${name}`);
}

// Fixed-width big-endian coordinate from Wycheproof's minimal signed hex (may carry a leading 00).
function coord(h: string, len: number): Uint8Array {
  const b = hex(h);
  let i = 0;
  while (b.length - i > len && b[i] === 0) i++;
  const v = b.subarray(i);
  const out = new Uint8Array(len);
  out.set(v, len - v.length);
  return out;
}

type Verify = (g: Group, t: Vector) => boolean;

function verifierFor(file: string, doc: any): Verify | null {
  if (file.startsWith("hmac_")) {
    const alg = hashOf(doc.algorithm.replace("HMACSHA", "SHA-"));
    const full = { [Hash.SHA256]: 256, [Hash.SHA384]: 384, [Hash.SHA512]: 512 }[alg];
    return (g, t) =>
      g.tagSize === full
        ? wasm.verifyHmac(alg, hex(t.key!), hex(t.msg), hex(t.tag!))
        : wasm.verifyHmacPrefix(alg, hex(t.key!), hex(t.msg), hex(t.tag!));
  }
  if (file.startsWith("rsa_signature_")) {
    return (g, t) => wasm.verifyRsaPkcs1(hashOf(g.sha), hex(g.publicKey.modulus), hex(g.publicKey.publicExponent), hex(t.msg), hex(t.sig!));
  }
  if (file.startsWith("rsa_pss_")) {
    return (g, t) => {
      assert.equal(g.mgfSha, g.sha, "only MGF1 with the signature hash is supported (as in JWA)");
      return wasm.verifyRsaPss(hashOf(g.sha), hex(g.publicKey.modulus), hex(g.publicKey.publicExponent), hex(t.msg), hex(t.sig!), g.sLen);
    };
  }
  if (file.startsWith("ecdsa_")) {
    return (g, t) => {
      const curve = g.publicKey.curve === "secp256r1" ? Curve.P256 : Curve.P384;
      const len = curve === Curve.P256 ? 32 : 48;
      assert.equal(g.sha, curve === Curve.P256 ? "SHA-256" : "SHA-384");
      return wasm.verifyEcdsa(curve, coord(g.publicKey.wx, len), coord(g.publicKey.wy, len), hex(t.msg), hex(t.sig!));
    };
  }
  if (file.startsWith("ed25519_")) {
    return (g, t) => wasm.verifyEd25519(hex(g.publicKey.pk), hex(t.msg), hex(t.sig!));
  }
  return null;
}

describe("Wycheproof vectors", () => {
  for (const file of files) {
    test(file, (t) => {
      const doc = JSON.parse(readFileSync(join(dir, file), "utf8"));
      const verify = verifierFor(file, doc);
      assert.ok(verify, `no verifier for ${file}`);
      const counts = { valid: 0, invalid: 0, acceptable: 0, acceptableAccepted: 0 };
      const failures: string[] = [];
      const started = performance.now();
      for (const g of doc.testGroups as Group[]) {
        for (const v of g.tests) {
          const ok = verify(g, v);
          if (v.result === "valid") {
            counts.valid++;
            if (!ok) failures.push(`tcId ${v.tcId} valid but rejected (${v.comment}; ${v.flags.join(",")})`);
          } else if (v.result === "invalid") {
            counts.invalid++;
            if (ok) failures.push(`tcId ${v.tcId} invalid but accepted (${v.comment}; ${v.flags.join(",")})`);
          } else {
            counts.acceptable++;
            if (ok) counts.acceptableAccepted++;
          }
        }
      }
      const ms = performance.now() - started;
      const total = counts.valid + counts.invalid + counts.acceptable;
      assert.equal(total, doc.numberOfTests, "every vector in the file was run");
      t.diagnostic(
        `${file}: ${counts.valid} valid accepted, ${counts.invalid} invalid rejected, ` +
          `${counts.acceptable} acceptable (${counts.acceptableAccepted} accepted), ${total} in ${ms.toFixed(0)} ms`,
      );
      assert.deepEqual(failures, []);
    });
  }
});
