// Ed25519 signature verification (RFC 8032 section 5.1.7), for JWS "EdDSA" with crv "Ed25519"
// (RFC 8037). Points in extended twisted Edwards coordinates (X:Y:Z:T, x = X/Z, y = Y/Z,
// xy = T/Z) with the complete addition law of RFC 8032 section 5.1.4; field elements in
// Montgomery form modulo p = 2^255 - 19.
//
// Checks: the public key and R are 32 bytes each, S is 32 bytes with S < L (non-canonical S is
// rejected, section 5.1.7 step 1), the public key decodes per section 5.1.3 (y < p, x exists,
// no "negative zero"). The equation is checked without the cofactor: [S]B - [k]A is encoded and
// compared byte for byte with R, which also rejects non-canonical encodings of R.
import { sha512 } from "../../../common/assembly/crypto/sha2";
import { Mont, cmp, copyLimbs, isZero, limbsFromBytesLE, limbsFromHex, limbsToBytesLE, subInPlace, testBit, bitLength } from "./bigint";

type Fe = StaticArray<u32>;

class Ext {
  x: Fe;
  y: Fe;
  z: Fe;
  t: Fe;
  constructor() {
    this.x = new StaticArray<u32>(8);
    this.y = new StaticArray<u32>(8);
    this.z = new StaticArray<u32>(8);
    this.t = new StaticArray<u32>(8);
  }
  set(o: Ext): void {
    copyLimbs(this.x, o.x);
    copyLimbs(this.y, o.y);
    copyLimbs(this.z, o.z);
    copyLimbs(this.t, o.t);
  }
}

class Ed {
  readonly f: Mont;
  readonly l: Fe; // group order L, plain
  readonly d: Fe; // Montgomery form
  readonly d2: Fe;
  readonly sqrtM1: Fe;
  readonly expP58: Fe; // (p - 5) / 8
  readonly base: Ext;
  readonly tmp: StaticArray<Fe>;

