// ECDSA verification on P-256 (JWS ES256, SHA-256) and P-384 (ES384, SHA-384), signatures in the
// JOSE raw r||s form (RFC 7518 section 3.4). The algorithm is FIPS 186-4 section 6.4.2 / SEC 1
// section 4.1.4; curve parameters from FIPS 186-4 appendix D.1.2.3 and D.1.2.4.
//
// How u1*G + u2*Q is computed (all inputs are public, so none of this needs to be constant-time):
// - Field arithmetic: field.ts (plain values, FIPS 186-4 D.2 fast reduction for the special primes).
// - Points in Jacobian coordinates (X/Z^2, Y/Z^3); doubling "dbl-2001-b" for a = -3 (3M + 5S),
//   general addition "add-2007-bl" (11M + 5S), mixed Jacobian + affine addition "madd-2007-bl"
//   (7M + 4S), all from the Explicit-Formulas Database; the additions detect P = Q (and double)
//   and P = -Q (infinity), which an interleaved multiplication can hit.
// - Strauss-Shamir interleaving (Guide to ECC algorithm 3.51 with wNAF digits, algorithm 3.35):
//   one shared chain of doublings; u1 in width-7 NAF against a table of the odd multiples
//   G, 3G, ..., 63G stored affine (built once, at first use, and normalised with one inversion,
//   Montgomery's trick), u2 in width-5 NAF against Q, 3Q, ..., 15Q in Jacobian form built per call.
//   Negative digits use -P = (x, -y).
// - No inversion at the end: x(R) mod n = r  <=>  X = r' * Z^2 for r' in {r, r + n (when < p)}.
// - s^-1 mod n by the binary extended Euclidean algorithm (field.ts invMod).
import { HashAlg, digest } from "../../../common/assembly/crypto/sha2";
import { Mont, addInPlace, cmp, copyLimbs, isZero, limbsFromBytes, limbsFromHex, limbsToBytes, subInPlace } from "./bigint";
import { FieldKind, PrimeField, invMod } from "./field";

export enum Curve {
  P256 = 0,
  P384 = 1,
}

type Fe = StaticArray<u32>;

/** wNAF widths: G's table holds 2^(G_W-2) affine points, Q's 2^(Q_W-2) Jacobian points. */
const G_W: i32 = 7;
const Q_W: i32 = 5;

class Jacobian {
  x: Fe;
  y: Fe;
  z: Fe; // zero for the point at infinity
  constructor(limbs: i32) {
    this.x = new StaticArray<u32>(limbs);
    this.y = new StaticArray<u32>(limbs);
    this.z = new StaticArray<u32>(limbs);
  }
  set(o: Jacobian): void {
    copyLimbs(this.x, o.x);
    copyLimbs(this.y, o.y);
    copyLimbs(this.z, o.z);
  }
  setInfinity(): void {
    memory.fill(changetype<usize>(this.z), 0, <usize>this.z.length << 2);
  }
}

class CurveParams {
  readonly limbs: i32;
  readonly byteLen: i32;
  readonly hash: HashAlg;
  readonly f: PrimeField;
  readonly fn: Mont;
  readonly b: Fe;
  readonly gx: Fe;
  readonly gy: Fe;
  /** affine odd multiples (2i+1)G, built at first use */
  gTableX: StaticArray<Fe> | null = null;
  gTableY: StaticArray<Fe> | null = null;
  /** per-call Jacobian odd multiples (2i+1)Q */
  readonly qTable: StaticArray<Jacobian>;
  readonly t: StaticArray<Fe>; // point-formula scratch
  readonly negY: Fe;
  readonly negQ: Jacobian;
  readonly naf1: StaticArray<i8>;
  readonly naf2: StaticArray<i8>;
  readonly nafWork: Fe; // limbs + 1
  readonly inv0: Fe;
  readonly inv1: Fe;
  readonly inv2: Fe;
  readonly inv3: Fe;

