// The proxy-wasm contexts: the plugin (configuration, metrics) and one stream.
//
// Flow (README "How a request flows"):
//   request headers  the client's copies of the routing header are removed, always; the request
//                    is held (StopIteration: Envoy >= 1.35 with allow_on_headers_stop_iteration)
//                    because the model is in the body. GET /v1/models is answered here.
//   request body     buffered to the end; parsed; the model resolved to candidates; capabilities,
//                    context length, strategy and health pick one; the body is rewritten for it;
//                    the routing header, :path, :authority and credentials are set while the
//                    headers are still held; then everything continues (Envoy re-picks the route).
//   response         429/5xx mark the provider down; errors become the client's error shape;
//                    JSON answers are translated whole, SSE answers event by event; usage, cost and
//                    time to first token are published when the answer ends.
//   log              an answer cut by the provider (reset/timeout, no end_of_stream) marks it down.
import {
  RootContext, HttpContext, HeadersAction, DataAction, TrailersAction, HeaderMapType, BufferType, HeaderPair,
  HeaderPair as Pair, getHeaderPairs, getHeader, setHeader, removeHeader, allowBodyRewrite, getBufferBytes, replaceBodyFrom, setFilterState, getFilterState,
  FilterStateKey, setFilterStateKey, setFilterStateInt,
  sendLocalResponse, nowNanos, getPropertyString, getPropertyInt, logError, logWarn, logDebug, logEnabled, LogLevel,
} from "../../common/sdk";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { asciiLowerCase } from "../../common/assembly/http/header";
import { ChatRequest, ResponseFormat } from "../../common/assembly/llm/chat";
import { FlatJson } from "../../common/assembly/llm/flat";
import { readOpenAIOther } from "../../common/assembly/llm/openai";
import { parseConfig } from "./config";
import { Cap, Dialect, Kind, RouteConfig, Strategy, capNames } from "./model";
import { Candidate, Outcome, Resolution, filterCapable, order, resolve, stickyRoll } from "./select";
import { Admit, admit, downUntil, markDown, markUp, readLatency, recordLatency, upstreamFailure, upstreamFailureFromFlags } from "./health";
import { CREDENTIAL_HEADERS, Endpoint, credentialHeader, upstreamPath } from "./upstream";
import { JSON_INVALID, ResponseTranslator, holdsSecret, readChat, translateError, writeRequest } from "./translate";
import { errorBody, refuse } from "./reply";
import { RouteMetrics } from "./metrics";
import { modelsList } from "./models-list";
import { bedrockHeaders } from "./bedrock-sign";
import { bedrockUnsupported } from "../../common/assembly/llm/bedrock";

const REQ = HeaderMapType.RequestHeaders;
const RESP = HeaderMapType.ResponseHeaders;

// The names published on every routed request (docs/contract.md), encoded once.
const FS_PROVIDER = new FilterStateKey("gen_ai.provider.name");
const FS_REQUEST_MODEL = new FilterStateKey("gen_ai.request.model");
const FS_REQUESTED = new FilterStateKey("aigw.llm.requested_model");
const FS_OPERATION = new FilterStateKey("gen_ai.operation.name");
const FS_DECISION = new FilterStateKey("aigw.llm.decision");
const FS_INPUT = new FilterStateKey("gen_ai.usage.input_tokens");
const FS_OUTPUT = new FilterStateKey("gen_ai.usage.output_tokens");
const FS_CACHED = new FilterStateKey("gen_ai.usage.cache_read.input_tokens");
const FS_COST = new FilterStateKey("aigw.llm.cost_micro_usd");
const FS_USAGE_SOURCE = new FilterStateKey("aigw.llm.usage_source");
const FS_RESPONSE_MODEL = new FilterStateKey("gen_ai.response.model");
const FS_TTFT = new FilterStateKey("aigw.llm.ttft_ms");

