// The budget engine: which limits apply to a request, what it reserves in each, extending a
// reservation while a stream runs, and settling it with the real usage. Counters are per proxy
// (../../common/assembly/shared/window-counter.ts).
import { JsonValue } from "../../common/assembly/json/value";
import { ensureSlots, windowAdd, windowRead } from "../../common/assembly/shared/window-counter";
import { Counts, Limit, Price, QuotaConfig, Source, cost } from "./model";
import { HeaderFigures } from "./headers";

/** Stands for an absent key value: requests without it share one bucket (omitting a header or
 *  an attribute never escapes a limit). */
export const ABSENT = "-";

/** What the request is, as far as limits care. */
export class RequestInfo {
  consumer: string = "";
  tenant: string = "";
  attributes: JsonValue | null = null;
  route: string = "";
  model: string = "";
  headerNames: Array<string> = new Array<string>();
  headerValues: Array<string> = new Array<string>();
  /** Estimated prompt tokens and the output tokens the request may produce (max_tokens). */
  inTokens: i64 = 0;
  outTokens: i64 = 0;
  price: Price = new Price("*", 0, 0, "");
  /** Per applicable limit: a multiplier (anomaly cool-down tightens it), default 1. */
  tighten: f64 = 1;
}

export function counterPrefix(l: Limit): string {
  return "aigw.quota." + l.name + "." + l.windowMs.toString() + "." + l.slots.toString();
}

/** Creates the fixed slot keys of every local limit (shared data cannot create atomically). */
export function prepareCounters(cfg: QuotaConfig): void {
  for (let i = 0; i < cfg.limits.length; i++) if (!cfg.limits[i].fleet) ensureSlots(counterPrefix(cfg.limits[i]), cfg.limits[i].slots);
}

export function applies(l: Limit, info: RequestInfo): bool {
  return (l.routes.length == 0 || l.routes.includes(info.route)) && (l.consumers.length == 0 || l.consumers.includes(info.consumer));
}

function partValue(cfg: QuotaConfig, src: i32, arg: string, info: RequestInfo): string {
  switch (src) {
    case Source.CONSUMER: return info.consumer;
    case Source.TENANT: return info.tenant;
    case Source.ROUTE: return info.route;
    case Source.MODEL: return info.model;
    case Source.PROVIDER: return info.price.provider;
    case Source.GLOBAL: return "*";
    case Source.ATTRIBUTE: {
      const a = info.attributes;
      if (a === null) return "";
      const v = a.get(arg);
      if (v === null) return "";
      if (v.isString) return v.str;
      return v.raw.length ? v.raw : "";
    }
    case Source.HEADER: {
      const i = info.headerNames.indexOf(arg);
      return i < 0 ? "" : info.headerValues[i];
    }
  }
  return "";
}

/** The value of each key part (empty when absent). */
export function partValues(cfg: QuotaConfig, l: Limit, info: RequestInfo): Array<string> {
  const out = new Array<string>(l.parts.length);
  for (let i = 0; i < l.parts.length; i++) out[i] = partValue(cfg, l.parts[i].source, l.parts[i].arg, info);
  return out;
}

/** The counter key: the parts' values joined by LF (a character no header value or name holds). */
export function keyOf(cfg: QuotaConfig, l: Limit, info: RequestInfo): string {
  let k = "";
  for (let i = 0; i < l.parts.length; i++) {
    let v = partValue(cfg, l.parts[i].source, l.parts[i].arg, info);
    if (v.length == 0) v = ABSENT;
    if (i > 0) k += "\n";
    k += v;
  }
  return k;
}

/** What a request with `inT` prompt tokens and `outT` output tokens amounts to in `l`'s unit. */
export function amount(l: Limit, p: Price, inT: i64, outT: i64): i64 {
  switch (l.counts) {
    case Counts.REQUESTS: return 1;
    case Counts.INPUT_TOKENS: return inT;
    case Counts.OUTPUT_TOKENS: return outT;
    case Counts.TOTAL_TOKENS: return inT + outT;
  }
  return cost(p, inT, outT);
}

/** Does the limit grow as output streams? */
export function countsOutput(l: Limit): bool {
  return l.counts == Counts.OUTPUT_TOKENS || l.counts == Counts.TOTAL_TOKENS || l.counts == Counts.COST;
}

/** One limit's share of one request. */
export class Charge {
  limit: Limit;
  key: string;
  /** Window index the reservation was made in. */
  window: i64 = 0;
  reserved: i64 = 0;
  /** Counted in windows that are over (a request spanning a roll-over is charged once). */
  before: i64 = 0;
  used: i64 = 0;
  resetMs: i64 = 0;
  effectiveLimit: i64 = 0;
  constructor(limit: Limit, key: string) { this.limit = limit; this.key = key; }
}

