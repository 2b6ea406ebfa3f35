// Fixed-window counters in proxy-wasm shared data, safe under concurrent workers.
//
// Envoy's shared data (proxy-wasm-cpp-host src/shared_data.cc) offers get and set with a
// compare-and-swap token only: no delete, no listing, no atomic increment. So:
//   - keys are a fixed set: `<prefix>.<slot>` for slot in [0, slots); a counter's key string is
//     hashed to a home slot and up to PROBES slots after it (open addressing). A slot belongs to
//     a key for one window; a slot of an older window is free for any key. When every probe slot
//     is held by other keys in the current window, the key shares its home slot (it is then
//     counted together with another key: stricter, never looser).
//   - every change is read, compute, set-with-CAS; a lost race (CasMismatch) re-reads and retries.
//   - CAS 0 means "unconditional" to Envoy, so a slot that never existed cannot be created
//     atomically; `ensureSlots` creates them all once at configure time (only if missing).
//
// A record is 20 bytes: u64 window index (start ms / window ms), i64 used, u32 key hash.
import { getSharedData, setSharedData, WasmResult } from "../../sdk";
import { decimal } from "../bytes/decimal";

const PROBES = 4;
const RECORD = 20;
const MAX_RACES = 64;

/** FNV-1a over the UTF-16 code units, never 0 (0 marks a free slot). */
export function keyHash(key: string): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= <u32>key.charCodeAt(i);
    h *= 0x01000193;
  }
  return h == 0 ? 1 : h;
}

class Slot {
  constructor(public name: string, public window: i64, public used: i64, public hash: u32, public cas: u32, public exists: bool) {}
}

function readSlot(name: string): Slot {
  const v = getSharedData(name);
  if (v === null) return new Slot(name, -1, 0, 0, 0, false);
  if (v.value.byteLength != RECORD) return new Slot(name, -1, 0, 0, v.cas, true);
  const p = changetype<usize>(v.value);
  return new Slot(name, load<i64>(p), load<i64>(p, 8), load<u32>(p, 16), v.cas, true);
}

function writeSlot(s: Slot, window: i64, used: i64, hash: u32): bool {
  const b = new ArrayBuffer(RECORD);
  const p = changetype<usize>(b);
  store<i64>(p, window);
  store<i64>(p, used, 8);
  store<u32>(p, hash, 16);
  return setSharedData(s.name, b, s.cas) == WasmResult.Ok;
}

function slotName(prefix: string, i: i32): string { return prefix + "." + decimal(i); }

/** Creates every slot of `prefix` that does not exist yet (empty). Call from onConfigure. */
export function ensureSlots(prefix: string, slots: i32): void {
  for (let i = 0; i < slots; i++) {
    const n = slotName(prefix, i);
    if (getSharedData(n) === null) setSharedData(n, new ArrayBuffer(RECORD), 0);
  }
}

export class WindowResult {
  /** The change was made (always for force). */
  ok: bool = false;
  /** What was added (less than asked when a reservation was capped at the limit). */
  added: i64 = 0;
  /** Used in the current window after the change (or as found, when refused). */
  used: i64 = 0;
  /** Index of the current window. */
  window: i64 = 0;
  /** Milliseconds until the current window ends. */
  resetMs: i64 = 0;
  /** The CAS races were lost too often (never expected; the caller decides). */
  contended: bool = false;
}

/** Picks the slot for `hash` in window `w` among the probes: its own, else a free one, else home. */
function pick(prefix: string, slots: i32, hash: u32, w: i64): Slot {
  const home = <i32>(hash % <u32>slots);
  let free: Slot | null = null;
  let first: Slot | null = null;
  for (let k = 0; k < PROBES && k < slots; k++) {
    const s = readSlot(slotName(prefix, (home + k) % slots));
    if (first === null) first = s;
    if (s.window == w && s.hash == hash) return s;
    if (free === null && (s.window != w || s.hash == 0)) free = s;
  }
  return free !== null ? free! : first!;
}

/**
 * Adds `amount` to `key`'s count in the window containing `nowMs`. Unless `force`, nothing is
 * added once the count reached `limit`, and a positive amount is capped at what is left below
 * `limit`, and refused when that is less than `minAmount`
 * (default: all of it). With `force` (reconciliation, negative amounts) it always applies; the
 * count never goes below 0.
 */
export function windowAdd(prefix: string, slots: i32, key: string, windowMs: i64, nowMs: i64, amount: i64, limit: i64, force: bool, minAmount: i64 = -1): WindowResult {
  if (minAmount < 0 || minAmount > amount) minAmount = amount;
  const r = new WindowResult();
  const w = nowMs / windowMs;
  r.window = w;
  r.resetMs = (w + 1) * windowMs - nowMs;
  const hash = keyHash(key);
  for (let attempt = 0; attempt < MAX_RACES; attempt++) {
    const s = pick(prefix, slots, hash, w);
    const current: i64 = s.window == w ? s.used : 0;
    // A shared home slot keeps its owner's hash; a fresh or free slot takes ours.
    const owner: u32 = s.window == w && s.hash != 0 ? s.hash : hash;
    let add = amount;
    // A spent budget refuses everything, even a request that reserves nothing (an unpriced model).
    if (!force && current >= limit) {
      r.used = current;
      return r;
    }
    if (!force && amount > 0 && current + amount > limit) {
      add = limit - current;
      if (add < minAmount || add < 0) {
        r.used = current;
        return r;
      }
    }
    let next = current + add;
    if (next < 0) next = 0;
    if (writeSlot(s, w, next, owner)) {
      r.ok = true;
      r.added = next - current;
      r.used = next;
      return r;
    }
  }
  r.contended = true;
  return r;
}

/** The current count of `key` (0 in a new window), without changing it. */
export function windowRead(prefix: string, slots: i32, key: string, windowMs: i64, nowMs: i64): WindowResult {
  const r = new WindowResult();
  const w = nowMs / windowMs;
  r.window = w;
  r.resetMs = (w + 1) * windowMs - nowMs;
  const s = pick(prefix, slots, keyHash(key), w);
  r.used = s.window == w ? s.used : 0;
  r.ok = true;
  return r;
}
