// The semantic index: prompt vectors quantised to int8, held in each VM's memory and shared with
// the other workers of the vm_id through a ring of shared-data slots.
//
// Shared data copies a value into the VM on every get (proxy-wasm-cpp-host shared_data.cc), so
// the index is never re-read per request: a writer takes the next sequence number from
// `aigw.cache.<slots>.vhead` (compare-and-swap) and writes its record to slot `seq % max_vectors`;
// a reader compares the head with the last sequence it has and copies only the records written
// since (at most SYNC_BATCH per request). The ring bounds both the shared data and each VM's copy
// to max_vectors records; the oldest are overwritten first.
//
// Record (little-endian): 0 u32 magic "AIV1"  4 u32 FNV-1a of [8, end)  8 u64 seq  16 u64 bucket
//   24 digest[32] (the exact entry that answers)  56 i64 expires at (ms)  64 u16 dims  66 u16 0
//   68 f32 norm of the quantised vector  72 i8[dims]
import { getSharedData, setSharedData, WasmResult } from "../../common/sdk";
import { fnv1a } from "./entry";
import { MAX_DIMS, Quantised } from "./quantise";
export { MAX_DIMS, Quantised, quantise } from "./quantise";

const MAGIC: u32 = 0x31564941; // "AIV1"
const REC_HEADER: i32 = 72;
/** Records copied from shared data per request at most (the rest on the next ones). */
const SYNC_BATCH: u64 = 1024;

export class Match {
  constructor(public digest: Uint8Array, public similarity: f64) {}
}

export class VectorIndex {
  private dims: i32 = 0;
  private seqs: StaticArray<u64>;
  private buckets: StaticArray<u64>;
  private expires: StaticArray<i64>;
  private norms: StaticArray<f32>;
  /** Norms of each vector's last 3/4 and last 1/2 (for the early-exit bound in search). */
  private tail1: StaticArray<f32>;
  private tail2: StaticArray<f32>;
  private digests: Uint8Array;
  private vecs: Int8Array = new Int8Array(0);
  private lastSeen: u64 = 0;
  private headKey: string;
  private prefix: string;

  constructor(public capacity: i32, namespace: string) {
    this.seqs = new StaticArray<u64>(capacity);
    this.buckets = new StaticArray<u64>(capacity);
    this.expires = new StaticArray<i64>(capacity);
    this.norms = new StaticArray<f32>(capacity);
    this.tail1 = new StaticArray<f32>(capacity);
    this.tail2 = new StaticArray<f32>(capacity);
    this.digests = new Uint8Array(capacity * 32);
    this.headKey = namespace + ".vhead";
    this.prefix = namespace + ".v.";
  }

  private head(): u64 {
    const v = getSharedData(this.headKey);
    return v === null || v.value.byteLength != 8 ? 0 : load<u64>(changetype<usize>(v.value));
  }

  /** Copies the records other workers wrote since the last call (bounded). */
  sync(): void {
    const head = this.head();
    if (head <= this.lastSeen) return;
    let from = this.lastSeen + 1;
    const cap = <u64>this.capacity;
    if (head >= cap && head - cap + 1 > from) from = head - cap + 1;
    let to = head;
    if (to - from + 1 > SYNC_BATCH) to = from + SYNC_BATCH - 1;
    for (let seq = from; seq <= to; seq++) {
      const v = getSharedData(this.prefix + (seq % cap).toString());
      if (v === null) continue;
      this.accept(Uint8Array.wrap(v.value), seq);
    }
    this.lastSeen = to;
  }

  /** Takes a record from shared data if it is intact and is the one for `seq`. */
  private accept(b: Uint8Array, seq: u64): void {
    if (b.length < REC_HEADER) return;
    const p = b.dataStart;
    if (load<u32>(p) != MAGIC || load<u64>(p + 8) != seq) return; // overwritten by a newer one: taken at its own seq
    if (load<u32>(p + 4) != fnv1a(b, 8, b.length)) return;
    const dims = <i32>load<u16>(p + 64);
    if (dims == 0 || REC_HEADER + dims != b.length) return;
    if (!this.ensureDims(dims)) return;
    const slot = <i32>(seq % <u64>this.capacity);
    unchecked((this.seqs[slot] = seq));
    unchecked((this.buckets[slot] = load<u64>(p + 16)));
    unchecked((this.expires[slot] = load<i64>(p + 56)));
    unchecked((this.norms[slot] = load<f32>(p + 68)));
    memory.copy(this.digests.dataStart + <usize>(slot * 32), p + 24, 32);
    const at = this.vecs.dataStart + <usize>(slot * dims);
    memory.copy(at, p + <usize>REC_HEADER, <usize>dims);
    unchecked((this.tail1[slot] = tailNorm(at, dims >> 2, dims)));
    unchecked((this.tail2[slot] = tailNorm(at, dims >> 1, dims)));
  }