  constructor() {
    const f = Mont.create(limbsFromHex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed", 8))!;
    const d = f.newElem();
    f.toMont(d, limbsFromHex("52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3", 8));
    const d2 = f.newElem();
    f.add(d2, d, d);
    // sqrt(-1) = 2^((p-1)/4)
    const two = f.newElem();
    f.add(two, f.one, f.one);
    const sqrtM1 = f.newElem();
    f.pow(sqrtM1, two, limbsFromHex("1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffb", 8));
    const tmp = new StaticArray<Fe>(10);
    for (let i = 0; i < 10; i++) tmp[i] = f.newElem();
    this.f = f;
    this.l = limbsFromHex("1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed", 8);
    this.d = d;
    this.d2 = d2;
    this.sqrtM1 = sqrtM1;
    this.expP58 = limbsFromHex("0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd", 8);
    this.tmp = tmp;
    this.base = new Ext();
    // B is the point with y = 4/5 and even x (section 5.1); its encoding is 0x58 followed by 0x66s.
    const enc = new Uint8Array(32);
    enc.fill(0x66);
    enc[0] = 0x58;
    this.decode(this.base, enc);
  }

  /** Section 5.1.3 point decoding; false when `b` encodes no point. */
  decode(out: Ext, b: Uint8Array): bool {
    const f = this.f;
    const yb = b.slice(0);
    const sign = (<u32>yb[31] >> 7) & 1;
    yb[31] &= 0x7f;
    const y = limbsFromBytesLE(yb, 8)!;
    if (cmp(y, f.m) >= 0) return false; // non-canonical y
    const ym = out.y;
    f.toMont(ym, y);
    const u = this.tmp[0], v = this.tmp[1], v3 = this.tmp[2], x = this.tmp[3], t = this.tmp[4];
    f.sqr(u, ym);
    f.mul(v, u, this.d);
    f.sub(u, u, f.one); // u = y^2 - 1
    f.add(v, v, f.one); // v = d y^2 + 1
    // x = u v^3 (u v^7)^((p-5)/8)
    f.sqr(v3, v);
    f.mul(v3, v3, v);
    f.sqr(x, v3);
    f.mul(x, x, v);
    f.mul(x, x, u); // u v^7
    f.pow(x, x, this.expP58);
    f.mul(x, x, v3);
    f.mul(x, x, u);
    // v x^2 must be u (x is a root) or -u (x * sqrt(-1) is)
    f.sqr(t, x);
    f.mul(t, t, v);
    if (cmp(t, u) != 0) {
      const negU = this.tmp[5];
      for (let i = 0; i < 8; i++) unchecked(negU[i] = 0);
      f.sub(negU, negU, u);
      f.sqr(t, x);
      f.mul(t, t, v);
      if (cmp(t, negU) != 0) return false;
      f.mul(x, x, this.sqrtM1);
    }
    const xp = this.tmp[6];
    f.fromMont(xp, x);
    if (isZero(xp) && sign == 1) return false; // x = 0 has no negative form
    if ((unchecked(xp[0]) & 1) != sign) {
      const zero = this.tmp[7];
      for (let i = 0; i < 8; i++) unchecked(zero[i] = 0);
      f.sub(x, zero, x);
    }
    copyLimbs(out.x, x);
    copyLimbs(out.z, f.one);
    f.mul(out.t, x, ym);
    return true;
  }

  /** r = p + q, complete for all curve points (section 5.1.4). r may alias p or q. */
  add(r: Ext, p: Ext, q: Ext): void {
    const f = this.f;
    const a = this.tmp[0], b = this.tmp[1], c = this.tmp[2], d = this.tmp[3], t = this.tmp[4];
    f.sub(a, p.y, p.x);
    f.sub(t, q.y, q.x);
    f.mul(a, a, t);
    f.add(b, p.y, p.x);
    f.add(t, q.y, q.x);
    f.mul(b, b, t);
    f.mul(c, p.t, this.d2);
    f.mul(c, c, q.t);
    f.mul(d, p.z, q.z);
    f.add(d, d, d);
    const e = t;
    f.sub(e, b, a);
    const ff = this.tmp[5], g = this.tmp[6], h = this.tmp[7];
    f.sub(ff, d, c);
    f.add(g, d, c);
    f.add(h, b, a);
    f.mul(r.x, e, ff);
    f.mul(r.y, g, h);
    f.mul(r.t, e, h);
    f.mul(r.z, ff, g);
  }

  /** r = 2p (section 5.1.4 doubling). r may alias p. */
  double(r: Ext, p: Ext): void {
    const f = this.f;
    const a = this.tmp[0], b = this.tmp[1], c = this.tmp[2], h = this.tmp[3], e = this.tmp[4], g = this.tmp[5], ff = this.tmp[6];
    f.sqr(a, p.x);
    f.sqr(b, p.y);
    f.sqr(c, p.z);
    f.add(c, c, c);
    f.add(h, a, b);
    f.add(e, p.x, p.y);
    f.sqr(e, e);
    f.sub(e, h, e);
    f.sub(g, a, b);
    f.add(ff, c, g);
    f.mul(r.x, e, ff);
    f.mul(r.y, g, h);
    f.mul(r.t, e, h);
    f.mul(r.z, ff, g);
  }

  /** 32-byte encoding (section 5.1.2). */
  encode(p: Ext): Uint8Array {
    const f = this.f;
    const zi = f.newElem(), x = f.newElem(), y = f.newElem();
    f.inv(zi, p.z);
    f.mul(x, p.x, zi);
    f.mul(y, p.y, zi);
    f.fromMont(x, x);
    f.fromMont(y, y);
    const out = limbsToBytesLE(y, 32);
    out[31] |= <u8>((unchecked(x[0]) & 1) << 7);
    return out;
  }

  /** Little-endian bytes mod L, bit by bit (r < L < 2^253, so 2r + 1 fits in 8 limbs). */
  reduceL(b: Uint8Array): Fe {
    const r = new StaticArray<u32>(8);
    for (let i = b.length * 8 - 1; i >= 0; i--) {
      let carry: u32 = (<u32>unchecked(b[i >> 3]) >> <u32>(i & 7)) & 1;
      for (let j = 0; j < 8; j++) {
        const v = unchecked(r[j]);
        unchecked(r[j] = (v << 1) | carry);
        carry = v >> 31;
      }
      if (cmp(r, this.l) >= 0) subInPlace(r, this.l);
    }
    return r;
  }
}

let ed: Ed | null = null;

function curve(): Ed {
  if (ed === null) ed = new Ed();
  return ed!;
}

/**
 * Ed25519 verify (RFC 8032 section 5.1.7): `pub` 32 bytes, `sig` 64 bytes (R || S).
 * Accepts iff S < L, A = decode(pub) exists, and encode([S]B - [k]A) == R with
 * k = SHA-512(R || pub || msg) mod L.
 */
export function verifyEd25519(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): bool {
  if (pub.length != 32 || sig.length != 64) return false;
  const c = curve();
  const s = limbsFromBytesLE(sig.subarray(32), 8)!;
  if (cmp(s, c.l) >= 0) return false;
  const a = new Ext();
  if (!c.decode(a, pub)) return false;
  // -A
  const f = c.f;
  const zero = f.newElem();
  f.sub(a.x, zero, a.x);
  f.sub(a.t, zero, a.t);

  const h = new Uint8Array(64 + msg.length);
  h.set(sig.subarray(0, 32));
  h.set(pub, 32);
  h.set(msg, 64);
  const k = c.reduceL(sha512(h));

  // [S]B + [k](-A), one shared doubling chain.
  const bPlusNegA = new Ext();
  c.add(bPlusNegA, c.base, a);
  const acc = new Ext();
  copyLimbs(acc.y, f.one);
  copyLimbs(acc.z, f.one);
  const top = max(bitLength(s), bitLength(k));
  for (let i = top - 1; i >= 0; i--) {
    c.double(acc, acc);
    const b1 = testBit(s, i), b2 = testBit(k, i);
    if (b1 && b2) c.add(acc, acc, bPlusNegA);
    else if (b1) c.add(acc, acc, c.base);
    else if (b2) c.add(acc, acc, a);
  }
  const enc = c.encode(acc);
  let diff: u32 = 0;
  for (let i = 0; i < 32; i++) diff |= <u32>(unchecked(enc[i]) ^ unchecked(sig[i]));
  return diff == 0;
}