export class RoutePlugin extends RootContext {
  cfg: RouteConfig | null = null;
  metrics: RouteMetrics = new RouteMetrics();
  out: ByteBuilder = new ByteBuilder(8192);
  /** The request body being decided on (reused: one request is decided at a time per VM). */
  doc: FlatJson = new FlatJson();
  /** The request being decided, read into the same object each time (ChatRequest.reset). */
  chat: ChatRequest = new ChatRequest();
  /** xorshift state for weighted splits (Math.random would need a host import Envoy lacks). */
  seed: u64 = 0x9e3779b97f4a7c15;

  onConfigure(configuration: ArrayBuffer): bool {
    const r = parseConfig(Uint8Array.wrap(configuration));
    if (r.config === null) {
      logError("llm-route: configuration rejected: " + r.error);
      return false;
    }
    this.cfg = r.config;
    if (r.config!.providers.length == 0) logWarn("llm-route: no providers configured; every request is refused (404 unknown model)");
    this.seed ^= nowNanos();
    return true;
  }

  random(): f64 {
    let x = this.seed;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    this.seed = x;
    return <f64>(x >> 11) / 9007199254740992.0;
  }

  newHttpContext(id: u32): HttpContext { return new RouteStream(id, this); }
}

function nowMs(): i64 { return <i64>(nowNanos() / 1000000); }

/** Seconds of a retry-after header (RFC 9110 section 10.2.3, delay-seconds form) in ms, or 0. */
function retryAfterMs(v: string | null): i64 {
  if (v === null) return 0;
  const s = v.trim();
  if (s.length == 0 || s.length > 9) return 0;
  let n: i64 = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return 0; // an HTTP date: the configured cool-down applies
    n = n * 10 + (c - 0x30);
  }
  return n * 1000;
}

/** Whether `body` is an error body of `dialect` (OpenAI {"error":{...}}, Anthropic {"type":"error"}). */
function isOwnError(d: FlatJson, dialect: i32, body: Uint8Array): bool {
  if (!d.parse(body, 0, body.length, 64, false)) return false;
  const err = d.getObj(0, "error");
  if (err < 0 || d.getStr(err, "message").length == 0) return false;
  return dialect == Dialect.ANTHROPIC ? d.getStr(0, "type") == "error" : true;
}

function has(pairs: Array<Pair>, name: string): bool {
  for (let i = 0; i < pairs.length; i++) if (pairs[i].name == name) return true;
  return false;
}

/** First value of `name` ("" when absent), as Envoy's get_header_map_value. */
function value(pairs: Array<Pair>, name: string): string {
  for (let i = 0; i < pairs.length; i++) if (pairs[i].name == name) return pairs[i].value;
  return "";
}

/** Whether `name` is present exactly once, with exactly `v`. */
function onlyValue(pairs: Array<Pair>, name: string, v: string): bool {
  let n = 0;
  for (let i = 0; i < pairs.length; i++) if (pairs[i].name == name) { if (pairs[i].value != v) return false; n++; }
  return n == 1;
}

function clip(s: string, n: i32): string { return s.length > n ? s.substring(0, n) : s; }

export class RouteStream extends HttpContext {
  private dialect: i32 = Dialect.OPENAI;
  private endpoint: i32 = Endpoint.CHAT;
  private active: bool = false;
  private requestDone: bool = false;
  private cand: Candidate | null = null;
  private tr: ResponseTranslator | null = null;
  private probe: bool = false;
  private sentAt: i64 = 0;
  private firstTokenAt: i64 = 0;
  private estInput: i64 = 0;
  private respMode: i32 = 0; // 0 pass, 1 json, 2 sse, 3 error, 4 bedrock event stream, 5 not an answer (replaced)
  private badType: string = "";
  private respDone: bool = false;
  private status: u32 = 0;
  private rewriteResp: bool = false;
  /** The request headers as they were in on_request_headers (presence checks without host calls;
   *  the filter is the only one changing them while it holds them). */
  private reqHeaders: Array<Pair> = new Array<Pair>();

  constructor(id: u32, public plugin: RoutePlugin) { super(id, plugin); }

