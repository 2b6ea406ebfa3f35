// The proxy-wasm contexts: the plugin (configuration → engine, metrics) and one stream.
//
// Flow (README "How a request flows"):
//   request headers  incoming x-prompt-guard-* headers removed (a client cannot forge a flag);
//                    the route chosen; with flag_headers the headers are held (StopIteration;
//                    Envoy >= 1.35 with allow_on_headers_stop_iteration) so a flag can still add
//                    x-prompt-guard-score / -reason once the body is read.
//   request body     buffered whole, whatever its content type (JSON recognised by its bytes,
//                    anything else read as text); templates expanded; limits, rules, detector;
//                    optional external moderation (http_call) before the verdict; decoration /
//                    demotion rewritten into the body; 403 / 400 / 413 local replies.
//   response         with response rules: JSON buffered and checked, SSE and text checked as they
//                    stream (answer.ts).
import {
  RootContext, HttpContext, HeadersAction, DataAction, TrailersAction, HeaderMapType, BufferType, HeaderPair,
  getHeader, setHeader, removeHeader, allowBodyRewrite, getBufferBytes, replaceBody, setFilterState, getFilterState,
  getPropertyString, httpCall, httpCallResponseStatus, httpCallResponseBody, continueRequest,
  logError, logWarn, logInfo, logDebug, logEnabled, LogLevel,
} from "../../common/sdk";
import { sendOpenAIError } from "../../common/assembly/reply";
import { appendOpenAIError } from "../../common/assembly/errors/openai";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { decodeJsonString } from "../../common/assembly/json/string";
import { parseConfig, GuardConfig, Route, ACTION_NONE, ACTION_LOG, ACTION_FLAG, ACTION_BLOCK, SYSTEM_DEMOTE, actionName, roleName } from "./config";
import { Engine, Decision, looksLikeJson, formatScore } from "./engine";
import { selectRoute } from "./routes";
import { expandTemplate } from "./templates";
import { rewriteRequest, dialectOf } from "./rewrite";
import { moderationRequest, parseModeration } from "./moderation";
import { AnswerScratch, AnswerStream, moderateJson } from "./answer";
import { GuardMetrics, scoreBucket } from "./metrics";
import { ROLE_USER, Verdict, reasonName } from "./detector";
import { Reason, messageText, MSG_ANSWER_COMPRESSED_FIRST, MSG_ANSWER_ENCODED_WITHHELD_FIRST, MSG_ANSWER_HAS_CONTENT_ENCODING_FIRST, MSG_ANSWER_UNREADABLE_FIRST, MSG_BLOCKED_COMPRESSED_FIRST, MSG_BLOCKED_TOO_LARGE_FIRST, MSG_BODY_TOO_LARGE_FIRST, MSG_CODE_MODERATION_UNAVAILABLE_FIRST, MSG_COMPRESSED_ANSWER_FIRST, MSG_COMPRESSED_REQUEST_FIRST, MSG_CONFIGURATION_REJECTED_FIRST, MSG_DIRECTION_REQUEST_FIRST, MSG_DIRECTION_RESPONSE_FIRST, MSG_INJECTION_FIRST, MSG_LOG_ANSWER_STOPPED_BY_RULE_FIRST, MSG_MODERATION_CALL_TO_CLUSTER_FIRST, MSG_MODERATION_FAILED_OPEN_FIRST, MSG_MODERATION_UNAVAILABLE_FIRST, MSG_OVERSIZE_PASSED_FIRST, MSG_PROMPT_BLOCKED_BY_RULE_FIRST, MSG_PROMPT_GUARD_BLOCKED_FIRST, MSG_PROMPT_INJECTION_DETECTED_FIRST, MSG_REQUEST_BODY_IS_LARGER_THAN_FIRST, MSG_REQUEST_BODY_OVER_FIRST, MSG_REQUEST_REFUSED_BY_RULE_FIRST, MSG_REQUEST_TOO_LARGE_FIRST, MSG_REQUEST_TRAILERS_FIRST, MSG_REQUEST_TRAILERS_UNSUPPORTED_FIRST, MSG_TEMPLATE_PROPERTY_FIRST, MSG_UNSUPPORTED_CONTENT_ENCODING_FIRST } from "./model/patterns";
import { asciiLowerCase } from "../../common/assembly/http/header";
import { mediaType, isEncodedBody } from "../../common/assembly/http/media";
import { decimal } from "../../common/assembly/bytes/decimal";

