// Constant-time helpers: the running time depends on lengths only, never on where the
// first differing byte sits (a MAC compare that exits early leaks that position).

/** True when `a` and `b` have the same length and the same bytes. Time depends only on the lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  let diff: u32 = 0;
  const pa = a.dataStart, pb = b.dataStart;
  for (let i = 0; i < a.length; i++) diff |= <u32>(load<u8>(pa + <usize>i) ^ load<u8>(pb + <usize>i));
  return diff == 0;
}
