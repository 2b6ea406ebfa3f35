// Streams: FilterContext is one plugin's stream context (Envoy's Wasm Context as an HTTP filter,
// source/extensions/common/wasm/context.cc); HttpStream is Envoy's filter manager iteration over
// a chain of them (source/common/http/filter_manager.cc): requests flow through the filters in
// order, responses in reverse; a filter that stops holds every later filter until it continues.
import {
  BufferType, DataStatus, HeaderMapType, HeadersStatus, StreamType, TrailersStatus, WasmResult,
  dataActionName, headersActionName, trailersActionName, utf8, fromUtf8,
  type DataAction, type HeadersAction, type Pairs, type TrailersAction,
} from "./abi.ts";
import { HeaderMap, type HeadersInit } from "./headers.ts";
import type { Plugin } from "./plugin.ts";
import { FILTER_STATE_PREFIX, type PropertyValue } from "./properties.ts";

export interface LocalReply { status: number; body: string; headers: Record<string, string>; details: string; grpcStatus: number; from: string }

/** A mutable byte buffer, like Envoy's Buffer::Instance. */
export class Bytes {
  private store: Uint8Array; private size: number; private owned = false;
  constructor(data: Uint8Array = new Uint8Array(0)) { this.store = data; this.size = data.length; }
  /** The bytes (a view, valid until the next change). */
  get data(): Uint8Array { return this.size === this.store.length ? this.store : this.store.subarray(0, this.size); }
  set data(d: Uint8Array) { this.store = d; this.size = d.length; this.owned = false; }
  /** Appends into a doubling store of its own, so buffering n chunks costs O(total bytes). */
  append(b: Uint8Array): void {
    if (b.length === 0) return;
    const need = this.size + b.length;
    if (!this.owned || need > this.store.length) {
      const n = new Uint8Array(Math.max(need, this.store.length * 2, 256));
      n.set(this.data); this.store = n; this.owned = true;
    }
    this.store.set(b, this.size); this.size = need;
  }
  get length(): number { return this.size; }
}

/** One plugin's context on one stream. */
export class FilterContext {
  readonly rootId: number;
  created = false;
  destroyed = false;
  /** Envoy nulls these pointers once the callback returns Continue (context.cc decodeHeaders…). */
  requestHeaders: HeaderMap | null = null;
  requestBody: Bytes | null = null;
  requestTrailers: HeaderMap | null = null;
  responseHeaders: HeaderMap | null = null;
  responseBody: Bytes | null = null;
  responseTrailers: HeaderMap | null = null;
  inLog = false;
  failureReplySent = false;
  /** Which body callback is running, and its end_of_stream (Context::end_of_stream_). */
  inBody: "request" | "response" | null = null;
  endOfStream = false;
  private addedRequestTrailers: HeaderMap | null = null;
  private addedResponseTrailers: HeaderMap | null = null;

  constructor(readonly plugin: Plugin, readonly stream: HttpStream, readonly index: number, readonly id: number) {
    this.rootId = plugin.root.id;
  }

  // ---- Envoy filter callbacks (return Envoy statuses) -----------------------------------------
  private get vm() { return this.plugin.vm; }

  /** CHECK_FAIL_HTTP (cpp-host context.cc): a failed VM either passes traffic (fail open) or
   * fails the stream once with 503 wasm_fail_stream and stops. */
  private checkFail<T>(open: T, closed: T): T | null {
    if (!this.vm.failed) return null;
    if (this.plugin.failOpen) return open;
    if (!this.failureReplySent) {
      this.failureReplySent = true;
      this.stream.sendLocalReply(this, 503, new Uint8Array(0), [], 14, "wasm_fail_stream", true);
    }
    return closed;
  }

  private onCreate(): void {
    if (this.created || this.vm.failed) return;
    this.created = true;
    this.plugin.contexts.set(this.id, this);
    this.vm.call(this, "proxy_on_context_create", this.id, this.rootId);
  }

  private callStatus(fn: string, args: number[], open: number, closed: number, stopAll: number, max: number): number {
    const f = this.checkFail(open, closed); if (f !== null) return f;
    if (!this.vm.has(fn)) return open;
    const r = this.vm.call(this, fn, this.id, ...args);
    const f2 = this.checkFail(open, closed); if (f2 !== null) return f2;
    if (this.vm.lastCallStopped || r === undefined || r > max) return stopAll;
    return r;
  }

