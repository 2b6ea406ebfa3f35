// The proxy-wasm contexts: the plugin (configuration, counters, metrics) and one stream.
//
// Flow (README "How a request flows"). Place: after auth, before llm-route.
//   request headers  identity (auth's filter state), route, key headers; requests with a body are
//                    held (StopIteration, Envoy >= 1.35 allow_on_headers_stop_iteration) because
//                    the model and max_tokens are in it.
//   request body     buffered to the end; prompt tokens estimated; every applicable limit
//                    reserves (prompt + max_tokens, capped at what is left) or the request gets a
//                    429 — or, on a route with `downgrade`, goes on with a cheaper model.
//   response         x-ratelimit-* headers; a stream's output is debited as it passes, and when a
//                    budget runs out the stream ends with an error event; at the end reservations
//                    are settled with llm-route's published usage (gen_ai.usage.*, cost).
import {
  RootContext, HttpContext, HeadersAction, DataAction, TrailersAction, HeaderMapType, BufferType, HeaderPair,
  getHeader, setHeader, addHeader, allowBodyRewrite, getBufferBytes, replaceBody, setFilterState, getFilterState,
  getPropertyString, nowNanos, logError, logWarn, logInfo, grpcCall, grpcReceiveMessage, continueRequest,
} from "../../common/sdk";
import { sendOpenAIError } from "../../common/assembly/reply";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { SseError, SseParser } from "../../common/assembly/sse/parser";
import { DeltaScanner } from "../../common/assembly/sse/llm";
import { LlmScan, LlmScanner, isAnswerText } from "../../common/assembly/llm/spans";
import { JsonKind, JsonValue, parseJson, parseJsonString } from "../../common/assembly/json/value";
import { parseConfig } from "./config";
import { COUNTS_NAMES, Counts, QuotaConfig, Source, cost } from "./model";
import { Admission, Charge, RequestInfo, admit, amount, applies, countsOutput, extend, partValues, prepareCounters, release, settle } from "./engine";
import { FleetCharge, fleetCharge, grpcServiceOf } from "./fleet";
import { Observation, observe, prepareAnomalySlots } from "./anomaly";
import { Code, METHOD, SERVICE, decodeResponse } from "./rls";
import { readBody, BodyFacts } from "./estimate";
import { goDuration, retryAfterSeconds } from "./headers";
import { appendCutEvents, limitMessage, rateLimitHeaders, refuse429 } from "./replies";
import { QuotaMetrics } from "./metrics";
import { asciiLowerCase } from "../../common/assembly/http/header";
import { isEncodedBody } from "../../common/assembly/http/media";

const REQ = HeaderMapType.RequestHeaders;
const RESP = HeaderMapType.ResponseHeaders;

export function nowMs(): i64 { return <i64>(nowNanos() / 1000000); }

export class QuotaPlugin extends RootContext {
  cfg: QuotaConfig | null = null;
  metrics: QuotaMetrics = new QuotaMetrics();
  out: ByteBuilder = new ByteBuilder(1024);
  scanner: LlmScanner = new LlmScanner();

  onConfigure(configuration: ArrayBuffer): bool {
    const r = parseConfig(Uint8Array.wrap(configuration));
    if (r.config === null) {
      logError("quota: configuration rejected: " + r.error);
      return false;
    }
    this.cfg = r.config;
    prepareCounters(r.config!);
    prepareAnomalySlots(r.config!.anomaly);
    return true;
  }

  newHttpContext(id: u32): HttpContext { return new QuotaStream(id, this); }

  /** End-of-stream charges are made on the plugin's behalf (their stream may be gone): answers
   *  arrive here. Only failures matter (the charge was not counted). */
  onGrpcReceive(token: u32, size: u32): void {
    const r = decodeResponse(Uint8Array.wrap(grpcReceiveMessage(size)));
    if (!r.ok) this.metrics.fleetErrors.inc();
  }
  onGrpcClose(token: u32, status: u32): void {
    this.metrics.fleetErrors.inc();
    logWarn("quota: the rate limit service did not take an end-of-stream charge (gRPC status " + status.toString() + ")");
  }
}

/** What decide() concluded. */
namespace Verdict {
  export const REFUSED = 0;
  export const GO = 1;
  export const WAIT = 2; // asking the rate limit service
}

