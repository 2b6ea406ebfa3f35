// ByteBuilder: a growable UTF-8 byte buffer for building bodies and headers without going
// through AssemblyScript's UTF-16 strings on hot paths.

import { narrowAscii } from "./util";

const DIGITS: StaticArray<u8> = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66];

const U64_DIGITS = new StaticArray<u8>(20);

export class ByteBuilder {
  private buf: Uint8Array;
  private len: i32 = 0;
  // The buffer's first byte and size, kept beside it so that the append fast paths touch no
  // managed reference: a method that holds one across a call pays AssemblyScript's shadow-stack
  // spill on every call, which was most of the cost of writing JSON byte by byte.
  private ptr: usize = 0;
  private cap: i32 = 0;

  constructor(capacity: i32 = 64) {
    this.buf = new Uint8Array(capacity < 16 ? 16 : capacity);
    this.ptr = this.buf.dataStart;
    this.cap = this.buf.length;
  }

  // @ts-ignore: decorator
  @inline get length(): i32 { return this.len; }
  get capacity(): i32 { return this.buf.length; }

  /** Forget the content, keep the allocation for reuse. */
  reset(): void { this.len = 0; }

  /** Drops everything after `n` bytes (no-op if n >= length). */
  truncate(n: i32): void { if (n >= 0 && n < this.len) this.len = n; }

  /** Makes room for `extra` more bytes. */
  reserve(extra: i32): void {
    const need = <i64>this.len + <i64>extra;
    if (need <= <i64>this.cap) return;
    let cap = <i64>this.cap;
    while (cap < need) cap = cap * 2;
    // Typed arrays are limited to 1 GiB in AssemblyScript; callers bound their sizes well below.
    if (cap > 0x3fffffff) cap = need;
    this.moveTo(<i32>cap);
  }

  /** Moves the content into a new buffer of `size` bytes (size >= length). */
  private moveTo(size: i32): void {
    const next = new Uint8Array(size);
    memory.copy(next.dataStart, this.ptr, <usize>this.len);
    this.buf = next;
    this.ptr = next.dataStart;
    this.cap = next.length;
  }

  /** Pointer to the byte after the content, with room for `extra` more (written with store<u8>,
   *  then counted with commit). Valid until the next append. */
  tail(extra: i32): usize {
    if (extra > this.cap - this.len) this.reserve(extra);
    return this.ptr + <usize>this.len;
  }

  /** Counts `n` bytes written at tail() (or at dataStart + length after reserve(n)). */
  commit(n: i32): void { this.len += n; }

  /**
   * Makes room for `extra` more bytes growing by half (not doubling) once past 64 KiB: for a
   * buffer that accumulates a large input of unknown size, so at most a third of it is slack.
   */
  reserveGently(extra: i32): void {
    const need = <i64>this.len + <i64>extra;
    const cap = <i64>this.cap;
    if (need <= cap) return;
    if (cap < 65536) { this.reserve(extra); return; }
    let next = cap + (cap >> 1);
    if (next < need) next = need;
    if (next > 0x3fffffff) next = need;
    this.moveTo(<i32>next);
  }

  /** Makes room for exactly `extra` more bytes when there is not enough (a size known in advance). */
  reserveExact(extra: i32): void {
    const need = this.len + extra;
    if (extra <= 0 || need <= this.cap) return;
    this.moveTo(need);
  }

  byteAt(i: i32): u8 { return i >= 0 && i < this.len ? unchecked(this.buf[i]) : 0; }

  /** Overwrites the last byte if any (used to turn a trailing ',' into a closing bracket). */
  setByte(i: i32, b: u8): void { if (i >= 0 && i < this.len) unchecked((this.buf[i] = b)); }

  appendByte(b: u8): ByteBuilder {
    const n = this.len;
    if (n >= this.cap) this.reserve(1);
    store<u8>(this.ptr + <usize>n, b);
    this.len = n + 1;
    return this;
  }

  /** Appends src[start, end) (clamped to the array). */
  appendSlice(src: Uint8Array, start: i32, end: i32): ByteBuilder {
    if (start < 0) start = 0;
    if (end > src.length) end = src.length;
    if (end <= start) return this;
    const n = end - start;
    if (n > this.cap - this.len) this.reserve(n);
    memory.copy(this.ptr + <usize>this.len, src.dataStart + <usize>start, <usize>n);
    this.len += n;
    return this;
  }

  appendBytes(src: Uint8Array): ByteBuilder { return this.appendSlice(src, 0, src.length); }

  appendStatic(src: StaticArray<u8>): ByteBuilder {
    const n = src.length;
    this.reserve(n);
    memory.copy(this.ptr + <usize>this.len, changetype<usize>(src), <usize>n);
    this.len += n;
    return this;
  }

