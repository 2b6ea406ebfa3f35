import { Mont, limbsFromBytes, limbsFromHex, limbsToBytes, cmp, bitLength } from "../crypto/bigint";

function fromHex(h: string, n: i32): StaticArray<u32> {
  return limbsFromHex(h, n);
}

function powPlain(mont: Mont, base: StaticArray<u32>, e: StaticArray<u32>): StaticArray<u32> {
  const x = mont.newElem();
  mont.toMont(x, base);
  mont.pow(x, x, e);
  mont.fromMont(x, x);
  return x;
}

describe("limb conversion", () => {
  it("big-endian bytes <-> limbs, refusing values that do not fit", () => {
    const b = new Uint8Array(5);
    b[0] = 0x01; b[1] = 0x02; b[2] = 0x03; b[3] = 0x04; b[4] = 0x05;
    const l = limbsFromBytes(b, 2)!;
    expect(l[0]).toBe(0x02030405);
    expect(l[1]).toBe(0x01);
    expect(limbsFromBytes(b, 1)).toBeNull();
    const back = limbsToBytes(l, 5);
    for (let i = 0; i < 5; i++) expect(back[i]).toBe(b[i]);
    expect(bitLength(l)).toBe(33);
  });
});

describe("Montgomery arithmetic", () => {
  it("rejects even and trivial moduli", () => {
    expect(Mont.create(fromHex("10", 1))).toBeNull();
    expect(Mont.create(fromHex("1", 1))).toBeNull();
    expect(Mont.create(fromHex("7", 1))).not.toBeNull();
  });

  it("small modular exponentiation: 3^5 mod 7 = 5, 2^10 mod 1000003 = 1024", () => {
    const m7 = Mont.create(fromHex("7", 1))!;
    expect(powPlain(m7, fromHex("3", 1), fromHex("5", 1))[0]).toBe(5);
    const m = Mont.create(fromHex("f4243", 1))!;
    expect(powPlain(m, fromHex("2", 1), fromHex("a", 1))[0]).toBe(1024);
  });

  it("Fermat over the P-256 prime: a^(p-1) = 1 and a * a^-1 = 1", () => {
    const p = fromHex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 8);
    const mont = Mont.create(p)!;
    const a = fromHex("123456789abcdef0fedcba987654321000112233445566778899aabbccddeeff", 8);
    const e = fromHex("ffffffff00000001000000000000000000000000fffffffffffffffffffffffe", 8);
    const r = powPlain(mont, a, e);
    expect(r[0]).toBe(1);
    for (let i = 1; i < 8; i++) expect(r[i]).toBe(0);
    const am = mont.newElem();
    mont.toMont(am, a);
    const inv = mont.newElem();
    mont.inv(inv, am);
    mont.mul(inv, inv, am);
    expect(cmp(inv, mont.one)).toBe(0);
  });

  it("multi-limb product reduces correctly: (2^64 - 1)^2 mod (2^61 - 1)", () => {
    // 2^64 - 1 = 8*(2^61-1) + 7, so the square is 49 mod 2^61 - 1.
    const mont = Mont.create(fromHex("1fffffffffffffff", 2))!;
    const a = fromHex("7", 2);
    const x = mont.newElem();
    mont.toMont(x, a);
    mont.mul(x, x, x);
    mont.fromMont(x, x);
    expect(x[0]).toBe(49);
    expect(x[1]).toBe(0);
  });

  it("add and sub wrap modulo m", () => {
    const mont = Mont.create(fromHex("65", 1))!; // 101
    const r = mont.newElem();
    mont.add(r, fromHex("50", 1), fromHex("40", 1)); // 80 + 64 = 144 = 43 mod 101
    expect(r[0]).toBe(43);
    mont.sub(r, fromHex("3", 1), fromHex("5", 1));
    expect(r[0]).toBe(99);
  });
});
