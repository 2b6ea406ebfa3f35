// The proxy-wasm contexts: the plugin (configuration, store, metrics) and one stream.
//
// Flow (README "What a client sees", "What is stored, and what never is"):
//   request headers  chat requests (POST /v1/chat/completions, /v1/messages) of an enabled route
//                    with an identity for the scope are held (the key needs the body);
//                    `cache-control: no-cache` skips the lookup, `no-store` the store.
//   request body     buffered to the end; keyed; a live entry is answered here (x-ai-cache: hit)
//                    in the client's dialect and form; otherwise the request goes on (a miss).
//   response         a 200 JSON or SSE answer is copied as it passes (nothing is held back) and
//                    stored when it ended complete; usage and cost come from llm-route's filter
//                    state (or the answer's own usage).
import {
  RootContext, HttpContext, HeadersAction, DataAction, HeaderMapType, BufferType, HeaderPair,
  getHeader, getHeaderValues, setHeader, getBufferBytes, setFilterState, getFilterState, getPropertyString,
  sendLocalResponse, nowNanos, logError, logInfo, logDebug, logEnabled, LogLevel,
  httpCall, httpCallResponseStatus, httpCallResponseBody, continueRequest,
} from "../../common/sdk";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { JsonKind, JsonValue, parseJson } from "../../common/assembly/json/value";
import { ChatRequest, ChatResponse } from "../../common/assembly/llm/chat";
import { FlatJson } from "../../common/assembly/llm/flat";
import { readOpenAIResponse } from "../../common/assembly/llm/openai";
import { readAnthropicResponse } from "../../common/assembly/llm/anthropic";
import { parseConfig } from "./config";
import { CacheConfig, Dialect, Policy, Scope } from "./model";
import { promptText, requestKey, semanticBucket } from "./key";
import { Quantised, VectorIndex, quantise } from "./vectors";
import { embeddingHeaders, embeddingRequest, parseEmbedding } from "./embedding";
import { Entry, encodeEntry, HEADER } from "./entry";
import { PutResult, SlotStore } from "./store";
import { replay } from "./replay";
import { StreamAssembler } from "./assemble";
import { CacheMetrics } from "./metrics";
import { selectPolicy } from "./rules";
import { cacheControl, CacheControl } from "./cache-control";
import { asciiLowerCase } from "../../common/assembly/http/header";

const REQ = HeaderMapType.RequestHeaders;
const RESP = HeaderMapType.ResponseHeaders;

export class CachePlugin extends RootContext {
  cfg: CacheConfig | null = null;
  store: SlotStore | null = null;
  /** Prompt vectors of the routes with a semantic cache (null when none has one). */
  vectors: VectorIndex | null = null;
  metrics: CacheMetrics = new CacheMetrics();
  scratch: ByteBuilder = new ByteBuilder(4096);
  /** The request document being keyed (reused: one request is keyed at a time per VM). */
  doc: FlatJson = new FlatJson();

  onConfigure(configuration: ArrayBuffer): bool {
    const r = parseConfig(Uint8Array.wrap(configuration));
    if (r.config === null) {
      logError("cache: configuration rejected: " + r.error);
      return false;
    }
    const cfg = r.config!;
    this.cfg = cfg;
    this.store = new SlotStore(cfg.slots, cfg.budgetBytes);
    let semantic = cfg.defaults.semantic !== null;
    for (let i = 0; i < cfg.routes.length; i++) if (cfg.routes[i].policy.semantic !== null) semantic = true;
    this.vectors = semantic ? new VectorIndex(cfg.maxVectors, "aigw.cache." + cfg.slots.toString()) : null;
    return true;
  }

  newHttpContext(id: u32): HttpContext { return new CacheStream(id, this); }

  /** Counts what the store did in the last operation (evictions, drops, bytes held). */
  flushStats(): void {
    const s = this.store!.stats;
    if (s.evictions > 0) this.metrics.evictions.inc(s.evictions);
    if (s.expired > 0) this.metrics.expired.inc(s.expired);
    if (s.corrupt > 0) this.metrics.corrupt.inc(s.corrupt);
    if (s.held >= 0) this.metrics.bytesHeld.set(<u64>s.held);
    s.reset();
  }
}

function nowMs(): i64 { return <i64>(nowNanos() / 1000000); }