  constructor(kind: FieldKind, hash: HashAlg, n: string, b: string, gx: string, gy: string) {
    const f = new PrimeField(kind);
    const limbs = f.n;
    this.limbs = limbs;
    this.byteLen = limbs * 4;
    this.hash = hash;
    this.f = f;
    this.fn = Mont.create(limbsFromHex(n, limbs))!;
    this.b = limbsFromHex(b, limbs);
    this.gx = limbsFromHex(gx, limbs);
    this.gy = limbsFromHex(gy, limbs);
    const qt = new StaticArray<Jacobian>(1 << (Q_W - 2));
    for (let i = 0; i < qt.length; i++) qt[i] = new Jacobian(limbs);
    this.qTable = qt;
    const t = new StaticArray<Fe>(12);
    for (let i = 0; i < 12; i++) t[i] = f.newElem();
    this.t = t;
    this.negY = f.newElem();
    this.negQ = new Jacobian(limbs);
    this.naf1 = new StaticArray<i8>(limbs * 32 + 1);
    this.naf2 = new StaticArray<i8>(limbs * 32 + 1);
    this.nafWork = new StaticArray<u32>(limbs + 1);
    this.inv0 = f.newElem();
    this.inv1 = f.newElem();
    this.inv2 = f.newElem();
    this.inv3 = f.newElem();
  }
}

let p256: CurveParams | null = null;
let p384: CurveParams | null = null;

function params(curve: Curve): CurveParams | null {
  if (curve == Curve.P256) {
    if (p256 === null) {
      p256 = new CurveParams(
        FieldKind.P256,
        HashAlg.SHA256,
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
      );
    }
    return p256;
  }
  if (curve == Curve.P384) {
    if (p384 === null) {
      p384 = new CurveParams(
        FieldKind.P384,
        HashAlg.SHA384,
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
      );
    }
    return p384;
  }
  return null;
}

/** r = 2p for a = -3 ("dbl-2001-b"). Infinity and y = 0 give Z = 0. r may be p. */
function pointDouble(c: CurveParams, r: Jacobian, p: Jacobian): void {
  const f = c.f;
  const delta = c.t[0], gamma = c.t[1], beta = c.t[2], alpha = c.t[3], t0 = c.t[4], t1 = c.t[5];
  f.sqr(delta, p.z);
  f.sqr(gamma, p.y);
  f.mul(beta, p.x, gamma);
  f.sub(t0, p.x, delta);
  f.add(t1, p.x, delta);
  f.mul(alpha, t0, t1);
  f.add(t0, alpha, alpha);
  f.add(alpha, t0, alpha); // alpha = 3(x - delta)(x + delta)
  // Z3 = (Y1 + Z1)^2 - gamma - delta  (computed before X/Y overwrite p when r == p)
  f.add(t0, p.y, p.z);
  f.sqr(t0, t0);
  f.sub(t0, t0, gamma);
  f.sub(r.z, t0, delta);
  // X3 = alpha^2 - 8 beta
  f.add(t1, beta, beta);
  f.add(t1, t1, t1); // 4 beta
  f.sqr(t0, alpha);
  f.sub(t0, t0, t1);
  f.sub(r.x, t0, t1);
  // Y3 = alpha (4 beta - X3) - 8 gamma^2
  f.sub(t1, t1, r.x);
  f.mul(t1, alpha, t1);
  f.sqr(gamma, gamma);
  f.add(gamma, gamma, gamma);
  f.add(gamma, gamma, gamma);
  f.add(gamma, gamma, gamma);
  f.sub(r.y, t1, gamma);
}

