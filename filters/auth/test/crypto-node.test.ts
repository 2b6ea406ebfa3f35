// Cross-checks the Wasm crypto against Node's crypto: keys and signatures made by Node on random
// messages must verify in Wasm, and any tampering with message or signature must be rejected.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { constants, createHash, createHmac, generateKeyPairSync, randomBytes, randomInt, sign } from "node:crypto";
import { CryptoHarness, Hash } from "./fixtures/crypto-harness/load.ts";

const wasm = CryptoHarness.load();
const HASHES: [Hash, string][] = [[Hash.SHA256, "sha256"], [Hash.SHA384, "sha384"], [Hash.SHA512, "sha512"]];

function flipBit(b: Uint8Array): Uint8Array {
  const c = new Uint8Array(b);
  const i = randomInt(c.length);
  c[i] ^= 1 << randomInt(8);
  return c;
}

describe("hashes and HMAC agree with node:crypto", () => {
  test("SHA-256/384/512 on random messages of lengths 0..300", () => {
    for (let len = 0; len <= 300; len++) {
      const m = randomBytes(len);
      for (const [alg, name] of HASHES) {
        assert.equal(Buffer.from(wasm.hash(alg, m)).toString("hex"), createHash(name).update(m).digest("hex"), `${name} len ${len}`);
      }
    }
  });

  test("HMAC with random keys (shorter and longer than the block) and messages", () => {
    for (let i = 0; i < 60; i++) {
      const key = randomBytes(randomInt(0, 200));
      const msg = randomBytes(randomInt(0, 500));
      for (const [alg, name] of HASHES) {
        const tag = new Uint8Array(createHmac(name, key).update(msg).digest());
        assert.deepEqual(wasm.hmac(alg, key, msg), tag);
        assert.equal(wasm.verifyHmac(alg, key, msg, tag), true);
        assert.equal(wasm.verifyHmac(alg, key, msg, flipBit(tag)), false);
        if (msg.length) assert.equal(wasm.verifyHmac(alg, key, flipBit(msg), tag), false);
        assert.equal(wasm.verifyHmac(alg, key, msg, tag.subarray(0, tag.length - 1)), false);
      }
    }
  });
});

describe("base64url agrees with Buffer's base64url", () => {
  test("round trip on random data", () => {
    for (let len = 0; len < 100; len++) {
      const d = randomBytes(len);
      const enc = d.toString("base64url");
      assert.equal(wasm.b64urlEncode(d), enc);
      assert.deepEqual(wasm.b64urlDecode(enc), new Uint8Array(d));
      // Node's decoder also takes padded input; ours must reject the padded form.
      if (len % 3 !== 0) assert.equal(wasm.b64urlDecode(enc + "=".repeat(4 - (enc.length % 4))), null);
    }
  });
});

const b64u = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "base64url"));

describe("RSA signatures made by node:crypto", () => {
  for (const bits of [2048, 3072]) {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
    const jwk = publicKey.export({ format: "jwk" });
    const n = b64u(jwk.n!);
    const e = b64u(jwk.e!);

    test(`RS256/384/512 with a ${bits}-bit key`, () => {
      for (const [alg, name] of HASHES) {
        for (let i = 0; i < 4; i++) {
          const msg = randomBytes(randomInt(1, 300));
          const sig = new Uint8Array(sign(name, msg, privateKey));
          assert.equal(wasm.verifyRsaPkcs1(alg, n, e, msg, sig), true, `${name} valid`);
          assert.equal(wasm.verifyRsaPkcs1(alg, n, e, flipBit(msg), sig), false, `${name} tampered message`);
          assert.equal(wasm.verifyRsaPkcs1(alg, n, e, msg, flipBit(sig)), false, `${name} tampered signature`);
          // The same signature checked as a different hash or as PSS must fail.
          const other = alg === Hash.SHA256 ? Hash.SHA384 : Hash.SHA256;
          assert.equal(wasm.verifyRsaPkcs1(other, n, e, msg, sig), false, `${name} wrong hash`);
          assert.equal(wasm.verifyRsaPss(alg, n, e, msg, sig, 32), false, `${name} as PSS`);
        }
      }
    });

    test(`PS256/384/512 with a ${bits}-bit key (salt = hash length)`, () => {
      for (const [alg, name] of HASHES) {
        const hl = createHash(name).digest().length;
        for (let i = 0; i < 4; i++) {
          const msg = randomBytes(randomInt(1, 300));
          const sig = new Uint8Array(
            sign(name, msg, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hl }),
          );
          assert.equal(wasm.verifyRsaPss(alg, n, e, msg, sig, hl), true, `${name} valid`);
          assert.equal(wasm.verifyRsaPss(alg, n, e, flipBit(msg), sig, hl), false, `${name} tampered message`);
          assert.equal(wasm.verifyRsaPss(alg, n, e, msg, flipBit(sig), hl), false, `${name} tampered signature`);
          assert.equal(wasm.verifyRsaPss(alg, n, e, msg, sig, hl - 1), false, `${name} other salt length`);
          assert.equal(wasm.verifyRsaPkcs1(alg, n, e, msg, sig), false, `${name} as PKCS#1 v1.5`);
        }
      }
    });

    test(`RSA ${bits}: malformed keys and signatures are rejected`, () => {
      const msg = randomBytes(64);
      const sig = new Uint8Array(sign("sha256", msg, privateKey));
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n, e, msg, sig.subarray(1)), false, "short signature");
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n, e, msg, new Uint8Array([0, ...sig])), false, "signature with a leading zero");
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n, e, msg, new Uint8Array(n)), false, "signature equal to n");
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n, new Uint8Array([3]), msg, sig), false, "wrong exponent");
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, n, new Uint8Array(0), msg, sig), false, "empty exponent");
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, new Uint8Array(0), e, msg, sig), false, "empty modulus");
      const even = new Uint8Array(n);
      even[even.length - 1] &= 0xfe;
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, even, e, msg, sig), false, "even modulus");
      // Leading zero bytes on n and e (as some JWKs carry) do not change the key.
      assert.equal(wasm.verifyRsaPkcs1(Hash.SHA256, new Uint8Array([0, ...n]), new Uint8Array([0, ...e]), msg, sig), true);
    });
  }
});
