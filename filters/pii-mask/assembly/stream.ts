// The proxy-wasm contexts: the plugin (configuration → engine, metrics) and one stream.
//
// Flow (see README "What is scanned" and "Flow in Envoy"):
//   request headers  Continue always (no StopIteration from headers, so Envoy needs no
//                    allow_on_headers_stop_iteration); content-length is dropped while the headers
//                    are ours to change, accept-encoding too when answers are to be scanned. A
//                    compressed body is marked for refusal (415) unless unscannable_requests: pass.
//   request body     whatever its content-type: StopIterationAndBuffer until end_of_stream, then
//                    JSON by its bytes (rewritten string by string), else text; binary: 415 (or
//                    passed when configured); block: 400; over max_body_bytes: 413.
//   response         JSON buffered (beyond max_body_bytes: streamed as text); SSE (sse-stream.ts)
//                    and text streamed, each callback releasing what the engine has decided; no
//                    reliable content-type: decided by the first 512 bytes; compressed or binary:
//                    passed, and the filter state says so. One getBufferBytes and at most one body
//                    replacement per callback, none when nothing changed.
import {
  RootContext, HttpContext, HeadersAction, DataAction, TrailersAction, HeaderMapType, BufferType, HeaderPair,
  getHeader, setHeader, removeHeader, allowBodyRewrite, getBufferBytes, setFilterState, getFilterState, proxy_set_buffer_bytes,
  logError, logWarn, logDebug, logEnabled, LogLevel,
} from "../../common/sdk";
import { sendOpenAIError } from "../../common/assembly/reply";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { parseConfig, COMPRESSED_PASS, UNSCANNABLE_PASS } from "./config";
import { Engine, JsonBodies, JSON_BLOCKED, JSON_CHANGED, JSON_INVALID } from "./engine";
import { StreamScope } from "./actions";
import { Counts } from "./findings";
import { TextStream, pushWindowed } from "./text-stream";
import { SseRewriter, SseShared } from "./sse-stream";
import { PiiMetrics } from "./metrics";
import { scanQuery, QUERY_BLOCKED, QUERY_CHANGED } from "./query";
import {
  BODY_NONE, BODY_JSON, BODY_TEXT, BODY_SSE, BODY_SNIFF, BODY_REFUSE, SCAN_JSON, SCAN_TEXT, SCAN_SSE, SCAN_EMPTY,
  declaredResponseMode, looksJson, looksSse, looksBinary,
} from "./content";
import { isEncodedBody } from "../../common/assembly/http/media";

/** Bytes of an answer without a reliable content-type looked at before deciding what it is. */
const SNIFF_BYTES: i32 = 512;

export class PiiPlugin extends RootContext {
  engine: Engine | null = null;
  json: JsonBodies | null = null;
  sse: SseShared = new SseShared();
  metrics: PiiMetrics = new PiiMetrics();
  out: ByteBuilder = new ByteBuilder(4096);

  onConfigure(configuration: ArrayBuffer): bool {
    const r = parseConfig(Uint8Array.wrap(configuration));
    if (r.config === null) {
      logError("pii-mask: configuration rejected: " + r.error);
      return false;
    }
    const e = Engine.build(r.config!);
    if (e.engine === null) {
      logError("pii-mask: configuration rejected: " + e.error);
      return false;
    }
    this.engine = e.engine;
    this.json = new JsonBodies(e.engine!);
    return true;
  }

  newHttpContext(id: u32): HttpContext { return new PiiStream(id, this); }

  /**
   * The output buffer for a body of n bytes, emptied: grown to about that size at once rather than
   * doubled into (which leaves up to twice the body as garbage); kept for the next bodies (one per
   * plugin, at most about max_body_bytes).
   */
  outFor(n: i32): ByteBuilder {
    const want = n + (n >> 3) + 256;
    const cap = this.out.capacity;
    if (cap < want) this.out = new ByteBuilder(max(want, 4096));
    this.out.reset();
    return this.out;
  }
}

export class PiiStream extends HttpContext {
  st: StreamScope = new StreamScope();
  reqMode: i32 = BODY_NONE;
  respMode: i32 = BODY_NONE;
  respText: TextStream | null = null;
  sse: SseRewriter | null = null;
  requestDone: bool = false;
  responseDone: bool = false;
  refuseWhy: string = "";
  /** What happened to each body (aigw.pii.request_scan / response_scan). */
  reqScan: string = SCAN_EMPTY;
  respScan: string = SCAN_EMPTY;

  constructor(id: u32, public plugin: PiiPlugin) { super(id, plugin); }