  decodeHeaders(headers: HeaderMap, eos: boolean): number {
    this.onCreate();
    this.requestHeaders = headers;
    let r = this.callStatus("proxy_on_request_headers", [headers.size, eos ? 1 : 0], HeadersStatus.Continue, HeadersStatus.StopAllIterationAndWatermark, HeadersStatus.StopAllIterationAndWatermark, HeadersStatus.StopAllIterationAndWatermark);
    r = this.convertHeaders(r);
    if (r === HeadersStatus.Continue) this.requestHeaders = null;
    return r;
  }
  decodeData(buf: Bytes, eos: boolean): number {
    if (!this.created) return DataStatus.Continue;
    this.requestBody = buf;
    this.inBody = "request"; this.endOfStream = eos;
    let r: number;
    try { r = this.callStatus("proxy_on_request_body", [buf.length, eos ? 1 : 0], DataStatus.Continue, DataStatus.StopIterationNoBuffer, DataStatus.StopIterationNoBuffer, DataStatus.StopIterationNoBuffer); }
    finally { this.inBody = null; }
    if (r === DataStatus.Continue) this.requestBody = null;
    return r;
  }
  decodeTrailers(t: HeaderMap): number {
    if (!this.created) return TrailersStatus.Continue;
    this.requestTrailers = t;
    const r = this.callStatus("proxy_on_request_trailers", [t.size], TrailersStatus.Continue, TrailersStatus.StopIteration, TrailersStatus.StopIteration, TrailersStatus.StopIteration);
    if (r === TrailersStatus.Continue) this.requestTrailers = null;
    return r;
  }
  encodeHeaders(headers: HeaderMap, eos: boolean): number {
    if (!this.created || this.failureReplySent) return HeadersStatus.Continue;
    this.responseHeaders = headers;
    let r = this.callStatus("proxy_on_response_headers", [headers.size, eos ? 1 : 0], HeadersStatus.Continue, HeadersStatus.StopAllIterationAndWatermark, HeadersStatus.StopAllIterationAndWatermark, HeadersStatus.StopAllIterationAndWatermark);
    r = this.convertHeaders(r);
    if (r === HeadersStatus.Continue) this.responseHeaders = null;
    return r;
  }
  encodeData(buf: Bytes, eos: boolean): number {
    if (!this.created || this.failureReplySent) return DataStatus.Continue;
    this.responseBody = buf;
    this.inBody = "response"; this.endOfStream = eos;
    let r: number;
    try { r = this.callStatus("proxy_on_response_body", [buf.length, eos ? 1 : 0], DataStatus.Continue, DataStatus.StopIterationNoBuffer, DataStatus.StopIterationNoBuffer, DataStatus.StopIterationNoBuffer); }
    finally { this.inBody = null; }
    if (r === DataStatus.Continue) this.responseBody = null;
    return r;
  }
  encodeTrailers(t: HeaderMap): number {
    if (!this.created || this.failureReplySent) return TrailersStatus.Continue;
    this.responseTrailers = t;
    const r = this.callStatus("proxy_on_response_trailers", [t.size], TrailersStatus.Continue, TrailersStatus.StopIteration, TrailersStatus.StopIteration, TrailersStatus.StopIteration);
    if (r === TrailersStatus.Continue) this.responseTrailers = null;
    return r;
  }
  /** ContextBase::convertVmCallResultToFilterHeadersStatus: in ABI 0.2.x StopIteration becomes
   * StopAllIterationAndWatermark unless allow_on_headers_stop_iteration is set. */
  private convertHeaders(r: number): number {
    if (r === HeadersStatus.StopIteration && !this.plugin.options.allowOnHeadersStopIteration) return HeadersStatus.StopAllIterationAndWatermark;
    return r;
  }

  /** Access-log phase (FilterManager::log), before the filters are destroyed. */
  log(): void {
    // Context::log: a filter whose onRequestHeaders never ran (an earlier filter replied) is
    // created here so that it still logs; on_done/on_delete follow in destroy().
    if (!this.created) this.onCreate();
    if (!this.created || this.vm.failed) return;
    this.inLog = true;
    this.vm.call(this, "proxy_on_log", this.id);
    this.inLog = false;
  }
  /** Context::onDestroy: proxy_on_done then proxy_on_delete. */
  destroy(): void {
    if (this.destroyed || !this.created) return;
    this.destroyed = true;
    if (!this.vm.failed) {
      this.vm.call(this, "proxy_on_done", this.id);
      this.vm.call(this, "proxy_on_delete", this.id);
    }
    this.plugin.contexts.delete(this.id);
  }