/** What the stream does with the answer. */
namespace Mode {
  export const NONE = 0; // not a cacheable request: no header, nothing stored
  export const BYPASS = 1; // x-ai-cache: bypass
  export const MISS = 2; // x-ai-cache: miss
}

namespace Body {
  export const NONE = 0;
  export const JSON = 1;
  export const SSE = 2;
}

export class CacheStream extends HttpContext {
  private policy: Policy | null = null;
  private routeId: string = "";
  private scopeId: string = "";
  private dialect: i32 = Dialect.OPENAI;
  private control: CacheControl = new CacheControl();
  private held: bool = false;
  private mode: i32 = Mode.NONE;
  private storing: bool = false;
  private digest: Uint8Array | null = null;
  private body: i32 = Body.NONE;
  private copy: ByteBuilder | null = null;
  private assembler: StreamAssembler | null = null;
  private done: bool = false;
  private stream: bool = false;
  private includeUsage: bool = false;
  private bucket: u64 = 0;
  private vector: Quantised | null = null;
  private callToken: u32 = 0;

  constructor(id: u32, public plugin: CachePlugin) { super(id, plugin); }

  onRequestHeaders(headerCount: u32, endOfStream: bool): u32 {
    const cfg = this.plugin.cfg;
    if (cfg === null) return HeadersAction.Continue;
    const method = getHeader(REQ, ":method");
    const pathHeader = getHeader(REQ, ":path");
    let path = pathHeader === null ? "" : pathHeader!;
    const q = path.indexOf("?");
    if (q >= 0) path = path.substring(0, q);
    if (method != "POST" || endOfStream) return HeadersAction.Continue;
    if (path == "/v1/chat/completions") this.dialect = Dialect.OPENAI;
    else if (path == "/v1/messages") this.dialect = Dialect.ANTHROPIC;
    else return HeadersAction.Continue;
    const routeName = getPropertyString("xds.route_name");
    const route = routeName === null ? "" : routeName!;
    const sel = selectPolicy(cfg, route, path);
    const p = sel.policy;
    if (!p.enabled) return HeadersAction.Continue;
    this.policy = p;
    this.routeId = route + "#" + sel.index.toString();
    this.control = cacheControl(getHeaderValues(REQ, "cache-control"));
    const scope = this.scopeOf(p);
    if (scope === null) return this.bypass("no_identity");
    this.scopeId = scope!;
    if (this.control.noCache && this.control.noStore) return this.bypass("no_cache");
    this.mode = Mode.MISS;
    this.storing = !this.control.noStore;
    if (this.control.noCache) {
      // Stored, never looked up: the body is read as it passes, nothing is held.
      this.plugin.metrics.bypassed.inc("no_cache");
      this.mode = Mode.BYPASS;
      setFilterState("aigw.cache.status", "bypass:no_cache");
      return HeadersAction.Continue;
    }
    this.held = true;
    return HeadersAction.StopIteration;
  }

  /** The identity whose answers this request may read, or null when it has none (README "Scope"). */
  private scopeOf(p: Policy): string | null {
    if (p.scope == Scope.GLOBAL) return "";
    const c = getFilterState("aigw.consumer");
    // Anonymous callers are not one identity: sharing their answers would share strangers' data.
    if (c === null || c!.length == 0 || c! == "anonymous") return null;
    if (p.scope == Scope.CONSUMER) return "consumer:" + c!;
    let t: string | null = null;
    if (p.tenantAttribute.length == 0) t = getFilterState("aigw.consumer.tenant");
    else {
      const a = getFilterState("aigw.consumer.attributes");
      if (a !== null) {
        const b = Uint8Array.wrap(String.UTF8.encode(a!));
        const v = parseJson(b, 0, b.length, 16, false).value;
        const x: JsonValue | null = v === null ? null : v.get(p.tenantAttribute);
        if (x !== null && x.kind == JsonKind.STRING) t = x.str;
        else if (x !== null && x.kind == JsonKind.NUMBER) t = x.raw;
      }
    }
    if (t === null || t!.length == 0) return null;
    return "tenant:" + t!;
  }