export class QuotaStream extends HttpContext {
  private active: bool = false;
  private decided: bool = false;
  private refused: bool = false;
  private anthropic: bool = false;
  private info: RequestInfo = new RequestInfo();
  private adm: Admission | null = null;
  private status: u32 = 0;
  private sse: SseParser | null = null;
  /** Delta events of one stream share a shape: scanned once, then checked (sse/llm.ts). */
  private deltas: DeltaScanner | null = null;
  private scan: LlmScan = new LlmScan();
  private outBytes: i64 = 0;
  /** A whole (non-SSE) answer no filter will publish usage for (no llm-route in the chain): its
   *  bytes, and a copy of them up to max_body_bytes, read for its output at the end. */
  private plainAnswer: bool = false;
  private plainBytes: i64 = 0;
  private plainCopy: ByteBuilder | null = null;
  private cut: bool = false;
  private settled: bool = false;
  private answered: bool = false;
  private responseEnded: bool = false;
  private fleet: Array<FleetCharge> = new Array<FleetCharge>();
  private fleetPending: i32 = 0;
  private fleetRefused: FleetCharge | null = null;
  private fleetRefusedResetMs: i64 = 0;
  private fleetFailed: bool = false;

  constructor(id: u32, public plugin: QuotaPlugin) { super(id, plugin); }

  onRequestHeaders(headerCount: u32, endOfStream: bool): u32 {
    const cfg = this.plugin.cfg;
    if (cfg === null || (cfg.limits.length == 0 && !cfg.anomaly.enabled)) return HeadersAction.Continue;
    this.active = true;
    const info = this.info;
    info.consumer = stateOr("aigw.consumer");
    info.tenant = stateOr("aigw.consumer.tenant");
    const route = getPropertyString("xds.route_name");
    info.route = route === null ? "" : route!;
    let wantsAttributes = false;
    for (let i = 0; i < cfg.limits.length; i++) {
      const ps = cfg.limits[i].parts;
      for (let j = 0; j < ps.length; j++) {
        const p = ps[j];
        if (p.source == Source.ATTRIBUTE) wantsAttributes = true;
        else if (p.source == Source.HEADER && !info.headerNames.includes(p.arg)) {
          const v = getHeader(REQ, p.arg);
          info.headerNames.push(p.arg);
          info.headerValues.push(v === null ? "" : clip(v!, 256));
        }
      }
    }
    if (wantsAttributes) {
      const a = getFilterState("aigw.consumer.attributes");
      if (a !== null) {
        const v = parseJsonString(a!, 8, true).value;
        if (v !== null && v.kind == JsonKind.OBJECT) info.attributes = v;
      }
    }
    const path = getHeader(REQ, ":path");
    this.anthropic = path !== null && (path! == "/v1/messages" || path!.startsWith("/v1/messages?"));
    if (endOfStream || !cfg.needsBody) {
      return this.decide(cfg, null) == Verdict.GO ? HeadersAction.Continue : HeadersAction.StopIteration;
    }
    return HeadersAction.StopIteration;
  }

  /**
   * A body ended by trailers had no end_of_stream on its data, so no decision was made; if
   * trailers went on, Envoy would send the held request upstream unadmitted. Refused instead
   * (as prompt-guard and pii-mask).
   */
  onRequestTrailers(trailerCount: u32): u32 {
    if (!this.active || this.decided || this.refused) return TrailersAction.Continue;
    this.refused = true;
    this.decided = true;
    setFilterState("aigw.quota.decision", "refused:request_trailers");
    sendOpenAIError(400, "quota_request_trailers", "Requests with trailers are not accepted on this gateway; send the body without trailers.", "request_trailers_unsupported", null, null, "invalid_request_error");
    return TrailersAction.StopIteration;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): u32 {
    const cfg = this.plugin.cfg;
    if (this.refused) return DataAction.StopIterationNoBuffer;
    // Waiting for the rate limit service: Continue here would let the held request go on.
    if (this.fleetPending > 0) return DataAction.StopIterationAndBuffer;
    if (cfg === null || !this.active || this.decided) return DataAction.Continue;
    if (<i64>bodySize > cfg.maxBodyBytes) {
      // Too large to hold: every byte counts as prompt text (never less than the truth).
      const f = new BodyFacts();
      f.textBytes = <i64>bodySize;
      return dataAction(this.decide(cfg, f));
    }
    if (!endOfStream) return DataAction.StopIterationAndBuffer;
    const body = Uint8Array.wrap(getBufferBytes(BufferType.HttpRequestBody, 0, bodySize));
    return dataAction(this.decide(cfg, readBody(body)));
  }

