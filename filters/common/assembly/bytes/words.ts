// Fixed word lists as UTF-8 bytes in the module's data (scripts/generate.ts): an AssemblyScript
// array of string literals costs a static array plus every literal's header, and a literal is
// UTF-16; the lists are matched as UTF-8 anyway.

/** The words of the UTF-8 text [ptr, ptr+len), split at spaces and newlines, in order. */
export function encodeWordsAt(ptr: usize, len: i32): Array<Uint8Array> {
  const out = new Array<Uint8Array>();
  let start = 0;
  for (let i = 0; i <= len; i++) {
    if (i < len && load<u8>(ptr + <usize>i) > 0x20) continue;
    if (i > start) {
      const w = new Uint8Array(i - start);
      memory.copy(w.dataStart, ptr + <usize>start, <usize>(i - start));
      out.push(w);
    }
    start = i + 1;
  }
  return out;
}