  /** The first vector fixes the dimensions (one embedding model per index); others are ignored. */
  private ensureDims(dims: i32): bool {
    if (this.dims == dims) return true;
    if (this.dims != 0 || dims > MAX_DIMS) return false;
    this.dims = dims;
    this.vecs = new Int8Array(this.capacity * dims);
    return true;
  }

  /** Adds a vector for the entry `digest` and publishes it to the other workers. */
  add(bucket: u64, digest: Uint8Array, expiresAt: i64, v: Quantised): bool {
    const dims = v.q.length;
    if (!this.ensureDims(dims)) return false;
    let seq: u64 = 0;
    for (let tries = 0; tries < 16 && seq == 0; tries++) {
      const h = getSharedData(this.headKey);
      const cur: u64 = h === null || h.value.byteLength != 8 ? 0 : load<u64>(changetype<usize>(h.value));
      const next = new ArrayBuffer(8);
      store<u64>(changetype<usize>(next), cur + 1);
      if (setSharedData(this.headKey, next, h === null ? 0 : h.cas) == WasmResult.Ok) seq = cur + 1;
    }
    if (seq == 0) return false;
    const b = new Uint8Array(REC_HEADER + dims);
    const p = b.dataStart;
    store<u32>(p, MAGIC);
    store<u64>(p + 8, seq);
    store<u64>(p + 16, bucket);
    memory.copy(p + 24, digest.dataStart, 32);
    store<i64>(p + 56, expiresAt);
    store<u16>(p + 64, <u16>dims);
    store<f32>(p + 68, v.norm);
    memory.copy(p + <usize>REC_HEADER, v.q.dataStart, <usize>dims);
    store<u32>(p + 4, fnv1a(b, 8, b.length));
    setSharedData(this.prefix + (seq % <u64>this.capacity).toString(), b.buffer, 0);
    // Our own record is taken at once; records before it still come through sync().
    this.accept(b, seq);
    return true;
  }

  /**
   * The most similar live vector of `bucket` at or above `threshold`, or null. Exact, with an
   * early exit: after the first quarter (then half) of the components, the rest can add at most
   * |q_rest|·|r_rest| (Cauchy–Schwarz); a vector that cannot reach the bar is dropped there.
   */
  search(bucket: u64, v: Quantised, threshold: f64, now: i64): Match | null {
    const dims = this.dims;
    if (dims == 0 || v.q.length != dims || v.norm == 0) return null;
    let best = -1;
    let bestSim: f64 = threshold;
    const qp = v.q.dataStart;
    const k1 = dims >> 2, k2 = dims >> 1;
    const qt1 = <f64>tailNorm(qp, k1, dims), qt2 = <f64>tailNorm(qp, k2, dims);
    for (let i = 0; i < this.capacity; i++) {
      if (unchecked(this.seqs[i]) == 0 || unchecked(this.buckets[i]) != bucket || unchecked(this.expires[i]) <= now) continue;
      const n = unchecked(this.norms[i]);
      if (n == 0) continue;
      // A hair under the bar: the f32 tail norms must never drop a vector that reaches it.
      const bar = bestSim * <f64>v.norm * <f64>n * (1.0 - 1e-6);
      const rp = this.vecs.dataStart + <usize>(i * dims);
      let dot = dotI8(qp, rp, k1);
      if (<f64>dot + qt1 * <f64>unchecked(this.tail1[i]) < bar) continue;
      dot += dotI8(qp + <usize>k1, rp + <usize>k1, k2 - k1);
      if (<f64>dot + qt2 * <f64>unchecked(this.tail2[i]) < bar) continue;
      dot += dotI8(qp + <usize>k2, rp + <usize>k2, dims - k2);
      const sim = <f64>dot / (<f64>v.norm * <f64>n);
      if (sim >= bestSim) { bestSim = sim; best = i; }
    }
    if (best < 0) return null;
    return new Match(this.digests.slice(best * 32, best * 32 + 32), bestSim);
  }
}

/** Euclidean norm of the int8 components [from, to) at `p`. */
function tailNorm(p: usize, from: i32, to: i32): f32 {
  let s: i32 = 0;
  for (let k = from; k < to; k++) { const x = <i32>load<i8>(p + <usize>k); s += x * x; }
  return <f32>Math.sqrt(<f64>s);
}

/** Dot product of two int8 vectors, four lanes at a time (sign-extending loads). */
function dotI8(a: usize, b: usize, n: i32): i32 {
  let s0: i32 = 0, s1: i32 = 0, s2: i32 = 0, s3: i32 = 0;
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const x = a + <usize>k, y = b + <usize>k;
    s0 += <i32>load<i8>(x) * <i32>load<i8>(y);
    s1 += <i32>load<i8>(x, 1) * <i32>load<i8>(y, 1);
    s2 += <i32>load<i8>(x, 2) * <i32>load<i8>(y, 2);
    s3 += <i32>load<i8>(x, 3) * <i32>load<i8>(y, 3);
  }
  for (; k < n; k++) s0 += <i32>load<i8>(a + <usize>k) * <i32>load<i8>(b + <usize>k);
  return s0 + s1 + s2 + s3;
}
