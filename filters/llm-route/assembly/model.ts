// What the configuration describes, after validation: providers, their models with prices and
// capabilities, and aliases with their strategy. Immutable once onConfigure succeeded.
import { metricLabel } from "../../common/assembly/metric-label";

/** Wire format a provider speaks (and a client may speak: OPENAI, ANTHROPIC). */
export namespace Dialect {
  export const OPENAI = 0;
  export const ANTHROPIC = 1;
  export const GEMINI = 2;
  export const BEDROCK = 3;
}

export namespace Kind {
  export const OPENAI = "openai";
  export const AZURE = "azure-openai";
  export const ANTHROPIC = "anthropic";
  export const GEMINI = "gemini";
  export const VERTEX = "vertex";
  export const BEDROCK = "bedrock";
  export const COMPATIBLE = "openai-compatible";
}

export const KINDS: Array<string> = ["openai", "azure-openai", "anthropic", "gemini", "vertex", "bedrock", "openai-compatible"];

export function dialectOfKind(kind: string): i32 {
  if (kind == Kind.ANTHROPIC) return Dialect.ANTHROPIC;
  if (kind == Kind.GEMINI || kind == Kind.VERTEX) return Dialect.GEMINI;
  if (kind == Kind.BEDROCK) return Dialect.BEDROCK;
  return Dialect.OPENAI;
}

/** Capability tags, as bits. */
export namespace Cap {
  export const TOOLS = 1;
  export const VISION = 2;
  export const JSON = 4;
  export const STREAMING = 8;
  export const ALL = 15;
}
export const CAP_NAMES: Array<string> = ["tools", "vision", "json", "streaming"];

export function capNames(bits: i32): string {
  let s = "";
  for (let i = 0; i < 4; i++) if (bits & (1 << i)) s += (s.length ? ", " : "") + CAP_NAMES[i];
  return s;
}

export namespace Strategy {
  export const PRIORITY = 0;
  export const WEIGHTED = 1;
  export const LEAST_COST = 2;
  export const LEAST_LATENCY = 3;
}
export const STRATEGY_NAMES: Array<string> = ["priority", "weighted", "least-cost", "least-latency"];

/** One model a provider serves: the public name clients use and what the provider calls it. */
export class ModelSpec {
  upstream: string;
  /** USD per million tokens = micro-dollars per token. */
  inputPrice: f64 = 0;
  outputPrice: f64 = 0;
  cachedInputPrice: f64 = 0;
  /** Largest prompt + answer in tokens (0 = not limited). */
  contextLength: i64 = 0;
  caps: i32 = Cap.ALL;
  /** Metric label value (configured name in [a-z0-9_]). */
  label: string;
  /** Per-request constants, made on first use (RouteStream.decide): the index of this model's
   *  counters in RouteMetrics.specs (-1: none yet) and its decision texts. */
  counters: i32 = -1;
  routeDecision: string = "";
  probeDecision: string = "";
  constructor(public name: string) { this.upstream = name; this.label = labelOf(name); }
}

export class Provider {
  kind: string = Kind.OPENAI;
  dialect: i32 = Dialect.OPENAI;
  cluster: string = "";
  host: string = "";
  basePath: string = "";
  models: Array<ModelSpec> = new Array<ModelSpec>();
  /** Defaults for models named through a wildcard target (`provider/*`). */
  defaults: ModelSpec = new ModelSpec("*");
  // Credentials written by the filter (optional: Envoy's credential injector is the recommended path).
  apiKey: string = "";
  apiVersion: string = "";
  anthropicVersion: string = "2023-06-01";
  region: string = "";
  accessKeyId: string = "";
  secretAccessKey: string = "";
  sessionToken: string = "";
  label: string;
  constructor(public name: string) { this.label = labelOf(name); }

  /** The credentials the filter writes for this provider (never to be shown to a client). JSON
   *  escapes a `/` may take are listed too (`\/`), so an echo in a JSON body is found either way. */
  secrets: Array<string> = new Array<string>();

  model(name: string): ModelSpec | null {
    for (let i = 0; i < this.models.length; i++) if (this.models[i].name == name) return this.models[i];
    return null;
  }
}

/** A candidate of an alias: a provider and one of its models (`*` = the requested name). */
export class Target {
  weight: i32 = 1;
  constructor(public provider: Provider, public model: string) {}
}

export class Alias {
  strategy: i32 = Strategy.PRIORITY;
  sticky: bool = false;
  targets: Array<Target> = new Array<Target>();
  /** Who may use it (empty = everyone): consumer names and groups from auth's filter state. */
  consumers: Array<string> = new Array<string>();
  groups: Array<string> = new Array<string>();
  /** Tenants (auth's aigw.consumer.tenant) allowed, besides consumers and groups. */
  tenants: Array<string> = new Array<string>();
  /** A name with `*`: matches any run of characters there. */
  wildcard: bool = false;
  constructor(public name: string) { this.wildcard = name.indexOf("*") >= 0; }
}

export class RouteConfig {
  clusterHeader: string = "x-aigw-cluster";
  modelHeader: string = "";
  maxBodyBytes: i32 = 4 << 20;
  defaultMaxTokens: i64 = 4096;
  cooldownMs: i64 = 30000;
  maxCooldownMs: i64 = 300000;
  probeTimeoutMs: i64 = 30000;
  providers: Array<Provider> = new Array<Provider>();
  aliases: Array<Alias> = new Array<Alias>();
  /** Some alias uses least-latency (only then are latencies recorded in shared data). */
  anyLeastLatency: bool = false;
  /** Some alias is restricted to consumers/groups or sticky (only then is auth's filter state read). */
  needsConsumer: bool = false;

  provider(name: string): Provider | null {
    for (let i = 0; i < this.providers.length; i++) if (this.providers[i].name == name) return this.providers[i];
    return null;
  }
  alias(name: string): Alias | null {
    for (let i = 0; i < this.aliases.length; i++) if (!this.aliases[i].wildcard && this.aliases[i].name == name) return this.aliases[i];
    return null;
  }
}

/** A configured name as a metric label value (at most 64 units), `other` when empty. */
export function labelOf(s: string): string {
  const label = metricLabel(s, 64);
  return label.length ? label : "other";
}
