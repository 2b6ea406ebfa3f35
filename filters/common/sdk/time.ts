import { proxy_get_current_time_nanoseconds, proxy_set_tick_period_milliseconds } from "./abi";
import { RET_U64 } from "./memory";

/** Wall-clock time from the host, in nanoseconds since the Unix epoch. */
export function nowNanos(): u64 {
  store<u64>(RET_U64, 0);
  proxy_get_current_time_nanoseconds(RET_U64);
  return load<u64>(RET_U64);
}

export function nowSeconds(): i64 {
  return <i64>(nowNanos() / 1_000_000_000);
}

/** Sets the root context's tick period (0 disables ticks). */
export function setTickPeriod(milliseconds: u32): u32 {
  return proxy_set_tick_period_milliseconds(milliseconds);
}
