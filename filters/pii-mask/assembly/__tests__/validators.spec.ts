import { luhnOk, cardPrefixOk, ssnOk, ibanLength, ibanMod97Ok, highEntropySecret, jwtHeaderOk, shannonEntropy, entropyAtLeast } from "../detect";

function buf(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }
function luhn(s: string): bool { const b = buf(s); return luhnOk(b.dataStart, 0, b.length); }
function iban(s: string): bool { const b = buf(s); return ibanMod97Ok(b.dataStart, 0, b.length); }
function secret(s: string): bool { const b = buf(s); return highEntropySecret(b.dataStart, 0, b.length); }
function jwt(s: string): bool { const b = buf(s); return jwtHeaderOk(b.dataStart, 0, b.length); }

describe("validators", () => {
  it("Luhn accepts valid numbers and rejects a changed digit", () => {
    expect(luhn("4111 1111 1111 1111")).toBe(true);
    expect(luhn("378282246310005")).toBe(true);
    expect(luhn("4111 1111 1111 1112")).toBe(false);
  });
  it("issuer prefixes", () => {
    expect(cardPrefixOk(411111, 16)).toBe(true);
    expect(cardPrefixOk(222100, 16)).toBe(true);
    expect(cardPrefixOk(272099, 16)).toBe(true);
    expect(cardPrefixOk(272100, 16)).toBe(false);
    expect(cardPrefixOk(371449, 15)).toBe(true);
    expect(cardPrefixOk(371449, 16)).toBe(false);
    expect(cardPrefixOk(644000, 16)).toBe(true);
    expect(cardPrefixOk(352800, 16)).toBe(true);
    expect(cardPrefixOk(359000, 16)).toBe(false);
  });
  it("SSN area/group/serial rules", () => {
    expect(ssnOk(123, 45, 6789)).toBe(true);
    expect(ssnOk(0, 45, 6789)).toBe(false);
    expect(ssnOk(666, 45, 6789)).toBe(false);
    expect(ssnOk(900, 45, 6789)).toBe(false);
    expect(ssnOk(123, 0, 6789)).toBe(false);
    expect(ssnOk(123, 45, 0)).toBe(false);
  });
  it("IBAN country lengths and mod-97", () => {
    expect(ibanLength(0x44, 0x45)).toBe(22);
    expect(ibanLength(0x58, 0x58)).toBe(0);
    expect(iban("DE89 3704 0044 0532 0130 00")).toBe(true);
    expect(iban("GB82WEST12345698765432")).toBe(true);
    expect(iban("DE89 3704 0044 0532 0130 01")).toBe(false);
  });
  it("generic secret entropy rule", () => {
    expect(secret("7PUJ0dU85$Im!vz~8di9R-")).toBe(true);
    expect(secret("${DB_PASSWORD}")).toBe(false);
    expect(secret("changemechangeme")).toBe(false);
    expect(secret("Ab1!")).toBe(false);
  });
  it("table entropy decides exactly as the per-byte-value logarithm formula", () => {
    // 8 distinct bytes twice each: exactly 3.0 bits (on the threshold); 16 distinct: 4.0.
    const exact = buf("aabbccddeeffgghh");
    expect(entropyAtLeast(exact.dataStart, 0, exact.length, 3.0)).toBe(true);
    expect(entropyAtLeast(exact.dataStart, 0, exact.length, 3.0000001)).toBe(false);
    let seed: u32 = 99;
    const b = new Uint8Array(256);
    for (let r = 0; r < 3000; r++) {
      const n = 1 + <i32>(r % 256);
      const alphabet = 2 + <u32>(r % 40);
      for (let i = 0; i < n; i++) { seed = seed * 1103515245 + 12345; b[i] = <u8>(0x21 + (seed >> 16) % alphabet); }
      const h = shannonEntropy(b.dataStart, 0, n);
      for (let t = 0; t < 3; t++) {
        const bits: f64 = t == 0 ? 3.0 : t == 1 ? h : h + 1e-12;
        expect(entropyAtLeast(b.dataStart, 0, n, bits)).toBe(h >= bits);
      }
    }
  });
  it("JWT header needs an object with alg", () => {
    expect(jwt("eyJhbGciOiJIUzI1NiJ9")).toBe(true);
    expect(jwt("eyJ0eXAiOiJKV1QifQ")).toBe(false);
    expect(jwt("eyJ!!")).toBe(false);
  });
});
