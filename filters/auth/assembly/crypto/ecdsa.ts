// ECDSA verification on P-256 (JWS ES256, SHA-256) and P-384 (ES384, SHA-384), signatures in the
// JOSE raw r||s form (RFC 7518 section 3.4). The algorithm is FIPS 186-4 section 6.4.2 / SEC 1
// section 4.1.4; curve parameters from FIPS 186-4 appendix D.1.2.3 and D.1.2.4.
// Points are in Jacobian coordinates (X/Z^2, Y/Z^3) over Montgomery-form field elements;
// u1*G + u2*Q is computed in one double-and-add pass (Shamir's trick).
import { HashAlg, digest } from "../../../common/assembly/crypto/sha2";
import { Mont, cmp, copyLimbs, isZero, limbsFromBytes, limbsFromHex, subInPlace, testBit, bitLength } from "./bigint";

export enum Curve {
  P256 = 0,
  P384 = 1,
}

type Fe = StaticArray<u32>;

class CurveParams {
  readonly limbs: i32;
  readonly byteLen: i32;
  readonly hash: HashAlg;
  readonly fp: Mont;
  readonly fn: Mont;
  readonly b: Fe; // Montgomery form
  readonly g: Jacobian;
  // scratch for point arithmetic
  readonly t: StaticArray<Fe>;

  constructor(limbs: i32, hash: HashAlg, p: string, n: string, b: string, gx: string, gy: string) {
    const fp = Mont.create(limbsFromHex(p, limbs))!;
    const b_ = fp.newElem();
    fp.toMont(b_, limbsFromHex(b, limbs));
    const g = new Jacobian(limbs);
    fp.toMont(g.x, limbsFromHex(gx, limbs));
    fp.toMont(g.y, limbsFromHex(gy, limbs));
    copyLimbs(g.z, fp.one);
    const t = new StaticArray<Fe>(12);
    for (let i = 0; i < 12; i++) t[i] = fp.newElem();
    this.limbs = limbs;
    this.byteLen = limbs * 4;
    this.hash = hash;
    this.fp = fp;
    this.fn = Mont.create(limbsFromHex(n, limbs))!;
    this.b = b_;
    this.g = g;
    this.t = t;
  }
}

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
}

let p256: CurveParams | null = null;
let p384: CurveParams | null = null;

function params(curve: Curve): CurveParams | null {
  if (curve == Curve.P256) {
    if (p256 === null) {
      p256 = new CurveParams(
        8,
        HashAlg.SHA256,
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
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
        12,
        HashAlg.SHA384,
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
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

/** r = 2p for a = -3 ("dbl-2001-b", Bernstein-Lange EFD). Infinity and y = 0 give Z = 0. r may be p. */
function pointDouble(c: CurveParams, r: Jacobian, p: Jacobian): void {
  const f = c.fp;
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
  const f = c.fp;
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
    else {
      // p == -q
      for (let i = 0; i < c.limbs; i++) unchecked(r.z[i] = 0);
    }
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

/** Public key validation (SEC 1 section 3.2.2.1 for a cofactor-1 curve): coordinates < p, y^2 = x^3 - 3x + b. */
function onCurve(c: CurveParams, x: Fe, y: Fe): bool {
  const f = c.fp;
  const lhs = f.newElem(), rhs = f.newElem(), t = f.newElem();
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
  if (x.length != L || y.length != L || sigRaw.length != 2 * L) return false;
  const fp = c.fp, fn = c.fn;
  const qx = limbsFromBytes(x, nl)!, qy = limbsFromBytes(y, nl)!;
  if (cmp(qx, fp.m) >= 0 || cmp(qy, fp.m) >= 0) return false;
  const q = new Jacobian(nl);
  fp.toMont(q.x, qx);
  fp.toMont(q.y, qy);
  copyLimbs(q.z, fp.one);
  if (!onCurve(c, q.x, q.y)) return false; // also excludes the (unencodable) point at infinity

  const r = limbsFromBytes(sigRaw.subarray(0, L), nl)!;
  const s = limbsFromBytes(sigRaw.subarray(L), nl)!;
  if (!inRange1(r, fn.m) || !inRange1(s, fn.m)) return false;

  // e = H(m) as an integer; here the hash is exactly as long as n, so bits2int needs no shift,
  // and e < 2^bits < 2n needs at most one subtraction.
  const e = limbsFromBytes(digest(c.hash, msg), nl)!;
  if (cmp(e, fn.m) >= 0) subInPlace(e, fn.m);

  // w = s^-1; u1 = e*w, u2 = r*w (plain * Montgomery = plain product).
  const w = fn.newElem();
  fn.toMont(w, s);
  fn.inv(w, w);
  const u1 = fn.newElem(), u2 = fn.newElem();
  fn.mul(u1, e, w);
  fn.mul(u2, r, w);

  // X = u1*G + u2*Q
  const gq = new Jacobian(nl);
  pointAdd(c, gq, c.g, q);
  const acc = new Jacobian(nl);
  const top = max(bitLength(u1), bitLength(u2));
  for (let i = top - 1; i >= 0; i--) {
    pointDouble(c, acc, acc);
    const b1 = testBit(u1, i), b2 = testBit(u2, i);
    if (b1 && b2) pointAdd(c, acc, acc, gq);
    else if (b1) pointAdd(c, acc, acc, c.g);
    else if (b2) pointAdd(c, acc, acc, q);
  }
  if (isZero(acc.z)) return false;

  // affine x = X / Z^2, then v = x mod n (x < p < 2n: one subtraction at most)
  const zi = fp.newElem();
  fp.inv(zi, acc.z);
  fp.sqr(zi, zi);
  const ax = fp.newElem();
  fp.mul(ax, acc.x, zi);
  fp.fromMont(ax, ax);
  if (cmp(ax, fn.m) >= 0) subInPlace(ax, fn.m);
  return cmp(ax, r) == 0;
}