/** r = p + q ("add-2007-bl"), handling infinity, p == q (doubles) and p == -q (infinity). r may alias p. */
function pointAdd(c: CurveParams, r: Jacobian, p: Jacobian, q: Jacobian): void {
  const f = c.f;
  if (isZero(p.z)) {
    r.set(q);
    return;
  }
  if (isZero(q.z)) {
    r.set(p);
    return;
  }
  const z1z1 = c.t[6], z2z2 = c.t[7], u1 = c.t[8], u2 = c.t[9], s1 = c.t[10], s2 = c.t[11];
  f.sqr(z1z1, p.z);
  f.sqr(z2z2, q.z);
  f.mul(u1, p.x, z2z2);
  f.mul(u2, q.x, z1z1);
  f.mul(s1, p.y, q.z);
  f.mul(s1, s1, z2z2);
  f.mul(s2, q.y, p.z);
  f.mul(s2, s2, z1z1);
  const h = u2;
  f.sub(h, u2, u1);
  const rr = s2;
  f.sub(rr, s2, s1);
  if (isZero(h)) {
    if (isZero(rr)) pointDouble(c, r, p);
    else r.setInfinity(); // p == -q
    return;
  }
  f.add(rr, rr, rr); // r = 2(S2 - S1)
  const i_ = c.t[0], j = c.t[1], v = c.t[2], t0 = c.t[3];
  f.add(i_, h, h);
  f.sqr(i_, i_); // I = (2H)^2
  f.mul(j, h, i_); // J = H*I
  f.mul(v, u1, i_); // V = U1*I
  // Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) * H   (before r.x/r.y overwrite p)
  f.add(t0, p.z, q.z);
  f.sqr(t0, t0);
  f.sub(t0, t0, z1z1);
  f.sub(t0, t0, z2z2);
  f.mul(r.z, t0, h);
  // X3 = r^2 - J - 2V
  f.sqr(t0, rr);
  f.sub(t0, t0, j);
  f.sub(t0, t0, v);
  f.sub(r.x, t0, v);
  // Y3 = r (V - X3) - 2 S1 J
  f.sub(t0, v, r.x);
  f.mul(t0, rr, t0);
  f.mul(s1, s1, j);
  f.add(s1, s1, s1);
  f.sub(r.y, t0, s1);
}

/** r = p + (qx, qy) with an affine second point ("madd-2007-bl"), same special cases. r may alias p. */
function pointAddAffine(c: CurveParams, r: Jacobian, p: Jacobian, qx: Fe, qy: Fe): void {
  const f = c.f;
  if (isZero(p.z)) {
    copyLimbs(r.x, qx);
    copyLimbs(r.y, qy);
    memory.fill(changetype<usize>(r.z), 0, <usize>c.limbs << 2);
    unchecked(r.z[0] = 1);
    return;
  }
  const z1z1 = c.t[6], u2 = c.t[7], s2 = c.t[8], h = c.t[9], hh = c.t[10], rr = c.t[11];
  f.sqr(z1z1, p.z);
  f.mul(u2, qx, z1z1);
  f.mul(s2, qy, p.z);
  f.mul(s2, s2, z1z1);
  f.sub(h, u2, p.x);
  f.sub(rr, s2, p.y);
  if (isZero(h)) {
    if (isZero(rr)) pointDouble(c, r, p);
    else r.setInfinity();
    return;
  }
  f.add(rr, rr, rr); // r = 2(S2 - Y1)
  const i_ = c.t[0], j = c.t[1], v = c.t[2], t0 = c.t[3];
  f.sqr(hh, h);
  f.add(i_, hh, hh);
  f.add(i_, i_, i_); // I = 4 HH
  f.mul(j, h, i_); // J = H*I
  f.mul(v, p.x, i_); // V = X1*I
  // Z3 = (Z1 + H)^2 - Z1Z1 - HH  (before r.x/r.y overwrite p)
  f.add(t0, p.z, h);
  f.sqr(t0, t0);
  f.sub(t0, t0, z1z1);
  f.sub(r.z, t0, hh);
  // X3 = r^2 - J - 2V
  f.sqr(t0, rr);
  f.sub(t0, t0, j);
  f.sub(t0, t0, v);
  f.sub(r.x, t0, v);
  // Y3 = r (V - X3) - 2 Y1 J
  f.sub(t0, v, r.x);
  f.mul(t0, rr, t0);
  f.mul(j, p.y, j);
  f.add(j, j, j);
  f.sub(r.y, t0, j);
}

/**
 * Width-w NAF of k (Guide to ECC algorithm 3.35): digits odd in (-2^(w-1), 2^(w-1)) or zero, any
 * two non-zero digits at least w apart; out[i] is the digit of 2^i. Returns the digit count.
 * `work` has one limb more than k so k + 2^(w-1) cannot overflow.
 */
