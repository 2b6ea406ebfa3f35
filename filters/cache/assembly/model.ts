// What the configuration describes, after validation. Immutable once onConfigure succeeded.

/** Whose answers a request may read (README "Scope"). */
export namespace Scope {
  export const CONSUMER = 0;
  export const TENANT = 1;
  export const GLOBAL = 2;
}
export const SCOPE_NAMES: Array<string> = ["consumer", "tenant", "global"];

/** Client dialects the cache understands (the same numbering as llm-route's). */
export namespace Dialect {
  export const OPENAI = 0;
  export const ANTHROPIC = 1;
}

/** Semantic lookup of one route: the embeddings endpoint and the similarity threshold. */
export class SemanticConfig {
  cluster: string = "";
  authority: string = "";
  path: string = "/v1/embeddings";
  model: string = "";
  apiKey: string = "";
  timeoutMs: u32 = 500;
  /** Ask for base64 (little-endian float32, what OpenAI's SDKs ask for: far cheaper to read than
   *  decimal text) or float (JSON numbers, for servers without base64). */
  base64: bool = true;
  /** Cosine similarity at or above which a stored prompt answers. */
  threshold: f64 = 0.92;
  /** User messages (from the end) whose text is embedded. */
  window: i32 = 1;
}

/** Cache policy of the requests one rule matches (or of all, for the defaults). */
export class Policy {
  enabled: bool = true;
  ttlSeconds: i64 = 3600;
  scope: i32 = Scope.CONSUMER;
  /** "" = auth's `aigw.consumer.tenant`; otherwise this key of `aigw.consumer.attributes`. */
  tenantAttribute: string = "";
  /** Skip requests with temperature > 0 and no seed (their answers are meant to vary). */
  skipNondeterministic: bool = false;
  semantic: SemanticConfig | null = null;

  copy(): Policy {
    const p = new Policy();
    p.enabled = this.enabled; p.ttlSeconds = this.ttlSeconds; p.scope = this.scope;
    p.tenantAttribute = this.tenantAttribute; p.skipNondeterministic = this.skipNondeterministic;
    p.semantic = this.semantic;
    return p;
  }
}

/** A per-route rule: first match wins (route = xds.route_name, prefix of the path). */
export class RouteRule {
  route: string = "";
  prefix: string = "";
  constructor(public index: i32, public policy: Policy) {}
}

export class CacheConfig {
  defaults: Policy = new Policy();
  routes: Array<RouteRule> = new Array<RouteRule>();
  /** Request bodies larger than this pass uncached. */
  maxBodyBytes: i32 = 262144;
  /** Answers larger than this (stored form) are not stored. */
  maxEntryBytes: i32 = 131072;
  /** Bytes all entries together may hold in shared data. */
  budgetBytes: i64 = 16777216;
  /** Fixed slot keys in shared data (the most entries that can be held). */
  slots: i32 = 4096;
  /** Vectors each VM keeps for semantic lookups (bounded; the oldest go first). */
  maxVectors: i32 = 10000;
}
