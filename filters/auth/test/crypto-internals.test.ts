// The fast paths inside the Wasm crypto checked against plain BigInt arithmetic: the special-prime
// field reductions (field.ts) on values that exercise every carry/fold/subtraction branch, and the
// interleaved wNAF multiplication u1*G + u2*Q (ecdsa.ts) on the cases the addition formulas must
// special-case (an intermediate sum equal to the point added, or to its negative) and on scalars at
// the edges of the digit tables.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { CryptoHarness, Curve, FieldKind, FieldOp } from "./fixtures/crypto-harness/load.ts";

const wasm = CryptoHarness.load();

const toBytes = (v: bigint, len: number): Uint8Array => new Uint8Array(Buffer.from(v.toString(16).padStart(2 * len, "0"), "hex"));
const toBig = (b: Uint8Array): bigint => (b.length ? BigInt("0x" + Buffer.from(b).toString("hex")) : 0n);
const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;
function powMod(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b = mod(b, m);
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
function invMod(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
}
const rand = (m: bigint, len: number): bigint => mod(toBig(randomBytes(len + 8)), m);

const FIELDS: [FieldKind, string, bigint, number][] = [
  [FieldKind.P256, "P-256", 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n, 32],
  [FieldKind.P384, "P-384", 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n, 48],
  [FieldKind.P25519, "2^255-19", 2n ** 255n - 19n, 32],
];

describe("special-prime field arithmetic agrees with BigInt", () => {
  for (const [kind, name, p, len] of FIELDS) {
    test(`${name}: mul, sqr, add, sub, neg, inv on edge and random values`, () => {
      // Edge values: 0, 1, 2, p-1, p-2, (p-1)/2, values whose words are all ones or all zeros in
      // places (they drive the signed column sums to their extremes), powers of two near the top.
      const edges = [0n, 1n, 2n, p - 1n, p - 2n, (p - 1n) / 2n, (p + 1n) / 2n, 2n ** BigInt(8 * len - 32) - 1n, 2n ** BigInt(8 * len - 1) % p, p - 2n ** 32n, 2n ** 32n - 1n];
      for (let w = 0; w < len / 4; w++) edges.push(mod(((1n << 32n) - 1n) << BigInt(32 * w), p), mod(p - (1n << BigInt(32 * w)), p));
      const values = [...edges];
      for (let i = 0; i < 40; i++) values.push(rand(p, len));
      const check = (op: FieldOp, a: bigint, b: bigint, want: bigint | null) => {
        const got = wasm.fieldOp(kind, op, toBytes(a, len), toBytes(b, len));
        if (want === null) assert.equal(got, null, `${FieldOp[op]}(${a.toString(16)}) refused`);
        else assert.equal(got && toBig(got), want, `${FieldOp[op]}(${a.toString(16)}, ${b.toString(16)})`);
      };
      for (const a of values) {
        check(FieldOp.Sqr, a, 0n, (a * a) % p);
        check(FieldOp.Neg, a, 0n, mod(-a, p));
        check(FieldOp.Inv, a, 0n, a === 0n ? null : powMod(a, p - 2n, p));
        for (const b of edges) {
          check(FieldOp.Mul, a, b, (a * b) % p);
          check(FieldOp.Add, a, b, (a + b) % p);
          check(FieldOp.Sub, a, b, mod(a - b, p));
        }
      }
      for (let i = 0; i < 300; i++) {
        const a = rand(p, len), b = rand(p, len);
        check(FieldOp.Mul, a, b, (a * b) % p);
      }
      // Operands must be reduced.
      check(FieldOp.Mul, p, 1n, null);
    });
  }
});

// Affine short-Weierstrass reference (a = -3); null is the point at infinity.
type Pt = [bigint, bigint] | null;
interface C { curve: Curve; name: string; p: bigint; n: bigint; g: [bigint, bigint]; len: number }
function add(c: C, P: Pt, Q: Pt): Pt {
  if (!P) return Q;
  if (!Q) return P;
  const { p } = c;
  let l: bigint;
  if (P[0] === Q[0]) {
    if (mod(P[1] + Q[1], p) === 0n) return null;
    l = mod((3n * P[0] * P[0] - 3n) * invMod(2n * P[1], p), p);
  } else {
    l = mod((Q[1] - P[1]) * invMod(Q[0] - P[0], p), p);
  }
  const x = mod(l * l - P[0] - Q[0], p);
  return [x, mod(l * (P[0] - x) - P[1], p)];
}
function mul(c: C, k: bigint, P: Pt): Pt {
  let r: Pt = null;
  for (let i = BigInt(k.toString(2).length) - 1n; i >= 0n; i--) {
    r = add(c, r, r);
    if ((k >> i) & 1n) r = add(c, r, P);
  }
  return r;
}

const CURVES: C[] = [
  {
    curve: Curve.P256, name: "P-256", len: 32,
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    g: [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n, 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n],
  },
  {
    curve: Curve.P384, name: "P-384", len: 48,
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    g: [
      0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
      0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    ],
  },
];

describe("u1*G + u2*Q (interleaved wNAF) agrees with a BigInt reference", () => {
  for (const c of CURVES) {
    const run = (u1: bigint, u2: bigint, Q: [bigint, bigint], what: string) => {
      const want = add(c, mul(c, u1, c.g), mul(c, u2, Q));
      const got = wasm.ecMulAdd(c.curve, toBytes(u1, c.len), toBytes(u2, c.len), toBytes(Q[0], c.len), toBytes(Q[1], c.len));
      assert.ok(got !== null, `${what}: refused`);
      if (want === null) assert.equal(got.length, 0, `${what}: expected infinity`);
      else assert.deepEqual([toBig(got.subarray(0, c.len)), toBig(got.subarray(c.len))], want, what);
    };

    test(`${c.name}: sums that hit P + P and P + (-P) inside the additions`, () => {
      const G = c.g;
      const negG: [bigint, bigint] = [G[0], c.p - G[1]];
      // Q = G, u1 = u2: the first G digit and the first Q digit add the same point (doubling case).
      for (const u of [1n, 3n, 5n, 127n, 255n, 0x1234567n, c.n - 1n, c.n >> 1n, rand(c.n, c.len)]) {
        run(u, u, G, `Q = G, u1 = u2 = ${u.toString(16)}`);
        run(u, u, negG, `Q = -G, u1 = u2 = ${u.toString(16)} (sum is infinity)`);
        run(u, c.n - u, G, `Q = G, u2 = n - u1 (sum is infinity)`);
        run(u, mod(u + 2n, c.n), negG, `Q = -G, u2 = u1 + 2 (sum is -2G)`);
      }
      // A G digit added to an accumulator that already equals +-(that digit)G (the mixed addition's
      // special cases): with Q = q*G, q = b / (2a) mod n, u2 = 2a puts a*Q in the accumulator one step
      // early, the doubling makes it b*G, and u1 = b then adds b*G (or -b*G via Q' = -Q).
      for (const [a, b] of [[1n, 1n], [1n, 3n], [15n, 63n], [3n, 1n]]) {
        const q = mod(b * invMod(2n * a, c.n), c.n);
        const Q = mul(c, q, G) as [bigint, bigint];
        run(b, 2n * a, Q, `acc = ${b}G before adding ${b}G`);
        run(b, 2n * a, [Q[0], c.p - Q[1]], `acc = -${b}G before adding ${b}G (infinity)`);
      }
      // Q = 2G and Q = 3G: digits of u1 and u2 that line up make doubling cases mid-chain.
      const G2 = mul(c, 2n, G) as [bigint, bigint], G3 = mul(c, 3n, G) as [bigint, bigint];
      for (let i = 0; i < 8; i++) {
        const u = rand(c.n, c.len) >> 8n;
        run(2n * u, u, G2, `Q = 2G, u1 = 2 u2`);
        run(mod(3n * u, c.n), c.n - u, G3, `Q = 3G, u1 = -3 u2 (infinity)`);
      }
    });

    test(`${c.name}: scalars at the edges (0, 1, n-1, table-boundary digits) and random`, () => {
      const Q = mul(c, rand(c.n, c.len), c.g) as [bigint, bigint];
      const ones = (bits: number) => (1n << BigInt(bits)) - 1n;
      const edge = [0n, 1n, 2n, 63n, 64n, 65n, 127n, 128n, 129n, 15n, 16n, 17n, c.n - 1n, c.n - 2n, c.n - 127n, ones(8 * c.len - 33), 0x7f7f7f7f7f7f7f7fn, 0x5555555555555555n, 0xaaaaaaaaaaaaaaaan];
      for (const u1 of edge) for (const u2 of [0n, 1n, 15n, c.n - 1n, rand(c.n, c.len)]) run(u1, u2, Q, `u1 = ${u1.toString(16)}, u2 = ${u2.toString(16)}`);
      for (let i = 0; i < 10; i++) run(rand(c.n, c.len), rand(c.n, c.len), Q, "random");
      // Refused: scalars >= n, a point off the curve.
      assert.equal(wasm.ecMulAdd(c.curve, toBytes(c.n, c.len), toBytes(1n, c.len), toBytes(Q[0], c.len), toBytes(Q[1], c.len)), null);
      assert.equal(wasm.ecMulAdd(c.curve, toBytes(1n, c.len), toBytes(1n, c.len), toBytes(Q[0], c.len), toBytes(mod(Q[1] + 1n, c.p), c.len)), null);
    });
  }
});
