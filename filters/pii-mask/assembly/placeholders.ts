// Finding tokenize placeholders (`[EMAIL_<hex>]`) in an answer, to put the originals back.
// Only placeholders present in this stream's vault are restored; anything else that looks like
// one is left as it is.
import { Vault } from "./vault";

@inline function isNameByte(c: u32): bool {
  return (c - 0x41 < 26) || (c - 0x30 < 10) || c == 0x5f;
}
@inline function isHexLower(c: u32): bool {
  return (c - 0x30 < 10) || (c - 0x61 < 6);
}
@inline function isPlaceholderByte(c: u32): bool { return isNameByte(c) || isHexLower(c); }

/** Longest placeholder: '[' + 48-byte name + '_' + 64 hex + ']'. */
export const MAX_PLACEHOLDER: i32 = 1 + 48 + 1 + 64 + 1;

/**
 * If src[i] starts a complete placeholder (within [i, end)) with `hexLen` hex digits, returns its
 * end (exclusive), else -1.
 */
export function placeholderAt(src: Uint8Array, i: i32, end: i32, hexLen: i32): i32 {
  if (i >= end || unchecked(src[i]) != 0x5b) return -1;
  let j = i + 1;
  const limit = min(end, i + MAX_PLACEHOLDER);
  while (j < limit && isPlaceholderByte(unchecked(src[j]))) j++;
  // j is at the first non-name byte: must be ']' and the name must end with '_' + hexLen hex.
  if (j >= limit || unchecked(src[j]) != 0x5d) return -1;
  const hexStart = j - hexLen;
  if (hexStart - 1 < i + 2) return -1; // a name of at least one byte, then '_'
  if (unchecked(src[hexStart - 1]) != 0x5f) return -1;
  for (let k = hexStart; k < j; k++) if (!isHexLower(unchecked(src[k]))) return -1;
  return j + 1;
}

/**
 * Where an answer stream must stop emitting so that a placeholder cut by the chunk end is not
 * sent half-restored: the offset of a trailing '[' that may still grow into a placeholder, or
 * `end` when there is none. Only the last MAX_PLACEHOLDER bytes matter.
 */
export function placeholderHold(src: Uint8Array, from: i32, end: i32): i32 {
  let i = end - 1;
  const stop = max(from, end - MAX_PLACEHOLDER);
  while (i >= stop) {
    const c = <u32>unchecked(src[i]);
    if (c == 0x5b) return i;
    if (!isPlaceholderByte(c)) return end;
    i--;
  }
  return end;
}

/** A restored span. */
export class Restore {
  constructor(public start: i32, public end: i32, public value: Uint8Array) {}
}

/** Appends every vault placeholder in src[start, end) to `out` (sorted). */
export function findPlaceholders(src: Uint8Array, start: i32, end: i32, hexLen: i32, vault: Vault, out: Array<Restore>): void {
  if (vault.size == 0) return;
  let i = start;
  while (i < end) {
    if (unchecked(src[i]) != 0x5b) { i++; continue; }
    const e = placeholderAt(src, i, end, hexLen);
    if (e < 0) { i++; continue; }
    const key = String.UTF8.decodeUnsafe(src.dataStart + <usize>i, <usize>(e - i));
    const v = vault.get(key);
    if (v !== null) {
      out.push(new Restore(i, e, v));
      i = e;
    } else i++;
  }
}