  onRequestHeaders(headerCount: u32, endOfStream: bool): u32 {
    const cfg = this.plugin.cfg;
    if (cfg === null) return HeadersAction.Continue;
    // A client never picks a cluster: every copy it sent goes, whatever happens next.
    // One host call for the whole map (host calls are the cost here); removals only when present.
    const pairs = getHeaderPairs(REQ);
    this.reqHeaders = pairs;
    if (has(pairs, cfg.clusterHeader)) removeHeader(REQ, cfg.clusterHeader);
    let path = value(pairs, ":path");
    const q = path.indexOf("?");
    if (q >= 0) path = path.substring(0, q);
    const method = value(pairs, ":method");
    this.dialect = path == "/v1/messages" ? Dialect.ANTHROPIC : Dialect.OPENAI;
    if (path == "/v1/models" && method == "GET") {
      this.requestDone = true;
      const body = modelsList(cfg);
      const h = new Array<HeaderPair>();
      h.push(new HeaderPair("content-type", "application/json"));
      sendLocalResponse(200, "llm_route_models", body.buffer, h);
      return HeadersAction.StopIteration;
    }
    if (path == "/v1/chat/completions" || path == "/v1/messages") this.endpoint = Endpoint.CHAT;
    else if (path == "/v1/embeddings") this.endpoint = Endpoint.EMBEDDINGS;
    else if (path == "/v1/completions") this.endpoint = Endpoint.COMPLETIONS;
    else if (path == "/v1/responses") this.endpoint = Endpoint.RESPONSES;
    else return this.reject(404, "unsupported_endpoint", "This gateway routes /v1/chat/completions, /v1/messages, /v1/embeddings, /v1/completions, /v1/responses and GET /v1/models; not " + clip(path, 100) + ".");
    if (method != "POST") return this.reject(405, "unsupported_endpoint", "Use POST for " + path + ".");
    if (endOfStream) return this.reject(400, "missing_body", "The request has no body; it must be a JSON object with a `model`.");
    this.active = true;
    // The answer must be readable (usage, translation): ask the provider for identity encoding.
    if (has(pairs, "accept-encoding")) removeHeader(REQ, "accept-encoding");
    if (has(pairs, "content-length")) allowBodyRewrite(REQ);
    return HeadersAction.StopIteration;
  }

  private reject(status: u32, reason: string, message: string, param: string | null = null): u32 {
    this.requestDone = true;
    this.active = false;
    this.plugin.metrics.rejected.inc(reason);
    setFilterState("aigw.llm.decision", "reject:" + reason);
    refuse(this.dialect, status, "llm_route_" + reason, message, reason, param);
    return HeadersAction.StopIteration;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): u32 {
    const cfg = this.plugin.cfg;
    if (cfg === null || !this.active || this.requestDone) return DataAction.Continue;
    if (<i64>bodySize > <i64>cfg.maxBodyBytes) {
      this.reject(413, "too_large", "The request body is larger than " + cfg.maxBodyBytes.toString() + " bytes, the most this gateway routes.");
      return DataAction.StopIterationNoBuffer;
    }
    if (!endOfStream) return DataAction.StopIterationAndBuffer;
    this.requestDone = true;
    const body = Uint8Array.wrap(getBufferBytes(BufferType.HttpRequestBody, 0, bodySize));
    const r = this.decide(cfg, body, bodySize);
    return r ? DataAction.Continue : DataAction.StopIterationNoBuffer;
  }

