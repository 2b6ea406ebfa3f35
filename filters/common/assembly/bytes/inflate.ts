// Inflates raw DEFLATE (RFC 1951): the data a filter embeds packed at build time (prompt-guard's
// pattern sources, packed by its scripts/generate.ts with Node's zlib). Canonical Huffman decoding
// bit by bit, as zlib's reference decoder `puff` does: little code, and fast enough for a few tens
// of KB once at start. Written against raw memory and module globals rather than classes and typed
// arrays: that is a third of the code. The input is the build's own, but a malformed stream still
// stops early instead of reading or writing outside the given ranges.

const MAX_BITS: i32 = 15;
const LENGTH_BASE: usize = memory.data<u16>([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]);
const LENGTH_EXTRA: usize = memory.data<u8>([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
const DIST_BASE: usize = memory.data<u16>([1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]);
const DIST_EXTRA: usize = memory.data<u8>([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
/** The order code-length code lengths come in (RFC 1951 3.2.7). */
const CODE_LENGTH_ORDER: usize = memory.data<u8>([16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]);

// A canonical Huffman code at `h`: 16 u16 counts (codes of each length), then up to 288 u16
// symbols in code order. The scratch: the literal/length code, the distance code, the code lengths
// (320 bytes), a build's offsets (16 u16).
const CODE_BYTES: usize = (16 + 288) << 1;
const LIT: usize = memory.data(<i32>CODE_BYTES);
const DIST: usize = memory.data(<i32>CODE_BYTES);
const LENGTHS: usize = memory.data(320);
const OFFSETS: usize = memory.data(32);

// The stream being read.
let src: usize = 0;
let srcEnd: usize = 0;
let bitBuffer: u32 = 0;
let bitCount: i32 = 0;
/** Set when the input ran out or held an impossible code. */
let bad: bool = false;

/** Builds the code at `h` from LENGTHS[from, from + n); false when the lengths over-subscribe it. */
function build(h: usize, from: i32, n: i32): bool {
  memory.fill(h, 0, 32);
  for (let i = 0; i < n; i++) {
    const c = h + (<usize>load<u8>(LENGTHS + <usize>(from + i)) << 1);
    store<u16>(c, load<u16>(c) + 1);
  }
  store<u16>(h, 0);
  let left = 1;
  store<u16>(OFFSETS + 2, 0);
  for (let l = 1; l <= MAX_BITS; l++) {
    const count = <i32>load<u16>(h + (<usize>l << 1));
    left = (left << 1) - count;
    if (left < 0) return false;
    if (l < MAX_BITS) store<u16>(OFFSETS + (<usize>(l + 1) << 1), load<u16>(OFFSETS + (<usize>l << 1)) + <u16>count);
  }
  for (let i = 0; i < n; i++) {
    const l = <usize>load<u8>(LENGTHS + <usize>(from + i));
    if (l == 0) continue;
    const o = OFFSETS + (l << 1);
    const at = load<u16>(o);
    store<u16>(h + 32 + (<usize>at << 1), <u16>i);
    store<u16>(o, at + 1);
  }
  return true;
}

function bits(n: i32): i32 {
  while (bitCount < n) {
    if (src >= srcEnd) { bad = true; return 0; }
    bitBuffer |= <u32>load<u8>(src) << bitCount;
    src++;
    bitCount += 8;
  }
  const v = bitBuffer & ((1 << n) - 1);
  bitBuffer >>>= n;
  bitCount -= n;
  return <i32>v;
}

/** The next symbol of the code at `h` (-1 and `bad` when none). */
function decode(h: usize): i32 {
  let code = 0, first = 0, index = 0;
  for (let l = 1; l <= MAX_BITS; l++) {
    code |= bits(1);
    const count = <i32>load<u16>(h + (<usize>l << 1));
    if (code - count < first) return <i32>load<u16>(h + 32 + (<usize>(index + code - first) << 1));
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  bad = true;
  return -1;
}

/** A block's codes from its header (dynamic) or the fixed ones. */
function readCodes(dynamic: bool): bool {
  const l = LENGTHS;
  if (!dynamic) {
    for (let i = 0; i < 288; i++) store<u8>(l + <usize>i, i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
    for (let i = 288; i < 318; i++) store<u8>(l + <usize>i, 5);
    return build(LIT, 0, 288) && build(DIST, 288, 30);
  }
  const nLit = bits(5) + 257, nDist = bits(5) + 1, nCode = bits(4) + 4;
  if (nLit > 286 || nDist > 30) return false;
  for (let i = 0; i < 19; i++) store<u8>(l + <usize>load<u8>(CODE_LENGTH_ORDER + <usize>i), i < nCode ? <u8>bits(3) : 0);
  if (!build(LIT, 0, 19)) return false;
  // The literal/length and distance code lengths, one sequence, with runs (16: the last length
  // 3-6 times, 17: 3-10 zeros, 18: 11-138 zeros).
  const total = nLit + nDist;
  let i = 0;
  while (i < total) {
    const s = decode(LIT);
    if (bad) return false;
    if (s < 16) { store<u8>(l + <usize>i, <u8>s); i++; continue; }
    let value: u8 = 0, repeat = 0;
    if (s == 16) {
      if (i == 0) return false;
      value = load<u8>(l + <usize>(i - 1));
      repeat = 3 + bits(2);
    } else repeat = s == 17 ? 3 + bits(3) : 11 + bits(7);
    if (i + repeat > total) return false;
    memory.fill(l + <usize>i, value, <usize>repeat);
    i += repeat;
  }
  return load<u8>(l + 256) != 0 && build(LIT, 0, nLit) && build(DIST, nLit, nDist);
}

/** Inflates the raw DEFLATE stream at from[0, fromLength) into out[0, outLength); returns the
 *  bytes written (fewer than the stream holds when it is malformed or out is too small). */
export function inflateInto(from: usize, fromLength: i32, out: usize, outLength: i32): i32 {
  src = from;
  srcEnd = from + <usize>fromLength;
  bitBuffer = 0;
  bitCount = 0;
  bad = false;
  let written = 0;
  let last = 0;
  while (last == 0 && !bad) {
    last = bits(1);
    const type = bits(2);
    if (bad) break;
    if (type == 0) {
      // Stored: from the next byte boundary, LEN and its complement, then LEN bytes.
      bitBuffer = 0;
      bitCount = 0;
      if (src + 4 > srcEnd) break;
      const n = <i32>load<u16>(src);
      if ((n ^ <i32>load<u16>(src + 2)) != 0xffff || src + 4 + <usize>n > srcEnd || written + n > outLength) break;
      memory.copy(out + <usize>written, src + 4, <usize>n);
      written += n;
      src += 4 + <usize>n;
      continue;
    }
    if (type == 3 || !readCodes(type == 2)) break;
    // The block's symbols up to its end (256).
    while (true) {
      let s = decode(LIT);
      // (A stream cut short reads zeros for its missing bits: nothing decoded then is written.)
      if (bad) return written;
      if (s < 256) {
        if (written >= outLength) return written;
        store<u8>(out + <usize>written, <u8>s);
        written++;
        continue;
      }
      if (s == 256) break;
      s -= 257;
      if (s >= 29) return written;
      const n = <i32>load<u16>(LENGTH_BASE + (<usize>s << 1)) + bits(<i32>load<u8>(LENGTH_EXTRA + <usize>s));
      const d = decode(DIST);
      if (bad || d >= 30) return written;
      const back = <i32>load<u16>(DIST_BASE + (<usize>d << 1)) + bits(<i32>load<u8>(DIST_EXTRA + <usize>d));
      if (bad || back > written || written + n > outLength) return written;
      // Byte by byte: a match may overlap what it writes (a run).
      for (let k = 0; k < n; k++) store<u8>(out + <usize>(written + k), load<u8>(out + <usize>(written + k - back)));
      written += n;
    }
  }
  return written;
}