export function wnaf(out: StaticArray<i8>, k: Fe, w: i32, work: Fe): i32 {
  const n = k.length;
  for (let i = 0; i < n; i++) unchecked(work[i] = k[i]);
  unchecked(work[n] = 0);
  memory.fill(changetype<usize>(out), 0, <usize>out.length);
  const mask: u32 = (<u32>1 << <u32>w) - 1;
  const half: i32 = 1 << (w - 1);
  let len = 0;
  while (len < out.length && !isZero(work)) {
    let digit: i32 = 0;
    const low = unchecked(work[0]);
    if ((low & 1) != 0) {
      digit = <i32>(low & mask);
      if (digit >= half) digit -= 1 << w;
      // work -= digit (a borrow or carry ripples up at most through the limbs)
      if (digit > 0) {
        let borrow: i64 = digit;
        for (let i = 0; i <= n && borrow != 0; i++) {
          const d = <i64>unchecked(work[i]) - borrow;
          unchecked(work[i] = <u32>d);
          borrow = d < 0 ? 1 : 0;
        }
      } else {
        let carry: u64 = <u64>(-digit);
        for (let i = 0; i <= n && carry != 0; i++) {
          const s = <u64>unchecked(work[i]) + carry;
          unchecked(work[i] = <u32>s);
          carry = s >> 32;
        }
      }
    }
    unchecked(out[len] = <i8>digit);
    len++;
    // work >>= 1
    for (let i = 0; i < n; i++) unchecked(work[i] = (unchecked(work[i]) >> 1) | (unchecked(work[i + 1]) << 31));
    unchecked(work[n] = unchecked(work[n]) >> 1);
  }
  return len;
}

/** Builds the affine table (2i+1)G, i < 2^(G_W-2): Jacobian sums, then one batched inversion. */
function buildGTable(c: CurveParams): void {
  const f = c.f, nl = c.limbs;
  const count = 1 << (G_W - 2);
  const jac = new StaticArray<Jacobian>(count);
  const g = new Jacobian(nl);
  copyLimbs(g.x, c.gx);
  copyLimbs(g.y, c.gy);
  unchecked(g.z[0] = 1);
  const g2 = new Jacobian(nl);
  pointDouble(c, g2, g);
  jac[0] = g;
  for (let i = 1; i < count; i++) {
    const pt = new Jacobian(nl);
    pointAdd(c, pt, jac[i - 1], g2);
    jac[i] = pt;
  }
  // Montgomery's trick: prefix[i] = Z_0 * ... * Z_i, one inversion, then walk back.
  const prefix = new StaticArray<Fe>(count);
  for (let i = 0; i < count; i++) {
    const pr = f.newElem();
    if (i == 0) copyLimbs(pr, jac[0].z);
    else f.mul(pr, prefix[i - 1], jac[i].z);
    prefix[i] = pr;
  }
  const inv = f.newElem();
  f.inv(inv, prefix[count - 1]); // no Z is zero: (2i+1)G != infinity for 2i+1 < n
  const xs = new StaticArray<Fe>(count), ys = new StaticArray<Fe>(count);
  const zi = f.newElem(), zi2 = f.newElem();
  for (let i = count - 1; i >= 0; i--) {
    if (i > 0) {
      f.mul(zi, inv, prefix[i - 1]);
      f.mul(inv, inv, jac[i].z);
    } else {
      copyLimbs(zi, inv);
    }
    f.sqr(zi2, zi);
    const x = f.newElem(), y = f.newElem();
    f.mul(x, jac[i].x, zi2);
    f.mul(zi2, zi2, zi);
    f.mul(y, jac[i].y, zi2);
    xs[i] = x;
    ys[i] = y;
  }
  c.gTableX = xs;
  c.gTableY = ys;
}

/**
 * acc = u1*G + u2*Q (Strauss-Shamir with wNAF, see the header). u1, u2 < 2^(32 limbs) - 2^G_W;
 * (qx, qy) an affine curve point. acc.z = 0 when the sum is the point at infinity.
 */