  private bypass(reason: string): u32 {
    this.mode = Mode.BYPASS;
    this.storing = false;
    this.held = false;
    this.plugin.metrics.bypassed.inc(reason);
    setFilterState("aigw.cache.status", "bypass:" + reason);
    return HeadersAction.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): u32 {
    const cfg = this.plugin.cfg;
    if (cfg === null || this.policy === null || this.digest !== null || (!this.held && !this.storing)) return DataAction.Continue;
    if (<i64>bodySize > <i64>cfg.maxBodyBytes) {
      logInfo("cache: request body over max_body_bytes (" + cfg.maxBodyBytes.toString() + "); passed uncached");
      this.bypass("too_large");
      return DataAction.Continue;
    }
    if (!endOfStream) return DataAction.StopIterationAndBuffer;
    const bytes = Uint8Array.wrap(getBufferBytes(BufferType.HttpRequestBody, 0, bodySize));
    const d = this.plugin.doc;
    if (!d.parse(bytes, 0, bytes.length, 64, false)) {
      logInfo("cache: request body is not JSON (" + d.message() + "); passed uncached");
      this.bypass("invalid_json");
      return DataAction.Continue;
    }
    const k = requestKey(this.dialect, d, 0, this.routeId, this.scopeId, this.plugin.scratch);
    if (k.digest === null) {
      logInfo("cache: " + k.error + "; passed uncached");
      this.bypass("not_chat");
      return DataAction.Continue;
    }
    if (k.multipleChoices) { this.bypass("multiple_choices"); return DataAction.Continue; }
    if (k.nondeterministic && this.policy!.skipNondeterministic) { this.bypass("nondeterministic"); return DataAction.Continue; }
    this.digest = k.digest;
    this.keyModel = k.req.model;
    if (!this.held) return DataAction.Continue; // no-cache: stored only
    const store = this.plugin.store!;
    const now = nowMs();
    const e = store.lookup(k.digest!, now);
    this.plugin.flushStats();
    this.stream = k.req.stream;
    this.includeUsage = k.req.includeUsage;
    if (e !== null && this.serve(e!, "hit", now)) return DataAction.StopIterationNoBuffer;
    // A body whose texts the neutral form does not all hold is looked up exactly only: a semantic
    // match on the texts it does hold could answer a request that differs in the others.
    if (this.policy!.semantic !== null && k.neutral && this.askEmbedding(k.req)) return DataAction.StopIterationAndBuffer;
    this.miss();
    return DataAction.Continue;
  }

  private miss(): void {
    this.plugin.metrics.misses.inc();
    setFilterState("aigw.cache.status", "miss");
    if (logEnabled(LogLevel.Debug)) logDebug("cache: miss");
  }

  /** Starts the embeddings call for a semantic lookup; false when none was started (a miss). */
  private askEmbedding(req: ChatRequest): bool {
    const s = this.policy!.semantic!;
    const text = promptText(req, s.window);
    if (text.length == 0) return false;
    this.bucket = semanticBucket(req, this.routeId, this.scopeId, s.window, this.plugin.scratch);
    const r = httpCall(this.plugin.id, this, s.cluster, embeddingHeaders(s), embeddingRequest(s, text), s.timeoutMs);
    if (!r.ok) {
      this.plugin.metrics.embeddingErrors.inc();
      logInfo("cache: embeddings call to cluster " + s.cluster + " could not start (result " + r.result.toString() + "); a miss");
      return false;
    }
    this.callToken = r.token;
    return true;
  }

  onHttpCallResponse(token: u32, headerCount: u32, bodySize: u32, trailerCount: u32): void {
    if (token != this.callToken || this.done) return;
    this.callToken = 0;
    const s = this.policy!.semantic!;
    const status = headerCount == 0 ? 0 : httpCallResponseStatus();
    let v: Float64Array | null = null;
    if (status == 200 && bodySize > 0 && bodySize <= 4 << 20) v = parseEmbedding(Uint8Array.wrap(httpCallResponseBody(bodySize)));
    const q: Quantised | null = v === null ? null : quantise(v!);
    if (q === null) {
      // Down, slow (Envoy answers a timeout as 504), or not an embedding: never an error to the client.
      this.plugin.metrics.embeddingErrors.inc();
      logInfo("cache: embeddings call to cluster " + s.cluster + " failed (status " + status.toString() + "); a miss");
    } else {
      this.vector = q;
      const idx = this.plugin.vectors!;
      idx.sync();
      const now = nowMs();
      const m = idx.search(this.bucket, q!, s.threshold, now);
      if (m !== null) {
        const e = this.plugin.store!.lookup(m!.digest, now);
        this.plugin.flushStats();
        if (e !== null && this.serve(e!, "semantic-hit", now, m!.similarity)) return;
      }
    }
    this.miss();
    continueRequest();
  }