/** Every log line's prefix, one literal. */
const LOG_PREFIX = "prompt-guard: ";
const SCORE_HEADER = "x-prompt-guard-score";
const REASON_HEADER = "x-prompt-guard-reason";

export class GuardPlugin extends RootContext {
  engine: Engine | null = null;
  metrics: GuardMetrics = new GuardMetrics();
  answers: AnswerScratch = new AnswerScratch();
  out: ByteBuilder = new ByteBuilder(4096);

  onConfigure(configuration: ArrayBuffer): bool {
    const r = parseConfig(Uint8Array.wrap(configuration));
    if (r.config === null) {
      logError(LOG_PREFIX + messageText(MSG_CONFIGURATION_REJECTED_FIRST) + r.error);
      return false;
    }
    this.engine = new Engine(r.config!);
    return true;
  }

  newHttpContext(id: u32): HttpContext { return new GuardStream(id, this); }
}

const BODY_JSON: i32 = 1;
const BODY_TEXT: i32 = 2;
const BODY_SSE: i32 = 3;
/** A compressed answer: nothing of it is readable, nothing of it is passed (replaced by an error). */
const BODY_UNREADABLE: i32 = 4;

/** application/x-ndjson, application/jsonl, application/jsonlines (+ parameters). */
function isNdjson(ct: string | null): bool {
  if (ct === null) return false;
  const t = asciiLowerCase(ct);
  return t.startsWith("application/x-ndjson") || t.startsWith("application/ndjson") || t.startsWith("application/jsonl") || t.startsWith("application/x-jsonlines");
}

function responseMode(ct: string | null): i32 {
  if (ct === null) return BODY_TEXT;
  const t = mediaType(ct);
  if (t == "text/event-stream") return BODY_SSE;
  if (t == "application/json" || (t.startsWith("application/") && t.endsWith("+json"))) return BODY_JSON;
  return BODY_TEXT;
}

export class GuardStream extends HttpContext {
  route: Route | null = null;
  path: string = "";
  holding: bool = false;
  requestDone: bool = false;
  blocked: bool = false;
  /** Waiting for the moderation call: the local decision so far. */
  pending: Decision | null = null;
  moderationText: ByteBuilder | null = null;
  respMode: i32 = 0;
  /** A byte of the answer other than whitespace was seen (its first one decides JSON vs SSE). */
  answerStarted: bool = false;
  answer: AnswerStream | null = null;
  responseDone: bool = false;

  constructor(id: u32, public plugin: GuardPlugin) { super(id, plugin); }

