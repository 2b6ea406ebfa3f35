// base64url without padding (RFC 4648 section 5), as JWS compact serialization uses (RFC 7515 section 2).
// Decoding is strict: '=' padding, characters outside the URL-safe alphabet (including '+', '/',
// whitespace) and non-zero unused trailing bits (RFC 4648 section 3.5) are all rejected, so each byte
// string has exactly one accepted encoding.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// 6-bit value of an ASCII byte, or -1.
// @ts-ignore: decorator
@inline function sextet(c: u32): i32 {
  if (c >= 65 && c <= 90) return <i32>c - 65; // A-Z
  if (c >= 97 && c <= 122) return <i32>c - 71; // a-z
  if (c >= 48 && c <= 57) return <i32>c + 4; // 0-9
  if (c == 45) return 62; // '-'
  if (c == 95) return 63; // '_'
  return -1;
}

/** Decodes `len` ASCII bytes at `p`; null when the input is not canonical unpadded base64url. */
export function base64urlDecodeRaw(p: usize, len: i32): Uint8Array | null {
  const rem = len & 3;
  if (rem == 1) return null; // 6 bits cannot encode a byte
  const outLen = (len >> 2) * 3 + (rem == 0 ? 0 : rem - 1);
  const out = new Uint8Array(outLen);
  const o = out.dataStart;
  let acc: u32 = 0;
  let bits: i32 = 0;
  let w = 0;
  for (let i = 0; i < len; i++) {
    const v = sextet(<u32>load<u8>(p + <usize>i));
    if (v < 0) return null;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      store<u8>(o + <usize>w, <u8>(acc >> <u32>bits));
      w++;
      acc &= (1 << <u32>bits) - 1;
    }
  }
  // Leftover bits (2 or 4) must be zero, otherwise two encodings would decode to the same bytes.
  if (acc != 0) return null;
  return out;
}

/** Decodes a base64url byte string (e.g. a JWS segment as raw bytes). */
export function base64urlDecode(s: Uint8Array): Uint8Array | null {
  return base64urlDecodeRaw(s.dataStart, s.length);
}

/** Decodes a base64url string; any non-ASCII character makes it invalid. */
export function base64urlDecodeString(s: string): Uint8Array | null {
  const n = s.length;
  const tmp = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return null;
    unchecked(tmp[i] = <u8>c);
  }
  return base64urlDecode(tmp);
}

/** Encodes bytes as base64url ASCII bytes without padding. */
export function base64urlEncodeBytes(data: Uint8Array): Uint8Array {
  const n = data.length;
  const full = n - (n % 3);
  const tail = n - full;
  const out = new Uint8Array((full / 3) * 4 + (tail == 0 ? 0 : tail + 1));
  const a = changetype<usize>(ALPHABET);
  let w = 0;
  let i = 0;
  for (; i < full; i += 3) {
    const v = (<u32>unchecked(data[i]) << 16) | (<u32>unchecked(data[i + 1]) << 8) | <u32>unchecked(data[i + 2]);
    unchecked(out[w] = <u8>load<u16>(a + ((v >> 18) & 63) * 2));
    unchecked(out[w + 1] = <u8>load<u16>(a + ((v >> 12) & 63) * 2));
    unchecked(out[w + 2] = <u8>load<u16>(a + ((v >> 6) & 63) * 2));
    unchecked(out[w + 3] = <u8>load<u16>(a + (v & 63) * 2));
    w += 4;
  }
  if (tail != 0) {
    let v = <u32>unchecked(data[i]) << 16;
    if (tail == 2) v |= <u32>unchecked(data[i + 1]) << 8;
    unchecked(out[w] = <u8>load<u16>(a + ((v >> 18) & 63) * 2));
    unchecked(out[w + 1] = <u8>load<u16>(a + ((v >> 12) & 63) * 2));
    if (tail == 2) unchecked(out[w + 2] = <u8>load<u16>(a + ((v >> 6) & 63) * 2));
  }
  return out;
}

/** Encodes bytes as a base64url string without padding. */
export function base64urlEncode(data: Uint8Array): string {
  const b = base64urlEncodeBytes(data);
  return String.UTF8.decodeUnsafe(b.dataStart, <usize>b.length);
}
