// The proxy-wasm contexts: the plugin (configuration → engine, metrics) and one stream.
//
// Flow (see README "How a request flows"):
//   request headers  Continue always (no StopIteration from headers, so Envoy needs no
//                    allow_on_headers_stop_iteration); content-length is dropped while the headers
//                    are ours to change, accept-encoding too when answers are to be scanned.
//   request body     JSON: StopIterationAndBuffer until end_of_stream (JSON needs the whole
//                    document), then rewrite, or 400 (block), or 413 (over max_body_bytes);
//                    text: streamed (text-stream.ts); anything else: untouched.
//   response         JSON buffered (beyond max_body_bytes: streamed as text); SSE (sse-stream.ts)
//                    and text streamed, each callback releasing what the engine has decided;
//                    compressed or binary: untouched. One getBufferBytes and at most one
//                    replaceBody per callback, none when nothing changed.
import {
  RootContext, HttpContext, HeadersAction, DataAction, HeaderMapType, BufferType,
  getHeader, removeHeader, allowBodyRewrite, getBufferBytes, replaceBody, setFilterState, getFilterState,
  logError, logWarn, logDebug, logEnabled, LogLevel,
} from "../../common/sdk";
import { sendOpenAIError } from "../../common/assembly/reply";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { parseConfig, COMPRESSED_PASS } from "./config";
import { Engine, JsonBodies, JSON_BLOCKED, JSON_CHANGED, JSON_INVALID } from "./engine";
import { StreamScope } from "./actions";
import { Counts } from "./findings";
import { TextStream } from "./text-stream";
import { SseRewriter, SseShared } from "./sse-stream";
import { PiiMetrics } from "./metrics";
import { BODY_NONE, BODY_JSON, BODY_TEXT, BODY_SSE, classify, isCompressed } from "./content";

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
}