  /** Appends the bytes of another builder. */
  appendBuilder(b: ByteBuilder): ByteBuilder { return this.appendSlice(b.buf, 0, b.len); }

  /** Appends a string as UTF-8 (lone surrogates become U+FFFD, as TextEncoder does). */
  appendString(s: string): ByteBuilder {
    const n = s.length;
    this.reserve(n);
    // ASCII (the common case: keys, numbers, ids) is stored unit by unit without a call.
    let i = narrowAscii(changetype<usize>(s), n, this.ptr + <usize>this.len);
    this.len += i;
    for (; i < n; i++) {
      let c = <u32>s.charCodeAt(i);
      if (c < 0x80) { this.appendByte(<u8>c); continue; }
      if (c >= 0xd800 && c <= 0xdfff) {
        if (c <= 0xdbff && i + 1 < n) {
          const d = <u32>s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            i++;
          } else c = 0xfffd;
        } else c = 0xfffd;
      }
      this.appendCodePoint(c);
    }
    return this;
  }

  /** Appends one Unicode scalar value as UTF-8 (invalid values become U+FFFD). */
  appendCodePoint(c: u32): ByteBuilder {
    if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) c = 0xfffd;
    if (c < 0x80) return this.appendByte(<u8>c);
    this.reserve(4);
    if (c < 0x800) {
      this.appendByte(<u8>(0xc0 | (c >> 6)));
    } else if (c < 0x10000) {
      this.appendByte(<u8>(0xe0 | (c >> 12)));
      this.appendByte(<u8>(0x80 | ((c >> 6) & 0x3f)));
    } else {
      this.appendByte(<u8>(0xf0 | (c >> 18)));
      this.appendByte(<u8>(0x80 | ((c >> 12) & 0x3f)));
      this.appendByte(<u8>(0x80 | ((c >> 6) & 0x3f)));
    }
    return this.appendByte(<u8>(0x80 | (c & 0x3f)));
  }

  appendU64(v: u64): ByteBuilder {
    if (v == 0) return this.appendByte(0x30);
    const tmp = U64_DIGITS; // scratch, not an allocation per number
    let i = 20;
    while (v != 0) {
      i--;
      unchecked((tmp[i] = unchecked(DIGITS[<i32>(v % 10)])));
      v /= 10;
    }
    const n = 20 - i;
    this.reserve(n);
    memory.copy(this.ptr + <usize>this.len, changetype<usize>(tmp) + <usize>i, <usize>n);
    this.len += n;
    return this;
  }

  appendU32(v: u32): ByteBuilder { return this.appendU64(<u64>v); }

  appendI64(v: i64): ByteBuilder {
    if (v < 0) {
      this.appendByte(0x2d);
      // -(i64.MIN) overflows; go through u64.
      return this.appendU64(<u64>0 - <u64>v);
    }
    return this.appendU64(<u64>v);
  }

  appendI32(v: i32): ByteBuilder { return this.appendI64(<i64>v); }

  /** Appends a finite f64 in JavaScript's shortest form; NaN/Infinity (not JSON) become `null`. */
  appendF64(v: f64): ByteBuilder {
    if (!isFinite(v)) return this.appendString("null");
    if (v == Math.floor(v) && Math.abs(v) < 9007199254740992.0) return this.appendI64(<i64>v);
    return this.appendString(v.toString());
  }

  /** Appends two lowercase hex digits. */
  appendHex2(b: u8): ByteBuilder {
    this.appendByte(unchecked(DIGITS[b >> 4]));
    return this.appendByte(unchecked(DIGITS[b & 15]));
  }

  /** A copy of the content. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.len);
    memory.copy(out.dataStart, this.buf.dataStart, <usize>this.len);
    return out;
  }

  /** A copy of bytes [start, end). */
  slice(start: i32, end: i32): Uint8Array {
    if (start < 0) start = 0;
    if (end > this.len) end = this.len;
    if (end < start) end = start;
    const out = new Uint8Array(end - start);
    memory.copy(out.dataStart, this.buf.dataStart + <usize>start, <usize>(end - start));
    return out;
  }

  /** The backing array (valid bytes are [0, length)); no copy, invalidated by the next append. */
  raw(): Uint8Array { return this.buf; }

  /** Pointer to the first byte, for passing to host calls without a copy. */
  get dataStart(): usize { return this.ptr; }

  /** Decodes the content as UTF-8 (invalid sequences become U+FFFD); for tests and logs. */
  toString(): string { return String.UTF8.decodeUnsafe(this.buf.dataStart, <usize>this.len); }
}