  /** Reserves in every local limit (or refuses), then asks the rate limit service for the fleet
   *  limits (the answer continues or refuses the request). */
  private decide(cfg: QuotaConfig, facts: BodyFacts | null): i32 {
    this.decided = true;
    const info = this.info;
    const m = this.plugin.metrics;
    let model = facts !== null ? facts.model : "";
    const dg = cfg.downgrade;
    if (cfg.modelHeader.length) {
      // llm-route prefers its model header to the body's model: so do the reservation, its price
      // and the `model`/`provider` keys (else a cheap body model would hide the header's model).
      const h = getHeader(REQ, cfg.modelHeader);
      if (h !== null && h!.length) model = clip(h!, 200);
    }
    info.model = model;
    if (facts !== null) {
      this.streamed = facts.stream;
      info.inTokens = facts.inTokens;
      // Every choice (`n`, `best_of`) is generated up to max_tokens and billed.
      info.outTokens = (facts.maxTokens >= 0 ? facts.maxTokens : cfg.defaultMaxTokens) * facts.choices;
    }
    info.price = cfg.reservePrice(model, info.inTokens, info.outTokens);
    const now = nowMs();
    if (cfg.anomaly.enabled && info.consumer.length) {
      const o = observe(cfg.anomaly, info.consumer, now, 1, 0);
      info.tighten = o.tighten;
      this.report(o);
    }
    let a = admit(cfg, info, now);
    let decision = "allow";
    const refused = a.refused;
    if (refused !== null) {
      const l = refused.limit;
      const target = dg !== null && (dg.routes.length == 0 || dg.routes.includes(info.route)) ? dg.target(model) : null;
      let downgraded = false;
      if (target !== null) {
        info.model = target!;
        info.price = cfg.reservePrice(target!, info.inTokens, info.outTokens);
        const b = admit(cfg, info, now);
        if (b.refused === null) {
          setHeader(REQ, dg!.header, target!);
          m.downgraded.inc(l.label);
          decision = "downgrade:" + l.name + ":" + clip(target!, 100);
          logInfo("quota: `" + l.name + "` spent for " + clip(model, 100) + "; downgraded to " + clip(target!, 100));
          a = b;
          downgraded = true;
        } else {
          info.model = model;
        }
      }
      if (!downgraded) {
        m.limited.inc(l.label);
        this.refused = true;
        this.active = false;
        setFilterState("aigw.quota.decision", "limited:" + l.name);
        const headers = new Array<HeaderPair>();
        headers.push(new HeaderPair("retry-after", retryAfterSeconds(refused.resetMs)));
        rateLimitHeaders(a.requests, a.tokens, headers);
        const requested = amount(l, info.price, info.inTokens, info.outTokens);
        refuse429(this.anthropic, l, limitMessage(l, refused.effectiveLimit, refused.used, requested, refused.resetMs), headers);
        return Verdict.REFUSED;
      }
    }
    for (let i = 0; i < a.shadowRefused.length; i++) {
      const l = a.shadowRefused[i];
      m.shadowLimited.inc(l.label);
      if (decision == "allow") decision = "shadow_limited:" + l.name;
      logInfo("quota: shadow limit `" + l.name + "` would refuse this request");
    }
    this.adm = a;
    setFilterState("aigw.quota.decision", decision);
    if (cfg.fleet !== null && this.askFleet(cfg)) return Verdict.WAIT;
    for (let i = 0; i < a.charges.length; i++) m.allowed.inc(a.charges[i].limit.label);
    this.sentOn = true;
    return Verdict.GO;
  }

  /** Sends one ShouldRateLimit per applicable fleet limit; false when none applies (or every
   *  call failed at once and failures allow). */
  private askFleet(cfg: QuotaConfig): bool {
    const info = this.info;
    const f = cfg.fleet!;
    for (let i = 0; i < cfg.limits.length; i++) {
      const l = cfg.limits[i];
      if (!l.fleet || !applies(l, info)) continue;
      const c = fleetCharge(l, partValues(cfg, l, info));
      // What the request certainly uses: the service cannot give hits back.
      c.charged = amount(l, info.price, info.inTokens, info.outTokens > 0 ? 1 : 0);
      if (c.charged < 1) c.charged = 1;
      const r = grpcCall(this.plugin.id, this, grpcServiceOf(f.cluster), SERVICE, METHOD, new Array<HeaderPair>(), c.message(cfg, c.charged), <u32>f.timeoutMs);
      if (!r.ok) {
        this.fleetFailure("the call could not be made (result " + r.result.toString() + "; is cluster `" + f.cluster + "` defined?)");
        c.charged = 0;
        c.done = true;
      } else {
        c.token = r.token;
        this.fleetPending++;
      }
      this.fleet.push(c);
    }
    if (this.fleetPending > 0) return true;
    return this.concludeFleet(false);
  }

