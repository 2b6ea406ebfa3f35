// Fixed-width unsigned big integers as little-endian u32 limbs (StaticArray<u32>), and Montgomery
// arithmetic modulo an odd modulus: the engine under RSA (RFC 8017 section 5.2.2 RSAVP1), the NIST
// curves' field and scalar arithmetic, and Ed25519's field. Products are u32 x u32 -> u64.
// Timing is data-dependent in places (final subtraction, exponent bits): only public values
// (signatures, public keys, messages) go through here.

/** Big-endian bytes -> `n` limbs; null when the value does not fit in n limbs. */
export function limbsFromBytes(b: Uint8Array, n: i32): StaticArray<u32> | null {
  const out = new StaticArray<u32>(n);
  return limbsFromBytesInto(out, b) ? out : null;
}

/** Big-endian bytes -> the limbs of `out` (overwritten); false when the value does not fit. */
export function limbsFromBytesInto(out: StaticArray<u32>, b: Uint8Array): bool {
  const n = out.length;
  memory.fill(changetype<usize>(out), 0, <usize>n << 2);
  const len = b.length;
  for (let i = 0; i < len; i++) {
    const v = <u32>unchecked(b[len - 1 - i]);
    const limb = i >> 2;
    if (limb >= n) {
      if (v != 0) return false;
      continue;
    }
    unchecked(out[limb] |= v << (<u32>(i & 3) << 3));
  }
  return true;
}

/** Little-endian bytes -> `n` limbs (Ed25519 encodings); null when it does not fit. */
export function limbsFromBytesLE(b: Uint8Array, n: i32): StaticArray<u32> | null {
  const out = new StaticArray<u32>(n);
  for (let i = 0; i < b.length; i++) {
    const v = <u32>unchecked(b[i]);
    const limb = i >> 2;
    if (limb >= n) {
      if (v != 0) return null;
      continue;
    }
    unchecked(out[limb] |= v << (<u32>(i & 3) << 3));
  }
  return out;
}

/** Limbs -> `len` big-endian bytes (high limbs beyond `len` bytes are dropped). */
export function limbsToBytes(a: StaticArray<u32>, len: i32): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const limb = i >> 2;
    if (limb < a.length) unchecked(out[len - 1 - i] = <u8>(unchecked(a[limb]) >> (<u32>(i & 3) << 3)));
  }
  return out;
}

/** Limbs -> `len` little-endian bytes. */
export function limbsToBytesLE(a: StaticArray<u32>, len: i32): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const limb = i >> 2;
    if (limb < a.length) unchecked(out[i] = <u8>(unchecked(a[limb]) >> (<u32>(i & 3) << 3)));
  }
  return out;
}

/** Hex (no prefix, even length not required) -> `n` limbs; for compile-time constants. */
export function limbsFromHex(h: string, n: i32): StaticArray<u32> {
  const out = new StaticArray<u32>(n);
  const len = h.length;
  for (let i = 0; i < len; i++) {
    const c = h.charCodeAt(len - 1 - i);
    const v: u32 = c <= 57 ? <u32>(c - 48) : <u32>((c | 32) - 87);
    const limb = i >> 3;
    if (limb < n) unchecked(out[limb] |= v << (<u32>(i & 7) << 2));
  }
  return out;
}

