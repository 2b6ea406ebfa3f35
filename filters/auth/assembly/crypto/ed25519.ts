// Ed25519 signature verification (RFC 8032 section 5.1.7), for JWS "EdDSA" with crv "Ed25519"
// (RFC 8037). Points in extended twisted Edwards coordinates (X:Y:Z:T, x = X/Z, y = Y/Z,
// xy = T/Z) with the complete addition law of RFC 8032 section 5.1.4 (a = -1; "add-2008-hwcd-3"
// and "dbl-2008-hwcd" of Hisil-Wong-Carter-Dawson); field elements fully reduced plain values
// modulo p = 2^255 - 19 (field.ts: unrolled product scanning, r = low + 38 * high).
//
// Checks: the public key and R are 32 bytes each, S is 32 bytes with S < L (non-canonical S is
// rejected, section 5.1.7 step 1), the public key decodes per section 5.1.3 (y < p, x exists,
// no "negative zero"). The equation is checked without the cofactor: [S]B - [k]A is encoded and
// compared byte for byte with R, which also rejects non-canonical encodings of R.
//
// [S]B + [k](-A) uses one shared doubling chain (Strauss-Shamir, Guide to ECC algorithm 3.51)
// with width-w NAF digits: S against the odd multiples B, 3B, ..., 63B kept in affine "Niels"
// form (y+x, y-x, 2dxy; built at first use, normalised with one batched inversion), k against
// -A, -3A, ..., -15A in "cached" form (Y+X, Y-X, 2Z, 2dT) built per call. The addition law is
// complete, so no special cases arise. Inversion and the square root use the usual addition
// chains for p - 2 and (p - 5) / 8 (250 squarings, 11 multiplications).
import { sha512 } from "../../../common/assembly/crypto/sha2";
import { cmp, copyLimbs, isZero, limbsFromBytesLE, limbsFromHex, limbsToBytesLE, subInPlace } from "./bigint";
import { FieldKind, PrimeField } from "./field";
import { wnaf } from "./ecdsa";

type Fe = StaticArray<u32>;

const B_W: i32 = 7;
const A_W: i32 = 5;

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
}

/** A point prepared for addition: (Y+X, Y-X, 2Z, 2dT); for affine table points z2 = 2. */
class Cached {
  ypx: Fe;
  ymx: Fe;
  z2: Fe;
  t2d: Fe;
  constructor() {
    this.ypx = new StaticArray<u32>(8);
    this.ymx = new StaticArray<u32>(8);
    this.z2 = new StaticArray<u32>(8);
    this.t2d = new StaticArray<u32>(8);
  }
}

class Ed {
  readonly f: PrimeField;
  readonly l: Fe; // group order L
  readonly d: Fe;
  readonly d2: Fe;
  readonly sqrtM1: Fe;
  readonly one: Fe;
  readonly base: Ext;
  bTable: StaticArray<Cached> | null = null;
  readonly aTable: StaticArray<Cached>;
  readonly tmp: StaticArray<Fe>;
  readonly nafS: StaticArray<i8>;
  readonly nafK: StaticArray<i8>;
  readonly nafWork: Fe;

  constructor() {
    const f = new PrimeField(FieldKind.P25519);
    this.f = f;
    this.l = limbsFromHex("1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed", 8);
    const d = limbsFromHex("52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3", 8);
    this.d = d;
    const d2 = f.newElem();
    f.add(d2, d, d);
    this.d2 = d2;
    // sqrt(-1) = 2^((p-1)/4) mod p (RFC 8032 section 5.1.3)
    this.sqrtM1 = limbsFromHex("2b8324804fc1df0b2b4d00993dfbd7a72f431806ad2fe478c4ee1b274a0ea0b0", 8);
    const one = f.newElem();
    unchecked(one[0] = 1);
    this.one = one;
    const tmp = new StaticArray<Fe>(12);
    for (let i = 0; i < 12; i++) tmp[i] = f.newElem();
    this.tmp = tmp;
    const at = new StaticArray<Cached>(1 << (A_W - 2));
    for (let i = 0; i < at.length; i++) at[i] = new Cached();
    this.aTable = at;
    this.nafS = new StaticArray<i8>(257);
    this.nafK = new StaticArray<i8>(257);
    this.nafWork = new StaticArray<u32>(9);
    this.base = new Ext();
    // B is the point with y = 4/5 and even x (section 5.1); its encoding is 0x58 followed by 0x66s.
    const enc = new Uint8Array(32);
    enc.fill(0x66);
    enc[0] = 0x58;
    this.decode(this.base, enc);
  }

  /** r = z^(2^k) */
  private sqrN(r: Fe, z: Fe, k: i32): void {
    const f = this.f;
    f.sqr(r, z);
    for (let i = 1; i < k; i++) f.sqr(r, r);
  }

