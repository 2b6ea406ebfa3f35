// Unpacks what filters/common/scripts/lz.ts packed at build time (its header gives the format).
// Only for data the build embedded, so the input is trusted; still, every read and write stays
// inside the given ranges, and a malformed stream stops early instead of trapping.

const MIN_MATCH: u32 = 4;

/** Unpacks packed[0, packedLength) into out[0, outLength); returns the bytes written. */
export function lzUnpackInto(packed: usize, packedLength: i32, out: usize, outLength: i32): i32 {
  let i = 0;
  let o = 0;
  while (i < packedLength) {
    const t = <u32>load<u8>(packed + <usize>i);
    i++;
    if (t < 0x80) {
      const n = <i32>t + 1;
      if (i + n > packedLength || o + n > outLength) break;
      memory.copy(out + <usize>o, packed + <usize>i, <usize>n);
      i += n;
      o += n;
    } else {
      if (i + 2 > packedLength) break;
      const n = <i32>((t & 0x7f) + MIN_MATCH);
      const off = <i32>load<u8>(packed + <usize>i) | (<i32>load<u8>(packed + <usize>(i + 1)) << 8);
      i += 2;
      if (off == 0 || off > o || o + n > outLength) break;
      // Byte by byte: a match may overlap what it writes (a run).
      for (let k = 0; k < n; k++) store<u8>(out + <usize>(o + k), load<u8>(out + <usize>(o + k - off)));
      o += n;
    }
  }
  return o;
}