export class PiiStream extends HttpContext {
  st: StreamScope = new StreamScope();
  reqMode: i32 = BODY_NONE;
  respMode: i32 = BODY_NONE;
  reqText: TextStream | null = null;
  respText: TextStream | null = null;
  sse: SseRewriter | null = null;
  requestDone: bool = false;
  responseDone: bool = false;

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
    if (!cfg.scanRequest || endOfStream) return HeadersAction.Continue;
    const enc = getHeader(h, "content-encoding");
    if (isCompressed(enc)) {
      this.plugin.metrics.skipped.inc("compressed.direction.request");
      logWarn("pii-mask: request body has content-encoding " + enc! + ", passed unscanned");
      return HeadersAction.Continue;
    }
    this.reqMode = classify(getHeader(h, "content-type"));
    if (this.reqMode == BODY_SSE) this.reqMode = BODY_TEXT;
    if (this.reqMode != BODY_NONE) allowBodyRewrite(h);
    if (this.reqMode == BODY_TEXT) this.reqText = new TextStream();
    return HeadersAction.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null || this.reqMode == BODY_NONE || this.requestDone) return DataAction.Continue;
    const cfg = engine.config;
    const out = this.plugin.out;
    out.reset();
    if (this.reqMode == BODY_JSON) {
      if (<i64>bodySize > <i64>cfg.maxBodyBytes) {
        this.requestDone = true;
        this.plugin.metrics.rejected.inc("too_large");
        sendOpenAIError(413, "pii_mask_body_too_large",
          "Request body is larger than " + cfg.maxBodyBytes.toString() + " bytes, the most this gateway inspects for personal data.",
          "request_too_large");
        setFilterState("aigw.pii.action", "blocked:TOO_LARGE");
        return DataAction.StopIterationNoBuffer;
      }
      if (!endOfStream) return DataAction.StopIterationAndBuffer;
      this.requestDone = true;
      const body = Uint8Array.wrap(getBufferBytes(BufferType.HttpRequestBody, 0, bodySize));
      let r = this.plugin.json!.rewrite(this.st, body, 0, body.length, false, out);
      if (r == JSON_INVALID) {
        // Not JSON after all: scan it as text rather than let it through unscanned.
        this.plugin.metrics.skipped.inc("invalid_json.direction.request");
        out.reset();
        r = engine.rewrite(body, 0, body.length, this.st, false, out);
        if (r < 0) r = JSON_BLOCKED;
      }
      if (r == JSON_BLOCKED) return this.block();
      if (r == JSON_CHANGED) replaceBody(BufferType.HttpRequestBody, bodySize, out.raw().buffer.slice(0, out.length));
      this.finishRequest();
      return DataAction.Continue;
    }
    // Plain text: streamed.
    const chunk = Uint8Array.wrap(getBufferBytes(BufferType.HttpRequestBody, 0, bodySize));
    const ok = this.reqText!.push(engine, this.st, chunk, 0, chunk.length, endOfStream, false, out);
    if (!ok) { this.requestDone = true; return this.block(); }
    replaceIfChanged(BufferType.HttpRequestBody, bodySize, chunk, out);
    if (endOfStream) { this.requestDone = true; this.finishRequest(); }
    return DataAction.Continue;
  }

  private block(): u32 {
    const name = this.st.findings.blocked;
    this.plugin.metrics.blocked.inc(name.toLowerCase());
    this.recordCounts(this.st.findings.request, false);
    setFilterState("aigw.pii.request", this.st.findings.request.toJson());
    setFilterState("aigw.pii.action", "blocked:" + name);
    sendOpenAIError(400, "pii_mask_blocked",
      "The request contains personal or secret data (" + name + ") that this gateway does not send to the model.",
      "pii_detected");
    return DataAction.StopIterationNoBuffer;
  }

  private recordCounts(c: Counts, response: bool): void {
    for (let i = 0; i < c.names.length; i++) this.plugin.metrics.detection(c.names[i], response, c.counts[i]);
  }

  private finishRequest(): void {
    const f = this.st.findings;
    this.recordCounts(f.request, false);
    setFilterState("aigw.pii.request", f.request.toJson());
    setFilterState("aigw.pii.action", f.action());
    if (logEnabled(LogLevel.Debug) && f.request.total > 0) logDebug("pii-mask: request " + f.request.toJson());
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null || !engine.config.scanResponse || endOfStream || this.st.findings.blocked.length > 0) return HeadersAction.Continue;
    const h = HeaderMapType.ResponseHeaders;
    const enc = getHeader(h, "content-encoding");
    if (isCompressed(enc)) {
      this.plugin.metrics.skipped.inc("compressed.direction.response");
      // Never the body, only the encoding and whether placeholders will stay unrestored.
      logWarn("pii-mask: answer has content-encoding " + enc! + ", passed unscanned" +
        (this.st.vault.size > 0 ? " (tokenized values in it stay as placeholders)" : ""));
      return HeadersAction.Continue;
    }
    const cfg = engine.config;
    this.respMode = classify(getHeader(h, "content-type"));
    if (this.respMode == BODY_NONE) return HeadersAction.Continue;
    allowBodyRewrite(h);
    if (this.respMode == BODY_TEXT) this.respText = new TextStream();
    else if (this.respMode == BODY_SSE) this.sse = new SseRewriter(cfg.maxBodyBytes, this.plugin.sse);
    return HeadersAction.Continue;
  }

  onResponseBody(bodySize: u32, endOfStream: bool): u32 {
    const engine = this.plugin.engine;
    if (engine === null || this.respMode == BODY_NONE || this.responseDone) return DataAction.Continue;
    const cfg = engine.config;
    const out = this.plugin.out;
    out.reset();
    if (this.respMode == BODY_JSON) {
      if (<i64>bodySize > <i64>cfg.maxBodyBytes) {
        // Too big to hold whole: from here on it is a text stream (what is buffered goes first).
        this.respMode = BODY_TEXT;
        this.respText = new TextStream();
        this.plugin.metrics.skipped.inc("too_large.direction.response");
      } else {
        if (!endOfStream) return DataAction.StopIterationAndBuffer;
        this.responseDone = true;
        const body = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
        let r = this.plugin.json!.rewrite(this.st, body, 0, body.length, true, out);
        if (r == JSON_INVALID) {
          out.reset();
          r = engine.rewrite(body, 0, body.length, this.st, true, out);
        }
        if (r == JSON_CHANGED) replaceBody(BufferType.HttpResponseBody, bodySize, out.raw().buffer.slice(0, out.length));
        this.finishResponse();
        return DataAction.Continue;
      }
    }
    const chunk = Uint8Array.wrap(getBufferBytes(BufferType.HttpResponseBody, 0, bodySize));
    if (this.respMode == BODY_SSE) this.sse!.push(engine, this.st, this.plugin.sse, chunk, 0, chunk.length, endOfStream, out);
    else this.respText!.push(engine, this.st, chunk, 0, chunk.length, endOfStream, true, out);
    replaceIfChanged(BufferType.HttpResponseBody, bodySize, chunk, out);
    if (endOfStream) { this.responseDone = true; this.finishResponse(); }
    return DataAction.Continue;
  }

  private finishResponse(): void {
    const f = this.st.findings;
    this.recordCounts(f.response, true);
    if (f.restored > 0) this.plugin.metrics.restored.inc("", f.restored);
    setFilterState("aigw.pii.response", f.response.toJson());
    setFilterState("aigw.pii.action", f.action());
  }
}

/** Hands `out` to the host as the body of this callback unless it equals what the host has. */
function replaceIfChanged(type: u32, bodySize: u32, chunk: Uint8Array, out: ByteBuilder): void {
  const n = out.length;
  if (n == chunk.length && memory.compare(out.dataStart, chunk.dataStart, <usize>n) == 0) return;
  replaceBody(type, bodySize, out.raw().buffer.slice(0, n));
}