  onRequestHeaders(headerCount: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null) return HeadersAction.Continue;
    const cfg = engine.config;
    const h = HeaderMapType.RequestHeaders;
    removeHeader(h, SCORE_HEADER);
    removeHeader(h, REASON_HEADER);
    const p = getHeader(h, ":path");
    this.path = p === null ? "" : p;
    const a = getHeader(h, ":authority");
    const rn = getPropertyString("xds.route_name");
    this.route = selectRoute(cfg, rn === null ? "" : rn, this.path, a === null ? "" : a);
    // Compressed answers cannot be checked: ask for identity when answers are checked here.
    if (cfg.answerRules && this.route!.answers) removeHeader(h, "accept-encoding");
    if (endOfStream) { this.requestDone = true; return HeadersAction.Continue; }
    if (isEncodedBody(getHeader(h, "content-encoding"))) {
      // An encoded body cannot be read: refusing is the only way not to pass it unread.
      this.requestDone = true;
      this.plugin.metrics.rejected.inc("compressed");
      this.refuse(415, messageText(MSG_UNSUPPORTED_CONTENT_ENCODING_FIRST), messageText(MSG_COMPRESSED_REQUEST_FIRST), messageText(MSG_BLOCKED_COMPRESSED_FIRST));
      return HeadersAction.StopIteration;
    }
    allowBodyRewrite(h);
    if (cfg.flagHeaders) { this.holding = true; return HeadersAction.StopIteration; }
    return HeadersAction.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null || this.requestDone) return DataAction.Continue;
    const cfg = engine.config;
    if (<i64>bodySize > <i64>cfg.maxBodyBytes) {
      this.requestDone = true;
      if (cfg.oversizePass) {
        this.plugin.metrics.skipped.inc("oversize");
        setFilterState("aigw.guard.action", "pass:oversize");
        logWarn(LOG_PREFIX + messageText(MSG_REQUEST_BODY_OVER_FIRST) + decimal(cfg.maxBodyBytes) + messageText(MSG_OVERSIZE_PASSED_FIRST));
        return DataAction.Continue;
      }
      this.plugin.metrics.rejected.inc("too_large");
      this.refuse(413, messageText(MSG_REQUEST_TOO_LARGE_FIRST), messageText(MSG_REQUEST_BODY_IS_LARGER_THAN_FIRST) + decimal(cfg.maxBodyBytes) + messageText(MSG_BODY_TOO_LARGE_FIRST), messageText(MSG_BLOCKED_TOO_LARGE_FIRST));
      return DataAction.StopIterationNoBuffer;
    }
    if (!endOfStream) return DataAction.StopIterationAndBuffer;
    this.requestDone = true;
    let body = Uint8Array.wrap(getBufferBytes(BufferType.HttpRequestBody, 0, bodySize));
    const route = this.route!;
    let changed = false;
    // Templates first: the expanded messages are what the checks read.
    const first = looksLikeJson(body, 0, body.length) ? engine.walker.walk(body, 0, body.length) : null;
    const extra = new Array<string>();
    if (first !== null && first.ok && first.template.present && cfg.templates.length > 0) {
      const out = new ByteBuilder(body.length + 256);
      const x = expandTemplate(body, first, cfg, this.consumer(cfg), out);
      if (x.status != 0) {
        this.plugin.metrics.rejected.inc(x.code);
        this.refuse(x.status, x.code, x.message, "blocked:" + x.code);
        return DataAction.StopIterationNoBuffer;
      }
      body = out.toBytes();
      changed = true;
      for (let i = 0; i < x.values.length; i++) extra.push(x.values[i]);
      this.plugin.metrics.template.inc(x.template + ".version." + x.version);
      setFilterState(messageText(MSG_TEMPLATE_PROPERTY_FIRST), x.template + "@" + x.version);
    }
    const d = engine.evaluate(body, route);
    // Template variables are the user's words, whatever role the template gives them.
    for (let i = 0; i < extra.length; i++) this.scoreExtra(engine, route, d, extra[i]);
    if (d.status != 0) {
      this.plugin.metrics.rejected.inc(d.code);
      this.refuse(d.status, d.code, d.message, "blocked:" + d.code);
      return DataAction.StopIterationNoBuffer;
    }
    if (d.action == ACTION_BLOCK) return this.block(d);
    // Passed so far: rewrite (decoration after the checks, demoted roles).
    const scan = engine.scan;
    const out = this.plugin.out;
    if (scan !== null && rewriteRequest(body, scan, route, dialectOf(this.path, scan), route.clientSystem == SYSTEM_DEMOTE, out)) {
      body = out.toBytes();
      changed = true;
    }
    if (changed) replaceBody(BufferType.HttpRequestBody, bodySize, body.buffer);
    const m = cfg.moderation;
    if (m !== null && route.moderation) {
      const text = new ByteBuilder(1024);
      this.collectText(engine, body, text);
      const headers = new Array<HeaderPair>();
      headers.push(new HeaderPair(":method", "POST"));
      headers.push(new HeaderPair(":path", m.path));
      headers.push(new HeaderPair(":authority", m.authority));
      headers.push(new HeaderPair("content-type", "application/json"));
      for (let i = 0; i + 1 < m.headers.length; i += 2) headers.push(new HeaderPair(m.headers[i], m.headers[i + 1]));
      const r = httpCall(this.plugin.id, this, m.cluster, headers, moderationRequest(m, text), <u32>m.timeoutMs);
      if (r.ok) {
        this.pending = d;
        return DataAction.StopIterationAndBuffer;
      }
      if (!this.moderationFailed(d)) return DataAction.StopIterationNoBuffer;
    }
    this.pass(d);
    return DataAction.Continue;
  }

  /**
   * Request trailers end the body without an end-of-stream data callback (HTTP/2). The body held
   * so far has not been read: refusing is the only way not to pass it unread (no LLM API sends
   * request trailers). Envoy calls this while the body is buffered; host-test holds trailers until
   * the filter continues, so there the request simply waits.
   */
  onRequestTrailers(trailerCount: u32): u32 {
    if (this.plugin.engine === null || this.requestDone) return TrailersAction.Continue;
    this.requestDone = true;
    this.plugin.metrics.rejected.inc("request_trailers");
    const code = messageText(MSG_REQUEST_TRAILERS_UNSUPPORTED_FIRST);
    this.refuse(400, code, messageText(MSG_REQUEST_TRAILERS_FIRST), "blocked:" + code);
    return TrailersAction.StopIteration;
  }

  onHttpCallResponse(token: u32, headerCount: u32, bodySize: u32, trailerCount: u32): void {
    const engine = this.plugin.engine;
    const d = this.pending;
    if (engine === null || d === null) return;
    this.pending = null;
    const status = headerCount == 0 ? 0 : httpCallResponseStatus();
    const body = headerCount == 0 ? new Uint8Array(0) : Uint8Array.wrap(httpCallResponseBody(bodySize));
    const r = parseModeration(status, body);
    if (!r.ok) {
      if (this.moderationFailed(d)) { this.pass(d); continueRequest(); }
      return;
    }
    const route = this.route!;
    this.plugin.metrics.moderation.inc(r.flagged ? "flagged" : "ok");
    let score = r.score;
    if (r.flagged) score = max(score, route.thresholds.block);
    if (score > d.score) {
      d.score = score;
      d.detector = Reason.MODERATION;
      const a = route.thresholds.actionFor(score);
      if (a >= d.action) { d.action = a; d.rule = ""; d.reason = "moderation:" + (r.category.length > 0 ? r.category : "flagged"); }
    }
    if (d.action == ACTION_BLOCK) { this.block(d); return; }
    this.pass(d);
    continueRequest();
  }

  /** A failed moderation call: true to go on with the local verdict (failure: open). */
  private moderationFailed(d: Decision): bool {
    this.plugin.metrics.moderation.inc("failed");
    const m = this.plugin.engine!.config.moderation!;
    if (m.failOpen) {
      logWarn(LOG_PREFIX + messageText(MSG_MODERATION_CALL_TO_CLUSTER_FIRST) + m.cluster + messageText(MSG_MODERATION_FAILED_OPEN_FIRST));
      return true;
    }
    const code = messageText(MSG_CODE_MODERATION_UNAVAILABLE_FIRST);
    this.plugin.metrics.rejected.inc(code);
    this.refuse(503, code, messageText(MSG_MODERATION_UNAVAILABLE_FIRST), "blocked:" + code);
    return false;
  }

  private scoreExtra(engine: Engine, route: Route, d: Decision, text: string): void {
    const b = Uint8Array.wrap(String.UTF8.encode(text));
    const v = new Verdict();
    engine.detector.score(b, 0, b.length, ROLE_USER, v);
    if (v.score > d.score) {
      d.score = v.score;
      d.detector = v.reason;
      d.role = ROLE_USER;
      const a = route.thresholds.actionFor(v.score);
      if (a > d.action) { d.action = a; d.rule = ""; d.reason = reasonName(v.reason) + ":user"; }
    }
  }

  /** UTF-8 of every text of the (final) body, joined with blank lines (for moderation). */
  private collectText(engine: Engine, body: Uint8Array, out: ByteBuilder): void {
    const scan = looksLikeJson(body, 0, body.length) ? engine.walker.walk(body, 0, body.length) : null;
    if (scan === null || !scan.ok) { out.appendBytes(body); return; }
    for (let i = 0; i < scan.items.length; i++) {
      const it = scan.items[i];
      if (out.length > 0) out.appendString("\n\n");
      decodeJsonString(body, it.start, it.end, out);
    }
  }

  private consumer(cfg: GuardConfig): string {
    const s = getFilterState(cfg.consumerKey);
    if (s !== null && s.length > 0) return s;
    const h = getHeader(HeaderMapType.RequestHeaders, "x-aigw-consumer");
    return h !== null ? h : "anonymous";
  }

  private record(d: Decision, action: string): void {
    const m = this.plugin.metrics;
    m.requests.inc(action);
    m.score.inc(scoreBucket(d.score));
    if (d.rule.length > 0) m.ruleHits.inc(d.rule + messageText(MSG_DIRECTION_REQUEST_FIRST));
    else if (d.action != ACTION_NONE) m.detections.inc(reasonName(d.detector) + ".role." + roleName(d.role));
    setFilterState("aigw.guard.action", action);
    setFilterState("aigw.guard.score", formatScore(d.score));
    setFilterState("aigw.guard.reason", d.reason);
  }

  private block(d: Decision): u32 {
    this.blocked = true;
    this.record(d, "block");
    logInfo(LOG_PREFIX + "blocked, score " + formatScore(d.score) + ", reason " + d.reason);
    const byRule = d.rule.length > 0;
    sendOpenAIError(403, messageText(MSG_PROMPT_GUARD_BLOCKED_FIRST),
      byRule ? messageText(MSG_REQUEST_REFUSED_BY_RULE_FIRST) + d.rule + ")."
        : messageText(MSG_INJECTION_FIRST),
      byRule ? messageText(MSG_PROMPT_BLOCKED_BY_RULE_FIRST) : messageText(MSG_PROMPT_INJECTION_DETECTED_FIRST));
    return DataAction.StopIterationNoBuffer;
  }

  private pass(d: Decision): void {
    const action = d.action == ACTION_FLAG ? "flag" : d.action == ACTION_LOG ? "log" : "pass";
    this.record(d, action);
    if (d.action == ACTION_FLAG) {
      if (this.holding) {
        const h = HeaderMapType.RequestHeaders;
        setHeader(h, SCORE_HEADER, formatScore(d.score));
        setHeader(h, REASON_HEADER, d.reason);
      }
      logInfo(LOG_PREFIX + "flagged, score " + formatScore(d.score) + ", reason " + d.reason);
    } else if (d.action == ACTION_LOG) {
      logInfo(LOG_PREFIX + "score " + formatScore(d.score) + ", reason " + d.reason);
    } else if (logEnabled(LogLevel.Debug)) logDebug(LOG_PREFIX + "pass, score " + formatScore(d.score));
  }

  private refuse(status: u32, code: string, message: string, state: string): void {
    this.blocked = true;
    setFilterState("aigw.guard.action", state);
    sendOpenAIError(status, "prompt_guard_" + code, message, code);
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null || this.blocked || endOfStream) return HeadersAction.Continue;
    const route = this.route;
    if (route === null || !engine.config.answerRules || !route.answers) return HeadersAction.Continue;
    const h = HeaderMapType.ResponseHeaders;
    const enc = getHeader(h, "content-encoding");
    if (isEncodedBody(enc)) {
      // accept-encoding was removed from the request, yet the answer came compressed (an upstream
      // or proxy that compresses regardless): its text cannot be checked, so none of it passes
      // (the request side refuses compressed bodies with 415 the same way).
      this.plugin.metrics.rejected.inc(messageText(MSG_COMPRESSED_ANSWER_FIRST));
      logWarn(LOG_PREFIX + messageText(MSG_ANSWER_HAS_CONTENT_ENCODING_FIRST) + enc! + messageText(MSG_ANSWER_ENCODED_WITHHELD_FIRST));
      this.respMode = BODY_UNREADABLE;
      allowBodyRewrite(h);
      setHeader(h, ":status", "502");
      setHeader(h, "content-type", "application/json");
      removeHeader(h, "content-encoding");
      removeHeader(h, "content-length");
      setFilterState("aigw.guard.answer", "block:compressed");
      return HeadersAction.Continue;
    }
    this.respMode = responseMode(getHeader(h, "content-type"));
    allowBodyRewrite(h);
    if (this.respMode != BODY_JSON) {
      const a = new AnswerStream(this.respMode == BODY_SSE, engine.config.maxBodyBytes);
      a.ndjson = this.respMode == BODY_TEXT && isNdjson(getHeader(h, "content-type"));
      this.answer = a;
    }
    return HeadersAction.Continue;
  }

  onResponseBody(bodySize: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null || this.respMode == 0 || this.responseDone) return DataAction.Continue;
    const cfg = engine.config;
    const route = this.route!;
    const out = this.plugin.out;
    out.reset();
    if (this.respMode == BODY_UNREADABLE) {
      if (endOfStream) {
        this.responseDone = true;
        appendOpenAIError(out, messageText(MSG_ANSWER_COMPRESSED_FIRST), "server_error", null, messageText(MSG_ANSWER_UNREADABLE_FIRST));
      }
      replaceBody(BufferType.HttpResponseBody, bodySize, out.toBytes().buffer);
      return DataAction.Continue;
    }
    if (this.respMode == BODY_SSE && !this.answerStarted) {
      // A JSON document under an event-stream type has no SSE field an event reader would show,
      // but a client that asked for no stream parses it as JSON whatever the type: read as JSON.
      const head = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, min(bodySize, 64)));
      let i = 0;
      while (i < head.length && (head[i] == 0x20 || head[i] == 0x0a || head[i] == 0x0d || head[i] == 0x09)) i++;
      if (i < head.length) {
        this.answerStarted = true;
        if (head[i] == 0x7b || head[i] == 0x5b) this.respMode = BODY_JSON;
      }
    }
    if (this.respMode == BODY_JSON) {
      if (<i64>bodySize > <i64>cfg.maxBodyBytes) {
        // Too big to hold: checked as a text stream from here (what is buffered goes first).
        this.respMode = BODY_TEXT;
        this.answer = new AnswerStream(false, cfg.maxBodyBytes);
      } else {
        if (!endOfStream) return DataAction.StopIterationAndBuffer;
        this.responseDone = true;
        const body = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
        const v = moderateJson(cfg, route, body, this.plugin.answers, out);
        this.answerVerdict(v.action, v.rule);
        if (v.action == ACTION_BLOCK) replaceBody(BufferType.HttpResponseBody, bodySize, out.toBytes().buffer);
        return DataAction.Continue;
      }
    }
    const a = this.answer!;
    const chunk = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
    const wasBlocked = a.blocked;
    a.push(cfg, route, this.plugin.answers, chunk, endOfStream, out);
    if (a.blocked && !wasBlocked) this.answerVerdict(ACTION_BLOCK, a.verdict.rule);
    const n = out.length;
    if (n != chunk.length || memory.compare(out.dataStart, chunk.dataStart, <usize>n) != 0) {
      replaceBody(BufferType.HttpResponseBody, bodySize, out.toBytes().buffer);
    }
    if (endOfStream) {
      this.responseDone = true;
      if (!a.blocked) this.answerVerdict(a.verdict.action, a.verdict.rule);
    }
    return DataAction.Continue;
  }

  private answerVerdict(action: i32, rule: string): void {
    const m = this.plugin.metrics;
    m.answers.inc(action == ACTION_NONE ? "pass" : actionName(action));
    if (rule.length > 0) m.ruleHits.inc(rule + messageText(MSG_DIRECTION_RESPONSE_FIRST));
    setFilterState("aigw.guard.answer", action == ACTION_NONE ? "pass" : actionName(action) + ":" + rule);
    if (action == ACTION_BLOCK) logInfo(LOG_PREFIX + messageText(MSG_LOG_ANSWER_STOPPED_BY_RULE_FIRST) + rule);
  }
}