  // ---- host-function backends ----------------------------------------------------------------
  getMap(type: number, mutable: boolean): HeaderMap | null {
    if (this.inLog) {
      // Access-log headers are const: readable, never writable.
      if (mutable) return null;
      if (type === HeaderMapType.RequestHeaders) return this.stream.requestHeaders;
      if (type === HeaderMapType.ResponseHeaders) return this.stream.clientResponseHeaders;
      // getConstMap in the access-log phase: no request trailers (nullptr).
      if (type === HeaderMapType.ResponseTrailers) return this.stream.responseTrailers;
      return null;
    }
    switch (type) {
      case HeaderMapType.RequestHeaders: return this.requestHeaders;
      case HeaderMapType.RequestTrailers:
        // Context::getMap: asked for (mutably) in a body callback with end_of_stream, the trailers
        // are created (addDecodedTrailers); the data then goes on without end_of_stream.
        if (mutable && !this.requestTrailers && this.inBody === "request" && this.endOfStream) this.requestTrailers = this.addedRequestTrailers = new HeaderMap();
        return this.requestTrailers;
      case HeaderMapType.ResponseHeaders: return this.responseHeaders;
      case HeaderMapType.ResponseTrailers:
        if (mutable && !this.responseTrailers && this.inBody === "response" && this.endOfStream) this.responseTrailers = this.addedResponseTrailers = new HeaderMap();
        return this.responseTrailers;
    }
    return null;
  }
  /** Trailers a body callback created (getMap above); the stream sends them after the data. */
  takeAddedTrailers(request: boolean): HeaderMap | null {
    const t = request ? this.addedRequestTrailers : this.addedResponseTrailers;
    if (request) this.addedRequestTrailers = null; else this.addedResponseTrailers = null;
    return t;
  }
  /** The body buffer of the running callback (empty when the stream holds none). */
  bodyData(type: number): Uint8Array {
    const b = type === BufferType.HttpRequestBody ? this.requestBody : this.responseBody;
    return b ? b.data : EMPTY;
  }
  /** Envoy's Buffer::copyFrom (context.cc): start 0 drains `length` bytes (all if length >=
   *  size) then prepends; start >= size appends; anything else is BadArgument. */
  setBody(type: number, start: number, length: number, d: Uint8Array): number {
    const b = type === BufferType.HttpRequestBody ? this.requestBody : this.responseBody;
    if (!b) return WasmResult.BadArgument;
    const size = b.data.length;
    if (start === 0) {
      if (length === 0) { b.data = concat(d, b.data); return WasmResult.Ok; }
      // `d` is already the host's own copy of guest memory (Vm.read), as Envoy copies it.
      if (length >= size) { b.data = d; return WasmResult.Ok; }
      return WasmResult.BadArgument;
    }
    if (start >= size) { b.append(d); return WasmResult.Ok; }
    return WasmResult.BadArgument;
  }
  requestHeadersChanged(): void { this.stream.routeCacheClears++; }
  setProperty(path: string, value: Uint8Array): number {
    // `value` is already the host's copy of guest memory (Vm.read), as Envoy copies it.
    this.stream.filterState.set(FILTER_STATE_PREFIX + path, value);
    return WasmResult.Ok;
  }
  propertySource() {
    const s = this.stream, p = this.plugin;
    return {
      filterState: s.filterState,
      lookup: (d: string): PropertyValue | undefined => {
        if (s.extraProperties && d in s.extraProperties) return s.extraProperties[d];
        if (p.options.properties && d in p.options.properties) return p.options.properties[d];
        return s.builtinProperty(d) ?? p.pluginProperty(d);
      },
    };
  }
  sendLocalResponse(code: number, body: Uint8Array, headers: Pairs, grpc: number, details: string): void {
    // Deferred until the VM call returns (addAfterVmCallAction).
    this.vm.afterCall.push(() => this.stream.sendLocalReply(this, code, body, headers, grpc, details.replace(/\s/g, "_"), false));
  }
  /** Context::continueStream (context.cc): Request/Response continue after the VM call and drop
   *  the request pointers; Downstream is a network-filter call (Ok, nothing to do on an HTTP
   *  stream); Upstream is Unimplemented. */
  continueStream(type: number): number {
    if (type === StreamType.Request) this.vm.afterCall.push(() => this.stream.continueDecoding(this.index));
    else if (type === StreamType.Response) this.vm.afterCall.push(() => this.stream.continueEncoding(this.index));
    else if (type === StreamType.Downstream) return WasmResult.Ok;
    else if (type === StreamType.Upstream) return WasmResult.Unimplemented;
    else return WasmResult.BadArgument;
    this.requestHeaders = null; this.requestBody = null; this.requestTrailers = null;
    return WasmResult.Ok;
  }
  /** Context::closeStream: response code details `wasm_close_stream` unless already set, then
   *  resetStream() after the VM call. Downstream/Upstream close a network connection: nothing
   *  on an HTTP stream. */
  closeStream(type: number): number {
    if (type === StreamType.Request || type === StreamType.Response) {
      if (!this.stream.responseCodeDetails) this.stream.responseCodeDetails = "wasm_close_stream";
      this.vm.afterCall.push(() => this.stream.reset("wasm_close_stream", true));
      return WasmResult.Ok;
    }
    return type === StreamType.Downstream || type === StreamType.Upstream ? WasmResult.Ok : WasmResult.BadArgument;
  }
}

/** Utility::prepareLocalReply (source/common/http/utility.cc): `:status`, then the filter's
 *  headers as added by modify_headers (addCopy, so repeated names stay repeated), then
 *  content-length set to the body size (in place if the filter gave one), and content-type
 *  text/plain only when no content-type was given. An empty body removes both. */
export function localReplyHeaders(status: number, bodyLength: number, headers: Pairs): HeaderMap {
  const h = new HeaderMap([[":status", String(status)]]);
  for (const [k, v] of headers) h.add(k, v);
  if (bodyLength > 0) {
    h.set("content-length", String(bodyLength));
    if (!h.has("content-type")) h.add("content-type", "text/plain");
  } else {
    h.remove("content-length"); h.remove("content-type");
  }
  return h;
}

const EMPTY = new Uint8Array(0);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array { const n = new Uint8Array(a.length + b.length); n.set(a); n.set(b, a.length); return n; }

interface DirState {
  headersPassed: boolean; stoppedHeaders: boolean; stopAll: boolean; stopAllBuffer: boolean;
  pending: Bytes; buffering: boolean; buffered: Bytes; eos: boolean; eosConsumed: boolean; trailers: HeaderMap | null;
  /** The buffer is held for StopIterationAndBuffer (limited), not for a watermark stop. */
  bufferLimited: boolean;
}
const newDir = (): DirState => ({ headersPassed: false, stoppedHeaders: false, stopAll: false, stopAllBuffer: false, pending: new Bytes(), buffering: false, buffered: new Bytes(), eos: false, eosConsumed: false, trailers: null, bufferLimited: false });

export interface StreamEvents {
  /** The request reached the end of the chain (headers, then data chunks, trailers). */
  upstreamHeaders?(h: HeaderMap, eos: boolean): void;
  upstreamData?(d: Uint8Array, eos: boolean): void;
  upstreamTrailers?(t: HeaderMap): void;
  clientHeaders?(h: HeaderMap, eos: boolean): void;
  clientData?(d: Uint8Array, eos: boolean): void;
  clientTrailers?(t: HeaderMap): void;
  /** Something changed that may unblock the stream (continue, local reply, reset). */
  wake?(): void;
}