  /** Picks the provider, rewrites headers and body; false when the request was refused. */
  private decide(cfg: RouteConfig, body: Uint8Array, bodySize: u32): bool {
    const d = this.plugin.doc;
    if (!d.parse(body, 0, body.length, 64, true)) {
      this.reject(400, "invalid_json", "The request body is not valid JSON: " + d.message() + ".");
      return false;
    }
    let requested = "";
    if (cfg.modelHeader.length) {
      requested = value(this.reqHeaders, cfg.modelHeader);
    }
    if (requested.length == 0) requested = d.getStr(0, "model");
    if (requested.length == 0) { this.reject(400, "missing_model", "The request has no `model`.", "model"); return false; }
    // A wildcard target puts the requested name in the provider's path (Azure, Gemini, Bedrock) as
    // one percent-encoded segment; `.` and `..` are the two names encoding leaves a dot segment
    // (RFC 3986 5.2.4, and %2E is the same unreserved dot, 6.2.2.2), which the provider or Envoy's
    // normalize_path would resolve to another path on the provider, with the gateway's credential.
    if (requested == "." || requested == "..") { this.reject(400, "invalid_model", "The model `" + requested + "` is not a model name.", "model"); return false; }
    // One ChatRequest per VM, reset for each request: its messages and parts are reused.
    const req = this.plugin.chat;
    req.reset();
    const e = this.endpoint == Endpoint.CHAT ? readChat(this.dialect, d, req, false) : readOpenAIOther(d, 0, req);
    if (e !== null) { this.reject(400, "invalid_json", e.message, e.param.length ? e.param : null); return false; }
    // auth's identity is read only when an alias needs it (restrictions, sticky splits).
    let consumer = "", groups = "", tenant = "";
    if (cfg.needsConsumer) {
      const cs = getFilterState("aigw.consumer");
      if (cs !== null) consumer = cs!;
      const gs = getFilterState("aigw.consumer.groups");
      if (gs !== null) groups = gs!;
      const ts = getFilterState("aigw.consumer.tenant");
      if (ts !== null) tenant = ts!;
    }
    const res = resolve(cfg, requested, consumer, groups, tenant);
    const shown = clip(requested, 200);
    if (res.outcome == Outcome.UNKNOWN_MODEL) {
      this.reject(404, "unknown_model", "The model `" + shown + "` does not exist or you do not have access to it.", "model");
      return false;
    }
    if (res.outcome == Outcome.NOT_ALLOWED) {
      this.reject(403, "not_allowed", "You may not use the model `" + shown + "`.", "model");
      return false;
    }
    if (this.endpoint != Endpoint.CHAT) {
      // Embeddings, completions and Responses go only to providers speaking OpenAI's API.
      const kept = new Array<Candidate>();
      for (let i = 0; i < res.candidates.length; i++) if (res.candidates[i].provider.dialect == Dialect.OPENAI) kept.push(res.candidates[i]);
      res.candidates = kept;
      if (kept.length == 0) {
        this.reject(400, "untranslatable", "No provider of `" + shown + "` serves this endpoint; it is available on OpenAI-compatible providers only.", "model");
        return false;
      }
    }
    let needs = 0;
    if (req.tools.length) needs |= Cap.TOOLS;
    if (req.hasImages()) needs |= Cap.VISION;
    if (req.responseFormat != ResponseFormat.TEXT) needs |= Cap.JSON;
    if (req.stream) needs |= Cap.STREAMING;
    // About 4 bytes of UTF-8 text per token (a documented estimate; providers report the truth).
    this.estInput = req.textBytes() / 4 + 1;
    const outTokens = req.maxTokens >= 0 ? req.maxTokens : 0;
    filterCapable(res, needs, this.estInput + outTokens);
    if (res.outcome == Outcome.NO_CAPABLE) {
      this.reject(400, "no_capable_provider", "No provider of `" + shown + "` supports what this request needs: " + capNames(res.missing) + ".");
      return false;
    }
    if (res.outcome == Outcome.TOO_LONG) {
      this.reject(400, "context_too_long", "The request (about " + (this.estInput + outTokens).toString() + " tokens with max_tokens) is longer than the context of every provider of `" + shown + "`.", "messages");
      return false;
    }
    if (res.strategy == Strategy.LEAST_LATENCY) {
      for (let i = 0; i < res.candidates.length; i++) {
        const l = readLatency(res.candidates[i].provider.name);
        res.candidates[i].latency = req.stream ? l.ttft : l.total;
      }
    }
    const a = res.alias;
    const roll = a !== null && a.sticky && consumer.length ? stickyRoll(consumer + "|" + a.name) : this.plugin.random();
    order(res, this.estInput, outTokens > 0 ? outTokens : 256, roll);
    const c = this.pick(cfg, res);
    this.cand = c;
    const p = c.provider;

    if (this.endpoint == Endpoint.CHAT && p.dialect != this.dialect) {
      // What the lenient read noted as impossible in another format refuses the request now.
      const e = req.untranslatable;
      if (e !== null) { this.reject(400, "untranslatable", e.message, e.param.length ? e.param : null); return false; }
      if (p.dialect == Dialect.BEDROCK) {
        const why = bedrockUnsupported(req);
        if (why.length) { this.reject(400, "untranslatable", why + "."); return false; }
      }
    }
    const forceUsage = this.endpoint == Endpoint.CHAT && req.stream && p.dialect == Dialect.OPENAI && !req.includeUsage;
    const out = this.plugin.out;
    out.reset();
    if (this.endpoint == Endpoint.CHAT) writeRequest(this.dialect, p.dialect, d, req, c.upstreamModel, forceUsage, cfg.defaultMaxTokens, out);
    else writeRequest(Dialect.OPENAI, Dialect.OPENAI, d, req, c.upstreamModel, false, cfg.defaultMaxTokens, out);

    // Headers, while Envoy still holds them: the route is picked again after this callback.
    setHeader(REQ, cfg.clusterHeader, p.cluster);
    const path = upstreamPath(p, this.endpoint, c.upstreamModel, req.stream);
    setHeader(REQ, ":path", path);
    if (p.host.length) setHeader(REQ, ":authority", p.host);
    // Written only when it changes (a replace is a host call and moves the header to the end).
    if (!onlyValue(this.reqHeaders, "content-type", "application/json")) setHeader(REQ, "content-type", "application/json");
    // A length only where the client sent one (a chunked request stays chunked: never both).
    if (has(this.reqHeaders, "content-length")) setHeader(REQ, "content-length", out.length.toString());
    const hs = this.reqHeaders;
    if (p.dialect != Dialect.ANTHROPIC) {
      if (has(hs, "anthropic-version")) removeHeader(REQ, "anthropic-version");
      if (has(hs, "anthropic-beta")) removeHeader(REQ, "anthropic-beta");
    } else if (this.dialect != Dialect.ANTHROPIC || !has(hs, "anthropic-version")) setHeader(REQ, "anthropic-version", p.anthropicVersion);
    const cred = credentialHeader(p);
    if (cred !== null || (p.kind == Kind.BEDROCK && p.accessKeyId.length)) {
      for (let i = 0; i < CREDENTIAL_HEADERS.length; i++) if (has(hs, CREDENTIAL_HEADERS[i])) removeHeader(REQ, CREDENTIAL_HEADERS[i]);
      if (cred !== null) setHeader(REQ, cred.name, cred.value);
    }
    if (p.kind == Kind.BEDROCK && p.accessKeyId.length) {
      const h = bedrockHeaders(p, path, out.raw(), out.length, nowMs());
      for (let i = 0; i < h.length; i++) setHeader(REQ, h[i].name, h[i].value);
    }
    replaceBodyFrom(BufferType.HttpRequestBody, bodySize, out.dataStart, out.length);

    const spec = c.spec;
    if (spec.counters < 0) {
      // First request to this model: its counters and decision texts, kept for the next ones.
      spec.counters = this.plugin.metrics.spec(p.label, spec.name == "*" ? "other" : spec.label);
      spec.routeDecision = "route:" + p.name + "/" + spec.name;
      spec.probeDecision = "probe:" + p.name + "/" + spec.name;
    }
    this.plugin.metrics.specs[spec.counters].requests.inc();
    setFilterStateKey(FS_PROVIDER, p.name);
    setFilterStateKey(FS_REQUEST_MODEL, clip(c.upstreamModel, 200));
    setFilterStateKey(FS_REQUESTED, shown);
    setFilterStateKey(FS_OPERATION, this.endpoint == Endpoint.CHAT ? "chat" : this.endpoint == Endpoint.EMBEDDINGS ? "embeddings" : "text_completion");
    setFilterStateKey(FS_DECISION, this.probe ? spec.probeDecision : spec.routeDecision);
    if (logEnabled(LogLevel.Debug)) logDebug("llm-route: " + shown + " -> " + p.name + " " + path);
    const tr = new ResponseTranslator(this.dialect, this.endpoint == Endpoint.CHAT ? p.dialect : Dialect.OPENAI, req.includeUsage, forceUsage, c.upstreamModel);
    tr.responsesApi = this.endpoint == Endpoint.RESPONSES;
    tr.estimatedInput = this.estInput;
    // pick() read the clock in this callback already: that is when the request leaves.
    tr.created = this.sentAt / 1000;
    // Unique enough for answers whose provider gives no id: time and this VM's stream id.
    tr.idTime = this.sentAt;
    tr.idStream = this.id;
    this.tr = tr;
    return true;
  }

