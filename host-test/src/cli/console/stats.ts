// Totals and plots over time, kept in bounded memory whatever the traffic: a fixed number of time
// buckets, a cap on distinct names per dimension (a model name comes from the client until
// llm-route resolves it: unbounded, so the rest is "other"), and bounded latency samples.
import { consumerOf, costOf, isBlocked, modelOf, percentile, providerOf, tokensOf, type AuditRecord } from "./model.ts";

export interface Group { name: string; requests: number; blocked: number; inputTokens: number; outputTokens: number; cost: number }
export interface LatencyGroup { name: string; requests: number; p50: number | null; p95: number | null }
export interface Bucket { t: number; requests: number; blocked: number; errors: number; tokens: number; cost: number; latency: Record<string, { p50: number | null; p95: number | null }> }
export interface Stats {
  since: string;
  bucketMs: number;
  totals: { requests: number; blocked: number; errors: number; inputTokens: number; outputTokens: number; cost: number; costSeen: boolean; tokensSeen: boolean };
  byModel: Group[];
  byConsumer: Group[];
  byProvider: LatencyGroup[];
  timeline: Bucket[];
}

export interface StatsOptions { bucketMs?: number; buckets?: number; maxNames?: number; latencyWindow?: number; now?: () => number }

const OTHER = "other";

export class StatsBook {
  private readonly bucketMs: number;
  private readonly maxBuckets: number;
  private readonly maxNames: number;
  private readonly window: number;
  private readonly now: () => number;
  private readonly since: string;
  private totals = { requests: 0, blocked: 0, errors: 0, inputTokens: 0, outputTokens: 0, cost: 0, costSeen: false, tokensSeen: false };
  private models = new Map<string, Group>();
  private consumers = new Map<string, Group>();
  private latency = new Map<string, { requests: number; samples: number[] }>();
  private buckets: Array<Omit<Bucket, "latency"> & { samples: Map<string, number[]> }> = [];

  constructor(o: StatsOptions = {}) {
    this.bucketMs = o.bucketMs ?? 10_000;
    this.maxBuckets = o.buckets ?? 60;
    this.maxNames = o.maxNames ?? 20;
    this.window = o.latencyWindow ?? 500;
    this.now = o.now ?? Date.now;
    this.since = new Date(this.now()).toISOString();
  }

  add(r: AuditRecord): void {
    const blocked = isBlocked(r);
    const status = Number(r.status);
    const error = !blocked && (status === 0 || status >= 500);
    const tokens = tokensOf(r);
    const cost = costOf(r);
    const t = this.totals;
    t.requests++;
    if (blocked) t.blocked++;
    if (error) t.errors++;
    if (tokens) { t.tokensSeen = true; t.inputTokens += tokens.input; t.outputTokens += tokens.output; }
    if (cost !== null) { t.costSeen = true; t.cost += cost; }
    for (const [map, name] of [[this.models, modelOf(r) ?? "(not routed)"], [this.consumers, consumerOf(r) ?? "(none)"]] as const) {
      const g = this.group(map, name);
      g.requests++;
      if (blocked) g.blocked++;
      if (tokens) { g.inputTokens += tokens.input; g.outputTokens += tokens.output; }
      if (cost !== null) g.cost += cost;
    }
    const duration = Number(r.duration_ms);
    const provider = providerOf(r);
    // Latency by provider: only requests a provider answered (a filter's refusal is no provider's latency).
    const answered = provider !== null && !blocked && Number.isFinite(duration) && r.details !== "direct_response";
    if (answered) {
      const name = this.latency.has(provider) || this.latency.size < this.maxNames ? provider : OTHER;
      const l = this.latency.get(name) ?? { requests: 0, samples: [] };
      this.latency.set(name, l);
      l.requests++;
      l.samples.push(duration);
      if (l.samples.length > this.window) l.samples.shift();
    }
    const b = this.bucket();
    b.requests++;
    if (blocked) b.blocked++;
    if (error) b.errors++;
    if (tokens) b.tokens += tokens.input + tokens.output;
    if (cost !== null) b.cost += cost;
    if (answered) {
      const name = b.samples.has(provider) || b.samples.size < this.maxNames ? provider : OTHER;
      const s = b.samples.get(name) ?? [];
      b.samples.set(name, s);
      if (s.length < this.window) s.push(duration);
    }
  }

  private group(map: Map<string, Group>, name: string): Group {
    const key = map.has(name) || map.size < this.maxNames ? name : OTHER;
    let g = map.get(key);
    if (!g) { g = { name: key, requests: 0, blocked: 0, inputTokens: 0, outputTokens: 0, cost: 0 }; map.set(key, g); }
    return g;
  }

  private bucket() {
    const t = Math.floor(this.now() / this.bucketMs) * this.bucketMs;
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.t !== t) {
      b = { t, requests: 0, blocked: 0, errors: 0, tokens: 0, cost: 0, samples: new Map() };
      this.buckets.push(b);
      if (this.buckets.length > this.maxBuckets) this.buckets.shift();
    }
    return b;
  }

  snapshot(): Stats {
    const byTokens = (a: Group, b: Group) => b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) || b.requests - a.requests;
    return {
      since: this.since,
      bucketMs: this.bucketMs,
      totals: { ...this.totals },
      byModel: [...this.models.values()].map((g) => ({ ...g })).sort(byTokens),
      byConsumer: [...this.consumers.values()].map((g) => ({ ...g })).sort(byTokens),
      byProvider: [...this.latency.entries()].map(([name, l]) => ({ name, requests: l.requests, p50: percentile(l.samples, 50), p95: percentile(l.samples, 95) })),
      timeline: this.timeline(),
    };
  }

  /** One bucket per interval up to now, quiet intervals included (zeros), the last `buckets` only. */
  private timeline(): Bucket[] {
    if (!this.buckets.length) return [];
    const end = Math.floor(this.now() / this.bucketMs) * this.bucketMs;
    const start = Math.max(this.buckets[0].t, end - (this.maxBuckets - 1) * this.bucketMs);
    const byT = new Map(this.buckets.map((b) => [b.t, b]));
    const out: Bucket[] = [];
    for (let t = start; t <= end; t += this.bucketMs) {
      const b = byT.get(t);
      out.push(b ? {
        t, requests: b.requests, blocked: b.blocked, errors: b.errors, tokens: b.tokens, cost: b.cost,
        latency: Object.fromEntries([...b.samples.entries()].map(([n, s]) => [n, { p50: percentile(s, 50), p95: percentile(s, 95) }])),
      } : { t, requests: 0, blocked: 0, errors: 0, tokens: 0, cost: 0, latency: {} });
    }
    return out;
  }
}