/** Envoy's filter manager for one stream over a chain of plugins. */
export class HttpStream {
  readonly filters: FilterContext[] = [];
  private dec: DirState[]; private enc: DirState[];
  requestHeaders: HeaderMap = new HeaderMap();
  requestTrailers: HeaderMap | null = null;
  requestHeadersEos = false;
  responseHeaders: HeaderMap | null = null;
  responseTrailers: HeaderMap | null = null;
  responseHeadersEos = false;
  clientResponseHeaders: HeaderMap | null = null;
  readonly filterState = new Map<string, Uint8Array>();
  routeCacheClears = 0;
  localReply: LocalReply | null = null;
  responseCodeDetails = "";
  /** Envoy's %RESPONSE_FLAGS% short names, in the order they were set (UC, UT, DC, ...). */
  readonly responseFlags: string[] = [];
  resetReason: string | null = null;
  decodingDone = false; // a local reply ended request processing
  encodeStarted = false;
  upstreamRequestComplete = false;
  clientComplete = false;
  requestBytes = 0; responseBytes = 0;
  startTimeNs: bigint;
  readonly requestId: string;

  constructor(plugins: Plugin[], public events: StreamEvents = {}, public extraProperties?: Record<string, PropertyValue>, public connection: { sourceAddress?: string; sourcePort?: number; destinationAddress?: string; destinationPort?: number; mtls?: boolean } = {}) {
    plugins.forEach((p, i) => {
      p.prepareForStream();
      // FAIL_OPEN/FAIL_IGNORE: a failed VM's filter is not added to the chain at all.
      if (p.failed && p.failOpen) return;
      this.filters.push(new FilterContext(p, this, this.filters.length, p.newContextId()));
      void i;
    });
    this.dec = this.filters.map(newDir); this.enc = this.filters.map(newDir);
    this.startTimeNs = plugins[0]?.nowNs() ?? BigInt(Date.now()) * 1_000_000n;
    this.requestId = crypto.randomUUID();
  }

  get ended(): boolean { return this.resetReason !== null || this.clientComplete; }
  private get n(): number { return this.filters.length; }
  private encOrder(k: number): number { return this.n - 1 - k; } // encode step k -> filter index