  /** The first candidate that is up (or whose probe this request wins); if all are down, the one
   *  back soonest (as Envoy's panic threshold: better a likely failure than a certain one). */
  private pick(cfg: RouteConfig, res: Resolution): Candidate {
    const now = nowMs();
    this.sentAt = now;
    for (let i = 0; i < res.candidates.length; i++) {
      const c = res.candidates[i];
      const a = admit(c.provider.name, now, cfg.probeTimeoutMs);
      if (a == Admit.NO) { this.plugin.metrics.failover.inc(c.provider.label); continue; }
      this.probe = a == Admit.PROBE;
      return c;
    }
    let best = res.candidates[0];
    let bestAt = i64.MAX_VALUE;
    for (let i = 0; i < res.candidates.length; i++) {
      const at = downUntil(res.candidates[i].provider.name);
      if (at < bestAt) { bestAt = at; best = res.candidates[i]; }
    }
    this.probe = true;
    return best;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): u32 {
    const tr = this.tr;
    if (tr === null || this.cand === null) return HeadersAction.Continue;
    const cfg = this.plugin.cfg!;
    const p = this.cand!.provider;
    // Two lookups, not the whole map: providers answer with a dozen headers the filter never reads.
    const sh = getHeader(RESP, ":status");
    const st = sh === null ? "" : sh!;
    this.status = st.length == 0 ? 0 : <u32>parseInt(st);
    if (this.status >= 400 || this.status == 0) {
      if (this.status == 429 || this.status >= 500) {
        const reason = this.status == 429 ? "rate_limited" : this.status == 504 ? "timeout" : "server_error";
        this.plugin.metrics.providerErrors.inc(p.label + ".reason." + reason);
        const until = markDown(p.name, nowMs(), retryAfterMs(getHeader(RESP, "retry-after")), cfg.cooldownMs, cfg.maxCooldownMs);
        logWarn("llm-route: provider " + p.name + " answered " + this.status.toString() + "; down for " + (until - nowMs()).toString() + " ms");
      }
      setFilterState("aigw.llm.provider_status", this.status.toString());
      if (endOfStream) return HeadersAction.Continue;
      this.respMode = 3;
      allowBodyRewrite(RESP);
      setHeader(RESP, "content-type", "application/json");
      return HeadersAction.Continue;
    }
    if (this.probe) markUp(p.name);
    const th = getHeader(RESP, "content-type");
    const type = th === null ? "" : asciiLowerCase(th!);
    if (type.startsWith("text/event-stream")) this.respMode = 2;
    else if (type.startsWith("application/json")) this.respMode = 1;
    else if (type.startsWith("application/vnd.amazon.eventstream") && p.dialect == Dialect.BEDROCK) this.respMode = 4;
    else if (!endOfStream && this.status >= 200 && this.status < 300) {
      // A success that is no API answer (an HTML page from a proxy or captive portal, text from a
      // misconfigured upstream): passed on, it would reach the client in no dialect, quoting
      // whatever hosts it names, with no usage to count. It becomes a 502 in the client's shape.
      this.badType = clip(type.length ? type : "no content-type", 60);
      logWarn("llm-route: provider " + p.name + " answered " + this.status.toString() + " with " + this.badType + ", not JSON or a stream");
      this.plugin.metrics.providerErrors.inc(p.label + ".reason.bad_answer");
      this.status = 502;
      setFilterState("aigw.llm.provider_status", "502");
      this.respMode = 5;
      allowBodyRewrite(RESP);
      setHeader(RESP, ":status", "502");
      setHeader(RESP, "content-type", "application/json");
      removeHeader(RESP, "content-length");
      return HeadersAction.Continue;
    }
    else this.respMode = 0;
    // SSE always: a stream cut short gets an error event appended, even when passed through.
    this.rewriteResp = this.respMode == 2 || (this.respMode != 0 && (tr.translating || tr.forcedUsage));
    if (this.rewriteResp) {
      allowBodyRewrite(RESP);
      if (this.respMode == 4) setHeader(RESP, "content-type", "text/event-stream");
    }
    if (endOfStream) this.finish();
    return HeadersAction.Continue;
  }

