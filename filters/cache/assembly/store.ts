// The exact cache's store: a fixed set of shared-data slots (all workers of one vm_id see them).
//
// Envoy's shared data has no delete and no key listing, and keeps every key ever written
// (proxy-wasm-cpp-host src/shared_data.cc). So keys are fixed: `aigw.cache.<slots>.s.<i>` for i
// in [0, slots), and an entry lives in one of two slots chosen by its digest (2-way set
// associative). A removed entry is a slot overwritten with an empty value. Bytes held are counted
// in `aigw.cache.<slots>.held` (updated with compare-and-swap); a store that would pass the
// budget first empties neighbouring slots (eviction), or is skipped. Slot writes use the CAS
// token of the read that chose them, so two workers never both think they own a slot.
import { getSharedData, setSharedData, WasmResult } from "../../common/sdk";
import { entryExpiresAt, entryHolds, entryIntact, entryStoredAt, decodeEntry, Entry, HEADER, MAGIC } from "./entry";

/** Slots probed past the target for eviction when the budget is reached. */
const EVICT_PROBES: i32 = 32;

export namespace PutResult {
  export const STORED = 0;
  export const BUDGET = 1; // could not free enough bytes
  export const RACE = 2; // another worker wrote the slot between our read and write
}

export class StoreStats {
  evictions: i32 = 0;
  expired: i32 = 0;
  corrupt: i32 = 0;
  /** Bytes held after the operation, or -1 when unchanged. */
  held: i64 = -1;
  reset(): void { this.evictions = 0; this.expired = 0; this.corrupt = 0; this.held = -1; }
}

const EMPTY = new ArrayBuffer(0);

export class SlotStore {
  private prefix: string;
  private heldKey: string;
  stats: StoreStats = new StoreStats();

  constructor(public slots: i32, public budget: i64) {
    this.prefix = "aigw.cache." + slots.toString() + ".s.";
    this.heldKey = "aigw.cache." + slots.toString() + ".held";
  }

  slotOf(digest: Uint8Array, way: i32): i32 {
    const w = load<u32>(digest.dataStart + <usize>(way * 4));
    return <i32>(w % <u32>this.slots);
  }

  key(slot: i32): string { return this.prefix + slot.toString(); }

  /** Bytes the entries hold now (the shared counter). */
  held(): i64 {
    const v = getSharedData(this.heldKey);
    return v === null || v.value.byteLength != 8 ? 0 : load<i64>(changetype<usize>(v.value));
  }

  private adjustHeld(delta: i64): void {
    if (delta == 0) return;
    for (let tries = 0; tries < 16; tries++) {
      const v = getSharedData(this.heldKey);
      let cur: i64 = 0;
      let cas: u32 = 0;
      if (v !== null && v.value.byteLength == 8) { cur = load<i64>(changetype<usize>(v.value)); cas = v.cas; }
      else if (v !== null) cas = v.cas;
      let next = cur + delta;
      if (next < 0) next = 0;
      const b = new ArrayBuffer(8);
      store<i64>(changetype<usize>(b), next);
      if (setSharedData(this.heldKey, b, cas) == WasmResult.Ok) { this.stats.held = next; return; }
    }
  }

  /** Adds `delta` bytes to the shared counter unless that passes the budget. */
  private reserve(delta: i64): bool {
    if (delta <= 0) { this.adjustHeld(delta); return true; }
    for (let tries = 0; tries < 16; tries++) {
      const v = getSharedData(this.heldKey);
      const cur: i64 = v !== null && v.value.byteLength == 8 ? load<i64>(changetype<usize>(v.value)) : 0;
      if (cur + delta > this.budget) return false;
      const b = new ArrayBuffer(8);
      store<i64>(changetype<usize>(b), cur + delta);
      if (setSharedData(this.heldKey, b, v === null ? 0 : v.cas) == WasmResult.Ok) { this.stats.held = cur + delta; return true; }
    }
    return false;
  }