  // ---- decode path ---------------------------------------------------------------------------
  decodeHeaders(headers: HeaderMap, eos: boolean): void {
    this.requestHeaders = headers; this.requestHeadersEos = eos;
    this.decodeHeadersFrom(0, eos);
  }
  private decodeHeadersFrom(j: number, eos: boolean): void {
    for (let i = j; i < this.n; i++) {
      if (this.decodingDone || this.ended) return;
      const d = this.dec[i];
      const st = this.filters[i].decodeHeaders(this.requestHeaders, eos);
      if (this.decodingDone || this.ended) return;
      if (st === HeadersStatus.Continue || st === HeadersStatus.ContinueAndEndStream) { d.headersPassed = true; continue; }
      if (st === HeadersStatus.StopIteration) { d.stoppedHeaders = true; return; }
      d.stopAll = true; d.stopAllBuffer = st === HeadersStatus.StopAllIterationAndBuffer; return;
    }
    this.events.upstreamHeaders?.(this.requestHeaders, eos);
    if (eos) this.upstreamRequestComplete = true;
  }
  decodeData(chunk: Uint8Array, eos: boolean): void { this.requestBytes += chunk.length; this.decodeDataFrom(0, chunk, eos); }
  private decodeDataFrom(j: number, chunk: Uint8Array, eos: boolean): void {
    let data = chunk;
    for (let i = j; i < this.n; i++) {
      if (this.decodingDone || this.ended) return;
      const d = this.dec[i];
      if (d.stopAll && !d.headersPassed) {
        d.pending.append(data); d.eos = eos;
        if (d.stopAllBuffer && d.pending.length > this.filters[i].plugin.bufferLimit) this.payloadTooLarge(i, true);
        return;
      }
      let view: Bytes;
      if (d.buffering) {
        // Context::decodeData adds the chunk to the filter manager's buffer (addDecodedData)
        // before the VM is called; past the buffer limit that answers 413 and the VM never sees
        // the chunk (filter_manager.cc requestDataTooLarge).
        d.buffered.append(data); view = d.buffered;
        if (d.bufferLimited && view.length > this.filters[i].plugin.bufferLimit) { this.payloadTooLarge(i, true); return; }
      } else view = new Bytes(data);
      d.eos = eos;
      const st = this.filters[i].decodeData(view, eos);
      if (this.decodingDone || this.ended) return;
      const added = this.filters[i].takeAddedTrailers(true);
      if (added) { eos = false; d.eos = false; d.trailers = added; this.requestTrailers = added; }
      if (st === DataStatus.Continue) {
        d.buffering = false; d.buffered = new Bytes();
        data = view.data;
        if (!d.headersPassed) { d.headersPassed = true; d.stoppedHeaders = false; this.decodeHeadersFrom(i + 1, false); }
        if (added) { d.trailers = null; this.decodeDataFrom(i + 1, data, false); this.decodeTrailersFrom(i + 1, added); return; }
        continue;
      }
      if (st === DataStatus.StopIterationAndBuffer || st === DataStatus.StopIterationAndWatermark) {
        d.buffering = true; d.buffered = view; d.bufferLimited = st === DataStatus.StopIterationAndBuffer;
        if (d.bufferLimited && view.length > this.filters[i].plugin.bufferLimit) this.payloadTooLarge(i, true);
        return;
      }
      // StopIterationNoBuffer: the chunk is dropped; remember that end of stream was consumed.
      d.buffering = false; d.buffered = new Bytes(); d.eosConsumed = eos || added !== null;
      if (added) d.eos = true;
      return;
    }
    this.events.upstreamData?.(data, eos);
    if (eos) this.upstreamRequestComplete = true;
  }
  decodeTrailers(t: HeaderMap): void { this.requestTrailers = t; this.decodeTrailersFrom(0, t); }
  private decodeTrailersFrom(j: number, t: HeaderMap): void {
    for (let i = j; i < this.n; i++) {
      if (this.decodingDone || this.ended) return;
      const d = this.dec[i];
      if (!d.headersPassed || d.buffering) { d.trailers = t; return; }
      const st = this.filters[i].decodeTrailers(t);
      if (this.decodingDone || this.ended) return;
      if (st !== TrailersStatus.Continue) { d.trailers = t; d.stoppedHeaders = false; return; }
    }
    this.events.upstreamTrailers?.(t);
    this.upstreamRequestComplete = true;
  }
  /** continueDecoding() from filter i (proxy_continue_stream(Request)). */
  continueDecoding(i: number): void {
    const d = this.dec[i];
    if (!d || this.decodingDone || this.ended) return;
    if (!d.headersPassed) {
      // Envoy ignores a continue issued while the filter is still inside its own callback.
      if (!d.stopAll && !d.stoppedHeaders) return;
      const wasStopAll = d.stopAll;
      d.headersPassed = true; d.stopAll = false; d.stoppedHeaders = false;
      const pending = d.pending.data; d.pending = new Bytes();
      const hasBody = !this.requestHeadersEos;
      this.decodeHeadersFrom(i + 1, this.requestHeadersEos);
      // Data held while the filter stopped all iteration is now delivered to the filter itself.
      if (wasStopAll && hasBody && (pending.length > 0 || d.eos)) this.decodeDataFrom(i, pending, d.eos && !d.trailers);
      else if (d.buffering) this.flushDecode(i);
      if (d.trailers) { const t = d.trailers; d.trailers = null; this.decodeTrailersFrom(wasStopAll ? i : i + 1, t); }
      this.events.wake?.();
      return;
    }
    if (d.buffering || d.eosConsumed) this.flushDecode(i);
    if (d.trailers) { const t = d.trailers; d.trailers = null; this.decodeTrailersFrom(i + 1, t); }
    this.events.wake?.();
  }
  private flushDecode(i: number): void {
    const d = this.dec[i];
    const data = d.buffered.data; d.buffering = false; d.buffered = new Bytes(); d.eosConsumed = false;
    this.decodeDataFrom(i + 1, data, d.eos && !d.trailers);
  }

