// Usage anomalies: per consumer, an EWMA baseline of requests and tokens per minute, kept in
// shared data so every worker adds to one picture. A minute far above the baseline (a z-score
// over `z_score` with at least `min_requests` / `min_tokens` in it) is raised once per minute and
// kind: a metric, filter state for the access log, a log line, and optionally a cool-down during
// which the consumer's limits are tightened.
//
// Baseline (per kind): when a minute closes its count x updates
//   mean' = mean + a (x - mean),   var' = (1 - a) (var + a (x - mean)^2)
// (the exponentially weighted variance; a = `alpha`). Minutes without requests fold in as 0 (at
// most 60 of them). The spread used is max(sqrt(var), sqrt(mean), mean / 10, 1): counts vary at
// least as a Poisson count does, so a perfectly steady consumer is not raised for one extra request.
// Consumers are a bounded set: `max_consumers` fixed slots (shared data has no delete), a consumer
// hashed to a slot and up to 4 after it; a slot unused for a day is reused; when none is free the
// consumer is not tracked.
import { getSharedData, setSharedData, WasmResult } from "../../common/sdk";
import { keyHash } from "../../common/assembly/shared/window-counter";
import { Anomaly } from "./model";

const PREFIX = "aigw.quota.anomaly.";
const SIZE = 88;
const PROBES = 4;
const IDLE_MINUTES: i64 = 1440;
const MAX_ZERO_FOLDS: i64 = 60;

class Rec {
  hash: u32 = 0;
  minute: i64 = -1;
  req: i64 = 0;
  tok: i64 = 0;
  meanR: f64 = 0; varR: f64 = 0;
  meanT: f64 = 0; varT: f64 = 0;
  seen: i64 = 0;
  cooldownUntil: i64 = 0;
  flags: u32 = 0;
  cas: u32 = 0;
  name: string = "";
}

function read(name: string): Rec {
  const r = new Rec();
  r.name = name;
  const v = getSharedData(name);
  if (v === null) return r;
  r.cas = v.cas;
  if (v.value.byteLength != SIZE) return r;
  const p = changetype<usize>(v.value);
  r.hash = load<u32>(p); r.flags = load<u32>(p, 4);
  r.minute = load<i64>(p, 8); r.req = load<i64>(p, 16); r.tok = load<i64>(p, 24);
  r.meanR = load<f64>(p, 32); r.varR = load<f64>(p, 40); r.meanT = load<f64>(p, 48); r.varT = load<f64>(p, 56);
  r.seen = load<i64>(p, 64); r.cooldownUntil = load<i64>(p, 72);
  return r;
}

function write(r: Rec): bool {
  const b = new ArrayBuffer(SIZE);
  const p = changetype<usize>(b);
  store<u32>(p, r.hash); store<u32>(p, r.flags, 4);
  store<i64>(p, r.minute, 8); store<i64>(p, r.req, 16); store<i64>(p, r.tok, 24);
  store<f64>(p, r.meanR, 32); store<f64>(p, r.varR, 40); store<f64>(p, r.meanT, 48); store<f64>(p, r.varT, 56);
  store<i64>(p, r.seen, 64); store<i64>(p, r.cooldownUntil, 72);
  return setSharedData(r.name, b, r.cas) == WasmResult.Ok;
}

/** Creates the slots once (CAS cannot create atomically); call from onConfigure. */
export function prepareAnomalySlots(a: Anomaly): void {
  if (!a.enabled) return;
  for (let i = 0; i < a.maxConsumers; i++) {
    const n = PREFIX + i.toString();
    if (getSharedData(n) === null) setSharedData(n, new ArrayBuffer(SIZE), 0);
  }
}

function pick(a: Anomaly, hash: u32, minute: i64): Rec | null {
  const home = <i32>(hash % <u32>a.maxConsumers);
  let free: Rec | null = null;
  for (let k = 0; k < PROBES && k < a.maxConsumers; k++) {
    const r = read(PREFIX + ((home + k) % a.maxConsumers).toString());
    if (r.hash == hash) return r;
    if (free === null && (r.hash == 0 || minute - r.minute > IDLE_MINUTES)) free = r;
  }
  if (free !== null) {
    const f = free!;
    // A fresh record for this consumer (the slot's old owner was idle for a day).
    const n = new Rec();
    n.name = f.name; n.cas = f.cas; n.hash = hash;
    return n;
  }
  return null;
}