  /**
   * The shared part of the two addition chains: returns z^(2^250 - 1) in tmp[8] and z^11 in tmp[9].
   * Uses tmp[8..11].
   */
  private pow2250(z: Fe): void {
    const f = this.f;
    const a = this.tmp[8], z11 = this.tmp[9], b = this.tmp[10], c = this.tmp[11];
    f.sqr(a, z); // z^2
    this.sqrN(b, a, 2); // z^8
    f.mul(b, b, z); // z^9
    f.mul(z11, b, a); // z^11
    f.sqr(a, z11); // z^22
    f.mul(a, a, b); // z^31 = z^(2^5 - 1)
    this.sqrN(b, a, 5);
    f.mul(b, b, a); // 2^10 - 1
    this.sqrN(a, b, 10);
    f.mul(a, a, b); // 2^20 - 1
    this.sqrN(c, a, 20);
    f.mul(c, c, a); // 2^40 - 1
    this.sqrN(c, c, 10);
    f.mul(c, c, b); // 2^50 - 1
    copyLimbs(b, c); // b = 2^50 - 1
    this.sqrN(a, c, 50);
    f.mul(a, a, b); // 2^100 - 1
    this.sqrN(c, a, 100);
    f.mul(c, c, a); // 2^200 - 1
    this.sqrN(c, c, 50);
    f.mul(this.tmp[8], c, b); // 2^250 - 1
  }

  /** r = z^(p-2) = z^-1 (z != 0). */
  invert(r: Fe, z: Fe): void {
    this.pow2250(z);
    this.sqrN(r, this.tmp[8], 5); // 2^255 - 32
    this.f.mul(r, r, this.tmp[9]); // + 11 = p - 2
  }

  /** r = z^((p-5)/8) = z^(2^252 - 3). */
  powP58(r: Fe, z: Fe): void {
    this.pow2250(z);
    const z1 = this.tmp[10]; // free again; keeps z when r aliases it
    copyLimbs(z1, z);
    this.sqrN(r, this.tmp[8], 2); // 2^252 - 4
    this.f.mul(r, r, z1);
  }

  /** Section 5.1.3 point decoding; false when `b` encodes no point. */
  decode(out: Ext, b: Uint8Array): bool {
    const f = this.f;
    const yb = b.slice(0);
    const sign = (<u32>yb[31] >> 7) & 1;
    yb[31] &= 0x7f;
    const y = limbsFromBytesLE(yb, 8)!;
    if (cmp(y, f.p) >= 0) return false; // non-canonical y
    copyLimbs(out.y, y);
    const u = this.tmp[0], v = this.tmp[1], v3 = this.tmp[2], x = this.tmp[3], t = this.tmp[4];
    f.sqr(u, y);
    f.mul(v, u, this.d);
    f.sub(u, u, this.one); // u = y^2 - 1
    f.add(v, v, this.one); // v = d y^2 + 1
    // x = u v^3 (u v^7)^((p-5)/8)
    f.sqr(v3, v);
    f.mul(v3, v3, v);
    f.sqr(x, v3);
    f.mul(x, x, v);
    f.mul(x, x, u); // u v^7
    this.powP58(x, x);
    f.mul(x, x, v3);
    f.mul(x, x, u);
    // v x^2 must be u (x is a root) or -u (x * sqrt(-1) is)
    f.sqr(t, x);
    f.mul(t, t, v);
    if (cmp(t, u) != 0) {
      const negU = this.tmp[5];
      f.neg(negU, u);
      if (cmp(t, negU) != 0) return false;
      f.mul(x, x, this.sqrtM1);
    }
    if (isZero(x) && sign == 1) return false; // x = 0 has no negative form
    if ((unchecked(x[0]) & 1) != sign) f.neg(x, x);
    copyLimbs(out.x, x);
    copyLimbs(out.z, this.one);
    f.mul(out.t, x, y);
    return true;
  }

  /** Cached form of p. */
  toCached(r: Cached, p: Ext): void {
    const f = this.f;
    f.add(r.ypx, p.y, p.x);
    f.sub(r.ymx, p.y, p.x);
    f.add(r.z2, p.z, p.z);
    f.mul(r.t2d, p.t, this.d2);
  }