  private fleetFailure(why: string): void {
    this.fleetFailed = true;
    this.plugin.metrics.fleetErrors.inc();
    logWarn("quota: rate limit service: " + why);
  }

  private fleetCharge(token: u32): FleetCharge | null {
    for (let i = 0; i < this.fleet.length; i++) if (this.fleet[i].token == token && !this.fleet[i].done) return this.fleet[i];
    return null;
  }

  onGrpcReceive(token: u32, size: u32): void {
    const c = this.fleetCharge(token);
    if (c === null) return;
    c.done = true;
    this.fleetPending--;
    const r = decodeResponse(Uint8Array.wrap(grpcReceiveMessage(size)));
    if (!r.ok || r.statuses.length != 1) {
      c.charged = 0;
      this.fleetFailure("unreadable answer for `" + c.limit.name + "`");
    } else {
      const st = r.statuses[0];
      const a = this.adm!;
      const l = c.limit;
      if (st.hasLimit) {
        const used = st.requestsPerUnit - st.remaining;
        if (l.counts == Counts.REQUESTS) a.requests.offer(st.requestsPerUnit, used, st.resetMs);
        else if (l.isTokens) a.tokens.offer(st.requestsPerUnit, used, st.resetMs);
      }
      if (st.code == Code.OVER_LIMIT) {
        if (l.shadow) {
          this.plugin.metrics.shadowLimited.inc(l.label);
          setFilterState("aigw.quota.decision", "shadow_limited:" + l.name);
        } else if (this.fleetRefused === null) {
          this.fleetRefused = c;
          this.fleetRefusedResetMs = st.resetMs;
        }
      }
    }
    if (this.fleetPending == 0) this.concludeFleet(true);
  }

  onGrpcClose(token: u32, status: u32): void {
    const c = this.fleetCharge(token);
    if (c === null) return;
    c.done = true;
    c.charged = 0;
    this.fleetPending--;
    this.fleetFailure("call for `" + c.limit.name + "` failed with gRPC status " + status.toString());
    if (this.fleetPending == 0) this.concludeFleet(true);
  }

  /** Every answer is in: refuse, or go on. Returns true when the request is held (refused). */
  private concludeFleet(resume: bool): bool {
    const cfg = this.plugin.cfg!;
    const a = this.adm!;
    const m = this.plugin.metrics;
    const refused = this.fleetRefused;
    const deny = this.fleetFailed && cfg.fleet!.failureModeDeny;
    if (refused !== null || deny) {
      release(a.charges, nowMs());
      this.refused = true;
      this.active = false;
      if (refused !== null) {
        const l = refused.limit;
        m.limited.inc(l.label);
        setFilterState("aigw.quota.decision", "limited:" + l.name);
        const headers = new Array<HeaderPair>();
        headers.push(new HeaderPair("retry-after", retryAfterSeconds(this.fleetRefusedResetMs)));
        rateLimitHeaders(a.requests, a.tokens, headers);
        refuse429(this.anthropic, l, "Rate limit reached for `" + l.name + "` on " + COUNTS_NAMES[l.counts] + " across the fleet. Please try again in " + goDuration(this.fleetRefusedResetMs) + ".", headers);
      } else {
        setFilterState("aigw.quota.decision", "fleet_unavailable");
        sendOpenAIError(503, "quota_fleet_unavailable", "The rate limit service is unavailable; requests are refused until it answers (fleet.failure_mode_deny).", "rate_limit_service_unavailable");
      }
      return true;
    }
    for (let i = 0; i < a.charges.length; i++) m.allowed.inc(a.charges[i].limit.label);
    for (let i = 0; i < this.fleet.length; i++) m.allowed.inc(this.fleet[i].limit.label);
    this.sentOn = true;
    if (resume) continueRequest();
    return false;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): u32 {
    const a = this.adm;
    if (!this.active || a === null || this.answered) return HeadersAction.Continue;
    this.answered = true;
    const st = getHeader(RESP, ":status");
    this.status = st === null ? 0 : <u32>parseInt(st!);
    const cfg = this.plugin.cfg!;
    if (cfg.responseHeaders) {
      const h = new Array<HeaderPair>();
      rateLimitHeaders(a.requests, a.tokens, h);
      for (let i = 0; i < h.length; i++) setHeader(RESP, h[i].name, h[i].value);
    }
    if (endOfStream) { this.finish(true); return HeadersAction.Continue; }
    if (this.status < 400) {
      const ct = getHeader(RESP, "content-type");
      let grows = false;
      for (let i = 0; i < a.charges.length; i++) if (countsOutput(a.charges[i].limit)) grows = true;
      const ce = getHeader(RESP, "content-encoding");
      // A compressed answer (the client asked with accept-encoding) cannot be read: neither its
      // events nor its usage. It is charged its whole output reservation (finish).
      if (isEncodedBody(ce)) this.encoded = true;
      if (ct !== null && asciiLowerCase(ct!).startsWith("text/event-stream")) this.sseAnswer = true;
      if (this.encoded) {
        // nothing to parse as it passes
      } else if (grows && this.sseAnswer) {
        this.sse = new SseParser();
        this.deltas = new DeltaScanner(this.plugin.scanner);
        allowBodyRewrite(RESP);
      } else if (grows && getFilterState("gen_ai.provider.name") === null) {
        // llm-route routed nothing, so nothing will publish this answer's usage: read it here.
        this.plainAnswer = true;
        this.plainCopy = new ByteBuilder(1024);
      }
    }
    return HeadersAction.Continue;
  }

