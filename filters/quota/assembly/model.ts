// The parsed configuration of the quota filter (see ../README.md for every field).

/** What a limit counts. */
export namespace Counts {
  export const REQUESTS = 0;
  export const INPUT_TOKENS = 1;
  export const OUTPUT_TOKENS = 2;
  export const TOTAL_TOKENS = 3;
  export const COST = 4; // micro-dollars
}
export const COUNTS_NAMES: Array<string> = ["requests", "input_tokens", "output_tokens", "total_tokens", "cost_micro_usd"];

/** Where a limit's key comes from. */
export namespace Source {
  export const CONSUMER = 0; // aigw.consumer (auth)
  export const TENANT = 1; // aigw.consumer.tenant (auth)
  export const ATTRIBUTE = 2; // attribute:<name> from aigw.consumer.attributes (auth)
  export const ROUTE = 3; // Envoy's xds.route_name
  export const PROVIDER = 4; // the requested model's provider (quota's `models` table)
  export const MODEL = 5; // the model (or alias) the request names
  export const HEADER = 6; // header:<name>
  export const GLOBAL = 7; // one bucket for every request
}
export const SOURCE_NAMES: Array<string> = ["consumer", "tenant", "attribute:<name>", "route", "provider", "model", "header:<name>", "global"];

export class KeyPart {
  constructor(public source: i32, public arg: string) {}
}

export class Limit {
  name: string = "";
  /** The metric label: name with other characters than [a-z0-9_] as `_`. */
  label: string = "";
  parts: Array<KeyPart> = new Array<KeyPart>();
  windowMs: i64 = 60000;
  counts: i32 = Counts.REQUESTS;
  limit: i64 = 0;
  shadow: bool = false;
  /** Route names it applies to (empty: all). */
  routes: Array<string> = new Array<string>();
  /** Consumers it applies to (empty: all). */
  consumers: Array<string> = new Array<string>();
  /** Consumer counters by slot (shared data has no delete: keys are a fixed set). */
  slots: i32 = 1024;
  /** "local": this proxy's shared data; "fleet": the rate limit service. */
  fleet: bool = false;
  /** For token limits: what the 429's x-ratelimit-*-tokens headers describe. */
  get isTokens(): bool { return this.counts == Counts.INPUT_TOKENS || this.counts == Counts.OUTPUT_TOKENS || this.counts == Counts.TOTAL_TOKENS; }
  get usesBody(): bool { return this.counts != Counts.REQUESTS; }
}

export class Price {
  constructor(public model: string, public input: f64, public output: f64, public provider: string) {}
}

export class Downgrade {
  header: string = "";
  /** requested model or alias -> cheaper model ("*" matches any). */
  from: Array<string> = new Array<string>();
  to: Array<string> = new Array<string>();
  routes: Array<string> = new Array<string>();
  target(model: string): string | null {
    for (let i = 0; i < this.from.length; i++) if (this.from[i] == model) return this.to[i];
    for (let i = 0; i < this.from.length; i++) if (this.from[i] == "*" && this.to[i] != model) return this.to[i];
    return null;
  }
}

export class Fleet {
  cluster: string = "";
  domain: string = "aigw";
  timeoutMs: i64 = 200;
  /** What an unreachable or failing service means: false = allow (as Envoy's failure_mode_deny: false). */
  failureModeDeny: bool = false;
}

export class Anomaly {
  enabled: bool = false;
  zScore: f64 = 4;
  minRequests: i64 = 20;
  minTokens: i64 = 20000;
  /** EWMA weight of each closed minute. */
  alpha: f64 = 0.1;
  /** Minutes of history before a baseline is trusted. */
  warmupMinutes: i64 = 10;
  maxConsumers: i32 = 256;
  /** While cooling down, the consumer's limits are multiplied by this (1 = no tightening). */
  tightenFactor: f64 = 1;
  cooldownMs: i64 = 600000;
}

export class QuotaConfig {
  limits: Array<Limit> = new Array<Limit>();
  prices: Array<Price> = new Array<Price>();
  aliasNames: Array<string> = new Array<string>();
  aliasModels: Array<Array<string>> = new Array<Array<string>>();
  defaultPrice: Price = new Price("*", 0, 0, "");
  defaultMaxTokens: i64 = 1024;
  maxBodyBytes: i64 = 4 << 20;
  /** x-ratelimit-* on allowed answers. */
  responseHeaders: bool = true;
  shadow: bool = false;
  /** llm-route's `model_header`: when a request has it, it names the model (not the body). */
  modelHeader: string = "";
  downgrade: Downgrade | null = null;
  fleet: Fleet | null = null;
  anomaly: Anomaly = new Anomaly();

  price(model: string): Price {
    for (let i = 0; i < this.prices.length; i++) if (this.prices[i].model == model) return this.prices[i];
    return this.defaultPrice;
  }

  /** The price a request for `model` reserves with: the model's own, or for an alias its most
   *  expensive candidate's (llm-route may pick any of them). */
  reservePrice(model: string, inTokens: i64, outTokens: i64): Price {
    for (let i = 0; i < this.aliasNames.length; i++) {
      if (this.aliasNames[i] != model) continue;
      const ms = this.aliasModels[i];
      let best = this.price(ms[0]);
      let bestCost = cost(best, inTokens, outTokens);
      for (let j = 1; j < ms.length; j++) {
        const p = this.price(ms[j]);
        const c = cost(p, inTokens, outTokens);
        if (c > bestCost) { best = p; bestCost = c; }
      }
      return best;
    }
    return this.price(model);
  }

  get needsBody(): bool {
    for (let i = 0; i < this.limits.length; i++) {
      const l = this.limits[i];
      if (l.usesBody) return true;
      for (let j = 0; j < l.parts.length; j++) {
        const s = l.parts[j].source;
        if (s == Source.MODEL || s == Source.PROVIDER) return true;
      }
    }
    return this.downgrade !== null;
  }
}

/** Micro-dollars for tokens at a price in USD per million tokens (rounded up: never undercharge). */
export function cost(p: Price, inTokens: i64, outTokens: i64): i64 {
  const c = <f64>inTokens * p.input + <f64>outTokens * p.output;
  return <i64>Math.ceil(c);
}
