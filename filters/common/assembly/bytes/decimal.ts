// Decimal text of an integer, for messages, JSON paths and log lines. An integer's toString()
// brings in the standard library's any-radix formatter with its digit table and radix error message
// (about 0.6 KB in every module); this writes the digits and nothing else. No global state: the
// abort handler uses it before anything is initialised.
export function decimal(v: i64): string {
  const neg = v < 0;
  const magnitude: u64 = neg ? <u64>0 - <u64>v : <u64>v;
  let n = neg ? 2 : 1;
  for (let u = magnitude; u >= 10; u /= 10) n++;
  const s = __new(<usize>n << 1, idof<string>());
  let u = magnitude;
  for (let i = n - 1; i >= (neg ? 1 : 0); i--) { store<u16>(s + (<usize>i << 1), <u16>(0x30 + <u32>(u % 10))); u /= 10; }
  if (neg) store<u16>(s, 0x2d);
  return changetype<string>(s);
}