  onResponseBody(bodySize: u32, endOfStream: bool): u32 {
    if (!this.active || this.adm === null || this.settled) return DataAction.Continue;
    if (this.cut) {
      // The client's stream has ended: nothing more reaches it.
      if (bodySize > 0) replaceBody(BufferType.HttpResponseBody, bodySize, new ArrayBuffer(0));
      if (endOfStream) this.finish(true);
      return DataAction.Continue;
    }
    if (this.plainAnswer && bodySize > 0) this.keepPlain(bodySize);
    const parser = this.sse;
    if (parser !== null && bodySize > 0) {
      const chunk = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
      const before = parser.buffered;
      // An event over the parser's bound: it would keep buffering the rest unparsed, so stop
      // parsing (the answer is still settled with the real usage at the end).
      if (parser.feed(chunk) != SseError.NONE) this.sse = null;
      const events = parser.takeEvents();
      let pos: i64 = -(<i64>before);
      for (let i = 0; i < events.length; i++) {
        const ev = events[i];
        pos += ev.raw.length;
        const scan = this.deltas!.scanInto(ev, this.scan);
        for (let k = 0; k < scan.spans.length; k++) {
          const sp = scan.spans[k];
          if (isAnswerText(sp.kind)) this.outBytes += <i64>(sp.end - sp.start);
        }
        if (hasUsage(ev.data)) this.streamUsage(ev.data);
        const spent = this.debit();
        if (spent !== null) {
          this.cutAt(spent, chunk, <i32>(pos < 0 ? 0 : pos), bodySize);
          if (endOfStream) this.finish(true);
          return DataAction.Continue;
        }
      }
    }
    if (endOfStream) this.finish(true);
    return DataAction.Continue;
  }

  /** Copies a chunk of a whole answer (up to max_body_bytes; past it only its size is known). */
  private keepPlain(bodySize: u32): void {
    this.plainBytes += <i64>bodySize;
    const copy = this.plainCopy;
    if (copy === null) return;
    if (this.plainBytes > <i64>this.plugin.cfg!.maxBodyBytes) { this.plainCopy = null; return; }
    const chunk = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
    copy.appendSlice(chunk, 0, chunk.length);
  }

  /** Tokens of a whole answer nothing published usage for: the provider's own `usage` in the
   *  JSON (OpenAI's completion_tokens, Anthropic's output_tokens; embeddings have none), else its
   *  output text at 4 bytes per token; an answer it cannot read (not JSON, or over max_body_bytes)
   *  is charged its size at 4 bytes per token, at most the output reserved (max_tokens). */
  private plainUsage(): void {
    const info = this.info;
    const copy = this.plainCopy;
    this.plainIn = info.inTokens;
    const unread = (this.plainBytes + 3) / 4;
    this.plainOut = unread < info.outTokens ? unread : info.outTokens;
    if (copy === null || copy.length == 0) return;
    const body = copy.raw().subarray(0, copy.length);
    const v = parseJson(body, 0, body.length, 64, false).value;
    if (v === null || v.kind != JsonKind.OBJECT) return;
    const g = v.get("usageMetadata");
    if (g !== null && g.kind == JsonKind.OBJECT) {
      // Gemini's generateContent: thinking (thoughtsTokenCount) is billed as output but is not
      // in the answer's text; tool-use prompts (toolUsePromptTokenCount) as input.
      const inN = geminiInput(g), outN = geminiOutput(g);
      if (inN >= 0 || outN >= 0) {
        this.plainIn = inN > 0 ? inN : 0;
        this.plainOut = outN > 0 ? outN : 0;
        return;
      }
    }
    const u = v.get("usage");
    if (u !== null && u.kind == JsonKind.OBJECT) {
      const inN = inputTokens(u);
      if (inN >= 0) this.plainIn = inN;
      const outN = tokenCount(u, "completion_tokens", "output_tokens");
      if (inN >= 0 || outN >= 0) { this.plainOut = outN >= 0 ? outN : 0; return; }
    }
    const scan = this.plugin.scanner.scan(body, 0, body.length);
    let text: i64 = 0;
    for (let k = 0; k < scan.spans.length; k++) {
      const sp = scan.spans[k];
      if (isAnswerText(sp.kind)) text += <i64>(sp.end - sp.start);
    }
    this.plainOut = (text + 3) / 4;
  }
  private plainIn: i64 = 0;
  private plainOut: i64 = 0;
  /** The answer has a content-encoding other than identity (unreadable here). */
  private encoded: bool = false;
  /** The answer is an event stream (generated as it is sent; a whole answer is generated first). */
  private sseAnswer: bool = false;
  /** The request went on towards the provider (admitted, fleet answered). */
  private sentOn: bool = false;
  /** The request asked for a streamed answer (`stream: true`). */
  private streamed: bool = false;