export function cmp(a: StaticArray<u32>, b: StaticArray<u32>): i32 {
  for (let i = a.length - 1; i >= 0; i--) {
    const x = unchecked(a[i]), y = unchecked(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

export function isZero(a: StaticArray<u32>): bool {
  let acc: u32 = 0;
  for (let i = 0; i < a.length; i++) acc |= unchecked(a[i]);
  return acc == 0;
}

export function bitLength(a: StaticArray<u32>): i32 {
  for (let i = a.length - 1; i >= 0; i--) {
    const v = unchecked(a[i]);
    if (v != 0) return (i << 5) + 32 - <i32>clz<u32>(v);
  }
  return 0;
}

export function testBit(a: StaticArray<u32>, bit: i32): bool {
  return ((unchecked(a[bit >> 5]) >> <u32>(bit & 31)) & 1) != 0;
}

/** a -= b over a's length; returns the borrow (1 when b > a). */
export function subInPlace(a: StaticArray<u32>, b: StaticArray<u32>): u32 {
  let borrow: i64 = 0;
  for (let i = 0; i < a.length; i++) {
    const d = <i64>unchecked(a[i]) - <i64>unchecked(b[i]) - borrow;
    unchecked(a[i] = <u32>d);
    borrow = d < 0 ? 1 : 0;
  }
  return <u32>borrow;
}

/** a += b over a's length; returns the carry. */
export function addInPlace(a: StaticArray<u32>, b: StaticArray<u32>): u32 {
  let carry: u64 = 0;
  for (let i = 0; i < a.length; i++) {
    const s = <u64>unchecked(a[i]) + <u64>unchecked(b[i]) + carry;
    unchecked(a[i] = <u32>s);
    carry = s >> 32;
  }
  return <u32>carry;
}

export function copyLimbs(dst: StaticArray<u32>, src: StaticArray<u32>): void {
  memory.copy(changetype<usize>(dst), changetype<usize>(src), <usize>dst.length << 2);
}

export function cloneLimbs(a: StaticArray<u32>): StaticArray<u32> {
  const r = new StaticArray<u32>(a.length);
  copyLimbs(r, a);
  return r;
}

/**
 * Arithmetic modulo an odd `m` of n limbs, values in Montgomery form x*R mod m with R = 2^(32n).
 * All operands must be reduced (< m) and have n limbs; the output may alias an input.
 */
export class Mont {
  readonly n: i32;
  readonly m: StaticArray<u32>;
  /** -m^-1 mod 2^32 */
  readonly m0inv: u32;
  /** R^2 mod m, turns a plain value into Montgomery form */
  readonly r2: StaticArray<u32>;
  /** R mod m: Montgomery form of 1 */
  readonly one: StaticArray<u32>;
  private readonly t: StaticArray<u32>;
  private readonly plainOne: StaticArray<u32>;

  /** null unless `m` is odd and > 1 (Montgomery reduction needs gcd(m, 2^32) = 1). */
  static create(m: StaticArray<u32>): Mont | null {
    if (m.length == 0 || (unchecked(m[0]) & 1) == 0 || bitLength(m) < 2) return null;
    return new Mont(m);
  }

  private constructor(m: StaticArray<u32>) {
    const n = m.length;
    this.n = n;
    this.m = cloneLimbs(m);
    // Newton iteration for m0^-1 mod 2^32: each step doubles the number of correct bits.
    const m0 = unchecked(m[0]);
    let inv: u32 = 1;
    for (let i = 0; i < 5; i++) inv *= 2 - m0 * inv;
    this.m0inv = 0 - inv;
    this.t = new StaticArray<u32>(n + 2);
    this.plainOne = new StaticArray<u32>(n);
    this.one = new StaticArray<u32>(n);
    this.r2 = new StaticArray<u32>(n);
    unchecked(this.plainOne[0] = 1);

    // R mod m: start from 2^(bits-1) < m and double up to 2^(32n).
    const bits = bitLength(m);
    const x = this.r2;
    unchecked(x[(bits - 1) >> 5] = <u32>1 << <u32>((bits - 1) & 31));
    for (let i = bits - 1; i < n << 5; i++) this.dbl(x);
    copyLimbs(this.one, x);
    // R^2 mod m: with 32n = t * 2^s, double t more times (Montgomery form of 2^t), then square s
    // times in Montgomery form (2^t -> 2^(t*2^s) = R), whose Montgomery form is R^2 mod m.
    const s = <i32>ctz<u32>(<u32>(n << 5));
    const t = (n << 5) >> s;
    for (let i = 0; i < t; i++) this.dbl(x);
    for (let i = 0; i < s; i++) this.sqr(x, x);
  }

  /** x = 2x mod m */
  private dbl(x: StaticArray<u32>): void {
    let carry: u32 = 0;
    for (let i = 0; i < this.n; i++) {
      const v = unchecked(x[i]);
      unchecked(x[i] = (v << 1) | carry);
      carry = v >> 31;
    }
    if (carry != 0 || cmp(x, this.m) >= 0) subInPlace(x, this.m);
  }

  /** r = a*b/R mod m (CIOS: multiply and reduce interleaved, one pass per limb of a). */
  mul(r: StaticArray<u32>, a: StaticArray<u32>, b: StaticArray<u32>): void {
    const n = this.n;
    const t = changetype<usize>(this.t);
    const pm = changetype<usize>(this.m);
    const pb = changetype<usize>(b);
    const pa = changetype<usize>(a);
    const m0inv = this.m0inv;
    memory.fill(t, 0, <usize>(n + 2) << 2);
    for (let i = 0; i < n; i++) {
      const ai = <u64>load<u32>(pa + (<usize>i << 2));
      let s = <u64>load<u32>(t) + ai * <u64>load<u32>(pb);
      let c1 = s >> 32;
      const lo = <u32>s;
      const q = <u64>(lo * m0inv);
      let s2 = <u64>lo + q * <u64>load<u32>(pm);
      let c2 = s2 >> 32;
      for (let j = 1; j < n; j++) {
        const off = <usize>j << 2;
        s = <u64>load<u32>(t + off) + ai * <u64>load<u32>(pb + off) + c1;
        c1 = s >> 32;
        s2 = (s & 0xffffffff) + q * <u64>load<u32>(pm + off) + c2;
        c2 = s2 >> 32;
        store<u32>(t + off - 4, <u32>s2);
      }
      const top = <u64>load<u32>(t + (<usize>n << 2)) + c1 + c2;
      store<u32>(t + (<usize>(n - 1) << 2), <u32>top);
      store<u32>(t + (<usize>n << 2), <u32>(top >> 32));
    }
    // t < 2m: one conditional subtraction.
    let ge = load<u32>(t + (<usize>n << 2)) != 0;
    if (!ge) {
      ge = true;
      for (let i = n - 1; i >= 0; i--) {
        const x = load<u32>(t + (<usize>i << 2)), y = load<u32>(pm + (<usize>i << 2));
        if (x != y) {
          ge = x > y;
          break;
        }
      }
    }
    const pr = changetype<usize>(r);
    if (ge) {
      let borrow: i64 = 0;
      for (let i = 0; i < n; i++) {
        const off = <usize>i << 2;
        const d = <i64>load<u32>(t + off) - <i64>load<u32>(pm + off) - borrow;
        store<u32>(pr + off, <u32>d);
        borrow = d < 0 ? 1 : 0;
      }
    } else {
      memory.copy(pr, t, <usize>n << 2);
    }
  }

  /**
   * r = a*a/R mod m. The same CIOS pass as mul: a separate squaring (cross products once, then
   * the reduction rows) was measured no faster here, its extra passes over memory eat the 1/4 of
   * products it saves.
   */
  sqr(r: StaticArray<u32>, a: StaticArray<u32>): void {
    this.mul(r, a, a);
  }

  add(r: StaticArray<u32>, a: StaticArray<u32>, b: StaticArray<u32>): void {
    let carry: u64 = 0;
    for (let i = 0; i < this.n; i++) {
      const s = <u64>unchecked(a[i]) + <u64>unchecked(b[i]) + carry;
      unchecked(r[i] = <u32>s);
      carry = s >> 32;
    }
    if (carry != 0 || cmp(r, this.m) >= 0) subInPlace(r, this.m);
  }

  sub(r: StaticArray<u32>, a: StaticArray<u32>, b: StaticArray<u32>): void {
    let borrow: i64 = 0;
    for (let i = 0; i < this.n; i++) {
      const d = <i64>unchecked(a[i]) - <i64>unchecked(b[i]) - borrow;
      unchecked(r[i] = <u32>d);
      borrow = d < 0 ? 1 : 0;
    }
    if (borrow != 0) addInPlace(r, this.m);
  }

  /** Plain value (< m) -> Montgomery form. */
  toMont(r: StaticArray<u32>, a: StaticArray<u32>): void {
    this.mul(r, a, this.r2);
  }

  /** Montgomery form -> plain value. */
  fromMont(r: StaticArray<u32>, a: StaticArray<u32>): void {
    this.mul(r, a, this.plainOne);
  }

  /**
   * r = a^e (a and r in Montgomery form, e a plain exponent of any limb count), left to right,
   * starting from a itself for the top bit. Run on a plain `a` (not in Montgomery form), the same
   * chain gives a^e/R^(e-1) mod m, which RsaPublicKey.rsavp1 (rsa.ts) relies on.
   */
  pow(r: StaticArray<u32>, a: StaticArray<u32>, e: StaticArray<u32>): void {
    const bits = bitLength(e);
    if (bits == 0) {
      copyLimbs(r, this.one);
      return;
    }
    const base = r == a ? cloneLimbs(a) : a;
    copyLimbs(r, a);
    for (let i = bits - 2; i >= 0; i--) {
      this.sqr(r, r);
      if (testBit(e, i)) this.mul(r, r, base);
    }
  }

  /** r = a^-1 by Fermat (a^(m-2)); only meaningful for prime m, and a != 0. */
  inv(r: StaticArray<u32>, a: StaticArray<u32>): void {
    const e = cloneLimbs(this.m);
    const two = new StaticArray<u32>(this.n);
    unchecked(two[0] = 2);
    subInPlace(e, two);
    this.pow(r, a, e);
  }

  newElem(): StaticArray<u32> {
    return new StaticArray<u32>(this.n);
  }
}