  onResponseBody(bodySize: u32, endOfStream: bool): u32 {
    const tr = this.tr;
    if (tr === null || this.respDone || this.respMode == 0) {
      if (endOfStream && tr !== null && !this.respDone) this.finish();
      return DataAction.Continue;
    }
    const cfg = this.plugin.cfg!;
    const out = this.plugin.out;
    out.reset();
    if (this.respMode == 5) {
      // Nothing of it is kept (not even held: it may be any size); the error ends the body.
      if (endOfStream) errorBody(this.dialect, 502, "The provider answered " + this.badType + ", not an API answer.", null, null, out);
      replaceBodyFrom(BufferType.HttpResponseBody, bodySize, out.dataStart, out.length);
      if (endOfStream) this.finish();
      return DataAction.Continue;
    }
    if (this.respMode == 1 || this.respMode == 3) {
      if (<i64>bodySize > <i64>cfg.maxBodyBytes) {
        // Too large to hold: passed as it is (no usage from it).
        this.respMode = 0;
        this.finish();
        return DataAction.Continue;
      }
      if (!endOfStream) return DataAction.StopIterationAndBuffer;
      const body = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
      if (this.respMode == 3) {
        const p = this.cand!.provider;
        // An error already in the client's own shape keeps every field (code, param); anything
        // else (another dialect's error, Envoy's text replies) is rewritten into that shape.
        if (!tr.translating && isOwnError(tr.doc, this.dialect, body) && !holdsSecret(body, p.secrets)) { this.finish(); return DataAction.Continue; }
        translateError(tr.doc, this.dialect, this.status, body, out, p.secrets);
        replaceBodyFrom(BufferType.HttpResponseBody, bodySize, out.dataStart, out.length);
      } else {
        const r = tr.json(body, out);
        if (r == JSON_INVALID) {
          if (tr.translating) {
            out.reset();
            errorBody(this.dialect, 502, "The provider's answer is not valid JSON.", null, null, out);
            replaceBodyFrom(BufferType.HttpResponseBody, bodySize, out.dataStart, out.length);
          }
        } else if (tr.translating) replaceBodyFrom(BufferType.HttpResponseBody, bodySize, out.dataStart, out.length);
      }
      this.finish();
      return DataAction.Continue;
    }
    const chunk = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
    if (this.respMode == 4) tr.eventStream(chunk, endOfStream, out);
    else tr.sse(chunk, 0, chunk.length, endOfStream, out);
    if (tr.firstContent && this.firstTokenAt == 0) this.firstTokenAt = nowMs();
    if (this.rewriteResp) replaceIfChanged(bodySize, chunk, out);
    if (endOfStream) this.finish();
    return DataAction.Continue;
  }

