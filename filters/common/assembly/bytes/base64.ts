// Standard base64 (RFC 4648 section 4) as LLM APIs carry files and documents in JSON: padding
// optional, no whitespace. (JWS's strict base64url is crypto/base64url.ts.)
import { ByteBuilder } from "./builder";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// @ts-ignore: decorator
@inline function sextet(c: u32): i32 {
  if (c >= 65 && c <= 90) return <i32>c - 65;
  if (c >= 97 && c <= 122) return <i32>c - 71;
  if (c >= 48 && c <= 57) return <i32>c + 4;
  if (c == 43) return 62; // '+'
  if (c == 47) return 63; // '/'
  return -1;
}

/** Decodes src[start, end) into out; false (out then holds a prefix) when it is not base64. */
export function base64DecodeInto(src: Uint8Array, start: i32, end: i32, out: ByteBuilder): bool {
  let e = end;
  if (e > start && src[e - 1] == 0x3d) e--;
  if (e > start && src[e - 1] == 0x3d) e--;
  if (end - start > e - start && ((end - start) & 3) != 0) return false; // padded: whole quanta
  if (((e - start) & 3) == 1) return false;
  let acc: u32 = 0;
  let bits: i32 = 0;
  for (let i = start; i < e; i++) {
    const v = sextet(<u32>unchecked(src[i]));
    if (v < 0) return false;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) { bits -= 8; out.appendByte(<u8>(acc >> <u32>bits)); acc &= (1 << <u32>bits) - 1; }
  }
  return true;
}

/** Appends src[start, end) base64-encoded, with padding. */
export function base64EncodeInto(src: Uint8Array, start: i32, end: i32, out: ByteBuilder): void {
  const a = changetype<usize>(ALPHABET);
  let i = start;
  for (; i + 3 <= end; i += 3) {
    const v = (<u32>unchecked(src[i]) << 16) | (<u32>unchecked(src[i + 1]) << 8) | <u32>unchecked(src[i + 2]);
    out.appendByte(<u8>load<u16>(a + ((v >> 18) & 63) * 2));
    out.appendByte(<u8>load<u16>(a + ((v >> 12) & 63) * 2));
    out.appendByte(<u8>load<u16>(a + ((v >> 6) & 63) * 2));
    out.appendByte(<u8>load<u16>(a + (v & 63) * 2));
  }
  const tail = end - i;
  if (tail == 0) return;
  let v = <u32>unchecked(src[i]) << 16;
  if (tail == 2) v |= <u32>unchecked(src[i + 1]) << 8;
  out.appendByte(<u8>load<u16>(a + ((v >> 18) & 63) * 2));
  out.appendByte(<u8>load<u16>(a + ((v >> 12) & 63) * 2));
  out.appendByte(tail == 2 ? <u8>load<u16>(a + ((v >> 6) & 63) * 2) : 0x3d);
  out.appendByte(0x3d);
}
