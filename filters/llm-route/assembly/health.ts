// Provider health and latency, kept in shared data so every worker (and every VM with the same
// vm_id) learns from every answer. Values are short ASCII records; writes use compare-and-swap
// (Envoy's shared data has no locks) and give up after a few lost races: health is advisory.
//
//   aigw.llm_route.health.<provider>  = "<state>,<until ms>,<cool-down ms>"
//     state 0 up; 1 down until <until>; 2 half-open: one probe request owns it until <until>.
//   aigw.llm_route.latency.<provider> = "<ttft ewma ms>,<total ewma ms>,<samples>"
import { getSharedData, setSharedData, WasmResult } from "../../common/sdk";

export const UP = 0;
export const DOWN = 1;
export const PROBING = 2;

export class HealthRecord {
  state: i32 = UP;
  until: i64 = 0;
  cooldown: i64 = 0;
  cas: u32 = 0;
}

function healthKey(provider: string): string { return "aigw.llm_route.health." + provider; }
function latencyKey(provider: string): string { return "aigw.llm_route.latency." + provider; }

function parseFields(s: string, n: i32): Array<f64> | null {
  const parts = s.split(",");
  if (parts.length != n) return null;
  const out = new Array<f64>(n);
  for (let i = 0; i < n; i++) {
    const v = parseFloat(parts[i]);
    if (isNaN(v)) return null;
    out[i] = v;
  }
  return out;
}

export function readHealth(provider: string): HealthRecord {
  const r = new HealthRecord();
  const v = getSharedData(healthKey(provider));
  if (v === null) return r;
  r.cas = v.cas;
  const f = parseFields(String.UTF8.decode(v.value), 3);
  if (f === null) return r;
  r.state = <i32>f[0];
  r.until = <i64>f[1];
  r.cooldown = <i64>f[2];
  return r;
}

function write(provider: string, state: i32, until: i64, cooldown: i64, cas: u32): bool {
  const s = state.toString() + "," + until.toString() + "," + cooldown.toString();
  return setSharedData(healthKey(provider), String.UTF8.encode(s), cas) == WasmResult.Ok;
}

export namespace Admit {
  export const YES = 0;
  export const PROBE = 1; // yes, as the half-open probe
  export const NO = 2;
}

/** May a request go to `provider` now? Past a cool-down, exactly one request wins the probe. */
export function admit(provider: string, now: i64, probeTimeoutMs: i64): i32 {
  for (let attempt = 0; attempt < 3; attempt++) {
    const h = readHealth(provider);
    if (h.state == UP) return Admit.YES;
    if (now < h.until) return Admit.NO;
    // Cool-down (or a probe's lease) is over: take the probe. CAS 0 would overwrite blindly, so a
    // record that exists is replaced only if unchanged since we read it.
    if (write(provider, PROBING, now + probeTimeoutMs, h.cooldown, h.cas)) return Admit.PROBE;
  }
  return Admit.NO;
}

/** When `provider` is available again (0 = now). */
export function downUntil(provider: string): i64 {
  const h = readHealth(provider);
  return h.state == UP ? 0 : h.until;
}

/**
 * A failed answer (429, 5xx, timeout): down for `retryAfterMs` when the provider said so,
 * otherwise for the base cool-down, doubled each time a probe fails (up to `maxMs`).
 */
export function markDown(provider: string, now: i64, retryAfterMs: i64, baseMs: i64, maxMs: i64): i64 {
  for (let attempt = 0; attempt < 3; attempt++) {
    const h = readHealth(provider);
    let cd = baseMs;
    if (h.state == PROBING && h.cooldown > 0) cd = h.cooldown * 2;
    if (cd > maxMs) cd = maxMs;
    if (retryAfterMs > 0) cd = retryAfterMs > maxMs && maxMs > 0 ? maxMs : retryAfterMs;
    if (h.state == DOWN && h.until >= now + cd) return h.until; // already down for longer
    if (write(provider, DOWN, now + cd, cd, h.cas)) return now + cd;
  }
  return 0;
}

/** A good answer: the provider is up (closes a half-open probe). */
export function markUp(provider: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    const h = readHealth(provider);
    if (h.state == UP) return;
    if (write(provider, UP, 0, 0, h.cas)) return;
  }
}

/**
 * Why an answer that never reached end_of_stream ended, from Envoy's response code details
 * (docs: configuration/http/http_conn_man/response_code_details; router.cc onUpstreamReset and
 * onUpstreamAbort): "reset" or "timeout" when the provider side broke it, "" otherwise.
 * `{local_reset}` is Envoy resetting the upstream itself (the client left, a buffer limit) and
 * downstream_* / stream_idle_timeout are the client's side: none of them is the provider's fault.
 */
export function upstreamFailure(details: string): string {
  if (details.startsWith("upstream_reset_after_response_started{")) {
    return details.startsWith("upstream_reset_after_response_started{local_reset") ? "" : "reset";
  }
  if (details == "upstream_response_timeout" || details == "upstream_per_try_timeout" || details == "upstream_per_try_idle_timeout") return "timeout";
  return "";
}

// Envoy's response.flags bits (envoy/stream_info/stream_info.h, CoreResponseFlag in order).
const UPSTREAM_REQUEST_TIMEOUT: i64 = 0x4;       // UT
const UPSTREAM_REMOTE_RESET: i64 = 0x10;         // UR
const UPSTREAM_CONNECTION_TERMINATION: i64 = 0x40; // UC
const DOWNSTREAM_CONNECTION_TERMINATION: i64 = 0x4000; // DC

/** The same from response.flags, for details that name no cause (absent, via_upstream). */
export function upstreamFailureFromFlags(flags: i64): string {
  if (flags & DOWNSTREAM_CONNECTION_TERMINATION) return "";
  if (flags & (UPSTREAM_REMOTE_RESET | UPSTREAM_CONNECTION_TERMINATION)) return "reset";
  if (flags & UPSTREAM_REQUEST_TIMEOUT) return "timeout";
  return "";
}

export class Latency {
  ttft: f64 = 0;
  total: f64 = 0;
  samples: i64 = 0;
  cas: u32 = 0;
}

export function readLatency(provider: string): Latency {
  const l = new Latency();
  const v = getSharedData(latencyKey(provider));
  if (v === null) return l;
  l.cas = v.cas;
  const f = parseFields(String.UTF8.decode(v.value), 3);
  if (f === null) return l;
  l.ttft = f[0]; l.total = f[1]; l.samples = <i64>f[2];
  return l;
}

/** EWMA weight of a new sample (0.3: about the last six answers dominate). */
export const ALPHA: f64 = 0.3;

export function recordLatency(provider: string, ttftMs: f64, totalMs: f64): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    const l = readLatency(provider);
    const first = l.samples == 0;
    const t = first ? ttftMs : l.ttft + ALPHA * (ttftMs - l.ttft);
    const a = first ? totalMs : l.total + ALPHA * (totalMs - l.total);
    const s = (<i64>Math.round(t)).toString() + "," + (<i64>Math.round(a)).toString() + "," + (l.samples + 1).toString();
    if (setSharedData(latencyKey(provider), String.UTF8.encode(s), l.cas) == WasmResult.Ok) return;
  }
}
