// Seeded pseudo-random numbers for fuzz tests: a failure replays from its seed.
// mulberry32 (a 32-bit state, full period, good enough statistical quality for test inputs).

/** A generator of numbers in [0, 1) determined entirely by `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters a fuzz mutation inserts: JSON structure, escapes, multi-byte UTF-8, an SSE event end. */
export const FUZZ_INSERTS = ["{", "}", "\"", "\\", ",", "[", "\u00e9", "\ud83d\ude00", "\n\n", ":"];

/**
 * `s` with one to four random edits by `r`: a code point deleted, one of `inserts` inserted, or a code
 * point replaced by an ASCII character. Edits are by code point, so a surrogate pair is never split.
 */
export function mutateText(r: () => number, s: string, inserts: readonly string[] = FUZZ_INSERTS): string {
  const b = [...s];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * b.length);
    const op = r();
    if (op < 0.3) b.splice(at, 1);
    else if (op < 0.6) b.splice(at, 0, inserts[Math.floor(r() * inserts.length)]);
    else b[at] = String.fromCharCode(Math.floor(r() * 128));
  }
  return b.join("");
}