  // ---- encode path (filters in reverse order) ------------------------------------------------
  encodeHeaders(headers: HeaderMap, eos: boolean): void {
    this.encodeStarted = true;
    this.responseHeaders = headers; this.responseHeadersEos = eos;
    this.encodeHeadersFrom(0, eos);
  }
  private encodeHeadersFrom(k0: number, eos: boolean): void {
    for (let k = k0; k < this.n; k++) {
      if (this.ended) return;
      const i = this.encOrder(k), e = this.enc[k];
      const st = this.filters[i].encodeHeaders(this.responseHeaders!, eos);
      if (this.ended || this.responseHeaders === null) return;
      if (st === HeadersStatus.Continue || st === HeadersStatus.ContinueAndEndStream) { e.headersPassed = true; continue; }
      if (st === HeadersStatus.StopIteration) { e.stoppedHeaders = true; return; }
      e.stopAll = true; e.stopAllBuffer = st === HeadersStatus.StopAllIterationAndBuffer; return;
    }
    this.toClientHeaders(this.responseHeaders!, eos);
  }
  encodeData(chunk: Uint8Array, eos: boolean): void { this.encodeDataFrom(0, chunk, eos); }
  private encodeDataFrom(k0: number, chunk: Uint8Array, eos: boolean): void {
    let data = chunk;
    for (let k = k0; k < this.n; k++) {
      if (this.ended) return;
      const i = this.encOrder(k), e = this.enc[k];
      if (e.stopAll && !e.headersPassed) {
        e.pending.append(data); e.eos = eos;
        if (e.stopAllBuffer && e.pending.length > this.filters[i].plugin.bufferLimit) this.payloadTooLarge(i, false);
        return;
      }
      let view: Bytes;
      if (e.buffering) {
        // Context::encodeData: addEncodedData before the VM call; past the limit a 500 while the
        // response headers are held here, a reset once they left (responseDataTooLarge).
        e.buffered.append(data); view = e.buffered;
        if (e.bufferLimited && view.length > this.filters[i].plugin.bufferLimit) { this.payloadTooLarge(i, false); return; }
      } else view = new Bytes(data);
      e.eos = eos;
      const gen = this.responseGeneration;
      const st = this.filters[i].encodeData(view, eos);
      if (this.ended || gen !== this.responseGeneration) return;
      const added = this.filters[i].takeAddedTrailers(false);
      if (added) { eos = false; e.eos = false; e.trailers = added; this.responseTrailers = added; }
      if (st === DataStatus.Continue) {
        e.buffering = false; e.buffered = new Bytes(); data = view.data;
        if (!e.headersPassed) { e.headersPassed = true; e.stoppedHeaders = false; this.encodeHeadersFrom(k + 1, false); }
        if (added) { e.trailers = null; this.encodeDataFrom(k + 1, data, false); this.encodeTrailersFrom(k + 1, added); return; }
        continue;
      }
      if (st === DataStatus.StopIterationAndBuffer || st === DataStatus.StopIterationAndWatermark) {
        e.buffering = true; e.buffered = view; e.bufferLimited = st === DataStatus.StopIterationAndBuffer;
        if (e.bufferLimited && view.length > this.filters[i].plugin.bufferLimit) this.payloadTooLarge(i, false);
        return;
      }
      e.buffering = false; e.buffered = new Bytes(); e.eosConsumed = eos || added !== null;
      if (added) e.eos = true;
      return;
    }
    this.toClientData(data, eos);
  }
  encodeTrailers(t: HeaderMap): void { this.responseTrailers = t; this.encodeTrailersFrom(0, t); }
  private encodeTrailersFrom(k0: number, t: HeaderMap): void {
    for (let k = k0; k < this.n; k++) {
      if (this.ended) return;
      const i = this.encOrder(k), e = this.enc[k];
      if (!e.headersPassed || e.buffering) { e.trailers = t; return; }
      const st = this.filters[i].encodeTrailers(t);
      if (this.ended) return;
      if (st !== TrailersStatus.Continue) { e.trailers = t; return; }
    }
    this.events.clientTrailers?.(t);
    this.clientComplete = true;
  }
  continueEncoding(i: number): void {
    const k = this.encOrder(i), e = this.enc[k];
    if (!e || this.ended || !this.encodeStarted) return;
    if (!e.headersPassed) {
      if (!e.stopAll && !e.stoppedHeaders) return;
      const wasStopAll = e.stopAll;
      e.headersPassed = true; e.stopAll = false; e.stoppedHeaders = false;
      const pending = e.pending.data; e.pending = new Bytes();
      const hasBody = !this.responseHeadersEos;
      this.encodeHeadersFrom(k + 1, this.responseHeadersEos);
      if (wasStopAll && hasBody && (pending.length > 0 || e.eos)) this.encodeDataFrom(k, pending, e.eos && !e.trailers);
      else if (e.buffering) this.flushEncode(k);
      if (e.trailers) { const t = e.trailers; e.trailers = null; this.encodeTrailersFrom(wasStopAll ? k : k + 1, t); }
      this.events.wake?.();
      return;
    }
    if (e.buffering || e.eosConsumed) this.flushEncode(k);
    if (e.trailers) { const t = e.trailers; e.trailers = null; this.encodeTrailersFrom(k + 1, t); }
    this.events.wake?.();
  }
  private flushEncode(k: number): void {
    const e = this.enc[k];
    const data = e.buffered.data; e.buffering = false; e.buffered = new Bytes(); e.eosConsumed = false;
    this.encodeDataFrom(k + 1, data, e.eos && !e.trailers);
  }

  private toClientHeaders(h: HeaderMap, eos: boolean): void {
    this.clientResponseHeaders = h;
    if (!this.responseCodeDetails) this.responseCodeDetails = "via_upstream";
    this.events.clientHeaders?.(h, eos);
    if (eos) this.clientComplete = true;
  }
  private toClientData(d: Uint8Array, eos: boolean): void {
    this.responseBytes += d.length;
    this.events.clientData?.(d, eos);
    if (eos) this.clientComplete = true;
  }

  // ---- local replies, resets -----------------------------------------------------------------
  private responseGeneration = 0;
  /** FilterManager::sendLocalReply. Before any response was encoded the reply goes through the
   * encoder filters; from the encode path it goes straight to the client; once the client got
   * headers the stream is reset instead. `from` is the filter, or a name for the connection
   * manager's own replies (stream idle timeout). */
  sendLocalReply(from: FilterContext | string, status: number, body: Uint8Array, headers: Pairs, grpcStatus: number, details: string, failure: boolean): void {
    if (this.ended) return;
    if (this.clientResponseHeaders) { this.reset(details); return; }
    this.decodingDone = true;
    const h = localReplyHeaders(status, body.length, headers);
    this.localReply = { status, body: fromUtf8(body), headers: h.toObject(), details, grpcStatus, from: typeof from === "string" ? from : from.plugin.name };
    this.responseCodeDetails = details;
    this.responseGeneration++;
    const viaChain = !this.encodeStarted && !failure;
    this.enc = this.filters.map(newDir);
    if (viaChain) {
      this.encodeHeaders(h, body.length === 0);
      if (body.length && !this.ended) this.encodeData(body, true);
    } else {
      this.encodeStarted = true;
      this.responseHeaders = h;
      this.toClientHeaders(h, body.length === 0);
      if (body.length) this.toClientData(body, true);
    }
    this.events.wake?.();
  }
  /** Resets the stream. Who resets it with a reason records it as the response code details,
   *  replacing via_upstream (router.cc onUpstreamReset / onUpstreamAbort and the connection
   *  manager set them before resetting); close_stream keeps details set earlier (`keepDetails`). */
  reset(reason: string, keepDetails = false): void {
    if (this.resetReason !== null) return;
    this.resetReason = reason;
    if (!keepDetails || !this.responseCodeDetails) this.responseCodeDetails = reason;
    this.events.wake?.();
  }
  private payloadTooLarge(i: number, request: boolean): void {
    // Envoy's buffer limit (per_connection_buffer_limit_bytes): 413 while decoding, 500 while
    // encoding (FilterManager::*BufferLimitReached / "Payload Too Large").
    const f = this.filters[i];
    if (request) this.sendLocalReply(f, 413, utf8("Payload Too Large"), [], -1, "request_payload_too_large", false);
    else this.sendLocalReply(f, 500, utf8("Internal Server Error"), [], -1, "response_payload_too_large", true);
  }