  onRequestTrailers(trailerCount: u32): u32 {
    // A body that ended with trailers never reached end of stream in onRequestBody: not keyed.
    if (this.policy !== null && this.digest === null && this.mode != Mode.BYPASS && (this.held || this.storing)) this.bypass("trailers");
    return 0;
  }

  /** Answers from a stored entry; false when it cannot be replayed (then it is a miss). */
  private serve(e: Entry, kind: string, now: i64, similarity: f64 = 1.0): bool {
    const stream = this.stream;
    const r = replay(e, this.dialect, stream, this.includeUsage, now / 1000);
    if (r === null) return false;
    this.done = true;
    this.storing = false;
    const age = (now - e.storedAt) / 1000;
    const h = new Array<HeaderPair>();
    h.push(new HeaderPair("content-type", r.contentType));
    h.push(new HeaderPair("x-ai-cache", kind));
    const semantic = kind != "hit";
    let sim = "";
    if (semantic) {
      sim = (Math.round(similarity * 1000) / 1000).toString();
      h.push(new HeaderPair("x-ai-cache-similarity", sim));
    }
    h.push(new HeaderPair("age", (age < 0 ? 0 : age).toString()));
    if (stream) h.push(new HeaderPair("cache-control", "no-cache"));
    const m = this.plugin.metrics;
    if (semantic) m.semanticHits.inc(); else m.hits.inc();
    m.tokensSaved.inc("input", e.input);
    m.tokensSaved.inc("output", e.output);
    m.costSaved.inc(e.costMicros);
    setFilterState("aigw.cache.status", semantic ? "semantic_hit" : "hit");
    if (semantic) setFilterState("aigw.cache.similarity", sim);
    setFilterState("aigw.cache.saved.input_tokens", e.input.toString());
    setFilterState("aigw.cache.saved.output_tokens", e.output.toString());
    setFilterState("aigw.cache.saved.cost_micro_usd", e.costMicros.toString());
    setFilterState("aigw.cache.age_s", (age < 0 ? 0 : age).toString());
    sendLocalResponse(200, "ai_cache_hit", r.body.buffer.slice(0, r.body.length), h);
    return true;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): u32 {
    if (this.done || this.mode == Mode.NONE) return HeadersAction.Continue;
    setHeader(RESP, "x-ai-cache", this.mode == Mode.MISS ? "miss" : "bypass");
    if (!this.storing || this.digest === null) return HeadersAction.Continue;
    const st = getHeader(RESP, ":status");
    if (st === null || st! != "200") return this.skip("status");
    if (cacheControl(getHeaderValues(RESP, "cache-control")).noStore) return this.skip("no_store");
    // The key holds the body's `model`; llm-route may have asked another (its model header, set
    // by the client or by quota's downgrade). That answer is not the key's: storing it would serve
    // one model's answer to everyone asking another (docs/contract.md aigw.llm.requested_model).
    const asked = getFilterState("aigw.llm.requested_model");
    if (asked !== null && asked! != (this.keyModel.length > 200 ? this.keyModel.substring(0, 200) : this.keyModel)) return this.skip("model_override");
    const enc = getHeader(RESP, "content-encoding");
    if (enc !== null && enc!.length && asciiLowerCase(enc!) != "identity") return this.skip("encoded");
    const ct = getHeader(RESP, "content-type");
    const type = ct === null ? "" : asciiLowerCase(ct!);
    const cfg = this.plugin.cfg!;
    if (type.startsWith("text/event-stream")) {
      this.body = Body.SSE;
      this.assembler = new StreamAssembler(this.dialect, cfg.maxEntryBytes);
    } else if (type.startsWith("application/json")) {
      this.body = Body.JSON;
      this.copy = new ByteBuilder(4096);
      this.contentType = ct!;
    } else return this.skip("not_json");
    if (endOfStream) return this.skip("incomplete");
    return HeadersAction.Continue;
  }

  private contentType: string = "application/json";
  /** The model the key was taken with (the body's `model`). */
  private keyModel: string = "";

  private skip(reason: string): u32 {
    this.storing = false;
    this.body = Body.NONE;
    this.copy = null;
    this.assembler = null;
    this.plugin.metrics.skipped.inc(reason);
    return HeadersAction.Continue;
  }