export class Admission {
  charges: Array<Charge> = new Array<Charge>();
  /** The enforced limit that refused, or null. */
  refused: Charge | null = null;
  /** Shadow limits that would have refused. */
  shadowRefused: Array<Limit> = new Array<Limit>();
  requests: HeaderFigures = new HeaderFigures();
  tokens: HeaderFigures = new HeaderFigures();
}

function keyedByConsumer(l: Limit): bool {
  for (let i = 0; i < l.parts.length; i++) if (l.parts[i].source == Source.CONSUMER) return true;
  return false;
}

function effective(l: Limit, tighten: f64): i64 {
  if (tighten >= 1) return l.limit;
  const v = <i64>Math.floor(<f64>l.limit * tighten);
  return v < 1 ? 1 : v;
}

/**
 * Reserves the request in every local limit that applies. A token or cost limit reserves the
 * prompt plus the allowed output, capped at what is left; the request is refused when not even
 * the prompt and one output token fit. On a refusal every reservation made is given back.
 */
export function admit(cfg: QuotaConfig, info: RequestInfo, nowMs: i64): Admission {
  const a = new Admission();
  for (let i = 0; i < cfg.limits.length; i++) {
    const l = cfg.limits[i];
    if (l.fleet || !applies(l, info)) continue;
    const c = new Charge(l, keyOf(cfg, l, info));
    c.effectiveLimit = effective(l, keyedByConsumer(l) ? info.tighten : 1);
    const want = amount(l, info.price, info.inTokens, info.outTokens);
    const least = amount(l, info.price, info.inTokens, info.outTokens > 0 ? 1 : 0);
    const prefix = counterPrefix(l);
    let r = windowAdd(prefix, l.slots, c.key, l.windowMs, nowMs, want, c.effectiveLimit, false, least);
    if (!r.ok) {
      if (!l.shadow) {
        c.used = r.used;
        c.resetMs = r.resetMs;
        c.window = r.window;
        a.refused = c;
        release(a.charges, nowMs);
        a.charges = new Array<Charge>();
        offer(a, c);
        return a;
      }
      a.shadowRefused.push(l);
      // Shadow: counted as if allowed, so its reports match what enforcing would do.
      r = windowAdd(prefix, l.slots, c.key, l.windowMs, nowMs, want, c.effectiveLimit, true);
    }
    c.window = r.window;
    c.reserved = r.added;
    c.used = r.used;
    c.resetMs = r.resetMs;
    a.charges.push(c);
    if (!l.shadow) offer(a, c);
  }
  return a;
}

function offer(a: Admission, c: Charge): void {
  const l = c.limit;
  if (l.counts == Counts.REQUESTS) a.requests.offer(c.effectiveLimit, c.used, c.resetMs);
  else if (l.isTokens) a.tokens.offer(c.effectiveLimit, c.used, c.resetMs);
}

/** Gives back every reservation (a refused or downgraded request). */
export function release(charges: Array<Charge>, nowMs: i64): void {
  for (let i = 0; i < charges.length; i++) {
    const c = charges[i];
    const l = c.limit;
    if (c.reserved == 0) continue;
    if (nowMs / l.windowMs == c.window) windowAdd(counterPrefix(l), l.slots, c.key, l.windowMs, nowMs, -c.reserved, 0, true);
    c.reserved = 0;
  }
}

/**
 * The stream produced more than was reserved: reserve `total` (the request's amount so far, in
 * the limit's unit) instead. False when the budget cannot take it (the caller ends the stream).
 * Shadow limits always take it.
 */
export function extend(c: Charge, total: i64, nowMs: i64): bool {
  const l = c.limit;
  const w = nowMs / l.windowMs;
  const prefix = counterPrefix(l);
  if (w != c.window) {
    // A new window: what this request adds from now on counts there.
    c.before += c.reserved;
    c.window = w;
    c.reserved = 0;
  }
  const extra = total - c.before - c.reserved;
  if (extra <= 0) return true;
  const r = windowAdd(prefix, l.slots, c.key, l.windowMs, nowMs, extra, c.effectiveLimit, l.shadow, extra);
  c.used = r.used;
  if (!r.ok) return false;
  c.reserved += r.added;
  return true;
}

/** Settles a reservation with the request's real amount. What earlier windows counted stays
 *  there (they are over); the current window gets the rest, so each unit is counted once. */
export function settle(c: Charge, actual: i64, nowMs: i64): void {
  const l = c.limit;
  const prefix = counterPrefix(l);
  const w = nowMs / l.windowMs;
  if (w != c.window) {
    c.before += c.reserved;
    c.reserved = 0;
    c.window = w;
  }
  let here = actual - c.before;
  if (here < 0) here = 0;
  const delta = here - c.reserved;
  if (delta != 0) windowAdd(prefix, l.slots, c.key, l.windowMs, nowMs, delta, 0, true);
  c.reserved = here;
}

/** Remaining in a limit for the headers of an answer, as of now. */
export function peek(c: Charge, nowMs: i64): i64 {
  const l = c.limit;
  return windowRead(counterPrefix(l), l.slots, c.key, l.windowMs, nowMs).used;
}