  addResponseFlag(f: string): void { if (!this.responseFlags.includes(f)) this.responseFlags.push(f); }

  /** The filter state as the connection manager's access loggers print it; null until complete(). */
  accessLogFilterState: ReadonlyMap<string, Uint8Array> | null = null;

  /** Access log then destroy every filter (conn_manager_impl.cc doDeferredStreamDestroy): the
   *  filters' own access-log handlers (proxy_on_log, in chain order) run first, then the HCM's
   *  configured access loggers (Envoy >= 1.32, envoyproxy/envoy#35959: filter loggers before
   *  config loggers), and only then are the filters destroyed (proxy_on_done, proxy_on_delete).
   *  So state written in proxy_on_log is in the access log line, state written in proxy_on_done
   *  is not: the line is taken between the two. */
  complete(): void {
    for (const f of this.filters) f.log();
    this.accessLogFilterState = new Map(this.filterState);
    for (const f of this.filters) f.destroy();
  }

  builtinProperty(d: string): PropertyValue | undefined {
    const h = this.requestHeaders, r = this.clientResponseHeaders ?? this.responseHeaders, c = this.connection;
    switch (d) {
      case "request.path": return h.get(":path");
      case "request.url_path": return h.get(":path")?.split("?")[0];
      case "request.host": return h.get(":authority");
      case "request.scheme": return h.get(":scheme") ?? "http";
      case "request.method": return h.get(":method");
      case "request.headers": return h.pairs();
      case "request.referer": return h.get("referer");
      case "request.useragent": return h.get("user-agent");
      case "request.id": return h.get("x-request-id") ?? this.requestId;
      case "request.protocol": return "HTTP/1.1";
      case "request.time": return this.startTimeNs;
      case "request.size": { const cl = h.get("content-length"); return cl !== undefined ? BigInt(cl) : BigInt(this.requestBytes); }
      case "request.total_size": return BigInt(h.byteSize() + this.requestBytes);
      case "response.code": { const s = r?.get(":status"); return s !== undefined ? BigInt(s) : undefined; }
      case "response.code_details": return this.responseCodeDetails || undefined;
      case "response.flags": return responseFlagBits(this.responseFlags);
      case "response.headers": return r?.pairs();
      case "response.trailers": return this.responseTrailers?.pairs();
      case "response.size": return r ? BigInt(this.responseBytes) : undefined;
      case "source.address": return `${c.sourceAddress ?? "127.0.0.1"}:${c.sourcePort ?? 40000}`;
      case "source.port": return BigInt(c.sourcePort ?? 40000);
      case "destination.address": return `${c.destinationAddress ?? "127.0.0.1"}:${c.destinationPort ?? 10000}`;
      case "destination.port": return BigInt(c.destinationPort ?? 10000);
      case "connection.mtls": return c.mtls ?? false;
      case "xds.route_name": case "route_name": return "";
      case "xds.cluster_name": case "cluster_name": return undefined;
    }
    if (d.startsWith("request.headers.")) return h.get(d.slice(16));
    if (d.startsWith("response.headers.")) return r?.get(d.slice(17));
    return undefined;
  }
}

/** Envoy's response.flags attribute: the legacy bit vector of StreamInfo's core response flags
 *  (envoy/stream_info/stream_info.h, in enum order; an int64 like response.code, 0 when none). */
const RESPONSE_FLAG_BITS: Record<string, bigint> = {
  LH: 0x1n, UH: 0x2n, UT: 0x4n, LR: 0x8n, UR: 0x10n, UF: 0x20n, UC: 0x40n, UO: 0x80n, NR: 0x100n,
  DI: 0x200n, FI: 0x400n, RL: 0x800n, UAEX: 0x1000n, RLSE: 0x2000n, DC: 0x4000n, URX: 0x8000n,
  SI: 0x10000n, IH: 0x20000n, DPE: 0x40000n, UMSDR: 0x80000n, RFCF: 0x100000n, NFCF: 0x200000n,
};
export function responseFlagBits(flags: string[]): bigint {
  let v = 0n;
  for (const f of flags) v |= RESPONSE_FLAG_BITS[f] ?? 0n;
  return v;
}