function fold(mean: f64, v: f64, x: f64, alpha: f64, first: bool, out: StaticArray<f64>): void {
  if (first) { out[0] = x; out[1] = 0; return; }
  const d = x - mean;
  out[0] = mean + alpha * d;
  out[1] = (1 - alpha) * (v + alpha * d * d);
}

function spread(mean: f64, v: f64): f64 {
  let s = Math.sqrt(v);
  const poisson = Math.sqrt(mean);
  if (poisson > s) s = poisson;
  if (mean / 10 > s) s = mean / 10;
  return s < 1 ? 1 : s;
}

export class Observation {
  /** Kinds raised by this observation: "requests", "tokens" (empty when none). */
  raised: Array<string> = new Array<string>();
  z: f64 = 0;
  count: i64 = 0;
  baseline: f64 = 0;
  /** The consumer is in a cool-down: multiply its limits by this. */
  tighten: f64 = 1;
}

/** Adds `requests` and `tokens` to the consumer's current minute; raises when far above. */
export function observe(a: Anomaly, consumer: string, nowMs: i64, requests: i64, tokens: i64): Observation {
  const o = new Observation();
  const hash = keyHash(consumer);
  const minute = nowMs / 60000;
  const tmp = new StaticArray<f64>(2);
  for (let attempt = 0; attempt < 16; attempt++) {
    const r = pick(a, hash, minute);
    if (r === null) return o; // the bounded set is full: not tracked
    const rec = r!;
    if (rec.minute != minute) {
      if (rec.minute >= 0 && minute > rec.minute) {
        // Close the last minute, then the empty ones since.
        fold(rec.meanR, rec.varR, <f64>rec.req, a.alpha, rec.seen == 0, tmp); rec.meanR = tmp[0]; rec.varR = tmp[1];
        fold(rec.meanT, rec.varT, <f64>rec.tok, a.alpha, rec.seen == 0, tmp); rec.meanT = tmp[0]; rec.varT = tmp[1];
        rec.seen++;
        let gap = minute - rec.minute - 1;
        if (gap > MAX_ZERO_FOLDS) gap = MAX_ZERO_FOLDS;
        for (let i: i64 = 0; i < gap; i++) {
          fold(rec.meanR, rec.varR, 0, a.alpha, false, tmp); rec.meanR = tmp[0]; rec.varR = tmp[1];
          fold(rec.meanT, rec.varT, 0, a.alpha, false, tmp); rec.meanT = tmp[0]; rec.varT = tmp[1];
          rec.seen++;
        }
      }
      rec.minute = minute;
      rec.req = 0;
      rec.tok = 0;
      rec.flags = 0;
    }
    rec.req += requests;
    rec.tok += tokens;
    const raised = new Array<string>();
    let z: f64 = 0, count: i64 = 0, base: f64 = 0;
    if (rec.seen >= a.warmupMinutes) {
      const zr = (<f64>rec.req - rec.meanR) / spread(rec.meanR, rec.varR);
      if ((rec.flags & 1) == 0 && rec.req >= a.minRequests && zr >= a.zScore) {
        rec.flags |= 1; raised.push("requests"); z = zr; count = rec.req; base = rec.meanR;
      }
      const zt = (<f64>rec.tok - rec.meanT) / spread(rec.meanT, rec.varT);
      if ((rec.flags & 2) == 0 && rec.tok >= a.minTokens && zt >= a.zScore) {
        rec.flags |= 2; raised.push("tokens");
        if (raised.length == 1) { z = zt; count = rec.tok; base = rec.meanT; }
      }
      if (raised.length && a.tightenFactor < 1 && a.cooldownMs > 0) rec.cooldownUntil = nowMs + a.cooldownMs;
    }
    if (write(rec)) {
      o.raised = raised;
      o.z = z;
      o.count = count;
      o.baseline = base;
      if (nowMs < rec.cooldownUntil) o.tighten = a.tightenFactor;
      return o;
    }
  }
  return o;
}
