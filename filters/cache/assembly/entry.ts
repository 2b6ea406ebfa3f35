// One stored answer as bytes in a shared-data slot. Every entry carries the full key digest (a
// slot is shared by every key that maps to it: another key's entry is a miss) and a checksum
// over everything after it (a torn or corrupted value is dropped, never served).
//
// Layout (little-endian):
//    0 u32 magic "AIC1"      4 u32 FNV-1a of bytes [8, length)     8 u32 length
//   12 u8 dialect  13 u8 flags  14 u16 content-type length
//   16 digest[32]
//   48 i64 stored at (ms)  56 i64 expires at (ms)
//   64 i64 input tokens  72 i64 output tokens  80 i64 cached input tokens  88 i64 cost (micro-USD)
//   96 content type, then the body

export const MAGIC: u32 = 0x31434941; // "AIC1"
export const HEADER: i32 = 96;

export class Entry {
  digest: Uint8Array = new Uint8Array(32);
  dialect: i32 = 0;
  storedAt: i64 = 0;
  expiresAt: i64 = 0;
  input: i64 = 0;
  output: i64 = 0;
  cached: i64 = 0;
  costMicros: i64 = 0;
  contentType: string = "application/json";
  body: Uint8Array = new Uint8Array(0);
}

/** FNV-1a (32-bit) of data[start, end): cheap, and enough to catch torn or corrupted values. */
export function fnv1a(data: Uint8Array, start: i32, end: i32): u32 {
  let h: u32 = 0x811c9dc5;
  const p = data.dataStart;
  for (let i = start; i < end; i++) {
    h ^= <u32>load<u8>(p + <usize>i);
    h *= 0x01000193;
  }
  return h;
}

/** The entry's bytes, checksum included. */
export function encodeEntry(e: Entry): Uint8Array {
  const ct = String.UTF8.encode(e.contentType);
  const total = HEADER + ct.byteLength + e.body.length;
  const b = new Uint8Array(total);
  const p = b.dataStart;
  store<u32>(p, MAGIC);
  store<u32>(p + 8, <u32>total);
  store<u8>(p + 12, <u8>e.dialect);
  store<u8>(p + 13, 0);
  store<u16>(p + 14, <u16>ct.byteLength);
  memory.copy(p + 16, e.digest.dataStart, 32);
  store<i64>(p + 48, e.storedAt);
  store<i64>(p + 56, e.expiresAt);
  store<i64>(p + 64, e.input);
  store<i64>(p + 72, e.output);
  store<i64>(p + 80, e.cached);
  store<i64>(p + 88, e.costMicros);
  memory.copy(p + <usize>HEADER, changetype<usize>(ct), <usize>ct.byteLength);
  memory.copy(p + <usize>(HEADER + ct.byteLength), e.body.dataStart, <usize>e.body.length);
  store<u32>(p + 4, fnv1a(b, 8, total));
  return b;
}

/** Whether `b` is a whole, uncorrupted entry (magic, length and checksum agree). */
export function entryIntact(b: Uint8Array): bool {
  if (b.length < HEADER) return false;
  const p = b.dataStart;
  if (load<u32>(p) != MAGIC) return false;
  if (<i32>load<u32>(p + 8) != b.length) return false;
  const ctLen = <i32>load<u16>(p + 14);
  if (HEADER + ctLen > b.length) return false;
  return load<u32>(p + 4) == fnv1a(b, 8, b.length);
}

/** Whether an intact entry holds `digest` (checked before the checksum's full pass). */
export function entryHolds(b: Uint8Array, digest: Uint8Array): bool {
  if (b.length < HEADER || load<u32>(b.dataStart) != MAGIC) return false;
  return memory.compare(b.dataStart + 16, digest.dataStart, 32) == 0;
}

export function entryStoredAt(b: Uint8Array): i64 { return b.length >= HEADER ? load<i64>(b.dataStart + 48) : 0; }
export function entryExpiresAt(b: Uint8Array): i64 { return b.length >= HEADER ? load<i64>(b.dataStart + 56) : 0; }

/** Decodes an entry that passed entryIntact. */
export function decodeEntry(b: Uint8Array): Entry {
  const p = b.dataStart;
  const e = new Entry();
  memory.copy(e.digest.dataStart, p + 16, 32);
  e.dialect = <i32>load<u8>(p + 12);
  e.storedAt = load<i64>(p + 48);
  e.expiresAt = load<i64>(p + 56);
  e.input = load<i64>(p + 64);
  e.output = load<i64>(p + 72);
  e.cached = load<i64>(p + 80);
  e.costMicros = load<i64>(p + 88);
  const ctLen = <i32>load<u16>(p + 14);
  e.contentType = String.UTF8.decodeUnsafe(p + <usize>HEADER, <usize>ctLen);
  e.body = b.slice(HEADER + ctLen, b.length);
  return e;
}