// ---- proxytest-like low-level API -------------------------------------------------------------
export interface StreamTester {
  readonly id: number;
  readonly stream: HttpStream;
  requestHeaders(headers: HeadersInit, endOfStream?: boolean): HeadersAction;
  requestBody(chunk: string | Uint8Array, endOfStream?: boolean): DataAction;
  requestTrailers(trailers: HeadersInit): TrailersAction;
  responseHeaders(headers: HeadersInit, endOfStream?: boolean): HeadersAction;
  responseBody(chunk: string | Uint8Array, endOfStream?: boolean): DataAction;
  responseTrailers(trailers: HeadersInit): TrailersAction;
  /** on_log, on_done, on_delete. */
  complete(): void;
  /** What the filter let through so far (the request as upstream sees it, the client response). */
  readonly upstream: { headers: HeaderMap | null; body: string; trailers: HeaderMap | null; complete: boolean };
  readonly client: { headers: HeaderMap | null; body: string; trailers: HeaderMap | null; complete: boolean };
  readonly localReply: LocalReply | null;
  readonly currentRequestHeaders: Record<string, string>;
  readonly currentResponseHeaders: Record<string, string>;
  filterState(name: string): string | undefined;
  /** Filter state as the access log line printed it (after on_log, before on_done); undefined before complete(). */
  accessLogState(name: string): string | undefined;
  readonly routeCacheClears: number;
  readonly resetReason: string | null;
}

export function createStreamTester(plugin: Plugin, opts: { properties?: Record<string, PropertyValue> }): StreamTester {
  const up = { headers: null as HeaderMap | null, chunks: [] as Uint8Array[], trailers: null as HeaderMap | null, complete: false };
  const cl = { headers: null as HeaderMap | null, chunks: [] as Uint8Array[], trailers: null as HeaderMap | null, complete: false };
  const s = new HttpStream([plugin], {
    upstreamHeaders: (h, eos) => { up.headers = h; up.complete = eos; },
    upstreamData: (d, eos) => { up.chunks.push(d); up.complete = eos; },
    upstreamTrailers: (t) => { up.trailers = t; up.complete = true; },
    clientHeaders: (h, eos) => { cl.headers = h; cl.complete = eos; },
    clientData: (d, eos) => { cl.chunks.push(d); cl.complete = eos; },
    clientTrailers: (t) => { cl.trailers = t; cl.complete = true; },
  }, opts.properties);
  const f = s.filters[0];
  const bytes = (c: string | Uint8Array) => (typeof c === "string" ? utf8(c) : c);
  const body = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString("utf8");
  // The action is the status the filter returned (after Envoy's conversion), or StopAll… when
  // the stream is held at this filter without a call (data while stopped). The filter's callbacks
  // are wrapped once, here, so that every call costs the same however many came before.
  if (!f) throw new Error(`${plugin.name}: filter skipped (failed VM with fail-open policy)`);
  type Cb = "decodeHeaders" | "decodeData" | "decodeTrailers" | "encodeHeaders" | "encodeData" | "encodeTrailers";
  const last: Partial<Record<Cb, number>> = {};
  for (const name of ["decodeHeaders", "decodeData", "decodeTrailers", "encodeHeaders", "encodeData", "encodeTrailers"] as Cb[]) {
    const fn = FilterContext.prototype[name] as (...a: unknown[]) => number;
    (f as unknown as Record<Cb, (...a: unknown[]) => number>)[name] = (...a) => (last[name] = fn.apply(f, a));
  }
  const action = (name: Cb, fn: () => void): number | undefined => { delete last[name]; fn(); return last[name]; };
  const headersAction = (dir: "dec" | "enc", fn: () => void): HeadersAction => headersActionName(action(dir === "dec" ? "decodeHeaders" : "encodeHeaders", fn) ?? HeadersStatus.Continue);
  const dataAction = (dir: "dec" | "enc", fn: () => void): DataAction => dataActionName(action(dir === "dec" ? "decodeData" : "encodeData", fn) ?? DataStatus.StopIterationAndWatermark);
  const trailersAction = (dir: "dec" | "enc", fn: () => void): TrailersAction => trailersActionName(action(dir === "dec" ? "decodeTrailers" : "encodeTrailers", fn) ?? TrailersStatus.StopIteration);
  return {
    id: f.id, stream: s,
    requestHeaders: (h, eos = false) => headersAction("dec", () => s.decodeHeaders(new HeaderMap(h), eos)),
    requestBody: (c, eos = false) => dataAction("dec", () => s.decodeData(bytes(c), eos)),
    requestTrailers: (t) => trailersAction("dec", () => s.decodeTrailers(new HeaderMap(t))),
    responseHeaders: (h, eos = false) => headersAction("enc", () => s.encodeHeaders(new HeaderMap(h), eos)),
    responseBody: (c, eos = false) => dataAction("enc", () => s.encodeData(bytes(c), eos)),
    responseTrailers: (t) => trailersAction("enc", () => s.encodeTrailers(new HeaderMap(t))),
    complete: () => s.complete(),
    get upstream() { return { headers: up.headers, body: body(up.chunks), trailers: up.trailers, complete: up.complete }; },
    get client() { return { headers: cl.headers, body: body(cl.chunks), trailers: cl.trailers, complete: cl.complete }; },
    get localReply() { return s.localReply; },
    get currentRequestHeaders() { return s.requestHeaders.toObject(); },
    get currentResponseHeaders() { return (s.responseHeaders ?? new HeaderMap()).toObject(); },
    filterState: (name) => { const v = s.filterState.get(name.startsWith(FILTER_STATE_PREFIX) ? name : FILTER_STATE_PREFIX + name); return v ? fromUtf8(v) : undefined; },
    accessLogState: (name) => { const v = s.accessLogFilterState?.get(name.startsWith(FILTER_STATE_PREFIX) ? name : FILTER_STATE_PREFIX + name); return v ? fromUtf8(v) : undefined; },
    get routeCacheClears() { return s.routeCacheClears; },
    get resetReason() { return s.resetReason; },
  };
}
