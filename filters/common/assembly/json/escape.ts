// JSON string encoding (RFC 8259 section 7) from UTF-8 bytes or AssemblyScript strings.
import { ByteBuilder } from "../bytes/builder";
import { skipJsonPlain, utf8SequenceLength } from "../bytes/util";

/**
 * Appends src[start, end) as the *inside* of a JSON string (no quotes): escapes '"', '\\' and
 * control characters (\b \f \n \r \t, others as \u00XX). Malformed UTF-8 is replaced by `\ufffd`
 * (one per bad byte) so the output is always valid JSON; well-formed UTF-8 is copied as is.
 */
export function appendJsonEscaped(out: ByteBuilder, src: Uint8Array, start: i32, end: i32): void {
  if (start < 0) start = 0;
  if (end > src.length) end = src.length;
  out.reserve(end - start);
  let run = start; // start of the pending run of bytes copied verbatim
  let i = start;
  while (i < end) {
    i = skipJsonPlain(src, i, end);
    if (i >= end) break;
    const c = unchecked(src[i]);
    if (c >= 0x80) {
      const n = utf8SequenceLength(src, i, end);
      if (n != 0) { i += n; continue; }
      out.appendSlice(src, run, i);
      out.appendByte(0x5c).appendByte(0x75).appendByte(0x66).appendByte(0x66).appendByte(0x66).appendByte(0x64);
      i++;
      run = i;
      continue;
    }
    out.appendSlice(src, run, i);
    appendEscapedAscii(out, c);
    i++;
    run = i;
  }
  out.appendSlice(src, run, end);
}

/**
 * appendJsonEscaped of out[mark, length) in place: the same bytes as copying that range out and
 * appending it escaped, without the copy. The text is moved up by the growth escaping needs, then
 * escaped forward into its place (the write position never passes the read position).
 */
export function escapeInPlace(out: ByteBuilder, mark: i32): void {
  const len = out.length;
  if (mark < 0 || mark >= len) return;
  let src = out.raw();
  let extra = 0;
  let i = mark;
  while (i < len) {
    i = skipJsonPlain(src, i, len);
    if (i >= len) break;
    const c = unchecked(src[i]);
    if (c >= 0x80) {
      const n = utf8SequenceLength(src, i, len);
      if (n != 0) { i += n; continue; }
      extra += 5;
    } else extra += escapedAsciiLength(c) - 1;
    i++;
  }
  if (extra == 0) return;
  out.reserve(extra);
  src = out.raw();
  const p = src.dataStart;
  memory.copy(p + <usize>(mark + extra), p + <usize>mark, <usize>(len - mark));
  out.commit(extra);
  const end = len + extra;
  let r = mark + extra;
  let w = mark;
  while (r < end) {
    const t = skipJsonPlain(src, r, end);
    if (t > r) { memory.copy(p + <usize>w, p + <usize>r, <usize>(t - r)); w += t - r; r = t; }
    if (r >= end) break;
    const c = unchecked(src[r]);
    if (c >= 0x80) {
      const n = utf8SequenceLength(src, r, end);
      if (n != 0) { memory.copy(p + <usize>w, p + <usize>r, <usize>n); w += n; r += n; continue; }
      store<u8>(p + <usize>w, 0x5c); store<u8>(p + <usize>w, 0x75, 1); store<u8>(p + <usize>w, 0x66, 2);
      store<u8>(p + <usize>w, 0x66, 3); store<u8>(p + <usize>w, 0x66, 4); store<u8>(p + <usize>w, 0x64, 5);
      w += 6;
      r++;
      continue;
    }
    r++;
    w += writeEscapedAscii(p + <usize>w, c);
  }
}

/** Length of the escape of an ASCII byte appendEscapedAscii writes. */
@inline function escapedAsciiLength(c: u8): i32 {
  return c == 0x22 || c == 0x5c || c == 0x08 || c == 0x0c || c == 0x0a || c == 0x0d || c == 0x09 ? 2 : 6;
}

/** appendEscapedAscii written at p; returns its length. */
function writeEscapedAscii(p: usize, c: u8): i32 {
  store<u8>(p, 0x5c);
  let e: u8 = 0;
  switch (c) {
    case 0x22: e = 0x22; break;
    case 0x5c: e = 0x5c; break;
    case 0x08: e = 0x62; break;
    case 0x0c: e = 0x66; break;
    case 0x0a: e = 0x6e; break;
    case 0x0d: e = 0x72; break;
    case 0x09: e = 0x74; break;
  }
  if (e != 0) { store<u8>(p, e, 1); return 2; }
  const hi = c >> 4, lo = c & 15;
  store<u8>(p, 0x75, 1); store<u8>(p, 0x30, 2); store<u8>(p, 0x30, 3);
  store<u8>(p, hi < 10 ? 0x30 + hi : 0x57 + hi, 4); store<u8>(p, lo < 10 ? 0x30 + lo : 0x57 + lo, 5);
  return 6;
}

function appendEscapedAscii(out: ByteBuilder, c: u8): void {
  out.appendByte(0x5c);
  switch (c) {
    case 0x22: out.appendByte(0x22); break;
    case 0x5c: out.appendByte(0x5c); break;
    case 0x08: out.appendByte(0x62); break;
    case 0x0c: out.appendByte(0x66); break;
    case 0x0a: out.appendByte(0x6e); break;
    case 0x0d: out.appendByte(0x72); break;
    case 0x09: out.appendByte(0x74); break;
    default: out.appendByte(0x75).appendByte(0x30).appendByte(0x30).appendHex2(c);
  }
}

/** Appends a quoted JSON string holding the UTF-8 bytes src[start, end). */
export function appendJsonStringBytes(out: ByteBuilder, src: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE): void {
  out.appendByte(0x22);
  appendJsonEscaped(out, src, start, end);
  out.appendByte(0x22);
}

/** Appends a quoted JSON string for an AssemblyScript string (lone surrogates become U+FFFD). */
export function appendJsonString(out: ByteBuilder, s: string): void {
  out.appendByte(0x22);
  const n = s.length;
  out.reserve(n);
  for (let i = 0; i < n; i++) {
    const c = <u32>s.charCodeAt(i);
    if (c >= 0x20 && c < 0x80 && c != 0x22 && c != 0x5c) { out.appendByte(<u8>c); continue; }
    if (c < 0x80) { appendEscapedAscii(out, <u8>c); continue; }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = <u32>s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.appendCodePoint(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
        i++;
        continue;
      }
    }
    out.appendCodePoint(c); // lone surrogates map to U+FFFD there
  }
  out.appendByte(0x22);
}

/** A quoted JSON string for `s`, as bytes. */
export function jsonStringBytes(s: string): Uint8Array {
  const b = new ByteBuilder(s.length + 8);
  appendJsonString(b, s);
  return b.toBytes();
}