  /**
   * r = p + q (or p - q when `sub`), q cached; `affine` when q's Z is 1 (z2 = 2 is then added, not
   * multiplied). Complete for all curve points (section 5.1.4). r may alias p.
   */
  addCached(r: Ext, p: Ext, q: Cached, sub: bool, affine: bool): void {
    const f = this.f;
    const a = this.tmp[0], b = this.tmp[1], c = this.tmp[2], d = this.tmp[3], e = this.tmp[4];
    const ff = this.tmp[5], g = this.tmp[6], h = this.tmp[7];
    f.sub(a, p.y, p.x);
    f.add(b, p.y, p.x);
    // -q = (x, y) -> (-x, y): swaps Y+X with Y-X and negates T
    f.mul(a, a, sub ? q.ypx : q.ymx);
    f.mul(b, b, sub ? q.ymx : q.ypx);
    f.mul(c, p.t, q.t2d);
    if (affine) f.add(d, p.z, p.z);
    else f.mul(d, p.z, q.z2);
    f.sub(e, b, a);
    f.add(h, b, a);
    if (sub) {
      f.add(ff, d, c);
      f.sub(g, d, c);
    } else {
      f.sub(ff, d, c);
      f.add(g, d, c);
    }
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

  /** Affine table of (2i+1)B, i < 2^(B_W-2), built once: extended sums, then one batched inversion. */
  buildBTable(): StaticArray<Cached> {
    const f = this.f;
    const count = 1 << (B_W - 2);
    const pts = new StaticArray<Ext>(count);
    pts[0] = this.base;
    const b2 = new Ext();
    this.double(b2, this.base);
    const b2c = new Cached();
    this.toCached(b2c, b2);
    for (let i = 1; i < count; i++) {
      const p = new Ext();
      this.addCached(p, pts[i - 1], b2c, false, false);
      pts[i] = p;
    }
    // Montgomery's trick: prefix products of the Z's, one inversion, then walk back.
    const prefix = new StaticArray<Fe>(count);
    for (let i = 0; i < count; i++) {
      const pr = f.newElem();
      if (i == 0) copyLimbs(pr, pts[0].z);
      else f.mul(pr, prefix[i - 1], pts[i].z);
      prefix[i] = pr;
    }
    const inv = f.newElem(), zi = f.newElem(), x = f.newElem(), y = f.newElem();
    this.invert(inv, prefix[count - 1]);
    const table = new StaticArray<Cached>(count);
    for (let i = count - 1; i >= 0; i--) {
      if (i > 0) {
        f.mul(zi, inv, prefix[i - 1]);
        f.mul(inv, inv, pts[i].z);
      } else {
        copyLimbs(zi, inv);
      }
      f.mul(x, pts[i].x, zi);
      f.mul(y, pts[i].y, zi);
      const cpt = new Cached();
      f.add(cpt.ypx, y, x);
      f.sub(cpt.ymx, y, x);
      f.add(cpt.z2, this.one, this.one);
      f.mul(cpt.t2d, x, y);
      f.mul(cpt.t2d, cpt.t2d, this.d2);
      table[i] = cpt;
    }
    return table;
  }

  /** 32-byte encoding (section 5.1.2). */
  encode(p: Ext): Uint8Array {
    const f = this.f;
    const zi = f.newElem(), x = f.newElem(), y = f.newElem();
    this.invert(zi, p.z);
    f.mul(x, p.x, zi);
    f.mul(y, p.y, zi);
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

  const h = new Uint8Array(64 + msg.length);
  h.set(sig.subarray(0, 32));
  h.set(pub, 32);
  h.set(msg, 64);
  const k = c.reduceL(sha512(h));

  if (c.bTable === null) c.bTable = c.buildBTable();
  const bt = c.bTable!;
  // A, 3A, 5A, ... cached (subtracted below, giving -[k]A)
  const at = c.aTable;
  const a2 = new Ext();
  c.double(a2, a);
  const a2c = new Cached();
  c.toCached(a2c, a2);
  c.toCached(unchecked(at[0]), a);
  const run = new Ext();
  for (let i = 1; i < at.length; i++) {
    c.addCached(i == 1 ? run : run, i == 1 ? a : run, a2c, false, false);
    c.toCached(unchecked(at[i]), run);
  }

  const ls = wnaf(c.nafS, s, B_W, c.nafWork);
  const lk = wnaf(c.nafK, k, A_W, c.nafWork);
  const acc = new Ext();
  copyLimbs(acc.y, c.one);
  copyLimbs(acc.z, c.one);
  let started = false;
  for (let i = max(ls, lk) - 1; i >= 0; i--) {
    if (started) c.double(acc, acc);
    const ds = <i32>unchecked(c.nafS[i]);
    if (ds != 0) {
      c.addCached(acc, acc, unchecked(bt[(ds > 0 ? ds : -ds) >> 1]), ds < 0, true);
      started = true;
    }
    const dk = <i32>unchecked(c.nafK[i]);
    if (dk != 0) {
      // [k](-A): a positive digit subtracts the table point
      c.addCached(acc, acc, unchecked(at[(dk > 0 ? dk : -dk) >> 1]), dk > 0, false);
      started = true;
    }
  }
  const enc = c.encode(acc);
  let diff: u32 = 0;
  for (let i = 0; i < 32; i++) diff |= <u32>(unchecked(enc[i]) ^ unchecked(sig[i]));
  return diff == 0;
}
