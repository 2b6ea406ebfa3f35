import { HashAlg, sha256, sha384, sha512, hmac, verifyHmac, constantTimeEqual } from "../crypto";
import { base64urlDecodeString, base64urlEncode } from "../crypto";

function ascii(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

function hex(b: Uint8Array): string {
  const d = "0123456789abcdef";
  let s = "";
  for (let i = 0; i < b.length; i++) s += d.charAt(b[i] >> 4) + d.charAt(b[i] & 15);
  return s;
}

function repeat(c: u8, n: i32): Uint8Array {
  const a = new Uint8Array(n);
  a.fill(c);
  return a;
}

describe("SHA-2 (FIPS 180 examples)", () => {
  it("SHA-256 of 'abc', the empty string and the two-block message", () => {
    expect(hex(sha256(ascii("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hex(sha256(new Uint8Array(0)))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hex(sha256(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("SHA-256 of one million 'a' (many blocks)", () => {
    expect(hex(sha256(repeat(0x61, 1000000)))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });

  it("SHA-256 at the padding boundaries (55, 56, 63, 64 bytes)", () => {
    expect(hex(sha256(repeat(0x61, 55)))).toBe("9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    expect(hex(sha256(repeat(0x61, 56)))).toBe("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    expect(hex(sha256(repeat(0x61, 64)))).toBe("ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  });

  it("SHA-384 of 'abc' and the two-block message", () => {
    expect(hex(sha384(ascii("abc")))).toBe(
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
    );
    expect(
      hex(sha384(ascii("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))),
    ).toBe("09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039");
  });

  it("SHA-512 of 'abc', the empty string and the two-block message", () => {
    expect(hex(sha512(ascii("abc")))).toBe(
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    );
    expect(hex(sha512(new Uint8Array(0)))).toBe(
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    );
    expect(
      hex(sha512(ascii("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))),
    ).toBe(
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
    );
  });
});

describe("HMAC (RFC 4231 test case 2)", () => {
  it("computes HS256/384/512 tags for key 'Jefe'", () => {
    const key = ascii("Jefe");
    const msg = ascii("what do ya want for nothing?");
    expect(hex(hmac(HashAlg.SHA256, key, msg))).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    expect(hex(hmac(HashAlg.SHA384, key, msg))).toBe(
      "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
    );
    expect(hex(hmac(HashAlg.SHA512, key, msg))).toBe(
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
    );
  });

  it("hashes keys longer than the block (RFC 4231 test case 6)", () => {
    expect(hex(hmac(HashAlg.SHA256, repeat(0xaa, 131), ascii("Test Using Larger Than Block-Size Key - Hash Key First")))).toBe(
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    );
  });

  it("verifyHmac accepts the full tag only and rejects a flipped bit or a truncated tag", () => {
    const key = ascii("Jefe");
    const msg = ascii("what do ya want for nothing?");
    const tag = hmac(HashAlg.SHA256, key, msg);
    expect(verifyHmac(HashAlg.SHA256, key, msg, tag)).toBe(true);
    const bad = tag.slice(0);
    bad[31] ^= 1;
    expect(verifyHmac(HashAlg.SHA256, key, msg, bad)).toBe(false);
    expect(verifyHmac(HashAlg.SHA256, key, msg, tag.subarray(0, 16))).toBe(false);
    expect(verifyHmac(HashAlg.SHA384, key, msg, tag)).toBe(false);
  });
});

describe("constantTimeEqual", () => {
  it("compares length and content", () => {
    expect(constantTimeEqual(ascii("abc"), ascii("abc"))).toBe(true);
    expect(constantTimeEqual(ascii("abc"), ascii("abd"))).toBe(false);
    expect(constantTimeEqual(ascii("abc"), ascii("ab"))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});

describe("base64url", () => {
  it("round-trips every length 0..5 (RFC 4648 section 10 vectors, URL-safe alphabet, no padding)", () => {
    expect(base64urlEncode(ascii(""))).toBe("");
    expect(base64urlEncode(ascii("f"))).toBe("Zg");
    expect(base64urlEncode(ascii("fo"))).toBe("Zm8");
    expect(base64urlEncode(ascii("foo"))).toBe("Zm9v");
    expect(base64urlEncode(ascii("foob"))).toBe("Zm9vYg");
    expect(base64urlEncode(ascii("fooba"))).toBe("Zm9vYmE");
    const raw = new Uint8Array(3);
    raw[0] = 0xfb; raw[1] = 0xff; raw[2] = 0xfe;
    expect(base64urlEncode(raw)).toBe("-__-");
    const back = base64urlDecodeString("-__-");
    expect(back).not.toBeNull();
    expect(hex(back!)).toBe("fbfffe");
    expect(String.UTF8.decode(base64urlDecodeString("Zm9vYmE")!.buffer)).toBe("fooba");
    expect(base64urlDecodeString("")!.length).toBe(0);
  });

  it("rejects padding, the standard alphabet's '+' and '/', whitespace and non-ASCII", () => {
    expect(base64urlDecodeString("Zg==")).toBeNull();
    expect(base64urlDecodeString("Zm8=")).toBeNull();
    expect(base64urlDecodeString("+/+/")).toBeNull();
    expect(base64urlDecodeString("Zm9v Yg")).toBeNull();
    expect(base64urlDecodeString("Zm9v\n")).toBeNull();
    expect(base64urlDecodeString("Zm9é")).toBeNull();
  });

  it("rejects impossible lengths and non-zero trailing bits", () => {
    expect(base64urlDecodeString("Z")).toBeNull();
    expect(base64urlDecodeString("Zm9vY")).toBeNull();
    // "Zh" and "Zm9" differ from the canonical "Zg"/"Zm8" only in the unused low bits.
    expect(base64urlDecodeString("Zh")).toBeNull();
    expect(base64urlDecodeString("Zm9")).toBeNull();
    expect(base64urlDecodeString("Zg")).not.toBeNull();
  });
});
