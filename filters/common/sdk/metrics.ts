// Metrics. proxy-runtime 0.1.8's get_metric() passes a pointer to proxy_record_metric, which
// overwrites the metric with an address (a counter ends at 43201 instead of 1); here reads use
// proxy_get_metric with a return slot. Envoy exposes custom Wasm stats with a `wasmcustom.`
// prefix; tag extraction (stats_config) turns `_name.value_` style segments into labels.
import { proxy_define_metric, proxy_get_metric, proxy_increment_metric, proxy_record_metric, MetricType, WasmResult } from "./abi";
import { RET_U64 } from "./memory";

const INVALID: u32 = 0xffffffff;

export function defineMetric(type: u32, name: string): u32 {
  const n = String.UTF8.encode(name);
  store<u32>(RET_U64, INVALID);
  if (proxy_define_metric(type, changetype<usize>(n), n.byteLength, RET_U64) != WasmResult.Ok) return INVALID;
  return load<u32>(RET_U64);
}

export function getMetricValue(id: u32): u64 {
  store<u64>(RET_U64, 0);
  if (proxy_get_metric(id, RET_U64) != WasmResult.Ok) return 0;
  return load<u64>(RET_U64);
}

export class Counter {
  readonly id: u32;
  constructor(public name: string) { this.id = defineMetric(MetricType.Counter, name); }
  /** Envoy rejects counter increments <= 0 (BadArgument); they are ignored here. */
  inc(by: i64 = 1): void { if (by > 0 && this.id != INVALID) proxy_increment_metric(this.id, by); }
  value(): u64 { return getMetricValue(this.id); }
}

export class Gauge {
  readonly id: u32;
  constructor(public name: string) { this.id = defineMetric(MetricType.Gauge, name); }
  set(v: u64): void { if (this.id != INVALID) proxy_record_metric(this.id, v); }
  add(by: i64): void { if (this.id != INVALID && by != 0) proxy_increment_metric(this.id, by); }
  value(): u64 { return getMetricValue(this.id); }
}

export class Histogram {
  readonly id: u32;
  constructor(public name: string) { this.id = defineMetric(MetricType.Histogram, name); }
  record(v: u64): void { if (this.id != INVALID) proxy_record_metric(this.id, v); }
}

/** Counters whose names are built at run time (one per reason, consumer, entity type...):
 *  defined once, then found by name. Callers must keep the set of names bounded. */
export class CounterFamily {
  private byName: Map<string, Counter> = new Map();
  constructor(public prefix: string) {}
  inc(suffix: string, by: i64 = 1): void { this.counter(suffix).inc(by); }
  /** The counter of one name (defined on first use): hot paths keep it instead of naming it again. */
  counter(suffix: string): Counter {
    const name = this.prefix + suffix;
    if (this.byName.has(name)) return this.byName.get(name);
    const c = new Counter(name);
    this.byName.set(name, c);
    return c;
  }
}