  /** Trailers end a streamed answer (its last body callback had no end_of_stream): its usage is
   *  published now, as at a body's end, not as a cut one at the access-log phase. */
  onResponseTrailers(trailerCount: u32): u32 {
    if (this.tr !== null && this.cand !== null && !this.respDone && (this.respMode == 0 || this.respMode == 2 || this.respMode == 4)) this.finish();
    return TrailersAction.Continue;
  }

  /**
   * Access-log phase. An answer that started well but never reached end_of_stream was cut: when
   * Envoy says the provider side did it (reset after the response started, route or per-try
   * timeout), the provider is marked down as for a 5xx; a client that went away is not its fault.
   */
  onLog(): void {
    if (this.respDone || this.cand === null || this.tr === null) return;
    // Usage of an answer cut after it started: published here, not in proxy_on_done, because
    // Envoy runs the filters' access-log handlers (this callback) before the connection
    // manager's access loggers (>= 1.32, envoyproxy/envoy#35959) and destroys the filters
    // (proxy_on_done) only after both (conn_manager_impl.cc doDeferredStreamDestroy).
    if (this.status > 0 && this.status < 400) this.finish(true);
    if (this.status == 429 || this.status >= 500) return; // marked down at its headers already
    const got = getPropertyString("response.code_details");
    const d = got === null ? "" : got!;
    let reason = upstreamFailure(d);
    if (reason.length == 0 && (d.length == 0 || d == "via_upstream")) reason = upstreamFailureFromFlags(getPropertyInt("response.flags", 0));
    if (reason.length == 0) return;
    const cfg = this.plugin.cfg!;
    const p = this.cand!.provider;
    this.plugin.metrics.providerErrors.inc(p.label + ".reason." + reason);
    const now = nowMs();
    const until = markDown(p.name, now, 0, cfg.cooldownMs, cfg.maxCooldownMs);
    logWarn("llm-route: provider " + p.name + " answer ended early (" + clip(d.length ? d : "response.flags", 100) + "); down for " + (until - now).toString() + " ms");
  }

