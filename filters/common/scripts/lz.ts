// A small LZ77 packing for build-time data a filter embeds (prompt-guard's pattern sources): the
// module carries the packed bytes and unpacks them once at start with assembly/bytes/lz.ts. Not a
// general-purpose format: greedy matching, a 64 KiB window, tuned for text of a few tens of KB.
//
// Stream: a sequence of tokens.
//   0x00..0x7F  literal run: the next (token + 1) bytes are copied as they are;
//   0x80..0xFF  match: (token & 0x7F) + MIN_MATCH bytes copied from `offset` bytes back, where
//               offset is the next two bytes, little-endian (1..65535).

export const MIN_MATCH = 4;
const MAX_MATCH = 0x7f + MIN_MATCH;
const MAX_LITERALS = 0x80;
const WINDOW = 0xffff;
/** Candidates looked at per position (the hash chain's depth). */
const CHAIN = 64;

export function lzPack(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  const head = new Map<number, number>();
  const prev = new Int32Array(src.length).fill(-1);
  const key = (i: number) => src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24);
  const insert = (i: number) => {
    if (i + MIN_MATCH > src.length) return;
    const k = key(i);
    prev[i] = head.get(k) ?? -1;
    head.set(k, i);
  };
  let literalStart = 0;
  const flushLiterals = (end: number) => {
    for (let s = literalStart; s < end; s += MAX_LITERALS) {
      const n = Math.min(MAX_LITERALS, end - s);
      out.push(n - 1);
      for (let k = 0; k < n; k++) out.push(src[s + k]);
    }
  };
  let i = 0;
  while (i < src.length) {
    let bestLen = 0, bestOff = 0;
    if (i + MIN_MATCH <= src.length) {
      let c = head.get(key(i)) ?? -1;
      for (let depth = 0; c >= 0 && depth < CHAIN && i - c <= WINDOW; depth++, c = prev[c]) {
        let n = 0;
        while (n < MAX_MATCH && i + n < src.length && src[c + n] === src[i + n]) n++;
        if (n > bestLen) { bestLen = n; bestOff = i - c; }
      }
    }
    if (bestLen >= MIN_MATCH) {
      flushLiterals(i);
      out.push(0x80 | (bestLen - MIN_MATCH), bestOff & 0xff, bestOff >> 8);
      for (let k = 0; k < bestLen; k++) insert(i + k);
      i += bestLen;
      literalStart = i;
    } else {
      insert(i);
      i++;
    }
  }
  flushLiterals(src.length);
  return Uint8Array.from(out);
}

/** The reference unpacking (tests check the filter's against it and against the input). */
export function lzUnpack(packed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  for (let i = 0; i < packed.length;) {
    const t = packed[i++];
    if (t < 0x80) {
      out.set(packed.subarray(i, i + t + 1), o);
      o += t + 1;
      i += t + 1;
    } else {
      const n = (t & 0x7f) + MIN_MATCH;
      const off = packed[i] | (packed[i + 1] << 8);
      i += 2;
      for (let k = 0; k < n; k++, o++) out[o] = out[o - off];
    }
  }
  if (o !== length) throw new Error(`lzUnpack: ${o} bytes, expected ${length}`);
  return out;
}
