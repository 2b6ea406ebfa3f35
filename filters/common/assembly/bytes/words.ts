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

/** Line `index` (0-based, lines split at "\n") of the UTF-8 text [ptr, ptr+len) as a string; the
 *  last line if `index` is past it. Messages kept as UTF-8 data (lists.ts JSON_ERRORS). */
export function lineAt(ptr: usize, len: i32, index: i32): string {
  let start = 0, line = 0;
  for (let i = 0; i < len; i++) {
    if (load<u8>(ptr + <usize>i) != 0x0a) continue;
    if (line == index) return String.UTF8.decodeUnsafe(ptr + <usize>start, <usize>(i - start));
    line++;
    start = i + 1;
  }
  return String.UTF8.decodeUnsafe(ptr + <usize>start, <usize>(len - start));
}
