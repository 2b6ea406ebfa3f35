// Cross-checks the Wasm crypto against Node's crypto: keys and signatures made by Node on random
// messages must verify in Wasm, and any tampering with message or signature must be rejected.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { constants, createHash, createHmac, generateKeyPairSync, randomBytes, randomInt, sign } from "node:crypto";
import { CryptoHarness, Curve, Hash } from "./fixtures/crypto-harness/load.ts";

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
          assert.equal(wasm.verifyRsaPss(alg, n, e, msg, sig, -1), false, `${name} negative salt length`);
          assert.equal(wasm.verifyRsaPss(alg, n, e, msg, sig, 0x7fffffff), false, `${name} huge salt length`);
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

describe("ECDSA signatures made by node:crypto (raw r||s)", () => {
  const curves: [Curve, string, string, number, string][] = [
    [Curve.P256, "prime256v1", "sha256", 32, "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"],
    [Curve.P384, "secp384r1", "sha384", 48, "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"],
  ];
  for (const [curve, name, hash, len, order] of curves) {
    test(`${name}: valid signatures verify, tampered ones do not`, () => {
      for (let k = 0; k < 3; k++) {
        const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: name });
        const jwk = publicKey.export({ format: "jwk" });
        const x = b64u(jwk.x!), y = b64u(jwk.y!);
        for (let i = 0; i < 5; i++) {
          const msg = randomBytes(randomInt(0, 300));
          const sig = new Uint8Array(sign(hash, msg, { key: privateKey, dsaEncoding: "ieee-p1363" }));
          assert.equal(sig.length, 2 * len);
          assert.equal(wasm.verifyEcdsa(curve, x, y, msg, sig), true, "valid");
          if (msg.length) assert.equal(wasm.verifyEcdsa(curve, x, y, flipBit(msg), sig), false, "tampered message");
          assert.equal(wasm.verifyEcdsa(curve, x, y, msg, flipBit(sig)), false, "tampered signature");
          // Swapped coordinates are (almost surely) not on the curve.
          assert.equal(wasm.verifyEcdsa(curve, y, x, msg, sig), false, "point not on curve");
          assert.equal(wasm.verifyEcdsa(curve, x, y, msg, sig.subarray(0, sig.length - 1)), false, "short signature");
        }
      }
    });

    test(`${name}: r or s of 0 or n, and malformed keys, are rejected`, () => {
      const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: name });
      const jwk = publicKey.export({ format: "jwk" });
      const x = b64u(jwk.x!), y = b64u(jwk.y!);
      const msg = randomBytes(40);
      const sig = new Uint8Array(sign(hash, msg, { key: privateKey, dsaEncoding: "ieee-p1363" }));
      const n = Buffer.from(order, "hex");
      const withR = (r: Uint8Array) => new Uint8Array([...r, ...sig.subarray(len)]);
      const withS = (s: Uint8Array) => new Uint8Array([...sig.subarray(0, len), ...s]);
      assert.equal(wasm.verifyEcdsa(curve, x, y, msg, withR(new Uint8Array(len))), false, "r = 0");
      assert.equal(wasm.verifyEcdsa(curve, x, y, msg, withS(new Uint8Array(len))), false, "s = 0");
      assert.equal(wasm.verifyEcdsa(curve, x, y, msg, withR(n)), false, "r = n");
      assert.equal(wasm.verifyEcdsa(curve, x, y, msg, withS(n)), false, "s = n");
      // s and n - s both satisfy the equation; ECDSA (unlike some profiles) accepts both, as Node does.
      const sBig = BigInt("0x" + Buffer.from(sig.subarray(len)).toString("hex"));
      const negS = Buffer.from((BigInt("0x" + order) - sBig).toString(16).padStart(2 * len, "0"), "hex");
      assert.equal(wasm.verifyEcdsa(curve, x, y, msg, withS(negS)), true, "n - s");
      assert.equal(wasm.verifyEcdsa(curve, new Uint8Array(len), new Uint8Array(len), msg, sig), false, "(0, 0)");
      assert.equal(wasm.verifyEcdsa(curve, x.subarray(1), y, msg, sig), false, "short x");
      assert.equal(wasm.verifyEcdsa(curve === Curve.P256 ? Curve.P384 : Curve.P256, x, y, msg, sig), false, "other curve");
    });
  }
});

describe("Ed25519 signatures made by node:crypto", () => {
  const L = BigInt("0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed");
  const le = (v: bigint) => {
    const b = new Uint8Array(32);
    for (let i = 0; i < 32; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
    return b;
  };
  const fromLe = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);

  test("valid signatures verify, tampered ones do not", () => {
    for (let k = 0; k < 5; k++) {
      const { publicKey, privateKey } = generateKeyPairSync("ed25519");
      const pub = b64u(publicKey.export({ format: "jwk" }).x!);
      for (let i = 0; i < 5; i++) {
        const msg = randomBytes(randomInt(0, 300));
        const sig = new Uint8Array(sign(null, msg, privateKey));
        assert.equal(wasm.verifyEd25519(pub, msg, sig), true, "valid");
        if (msg.length) assert.equal(wasm.verifyEd25519(pub, flipBit(msg), sig), false, "tampered message");
        assert.equal(wasm.verifyEd25519(pub, msg, flipBit(sig)), false, "tampered signature");
        assert.equal(wasm.verifyEd25519(flipBit(pub), msg, sig), false, "other public key");
      }
    }
  });

  test("S + L (same value mod L) is rejected as non-canonical; bad lengths are rejected", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const pub = b64u(publicKey.export({ format: "jwk" }).x!);
    const msg = randomBytes(32);
    const sig = new Uint8Array(sign(null, msg, privateKey));
    const s = fromLe(sig.subarray(32));
    assert.ok(s + L < 1n << 256n);
    const malleable = new Uint8Array([...sig.subarray(0, 32), ...le(s + L)]);
    assert.equal(wasm.verifyEd25519(pub, msg, malleable), false);
    assert.equal(wasm.verifyEd25519(pub, msg, sig.subarray(0, 63)), false);
    assert.equal(wasm.verifyEd25519(pub.subarray(0, 31), msg, sig), false);
    // y = p (non-canonical encoding of y = 0) must not decode.
    const p = (1n << 255n) - 19n;
    assert.equal(wasm.verifyEd25519(le(p), msg, sig), false);
  });
});
