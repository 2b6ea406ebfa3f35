// The filter's metrics (docs/contract.md naming: aigw.cache.<metric>[.<label>.<value>]), declared
// once. Label values come from the fixed lists below.
import { Counter, CounterFamily, Gauge } from "../../common/sdk";

/** Why a request was neither looked up nor stored. */
export const BYPASS_REASONS: StaticArray<string> = [
  "no_cache", "no_identity", "nondeterministic", "invalid_json", "too_large", "not_chat", "multiple_choices", "trailers",
];

/** Why an answer was not stored. */
export const SKIP_REASONS: StaticArray<string> = [
  "status", "no_store", "incomplete", "too_large", "not_json", "encoded", "budget", "race",
];

export class CacheMetrics {
  /** aigw.cache.hits */
  hits: Counter = new Counter("aigw.cache.hits");
  /** aigw.cache.semantic_hits */
  semanticHits: Counter = new Counter("aigw.cache.semantic_hits");
  /** aigw.cache.misses */
  misses: Counter = new Counter("aigw.cache.misses");
  /** aigw.cache.bypassed.reason.<reason> */
  bypassed: CounterFamily = new CounterFamily("aigw.cache.bypassed.reason.");
  /** aigw.cache.stores */
  stores: Counter = new Counter("aigw.cache.stores");
  /** aigw.cache.store_skipped.reason.<reason> */
  skipped: CounterFamily = new CounterFamily("aigw.cache.store_skipped.reason.");
  /** aigw.cache.evictions (a live entry removed to make room) */
  evictions: Counter = new Counter("aigw.cache.evictions");
  /** aigw.cache.expired (an entry past its TTL removed when met) */
  expired: Counter = new Counter("aigw.cache.expired");
  /** aigw.cache.corrupt_dropped (an entry failing its checksum, removed, never served) */
  corrupt: Counter = new Counter("aigw.cache.corrupt_dropped");
  /** aigw.cache.bytes_held (gauge: bytes all entries hold in shared data) */
  bytesHeld: Gauge = new Gauge("aigw.cache.bytes_held");
  /** aigw.cache.tokens_saved.direction.<input|output> */
  tokensSaved: CounterFamily = new CounterFamily("aigw.cache.tokens_saved.direction.");
  /** aigw.cache.cost_saved_micro_usd */
  costSaved: Counter = new Counter("aigw.cache.cost_saved_micro_usd");
  /** aigw.cache.embedding_errors (the embeddings call failed or timed out: a miss) */
  embeddingErrors: Counter = new Counter("aigw.cache.embedding_errors");
}