function mulAdd(c: CurveParams, acc: Jacobian, u1: Fe, u2: Fe, qx: Fe, qy: Fe): void {
  const f = c.f;
  if (c.gTableX === null) buildGTable(c);
  const gxs = c.gTableX!, gys = c.gTableY!;
  // Q, 3Q, 5Q, ... (Jacobian)
  const qt = c.qTable;
  const q0 = unchecked(qt[0]);
  copyLimbs(q0.x, qx);
  copyLimbs(q0.y, qy);
  memory.fill(changetype<usize>(q0.z), 0, <usize>c.limbs << 2);
  unchecked(q0.z[0] = 1);
  const q2 = c.negQ; // borrowed as scratch for 2Q
  pointDouble(c, q2, q0);
  for (let i = 1; i < qt.length; i++) pointAdd(c, unchecked(qt[i]), unchecked(qt[i - 1]), q2);

  const l1 = wnaf(c.naf1, u1, G_W, c.nafWork);
  const l2 = wnaf(c.naf2, u2, Q_W, c.nafWork);
  acc.setInfinity();
  let started = false;
  for (let i = max(l1, l2) - 1; i >= 0; i--) {
    if (started) pointDouble(c, acc, acc);
    const d1 = <i32>unchecked(c.naf1[i]);
    if (d1 != 0) {
      const idx = (d1 > 0 ? d1 : -d1) >> 1;
      if (d1 > 0) pointAddAffine(c, acc, acc, unchecked(gxs[idx]), unchecked(gys[idx]));
      else {
        f.neg(c.negY, unchecked(gys[idx]));
        pointAddAffine(c, acc, acc, unchecked(gxs[idx]), c.negY);
      }
      started = true;
    }
    const d2 = <i32>unchecked(c.naf2[i]);
    if (d2 != 0) {
      const pt = unchecked(qt[(d2 > 0 ? d2 : -d2) >> 1]);
      if (d2 > 0) pointAdd(c, acc, acc, pt);
      else {
        const nq = c.negQ;
        copyLimbs(nq.x, pt.x);
        f.neg(nq.y, pt.y);
        copyLimbs(nq.z, pt.z);
        pointAdd(c, acc, acc, nq);
      }
      started = true;
    }
  }
}

/** Public key validation (SEC 1 section 3.2.2.1 for a cofactor-1 curve): coordinates < p, y^2 = x^3 - 3x + b. */
function onCurve(c: CurveParams, x: Fe, y: Fe): bool {
  const f = c.f;
  const lhs = c.t[0], rhs = c.t[1], t = c.t[2];
  f.sqr(lhs, y);
  f.sqr(rhs, x);
  f.mul(rhs, rhs, x);
  f.add(t, x, x);
  f.add(t, t, x);
  f.sub(rhs, rhs, t);
  f.add(rhs, rhs, c.b);
  return cmp(lhs, rhs) == 0;
}

function inRange1(v: Fe, n: Fe): bool {
  return !isZero(v) && cmp(v, n) < 0;
}

/** Decodes and validates a public key; null when it is not a curve point. */
function decodePoint(c: CurveParams, x: Uint8Array, y: Uint8Array): StaticArray<Fe> | null {
  const L = c.byteLen, nl = c.limbs;
  if (x.length != L || y.length != L) return null;
  const qx = limbsFromBytes(x, nl)!, qy = limbsFromBytes(y, nl)!;
  if (cmp(qx, c.f.p) >= 0 || cmp(qy, c.f.p) >= 0) return null;
  if (!onCurve(c, qx, qy)) return null; // also excludes the (unencodable) point at infinity
  const out = new StaticArray<Fe>(2);
  out[0] = qx;
  out[1] = qy;
  return out;
}

/**
 * ECDSA verify for JWS ES256 (P-256 + SHA-256) / ES384 (P-384 + SHA-384).
 * `x`, `y`: the public point's affine coordinates, each exactly the coordinate size in bytes
 * (RFC 7518 section 6.2.1.2); `sigRaw`: r || s, each exactly that size (RFC 7518 section 3.4).
 * Rejects: wrong lengths, coordinates >= p, points not on the curve, r or s outside [1, n-1],
 * and a sum u1*G + u2*Q at infinity (FIPS 186-4 section 6.4.2).
 */
