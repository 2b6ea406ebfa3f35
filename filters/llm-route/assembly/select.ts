// Which provider and model serve a request: the requested name is resolved (exact alias, then
// every provider listing the name, then wildcard aliases longest first), candidates that lack a
// needed capability or context length are dropped, and the rest are ordered by the strategy.
// Health (health.ts) then takes the first candidate that is up. Pure: unit-tested with as-pect.
import { Alias, Cap, ModelSpec, Provider, RouteConfig, Strategy, Target } from "./model";

export class Candidate {
  /** Estimated cost of this request in micro-dollars (least-cost). */
  cost: f64 = 0;
  /** EWMA latency in ms (least-latency; 0 = unknown, tried first so it gets measured). */
  latency: f64 = 0;
  constructor(public provider: Provider, public spec: ModelSpec, public upstreamModel: string, public weight: i32) {}
}

export namespace Outcome {
  export const OK = 0;
  export const UNKNOWN_MODEL = 1;
  export const NOT_ALLOWED = 2;
  export const NO_CAPABLE = 3; // no candidate has the capabilities the request needs
  export const TOO_LONG = 4; // no candidate has the context length
}

export class Resolution {
  outcome: i32 = Outcome.OK;
  alias: Alias | null = null;
  strategy: i32 = Strategy.PRIORITY;
  candidates: Array<Candidate> = new Array<Candidate>();
  /** Capabilities the request needs that no candidate has (NO_CAPABLE). */
  missing: i32 = 0;
}

/** Glob match where `*` is any run of characters (iterative, linear in practice). */
export function globMatch(pattern: string, s: string): bool {
  let p = 0, i = 0, star = -1, mark = 0;
  while (i < s.length) {
    if (p < pattern.length && pattern.charCodeAt(p) != 0x2a && pattern.charCodeAt(p) == s.charCodeAt(i)) { p++; i++; }
    else if (p < pattern.length && pattern.charCodeAt(p) == 0x2a) { star = p++; mark = i; }
    else if (star >= 0) { p = star + 1; i = ++mark; }
    else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) == 0x2a) p++;
  return p == pattern.length;
}

function candidateOf(t: Target, requested: string): Candidate {
  if (t.model == "*") return new Candidate(t.provider, t.provider.defaults, requested, t.weight);
  const m = t.provider.model(t.model)!;
  return new Candidate(t.provider, m, m.upstream, t.weight);
}

function inList(list: Array<string>, csv: string): bool {
  if (csv.length == 0) return false;
  const parts = csv.split(",");
  for (let i = 0; i < parts.length; i++) if (list.includes(parts[i].trim())) return true;
  return false;
}

function anyProviderLists(cfg: RouteConfig, name: string): bool {
  for (let i = 0; i < cfg.providers.length; i++) if (cfg.providers[i].model(name) !== null) return true;
  return false;
}

/** Finds the candidates for `requested`; `consumer`/`groups`/`tenant` come from auth's filter state. */
export function resolve(cfg: RouteConfig, requested: string, consumer: string, groups: string, tenant: string = ""): Resolution {
  const r = new Resolution();
  // Most specific first: an alias of that exact name, a provider's model of that name, then
  // wildcard aliases (longest pattern first).
  let alias = cfg.alias(requested);
  if (alias === null && !anyProviderLists(cfg, requested)) {
    for (let i = 0; i < cfg.aliases.length; i++) {
      const a = cfg.aliases[i];
      if (a.wildcard && globMatch(a.name, requested)) { alias = a; break; }
    }
  }
  if (alias !== null) {
    const a = <Alias>alias;
    const restricted = a.consumers.length || a.groups.length || a.tenants.length;
    if (restricted && !a.consumers.includes(consumer) && !inList(a.groups, groups) && !(tenant.length && a.tenants.includes(tenant))) {
      r.outcome = Outcome.NOT_ALLOWED;
      return r;
    }
    r.alias = a;
    r.strategy = a.strategy;
    for (let i = 0; i < a.targets.length; i++) r.candidates.push(candidateOf(a.targets[i], requested));
    return r;
  }
  // A model name some provider lists: those providers in configuration order (failover order).
  for (let i = 0; i < cfg.providers.length; i++) {
    const p = cfg.providers[i];
    const m = p.model(requested);
    if (m !== null) r.candidates.push(new Candidate(p, m, m.upstream, 1));
  }
  if (r.candidates.length == 0) r.outcome = Outcome.UNKNOWN_MODEL;
  return r;
}