  /** The answer ended (or, `cut`, stopped before its end): usage, cost, latency, metrics,
   *  filter state. */
  private finish(cut: bool = false): void {
    if (this.respDone) return;
    this.respDone = true;
    const tr = this.tr!;
    const c = this.cand!;
    const p = c.provider;
    const now = nowMs();
    const u = tr.usage;
    let source = "provider";
    if (cut) {
      // What the provider reported where it arrived (message_start's input, a usage chunk);
      // output at least the estimate of the text and tool arguments that passed, because a
      // count sent at the start (Anthropic's message_start output_tokens) is not the final one.
      source = u.known ? "cut:provider" : "cut:estimate";
      if (u.input < 0) u.input = this.estInput;
      const passed = tr.outputTextBytes / 4;
      if (u.output < passed) u.output = passed;
    } else if (!u.known && this.status < 400 && this.status > 0) {
      // No usage reported: estimate about 4 bytes of text per token (README "Usage and cost").
      u.input = this.estInput;
      u.output = tr.outputTextBytes / 4;
      source = "estimate";
    }
    if (u.input < 0) u.input = 0;
    if (u.output < 0) u.output = 0;
    const spec = c.spec;
    let cached = u.cached > u.input ? u.input : u.cached;
    const cost = <f64>(u.input - cached) * spec.inputPrice + <f64>cached * spec.cachedInputPrice + <f64>u.output * spec.outputPrice;
    const costMicros = <i64>Math.round(cost);
    if (this.status > 0 && this.status < 400) {
      this.plugin.metrics.specs[spec.counters].usage(u.input, u.output, cached, costMicros);
      if (tr.errored && this.respMode >= 2 && !cut) this.plugin.metrics.streamErrors.inc(p.label);
      setFilterStateInt(FS_INPUT, u.input);
      setFilterStateInt(FS_OUTPUT, u.output);
      setFilterStateInt(FS_CACHED, cached);
      setFilterStateInt(FS_COST, costMicros);
      setFilterStateKey(FS_USAGE_SOURCE, source);
      if (tr.responseModel.length) setFilterStateKey(FS_RESPONSE_MODEL, clip(tr.responseModel, 200));
      if (cut) {
        // A cut answer: time to first token only when one came; no latency sample (the total is
        // the time to the cut, not to an answer).
        if (this.firstTokenAt > 0) setFilterStateInt(FS_TTFT, this.firstTokenAt - this.sentAt);
        return;
      }
      const ttft = this.firstTokenAt > 0 ? this.firstTokenAt - this.sentAt : now - this.sentAt;
      setFilterStateInt(FS_TTFT, ttft);
      if (!tr.errored && this.plugin.cfg!.anyLeastLatency) recordLatency(p.name, <f64>ttft, <f64>(now - this.sentAt));
    }
  }
}

/** Hands `out` to the host as this callback's body unless it equals what the host has. */
function replaceIfChanged(bodySize: u32, chunk: Uint8Array, out: ByteBuilder): void {
  const n = out.length;
  if (n == chunk.length && memory.compare(out.dataStart, chunk.dataStart, <usize>n) == 0) return;
  replaceBodyFrom(BufferType.HttpResponseBody, bodySize, out.dataStart, n);
}