  onResponseBody(bodySize: u32, endOfStream: bool): u32 {
    if (!this.storing || this.body == Body.NONE) return DataAction.Continue;
    const cfg = this.plugin.cfg!;
    // Each chunk is read and passed on at once: the client never waits for the cache.
    const chunk = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
    if (this.body == Body.JSON) {
      const c = this.copy!;
      if (c.length + chunk.length > cfg.maxEntryBytes - HEADER - 256) { this.skip("too_large"); return DataAction.Continue; }
      c.appendBytes(chunk);
    } else {
      const a = this.assembler!;
      a.feed(chunk, endOfStream);
      if (a.failed) { this.skip(a.size > <i64>cfg.maxEntryBytes ? "too_large" : "incomplete"); return DataAction.Continue; }
    }
    if (endOfStream) this.finish();
    return DataAction.Continue;
  }

  onResponseTrailers(trailerCount: u32): u32 {
    if (this.storing && this.body != Body.NONE) {
      if (this.body == Body.SSE) this.assembler!.feed(new Uint8Array(0), true);
      this.finish();
    }
    return 0;
  }

  /** The answer ended: checks it is whole, then stores it. */
  private finish(): void {
    if (!this.storing) return;
    this.storing = false;
    const cfg = this.plugin.cfg!;
    const e = new Entry();
    let r: ChatResponse | null = null;
    if (this.body == Body.JSON) {
      const c = this.copy!;
      const d = new FlatJson();
      if (!d.parse(c.raw(), 0, c.length, 64, false) || !d.isObject(0)) { this.plugin.metrics.skipped.inc("not_json"); return; }
      // An answer, not an error or something else with a 200: it must have choices / content.
      if (d.get(0, this.dialect == Dialect.ANTHROPIC ? "content" : "choices") < 0) { this.plugin.metrics.skipped.inc("not_json"); return; }
      r = new ChatResponse();
      if (this.dialect == Dialect.ANTHROPIC) readAnthropicResponse(d, 0, r!); else readOpenAIResponse(d, 0, r!);
      e.body = c.toBytes();
      e.contentType = this.contentType;
    } else {
      const a = this.assembler!;
      if (!a.complete) { this.plugin.metrics.skipped.inc("incomplete"); return; }
      const out = new ByteBuilder(4096);
      a.write(nowMs() / 1000, out);
      r = a.r;
      e.body = out.toBytes();
      e.contentType = "application/json";
    }
    if (e.body.length + HEADER + 256 > cfg.maxEntryBytes) { this.plugin.metrics.skipped.inc("too_large"); return; }
    const now = nowMs();
    e.digest = this.digest!;
    e.dialect = this.dialect;
    e.storedAt = now;
    e.expiresAt = now + this.policy!.ttlSeconds * 1000;
    // llm-route (after this filter, so before it on the way back) publishes usage and cost.
    e.input = stateInt("gen_ai.usage.input_tokens", r!.usage.input);
    e.output = stateInt("gen_ai.usage.output_tokens", r!.usage.output);
    e.cached = stateInt("gen_ai.usage.cache_read.input_tokens", r!.usage.cached);
    e.costMicros = stateInt("aigw.llm.cost_micro_usd", 0);
    const res = this.plugin.store!.put(e.digest, encodeEntry(e), now);
    this.plugin.flushStats();
    if (res == PutResult.STORED) {
      this.plugin.metrics.stores.inc();
      const q = this.vector;
      if (q !== null && this.plugin.vectors !== null) this.plugin.vectors!.add(this.bucket, e.digest, e.expiresAt, q!);
    }
    else this.plugin.metrics.skipped.inc(res == PutResult.BUDGET ? "budget" : "race");
  }
}

/** A non-negative integer from filter state, else `def` (0 when negative). */
function stateInt(key: string, def: i64): i64 {
  const s = getFilterState(key);
  if (s !== null && s!.length > 0 && s!.length < 19) {
    let n: i64 = 0;
    let ok = true;
    for (let i = 0; i < s!.length; i++) {
      const c = s!.charCodeAt(i);
      if (c < 0x30 || c > 0x39) { ok = false; break; }
      n = n * 10 + (c - 0x30);
    }
    if (ok) return n;
  }
  return def < 0 ? 0 : def;
}