  /** Usage a streamed answer reports in its events (-1: none yet): OpenAI's last chunk
   *  (`stream_options.include_usage`), Anthropic's message_start / message_delta, the Responses
   *  API's response.completed, Gemini's usageMetadata. It counts what the text does not show
   *  (reasoning and thinking tokens), so it wins over the text estimate. */
  private sseIn: i64 = -1;
  private sseOut: i64 = -1;

  private streamUsage(data: Uint8Array): void {
    const v = parseJson(data, 0, data.length, 16, false).value;
    if (v === null || v.kind != JsonKind.OBJECT) return;
    const g = v.get("usageMetadata");
    if (g !== null && g.kind == JsonKind.OBJECT) {
      const inN = geminiInput(g), outN = geminiOutput(g);
      if (inN >= 0) this.sseIn = inN;
      if (outN >= 0) this.sseOut = outN;
      return;
    }
    let u = v.get("usage");
    if (u === null || u.kind != JsonKind.OBJECT) {
      // Anthropic's message_start and the Responses API's events carry it one level down.
      const inner = v.get(v.get("message") !== null ? "message" : "response");
      if (inner === null || inner.kind != JsonKind.OBJECT) return;
      u = inner.get("usage");
      if (u === null || u.kind != JsonKind.OBJECT) return;
    }
    const inN = inputTokens(u);
    // Anthropic's message_delta repeats only output_tokens (cumulative): keep the input seen.
    if (inN > 0 || (inN == 0 && this.sseIn < 0)) this.sseIn = inN;
    const outN = tokenCount(u, "completion_tokens", "output_tokens");
    if (outN > this.sseOut) this.sseOut = outN;
  }

  /** Debits the output so far; the first enforced charge that cannot take it, or null. */
  private debit(): Charge | null {
    const a = this.adm!;
    const info = this.info;
    let out = (this.outBytes + 3) / 4;
    if (this.sseOut > out) out = this.sseOut;
    const now = nowMs();
    let spent: Charge | null = null;
    for (let i = 0; i < a.charges.length; i++) {
      const c = a.charges[i];
      const l = c.limit;
      if (!countsOutput(l)) continue;
      const total = amount(l, info.price, info.inTokens, out);
      if (total <= c.reserved + c.before) continue;
      if (!extend(c, total, now) && spent === null) spent = c;
    }
    return spent;
  }

  /** Ends the client's stream after the event that spent the budget: the events so far, an error
   *  event, and nothing after. */
  private cutAt(c: Charge, chunk: Uint8Array, end: i32, bodySize: u32): void {
    const l = c.limit;
    this.cut = true;
    this.plugin.metrics.streamCut.inc(l.label);
    setFilterState("aigw.quota.decision", "stream_cut:" + l.name);
    logInfo("quota: `" + l.name + "` ran out during a stream; the stream was ended");
    const out = this.plugin.out;
    out.reset();
    out.appendSlice(chunk, 0, end);
    appendCutEvents(this.anthropic, l, out);
    replaceBody(BufferType.HttpResponseBody, bodySize, out.raw().buffer.slice(0, out.length));
  }