  /** Empties a slot if it still holds what we read (CAS); true when this call emptied it. */
  private clear(slot: i32, cas: u32, size: i32): bool {
    if (setSharedData(this.key(slot), EMPTY, cas) != WasmResult.Ok) return false;
    this.adjustHeld(-<i64>size);
    return true;
  }

  /** The live entry for `digest`, or null. Expired and corrupt values met on the way are dropped. */
  lookup(digest: Uint8Array, now: i64): Entry | null {
    for (let way = 0; way < 2; way++) {
      const slot = this.slotOf(digest, way);
      if (way == 1 && slot == this.slotOf(digest, 0)) break;
      const v = getSharedData(this.key(slot));
      if (v === null || v.value.byteLength == 0) continue;
      const b = Uint8Array.wrap(v.value);
      if (b.length < HEADER || load<u32>(b.dataStart) != MAGIC || <i32>load<u32>(b.dataStart + 8) != b.length) {
        if (this.clear(slot, v.cas, b.length)) this.stats.corrupt++;
        continue;
      }
      if (!entryHolds(b, digest)) continue;
      if (!entryIntact(b)) { if (this.clear(slot, v.cas, b.length)) this.stats.corrupt++; continue; }
      if (entryExpiresAt(b) <= now) { if (this.clear(slot, v.cas, b.length)) this.stats.expired++; continue; }
      return decodeEntry(b);
    }
    return null;
  }

  /** Stores an encoded entry for `digest`. */
  put(digest: Uint8Array, bytes: Uint8Array, now: i64): i32 {
    // Pick the way: the same key, else an empty or expired slot, else the older entry.
    let target = -1, targetCas: u32 = 0, targetSize = 0, bestAt = i64.MAX_VALUE;
    for (let way = 0; way < 2; way++) {
      const slot = this.slotOf(digest, way);
      if (way == 1 && slot == this.slotOf(digest, 0)) break;
      const v = getSharedData(this.key(slot));
      const size = v === null ? 0 : v.value.byteLength;
      const cas = v === null ? 0 : v.cas;
      let rank: i64;
      if (size == 0) rank = -2;
      else {
        const b = Uint8Array.wrap(v!.value);
        if (entryHolds(b, digest)) rank = -3;
        else if (b.length < HEADER || load<u32>(b.dataStart) != MAGIC || entryExpiresAt(b) <= now) rank = -1;
        else rank = entryStoredAt(b);
      }
      if (rank < bestAt) { bestAt = rank; target = slot; targetCas = cas; targetSize = size; }
    }
    const evictsLive = bestAt >= 0;
    const delta = <i64>bytes.length - <i64>targetSize;
    const need = this.held() + delta - this.budget;
    if (need > 0) {
      let freed: i64 = 0;
      for (let i = 1; i <= EVICT_PROBES && freed < need; i++) {
        const slot = (target + i) % this.slots;
        if (slot == target) break;
        const v = getSharedData(this.key(slot));
        if (v === null || v.value.byteLength == 0) continue;
        const size = v.value.byteLength;
        if (this.clear(slot, v.cas, size)) { freed += size; this.stats.evictions++; }
      }
      if (freed < need) return PutResult.BUDGET;
    }
    // The bytes are reserved on the shared counter first (compare-and-swap, never past the
    // budget), so workers storing at once cannot together pass it.
    if (!this.reserve(delta)) return PutResult.BUDGET;
    // An empty slot never set has CAS 0, which Envoy treats as unconditional: acceptable, the
    // entry carries its digest and checksum, so the worst case is one lost store.
    if (setSharedData(this.key(target), bytes.buffer, targetCas) != WasmResult.Ok) {
      this.adjustHeld(-delta);
      return PutResult.RACE;
    }
    if (evictsLive) this.stats.evictions++;
    return PutResult.STORED;
  }
}