export function verifyEcdsa(curve: Curve, x: Uint8Array, y: Uint8Array, msg: Uint8Array, sigRaw: Uint8Array): bool {
  const cp = params(curve);
  if (cp === null) return false;
  const c = cp;
  const L = c.byteLen, nl = c.limbs;
  if (sigRaw.length != 2 * L) return false;
  const q = decodePoint(c, x, y);
  if (q === null) return false;
  const f = c.f, fn = c.fn;

  const r = limbsFromBytes(sigRaw.subarray(0, L), nl)!;
  const s = limbsFromBytes(sigRaw.subarray(L), nl)!;
  if (!inRange1(r, fn.m) || !inRange1(s, fn.m)) return false;

  // e = H(m) as an integer; here the hash is exactly as long as n, so bits2int needs no shift,
  // and e < 2^bits < 2n needs at most one subtraction.
  const e = limbsFromBytes(digest(c.hash, msg), nl)!;
  if (cmp(e, fn.m) >= 0) subInPlace(e, fn.m);

  // w = s^-1 mod n; u1 = e*w, u2 = r*w. Mont.mul(a, b) = ab/R, so a second product with R^2
  // gives the plain ab mod n.
  const w = fn.newElem();
  if (!invMod(w, s, fn.m, c.inv0, c.inv1, c.inv2, c.inv3)) return false; // n is prime: cannot fail
  const u1 = fn.newElem(), u2 = fn.newElem();
  fn.mul(u1, e, w);
  fn.mul(u1, u1, fn.r2);
  fn.mul(u2, r, w);
  fn.mul(u2, u2, fn.r2);

  const acc = new Jacobian(nl);
  mulAdd(c, acc, u1, u2, unchecked(q[0]), unchecked(q[1]));
  if (isZero(acc.z)) return false;

  // x(R) = X/Z^2 in [0, p); x(R) mod n == r iff X == r'*Z^2 for r' = r, or r' = r + n when r + n < p
  // (p < 2n, so no other candidate exists).
  const z2 = c.t[0], t = c.t[1];
  f.sqr(z2, acc.z);
  f.mul(t, r, z2); // r < n < p is a valid field element
  if (cmp(t, acc.x) == 0) return true;
  const rn = c.t[2];
  copyLimbs(rn, r);
  if (addInPlace(rn, fn.m) != 0 || cmp(rn, f.p) >= 0) return false;
  f.mul(t, rn, z2);
  return cmp(t, acc.x) == 0;
}

/**
 * Test hook (not part of the crypto API): u1*G + u2*Q as affine x || y (big-endian), an empty
 * array for the point at infinity, or null when Q is not a valid public key or u1, u2 >= n.
 */
export function ecdsaMulAdd(curve: Curve, u1b: Uint8Array, u2b: Uint8Array, x: Uint8Array, y: Uint8Array): Uint8Array | null {
  const cp = params(curve);
  if (cp === null) return null;
  const c = cp;
  const q = decodePoint(c, x, y);
  if (q === null) return null;
  const u1 = limbsFromBytes(u1b, c.limbs), u2 = limbsFromBytes(u2b, c.limbs);
  if (u1 === null || u2 === null || cmp(u1, c.fn.m) >= 0 || cmp(u2, c.fn.m) >= 0) return null;
  const acc = new Jacobian(c.limbs);
  mulAdd(c, acc, u1, u2, unchecked(q[0]), unchecked(q[1]));
  if (isZero(acc.z)) return new Uint8Array(0);
  const f = c.f;
  const zi = f.newElem(), zi2 = f.newElem(), ax = f.newElem(), ay = f.newElem();
  f.inv(zi, acc.z);
  f.sqr(zi2, zi);
  f.mul(ax, acc.x, zi2);
  f.mul(zi2, zi2, zi);
  f.mul(ay, acc.y, zi2);
  const out = new Uint8Array(2 * c.byteLen);
  out.set(limbsToBytes(ax, c.byteLen));
  out.set(limbsToBytes(ay, c.byteLen), c.byteLen);
  return out;
}