  /** Settles every reservation with the real usage (llm-route's), or with what is known. */
  private finish(ended: bool): void {
    if (this.settled) return;
    this.settled = true;
    this.responseEnded = ended;
    const a = this.adm;
    if (a === null) return;
    const info = this.info;
    let inT: i64 = 0, outT: i64 = 0, costMicros: i64 = -1;
    const usageIn = getFilterState("gen_ai.usage.input_tokens");
    const usageOut = getFilterState("gen_ai.usage.output_tokens");
    if (usageIn !== null && usageOut !== null) {
      // llm-route's published usage: what the provider reported (or its own estimate).
      inT = parseCount(usageIn!);
      outT = parseCount(usageOut!);
      const c = getFilterState("aigw.llm.cost_micro_usd");
      if (c !== null) costMicros = parseCount(c!);
    } else if (cacheHit()) {
      // Answered by the cache (docs/contract.md aigw.cache.status): a request, but no provider
      // tokens (filters/cache/README.md, "Quota").
      inT = 0; outT = 0;
    } else if (this.status >= 400 || (this.status == 0 && !this.answered && !this.sentOn)) {
      // A failed answer (the provider's error, a gateway error: Envoy answers its own timeouts
      // and resets with a status) or a request that never went on: providers bill no tokens for
      // it; the request itself still counts.
      inT = 0; outT = 0;
    } else if (this.status == 0 && !this.answered) {
      // The client left after the request went on, before any answer: the provider has the
      // prompt, and a non-streamed request is generated to its end and billed whatever the
      // client does. Charging nothing let a client spend provider tokens for free by hanging up
      // before the answer (never less than the truth: the prompt, and the output reserved).
      inT = info.inTokens;
      outT = this.streamed ? 0 : info.outTokens;
    } else {
      // No usage published (the answer was cut off, or llm-route is not in the chain): the prompt
      // estimate and the output seen so far; a whole answer's own usage or text (plainUsage).
      inT = info.inTokens;
      outT = (this.outBytes + 3) / 4;
      // What the stream itself reported (reasoning and thinking included) is the provider's count.
      if (this.sseIn >= 0) inT = this.sseIn;
      if (this.sseOut >= 0) outT = this.sseOut;
      if (this.encoded) outT = info.outTokens > outT ? info.outTokens : outT;
      else if (this.plainAnswer) { this.plainUsage(); inT = this.plainIn; outT = this.plainOut; }
      // A whole (non-stream) answer cut off before its end (the client reset after the headers):
      // the provider generated and billed all of it before sending; what passed is no measure.
      if (!ended && !this.sseAnswer && this.sseOut < 0 && outT < info.outTokens) outT = info.outTokens;
    }
    if (costMicros < 0) costMicros = cost(info.price, inT, outT);
    const now = nowMs();
    for (let i = 0; i < a.charges.length; i++) {
      const c = a.charges[i];
      const l = c.limit;
      settle(c, l.counts == Counts.COST ? costMicros : amount(l, info.price, inT, outT), now);
    }
    const cfg = this.plugin.cfg!;
    for (let i = 0; i < this.fleet.length; i++) {
      const c = this.fleet[i];
      const l = c.limit;
      if (c.charged == 0 && c.done && this.fleetFailed) continue; // the service never counted it
      const actual = l.counts == Counts.COST ? costMicros : amount(l, info.price, inT, outT);
      const rest = actual - c.charged;
      if (rest <= 0) continue;
      // On the plugin's behalf (stream null): the answer goes to the root context, which lives on
      // after this stream (Envoy runs grpc_call on the root context, cpp-host exports.cc).
      const r = grpcCall(this.plugin.id, null, grpcServiceOf(cfg.fleet!.cluster), SERVICE, METHOD, new Array<HeaderPair>(), c.message(cfg, rest), <u32>cfg.fleet!.timeoutMs);
      if (!r.ok) this.plugin.metrics.fleetErrors.inc();
      else c.charged = actual;
    }
    if (cfg.anomaly.enabled && info.consumer.length) this.report(observe(cfg.anomaly, info.consumer, now, 0, inT + outT));
    const m = this.plugin.metrics;
    m.tokens.inc("input", inT);
    m.tokens.inc("output", outT);
    m.cost.inc(costMicros);
  }

  /** An anomaly raised: metric, access-log flag, log line. */
  private report(o: Observation): void {
    if (o.raised.length == 0) return;
    const z = tenths(o.z);
    for (let i = 0; i < o.raised.length; i++) this.plugin.metrics.anomalies.inc(o.raised[i]);
    setFilterState("aigw.quota.anomaly", o.raised.join(",") + ":z=" + z);
    logWarn("quota: usage anomaly: consumer `" + clip(this.info.consumer, 100) + "` reached " + o.count.toString() + " " + o.raised[0] +
      " this minute against a baseline of " + tenths(o.baseline) + " per minute (z=" + z + ")" + (o.tighten < 1 ? "; its limits are tightened for the cool-down" : ""));
  }