  onRequestHeaders(headerCount: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null) return HeadersAction.Continue;
    const cfg = engine.config;
    if (cfg.scopeKey.length > 0) {
      const scope = getFilterState(cfg.scopeKey);
      if (scope !== null) this.st.scope = Uint8Array.wrap(String.UTF8.encode(scope));
    }
    const h = HeaderMapType.RequestHeaders;
    // Compressed answers cannot be scanned as text: ask for identity unless told to pass them.
    if (cfg.scanResponse && cfg.compressed != COMPRESSED_PASS) removeHeader(h, "accept-encoding");
    if (!cfg.scanRequest) return HeadersAction.Continue;
    // The query goes to the provider with the path: scanned and masked like the body (query.ts).
    const path = getHeader(h, ":path");
    if (path !== null && path!.indexOf("?") >= 0) {
      const q = scanQuery(engine, this.st, path!);
      if (q.status == QUERY_BLOCKED) {
        this.requestDone = true;
        this.blockReply();
        return HeadersAction.StopIteration;
      }
      if (q.status == QUERY_CHANGED) setHeader(h, ":path", q.path);
    }
    if (endOfStream) {
      if (this.st.findings.request.total > 0) { this.reqScan = SCAN_EMPTY; this.finishRequest(); }
      else setFilterState("aigw.pii.request_scan", SCAN_EMPTY);
      return HeadersAction.Continue;
    }
    // Whatever content-type the client claims, the body is looked at: JSON by its bytes, anything
    // else as text; only what cannot be read (compressed, binary) is refused or, when configured,
    // passed, and the filter state says which.
    const enc = getHeader(h, "content-encoding");
    if (isEncodedBody(enc)) {
      if (cfg.unscannable == UNSCANNABLE_PASS) {
        this.plugin.metrics.skipped.inc("compressed.direction.request");
        logWarn("pii-mask: request body has content-encoding " + enc! + ", passed unscanned (unscannable_requests: pass)");
        this.reqScan = "passed-unscanned:compressed";
        setFilterState("aigw.pii.request_scan", this.reqScan);
        return HeadersAction.Continue;
      }
      this.reqMode = BODY_REFUSE;
      this.refuseWhy = "compressed";
      return HeadersAction.Continue;
    }
    this.reqMode = BODY_SNIFF;
    allowBodyRewrite(h);
    return HeadersAction.Continue;
  }

  /**
   * A body ended by trailers never had end_of_stream on its data, so it was held unscanned; if
   * trailers went on, Envoy would send it upstream as it was. Refused instead (as prompt-guard).
   */
  onRequestTrailers(trailerCount: u32): u32 {
    if (this.plugin.engine === null || this.reqMode == BODY_NONE || this.requestDone) return TrailersAction.Continue;
    this.requestDone = true;
    this.st.findings.refused = "trailers";
    this.plugin.metrics.rejected.inc("trailers");
    this.reqScan = "refused:trailers";
    setFilterState("aigw.pii.request_scan", this.reqScan);
    setFilterState("aigw.pii.action", "refused:trailers");
    sendOpenAIError(400, "pii_mask_request_trailers", "Requests with trailers are not accepted on this gateway; send the body without trailers.", "request_trailers_unsupported", null, null, "invalid_request_error");
    return TrailersAction.StopIteration;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null || this.reqMode == BODY_NONE || this.requestDone) return DataAction.Continue;
    const cfg = engine.config;
    if (this.reqMode == BODY_REFUSE) return this.refuse(this.refuseWhy);
    if (<i64>bodySize > <i64>cfg.maxBodyBytes) {
      this.requestDone = true;
      this.plugin.metrics.rejected.inc("too_large");
      sendOpenAIError(413, "pii_mask_body_too_large",
        "Request body is larger than " + cfg.maxBodyBytes.toString() + " bytes, the most this gateway inspects for personal data.",
        "request_too_large");
      setFilterState("aigw.pii.action", "blocked:TOO_LARGE");
      setFilterState("aigw.pii.request_scan", "refused:too_large");
      return DataAction.StopIterationNoBuffer;
    }
    // The whole body is needed: JSON is rewritten as a document, and what it is is known only
    // from all of its bytes (a text body may turn binary later).
    if (!endOfStream) return DataAction.StopIterationAndBuffer;
    this.requestDone = true;
    const body = Uint8Array.wrap(getBufferBytes(BufferType.HttpRequestBody, 0, bodySize));
    if (body.length == 0) {
      this.reqScan = SCAN_EMPTY;
      this.finishRequest();
      return DataAction.Continue;
    }
    const out = this.plugin.outFor(body.length);
    let r = JSON_INVALID;
    if (looksJson(body, 0, body.length)) {
      r = this.plugin.json!.rewrite(this.st, body, 0, body.length, false, out);
      if (r == JSON_INVALID) this.plugin.metrics.skipped.inc("invalid_json.direction.request");
      else this.reqScan = SCAN_JSON;
    }
    if (r == JSON_INVALID) {
      if (looksBinary(body, 0, body.length, false)) {
        if (cfg.unscannable != UNSCANNABLE_PASS) return this.refuse("binary");
        this.plugin.metrics.skipped.inc("binary.direction.request");
        logWarn("pii-mask: request body is binary, passed unscanned (unscannable_requests: pass)");
        this.reqScan = "passed-unscanned:binary";
        this.finishRequest();
        return DataAction.Continue;
      }
      // Not JSON (or JSON that does not parse): every byte is scanned as text.
      out.reset();
      this.reqScan = SCAN_TEXT;
      r = engine.rewrite(body, 0, body.length, this.st, false, out);
      if (r < 0) r = JSON_BLOCKED;
    }
    if (r == JSON_BLOCKED) return this.block();
    if (r == JSON_CHANGED) replaceWith(BufferType.HttpRequestBody, bodySize, out);
    this.finishRequest();
    return DataAction.Continue;
  }

  /** 415: a request body this filter cannot read (compressed or binary) and may not pass. */
  private refuse(why: string): u32 {
    this.requestDone = true;
    this.st.findings.refused = why;
    this.plugin.metrics.rejected.inc(why);
    this.reqScan = "refused:" + why;
    setFilterState("aigw.pii.request_scan", this.reqScan);
    setFilterState("aigw.pii.action", "refused:" + why);
    const extra = new Array<HeaderPair>();
    let msg: string;
    if (why == "compressed") {
      // RFC 9110 section 15.5.16: name the codings that would have been accepted.
      extra.push(new HeaderPair("accept-encoding", "identity"));
      msg = "Request body has a content-encoding this gateway cannot inspect for personal data; send it uncompressed.";
    } else msg = "Request body is binary; this gateway inspects JSON and text bodies for personal data and does not pass others.";
    sendOpenAIError(415, "pii_mask_unscannable_body", msg, "unsupported_body", null, extra, "invalid_request_error");
    return DataAction.StopIterationNoBuffer;
  }

  private block(): u32 {
    this.blockReply();
    return DataAction.StopIterationNoBuffer;
  }

  private blockReply(): void {
    const name = this.st.findings.blocked;
    this.plugin.metrics.blocked.inc(name.toLowerCase());
    this.recordCounts(this.st.findings.request, false);
    setFilterState("aigw.pii.request", this.st.findings.request.toJson());
    setFilterState("aigw.pii.action", "blocked:" + name);
    setFilterState("aigw.pii.request_scan", this.reqScan);
    sendOpenAIError(400, "pii_mask_blocked",
      "The request contains personal or secret data (" + name + ") that this gateway does not send to the model.",
      "pii_detected");
  }

  private recordCounts(c: Counts, response: bool): void {
    for (let i = 0; i < c.names.length; i++) this.plugin.metrics.detection(c.names[i], response, c.counts[i]);
  }

  private finishRequest(): void {
    const f = this.st.findings;
    setFilterState("aigw.pii.request_scan", this.reqScan);
    this.recordCounts(f.request, false);
    setFilterState("aigw.pii.request", f.request.toJson());
    setFilterState("aigw.pii.action", f.action());
    if (logEnabled(LogLevel.Debug) && f.request.total > 0) logDebug("pii-mask: request " + f.request.toJson());
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null || !engine.config.scanResponse || endOfStream || this.st.findings.blocked.length > 0 || this.st.findings.refused.length > 0) return HeadersAction.Continue;
    const h = HeaderMapType.ResponseHeaders;
    const enc = getHeader(h, "content-encoding");
    if (isEncodedBody(enc)) {
      this.plugin.metrics.skipped.inc("compressed.direction.response");
      // Never the body, only the encoding and whether placeholders will stay unrestored.
      logWarn("pii-mask: answer has content-encoding " + enc! + ", passed unscanned" +
        (this.st.vault.size > 0 ? " (tokenized values in it stay as placeholders)" : ""));
      this.respScan = "passed-unscanned:compressed";
      setFilterState("aigw.pii.response_scan", this.respScan);
      return HeadersAction.Continue;
    }
    const cfg = engine.config;
    // JSON and event streams are taken at their word (a JSON answer that does not parse is still
    // scanned as text); anything else is decided by its first bytes.
    this.respMode = declaredResponseMode(getHeader(h, "content-type"));
    allowBodyRewrite(h);
    if (this.respMode == BODY_SSE) this.startSse(cfg.maxBodyBytes);
    return HeadersAction.Continue;
  }

  private startSse(maxEvent: i32): void {
    this.respMode = BODY_SSE;
    this.respScan = SCAN_SSE;
    this.sse = new SseRewriter(maxEvent, this.plugin.sse);
  }

  onResponseBody(bodySize: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null || this.respMode == BODY_NONE || this.responseDone) return DataAction.Continue;
    const cfg = engine.config;
    let out = this.plugin.out;
    out.reset();
    if (this.respMode == BODY_SNIFF) {
      if (bodySize < <u32>SNIFF_BYTES && !endOfStream) return DataAction.StopIterationAndBuffer;
      const head = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, min(bodySize, <u32>SNIFF_BYTES)));
      if (looksJson(head, 0, head.length)) this.respMode = BODY_JSON;
      else if (looksSse(head, 0, head.length)) this.startSse(cfg.maxBodyBytes);
      else if (looksBinary(head, 0, head.length, !endOfStream || <i32>bodySize > head.length)) {
        // An image, audio or a file: not text, and an answer cannot be refused once it started.
        this.respMode = BODY_NONE;
        this.responseDone = true;
        this.plugin.metrics.skipped.inc("binary.direction.response");
        this.respScan = "passed-unscanned:binary";
        setFilterState("aigw.pii.response_scan", this.respScan);
        return DataAction.Continue;
      } else {
        this.respMode = BODY_TEXT;
        this.respScan = SCAN_TEXT;
        this.respText = new TextStream();
      }
    }
    if (this.respMode == BODY_JSON) {
      this.respScan = SCAN_JSON;
      if (<i64>bodySize > <i64>cfg.maxBodyBytes) {
        // Too big to hold whole: from here on it is a text stream (what is buffered goes first).
        this.respMode = BODY_TEXT;
        this.respScan = SCAN_TEXT;
        this.respText = new TextStream();
        this.plugin.metrics.skipped.inc("too_large.direction.response");
      } else {
        if (!endOfStream) return DataAction.StopIterationAndBuffer;
        this.responseDone = true;
        const body = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
        out = this.plugin.outFor(body.length);
        let r = this.plugin.json!.rewrite(this.st, body, 0, body.length, true, out);
        if (r == JSON_INVALID) {
          out.reset();
          this.respScan = SCAN_TEXT;
          r = engine.rewrite(body, 0, body.length, this.st, true, out);
        }
        if (r == JSON_CHANGED) replaceWith(BufferType.HttpResponseBody, bodySize, out);
        this.finishResponse();
            return DataAction.Continue;
      }
    }
    const chunk = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
    out = this.plugin.outFor(chunk.length);
    // Output of a large chunk or event may be handed on in pieces during the push.
    const sink = this.plugin.sse.sink;
    sink.begin(BufferType.HttpResponseBody, bodySize);
    if (this.respMode == BODY_SSE) this.sse!.push(engine, this.st, this.plugin.sse, chunk, 0, chunk.length, endOfStream, out);
    else pushWindowed(this.respText!, engine, this.st, sink, chunk, 0, chunk.length, endOfStream, out);
    if (sink.active && sink.written > 0) sink.flush(out);
    else replaceIfChanged(BufferType.HttpResponseBody, bodySize, chunk, out);
    sink.end();
    collectAfterLarge(chunk.length);
    if (endOfStream) { this.responseDone = true; this.finishResponse(); }
    return DataAction.Continue;
  }

  private finishResponse(): void {
    const f = this.st.findings;
    this.recordCounts(f.response, true);
    if (f.restored > 0) this.plugin.metrics.restored.inc("", f.restored);
    setFilterState("aigw.pii.response", f.response.toJson());
    if (this.respMode == BODY_TEXT && this.respScan == SCAN_EMPTY) this.respScan = SCAN_TEXT;
    setFilterState("aigw.pii.response_scan", this.respScan);
    setFilterState("aigw.pii.action", f.action());
  }
}

/** Chunks from this size on are followed by a full collection (collectAfterLarge). */
const COLLECT_AFTER: i32 = 64 * 1024;

/**
 * After a large chunk its copy and the buffers it outgrew are garbage of its size: collected at
 * once, so that a large event arriving in pieces does not pile up a garbage copy per piece before
 * the incremental collector (which starts only at twice the live heap) gets to them.
 */
function collectAfterLarge(bytes: i32): void {
  if (bytes >= COLLECT_AFTER) __collect();
}

/** Hands `out` to the host as the body of this callback unless it equals what the host has. */
function replaceIfChanged(type: u32, bodySize: u32, chunk: Uint8Array, out: ByteBuilder): void {
  const n = out.length;
  if (n == chunk.length && memory.compare(out.dataStart, chunk.dataStart, <usize>n) == 0) return;
  replaceWith(type, bodySize, out);
}

/** Hands out[0, length) to the host as the body of this callback, without copying it first. */
function replaceWith(type: u32, bodySize: u32, out: ByteBuilder): void {
  proxy_set_buffer_bytes(type, 0, bodySize, out.dataStart, <usize>out.length);
}