/** Drops candidates that cannot serve the request: missing capabilities or context length. */
export function filterCapable(r: Resolution, needs: i32, estTokens: i64): void {
  if (r.outcome != Outcome.OK) return;
  const kept = new Array<Candidate>();
  let capable = 0;
  for (let i = 0; i < r.candidates.length; i++) {
    const c = r.candidates[i];
    if ((c.spec.caps & needs) != needs) continue;
    capable++;
    if (c.spec.contextLength > 0 && estTokens > c.spec.contextLength) continue;
    kept.push(c);
  }
  if (kept.length == 0) {
    if (capable == 0) {
      r.outcome = Outcome.NO_CAPABLE;
      let have = 0;
      for (let i = 0; i < r.candidates.length; i++) have |= r.candidates[i].spec.caps;
      r.missing = needs & ~have;
      if (r.missing == 0) r.missing = needs;
    } else r.outcome = Outcome.TOO_LONG;
  }
  r.candidates = kept;
}

/** Estimated cost in micro-dollars: prices are USD per million tokens = micro-dollars per token. */
export function estimateCost(spec: ModelSpec, inputTokens: i64, outputTokens: i64): f64 {
  return <f64>inputTokens * spec.inputPrice + <f64>outputTokens * spec.outputPrice;
}

/**
 * Orders the candidates by the strategy (the first is tried first, the others are the failover
 * order). `roll` is a number in [0, 1) (random, or a hash of the consumer for sticky splits).
 */
export function order(r: Resolution, inputTokens: i64, outputTokens: i64, roll: f64): void {
  const cs = r.candidates;
  if (cs.length < 2) return;
  if (r.strategy == Strategy.LEAST_COST) {
    for (let i = 0; i < cs.length; i++) cs[i].cost = estimateCost(cs[i].spec, inputTokens, outputTokens);
    stableSort(cs, true);
  } else if (r.strategy == Strategy.LEAST_LATENCY) {
    stableSort(cs, false);
  } else if (r.strategy == Strategy.WEIGHTED) {
    let total: i64 = 0;
    for (let i = 0; i < cs.length; i++) total += cs[i].weight;
    if (total <= 0) return;
    let at = <i64>(roll * <f64>total);
    let pick = 0;
    for (let i = 0; i < cs.length; i++) {
      if (at < <i64>cs[i].weight) { pick = i; break; }
      at -= cs[i].weight;
    }
    // The picked one first, the others keep their order (as failover).
    const first = cs[pick];
    for (let i = pick; i > 0; i--) cs[i] = cs[i - 1];
    cs[0] = first;
  }
}

/** Insertion sort by cost or latency, equal keys keeping configuration order (lists are short). */
function stableSort(cs: Array<Candidate>, byCost: bool): void {
  for (let i = 1; i < cs.length; i++) {
    const c = cs[i];
    const k = byCost ? c.cost : c.latency;
    let j = i - 1;
    while (j >= 0 && (byCost ? cs[j].cost : cs[j].latency) > k) { cs[j + 1] = cs[j]; j--; }
    cs[j + 1] = c;
  }
}

/** FNV-1a of a string mapped to [0, 1): the sticky roll for a consumer. */
export function stickyRoll(s: string): f64 {
  let h: u32 = 2166136261;
  for (let i = 0; i < s.length; i++) { h ^= <u32>s.charCodeAt(i); h *= 16777619; }
  return <f64>h / 4294967296.0;
}

export { Cap };