  onLog(): void {
    // The stream is over: a reservation not settled yet (client gone, upstream reset) is now.
    if (this.active && !this.settled) this.finish(false);
  }
}

function tenths(v: f64): string {
  if (!isFinite(v)) return "0";
  const t = <i64>Math.round(v * 10);
  const neg = t < 0;
  const a = neg ? -t : t;
  return (neg ? "-" : "") + (a / 10).toString() + "." + (a % 10).toString();
}

function dataAction(v: i32): u32 {
  if (v == Verdict.GO) return DataAction.Continue;
  if (v == Verdict.WAIT) return DataAction.StopIterationAndBuffer;
  return DataAction.StopIterationNoBuffer;
}

function stateOr(key: string): string {
  const v = getFilterState(key);
  return v === null ? "" : clip(v!, 256);
}

function clip(s: string, n: i32): string { return s.length > n ? s.substring(0, n) : s; }

function parseCount(s: string): i64 {
  let n: i64 = 0;
  for (let i = 0; i < s.length && i < 18; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return n;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

/** Whether an event's data may hold a usage object: `"usage` (usage, usageMetadata) not
 *  followed by `":null` (OpenAI's chunks carry `"usage":null` until the last one). */
function hasUsage(d: Uint8Array): bool {
  const n = d.length;
  for (let i = 0; i + 6 < n; i++) {
    if (unchecked(d[i]) != 0x22 || unchecked(d[i + 1]) != 0x75 || unchecked(d[i + 2]) != 0x73 || unchecked(d[i + 3]) != 0x61 ||
      unchecked(d[i + 4]) != 0x67 || unchecked(d[i + 5]) != 0x65) continue;
    let j = i + 6;
    if (j < n && unchecked(d[j]) == 0x22) {
      j++;
      while (j < n && (unchecked(d[j]) == 0x20 || unchecked(d[j]) == 0x3a)) j++;
      if (j < n && unchecked(d[j]) == 0x6e) continue; // null
    }
    return true;
  }
  return false;
}

function cacheHit(): bool {
  const s = getFilterState("aigw.cache.status");
  return s !== null && (s == "hit" || s == "semantic_hit");
}

/** Input tokens of an OpenAI or Anthropic usage object (-1: none). Anthropic's input_tokens
 *  leaves out the prompt-cache tokens, which are billed too (docs/contract.md: input tokens
 *  include cached ones); OpenAI's prompt_tokens has them. */
function inputTokens(u: JsonValue): i64 {
  let n = tokenCount(u, "prompt_tokens", "input_tokens");
  if (n < 0 || u.get("prompt_tokens") !== null) return n;
  const w = tokenCount(u, "cache_creation_input_tokens", "cache_creation_input_tokens");
  const r = tokenCount(u, "cache_read_input_tokens", "cache_read_input_tokens");
  if (w > 0) n += w;
  if (r > 0) n += r;
  return n;
}

/** Gemini usageMetadata input: the prompt and tool-use prompt tokens (-1: neither reported). */
function geminiInput(g: JsonValue): i64 {
  const p = tokenCount(g, "promptTokenCount", "promptTokenCount");
  const tp = tokenCount(g, "toolUsePromptTokenCount", "toolUsePromptTokenCount");
  return p < 0 && tp < 0 ? -1 : (p > 0 ? p : 0) + (tp > 0 ? tp : 0);
}

/** Gemini usageMetadata output: candidates plus thinking (thoughtsTokenCount is billed as output
 *  but is not in the answer's text); -1 when neither is reported. */
function geminiOutput(g: JsonValue): i64 {
  const c = tokenCount(g, "candidatesTokenCount", "candidatesTokenCount");
  const t = tokenCount(g, "thoughtsTokenCount", "thoughtsTokenCount");
  return c < 0 && t < 0 ? -1 : (c > 0 ? c : 0) + (t > 0 ? t : 0);
}

/** A non-negative integer count under one of two keys, or -1. */
function tokenCount(u: JsonValue, a: string, b: string): i64 {
  let f = u.get(a);
  if (f === null || f.kind != JsonKind.NUMBER) f = u.get(b);
  if (f === null || f.kind != JsonKind.NUMBER || !(f.num >= 0)) return -1;
  return f.num > 1e12 ? <i64>1e12 : <i64>f.num;
}
