// Gateway: a chain of plugins in front of an upstream, driven like Envoy's HTTP connection
// manager drives one stream: the request body enters the filters chunk by chunk as it arrives,
// the upstream request starts once the headers passed the chain and gets body chunks as the
// filters release them, the answer streams back chunk by chunk; route timeout, stream idle
// timeout and upstream failures end the stream as Envoy's router and HCM would. Independent of
// sockets except through server.ts (the node:http adapters).
import { fromUtf8, utf8, type Pairs } from "./abi.ts";
import { HeaderMap } from "./headers.ts";
import { toPairs, type Plugin } from "./plugin.ts";
import type { PropertyValue } from "./properties.ts";
import { openHttpUpstream, type HttpUpstreamCall, type UpstreamFailure } from "./server.ts";
import { HttpStream, type LocalReply } from "./stream.ts";

export interface UpstreamRequest { method: string; path: string; authority: string; headers: Record<string, string>; headerPairs: Pairs; body: string; bodyBytes: Uint8Array; trailers: Pairs | null }
export interface UpstreamResponse {
  status?: number;
  headers?: Record<string, string | string[]> | Pairs;
  /** The whole body, or `chunks` delivered one by one through the response body callbacks. */
  body?: string | Uint8Array;
  chunks?: Array<string | Uint8Array> | AsyncIterable<string | Uint8Array>;
  trailers?: Record<string, string> | Pairs;
}
/** Called once the whole request passed the filters (the body is complete). */
export type UpstreamHandler = (req: UpstreamRequest) => Promise<UpstreamResponse> | UpstreamResponse;

/** A real HTTP(S) upstream (an Envoy cluster with one host), reached with node:http. */
export interface HttpUpstream {
  url: string;
  /** Envoy's cluster connect_timeout (default 5000; 0 = none). */
  connectTimeoutMs?: number;
}

export interface GatewayOptions {
  /** A handler, or a base URL / HttpUpstream reached over real HTTP with the request streamed. */
  upstream?: UpstreamHandler | string | HttpUpstream;
  /** Stream-level properties for every request (request.properties adds to these). */
  properties?: Record<string, PropertyValue>;
  /** HCM use_remote_address: true (an edge proxy): before the filters, x-forwarded-for gets the
   *  client address appended, x-forwarded-proto is set, x-request-id is a new UUID, and client
   *  x-envoy-* headers are removed. Otherwise only a missing x-request-id is added. */
  useRemoteAddress?: boolean;
  /** Route timeout (RouteAction.timeout): from the end of the request to the end of the upstream
   *  response. 0 = none (default). When set, x-envoy-expected-rq-timeout-ms goes upstream. */
  routeTimeoutMs?: number;
  /** Route host_rewrite_literal: the upstream's Host (filters still see the client's :authority). */
  hostRewrite?: string;
  /** Header changes between the filters and the upstream (e.g. Envoy's credential_injector). */
  upstreamHeaders?: (headers: HeaderMap) => void;
  /** HCM stream_idle_timeout: no bytes from the client or to the client for this long ends the
   *  stream (408 "stream timeout" before the response started, else a reset). Default 300000 (Envoy's
   *  5 min); 0 = none. */
  streamIdleTimeoutMs?: number;
  /** When the stream is held and nothing can move it (no callout pending, no body or upstream in
   *  flight), end it after this long instead of the idle timeout (tests: 0 to see a stall at once).
   *  The response then has `stalled: true`. Default: the idle timeout alone decides. */
  stalledStreamTimeoutMs?: number;
}

export interface GatewayRequest {
  method?: string; path?: string; authority?: string; scheme?: string;
  headers?: Record<string, string | string[]> | Pairs;
  body?: string | Uint8Array;
  /** The request body in chunks, each one on_request_body call at the first filter. An async
   *  source is read as it produces (a filter may answer before it ends); the end of the body is
   *  flagged on the chunk that came with it, or comes as an empty last call. */
  bodyChunks?: Array<string | Uint8Array> | AsyncIterable<string | Uint8Array>;
  trailers?: Record<string, string> | Pairs;
  properties?: Record<string, PropertyValue>;
  connection?: { sourceAddress?: string; sourcePort?: number; destinationAddress?: string; destinationPort?: number; mtls?: boolean };
  /** Aborted = the client went away: the stream is reset (downstream_remote_disconnect). */
  signal?: AbortSignal;
}

export interface GatewayResponse {
  status: number;
  /** Headers as the client sees them (repeated names joined with ","). */
  headers: Record<string, string>;
  headerPairs: Pairs;
  body: string;
  bodyBytes: Uint8Array;
  /** Body chunks in the order the client received them. */
  chunks: string[];
  trailers: Record<string, string> | null;
  localReply: LocalReply | null;
  /** The request as the upstream received it (headers as sent), or null if it never reached the upstream. */
  upstreamRequest: UpstreamRequest | null;
  responseCodeDetails: string;
  /** Envoy's %RESPONSE_FLAGS% for what the gateway itself did ("-" when none): UF, UH, UC, UT, SI, DC. */
  responseFlags: string;
  /** Set when the stream was reset (close_stream, local reply after headers were sent, timeouts). */
  reset: string | null;
  /** The stream was held with nothing pending and ended by the stall/idle timeout. */
  stalled: boolean;
  /** The request's x-request-id (generated when absent, or always at the edge). */
  requestId: string;
  /** How many times a filter changed request headers (Envoy clears the route cache each time). */
  routeCacheClears: number;
  /** Request body bytes received from the client; response body bytes sent to it. */
  bytesReceived: number;
  bytesSent: number;
  /** Filter state as the access log line prints it (written by proxy_on_log at the latest). */
  filterState(name: string): string | undefined;
  filterStateBytes(name: string): Uint8Array | undefined;
}

export interface StreamSink { onHeaders?(status: number, headers: Pairs): void; onData?(chunk: Uint8Array, end: boolean): void }

type Source = AsyncIterable<string | Uint8Array>;

export class Gateway {
  constructor(readonly plugins: Plugin[], readonly options: GatewayOptions = {}) {}

  async request(req: GatewayRequest, sink: StreamSink = {}): Promise<GatewayResponse> {
    const o = this.options;
    const h = new HeaderMap([
      [":method", req.method ?? (req.body !== undefined || req.bodyChunks ? "POST" : "GET")],
      [":scheme", req.scheme ?? "http"],
      [":authority", req.authority ?? "localhost"],
      [":path", req.path ?? "/"],
    ]);
    for (const [k, v] of toPairs(req.headers)) h.add(k, v);
    const list = req.bodyChunks === undefined ? (req.body !== undefined ? [bytes(req.body)] : [])
      : Array.isArray(req.bodyChunks) ? req.bodyChunks.map(bytes) : null;
    const source = list === null ? req.bodyChunks as Source : null;
    if (list && !h.has("content-length") && !req.bodyChunks && list.length) h.add("content-length", String(list.reduce((n, c) => n + c.length, 0)));
    if (o.useRemoteAddress) edgeRequestHeaders(h, req);
    else if (!h.has("x-request-id")) h.add("x-request-id", crypto.randomUUID());
    const reqTrailers = req.trailers ? new HeaderMap(toPairs(req.trailers)) : null;
    const http = typeof o.upstream === "string" ? { url: o.upstream } : o.upstream && typeof o.upstream === "object" ? o.upstream : null;

    // ---- wake-ups, timers ------------------------------------------------------------------------
    let wake: (() => void) | null = null;
    const kick = () => { const w = wake; wake = null; w?.(); };
    let busy = 0, failure: unknown = null;
    const task = (p: Promise<void>) => { busy++; p.catch((e) => { failure ??= e; }).finally(() => { busy--; kick(); }); };
    const timers: NodeJS.Timeout[] = [];
    const timer = (ms: number, fn: () => void) => { const t = setTimeout(() => { fn(); kick(); }, ms); timers.push(t); return t; };
    let stalled = false, idleFired = false;
    // On the stream: filters read them as the response.flags property (access-log phase).
    const addFlag = (f: string) => stream.addResponseFlag(f);
    const idleMs = o.streamIdleTimeoutMs ?? 300_000;
    // HCM onIdleTimeout: 408 "stream timeout" (through the encoder filters if the response has not
    // started), a reset once the client has response headers or if it fires again.
    const onIdle = () => {
      if (stream.ended) return;
      addFlag("SI");
      abortUpstream();
      if (idleFired) stream.reset("stream_idle_timeout");
      else stream.sendLocalReply("http_connection_manager", 408, utf8("stream timeout"), [], -1, "stream_idle_timeout", false);
      idleFired = true;
      if (!stream.ended) idle?.refresh();
    };
    const idle = idleMs > 0 ? timer(idleMs, onIdle) : null;
    const activity = () => { if (!idleFired) idle?.refresh(); };
    let stallTimer: NodeJS.Timeout | null = null;

    // ---- the upstream side (router) -------------------------------------------------------------
    const up = { headers: null as HeaderMap | null, chunks: [] as Uint8Array[], trailers: null as HeaderMap | null, complete: false, started: false, done: false };
    let call: HttpUpstreamCall | null = null;
    let routeTimer: NodeJS.Timeout | null = null;
    const abortUpstream = () => { up.done = true; call?.abort(); if (routeTimer) clearTimeout(routeTimer); };
    const routerReply = (status: number, body: string, details: string) => {
      // Envoy's router sendLocalReply: through the encoder filters; request processing ends.
      up.done = true;
      stream.decodingDone = true;
      stream.responseCodeDetails = details;
      const b = utf8(body);
      stream.encodeHeaders(new HeaderMap([[":status", String(status)], ["content-length", String(b.length)], ["content-type", "text/plain"]]), b.length === 0);
      if (b.length && !stream.ended) stream.encodeData(b, true);
    };
    const requestComplete = () => {
      // Router: the global timeout runs from the end of the request to the end of the response.
      if ((o.routeTimeoutMs ?? 0) > 0 && !routeTimer) routeTimer = timer(o.routeTimeoutMs!, () => {
        if (stream.ended || up.done) return;
        addFlag("UT");
        abortUpstream();
        if (!stream.encodeStarted) routerReply(504, "upstream request timeout", "upstream_response_timeout");
        else stream.reset("upstream_response_timeout");
      });
    };
    const startHttp = () => {
      const hh = up.headers!;
      call = openHttpUpstream(http!.url, { method: hh.get(":method") ?? "GET", path: hh.get(":path") ?? "/", authority: hh.get(":authority") ?? "", headers: hh.pairs() }, { connectTimeoutMs: http!.connectTimeoutMs });
      const c = call;
      task(this.pumpHttpResponse(stream, c, up, routerReply, addFlag));
    };

    const client = { status: 0, headers: null as HeaderMap | null, chunks: [] as Uint8Array[], trailers: null as HeaderMap | null, bytes: 0 };
    const stream: HttpStream = new HttpStream(this.plugins, {
      upstreamHeaders: (hh, eos) => {
        up.headers = this.routerHeaders(hh); up.complete = eos;
        if (http) { startHttp(); if (eos) { call!.end(); requestComplete(); } }
        else if (eos) requestComplete();
      },
      upstreamData: (d, eos) => {
        up.chunks.push(d); up.complete = eos;
        call?.write(d);
        if (eos) { call?.end(); requestComplete(); }
      },
      upstreamTrailers: (t) => { up.trailers = t.clone(); up.complete = true; call?.end(t.pairs()); requestComplete(); },
      clientHeaders: (hh) => { activity(); client.headers = hh.clone(); client.status = Number(hh.get(":status") ?? 0); sink.onHeaders?.(client.status, hh.pairs()); },
      clientData: (d, eos) => { activity(); client.chunks.push(d); client.bytes += d.length; sink.onData?.(d, eos); },
      clientTrailers: (t) => { client.trailers = t.clone(); },
      wake: kick,
    }, { ...o.properties, ...req.properties }, req.connection);
    const onAbort = () => { if (!stream.ended) { addFlag("DC"); abortUpstream(); stream.reset("downstream_remote_disconnect"); kick(); } };
    req.signal?.addEventListener("abort", onAbort);
    if (req.signal?.aborted) onAbort();

    // ---- the request ---------------------------------------------------------------------------
    const requestEnded = () => stream.ended || stream.decodingDone;
    stream.decodeHeaders(h, list !== null && list.length === 0 && !reqTrailers);
    if (list) {
      list.forEach((c, i) => stream.decodeData(c, i === list.length - 1 && !reqTrailers));
      if (reqTrailers) stream.decodeTrailers(reqTrailers);
    } else {
      task((async () => {
        let r: { stopped: boolean; lastDelivered: boolean };
        try {
          r = await pump(source!, (c, last) => {
            if (requestEnded()) return false;
            activity();
            stream.decodeData(c, last && !reqTrailers);
            kick();
            return true;
          });
        } catch {
          onAbort(); // the client's body broke off
          return;
        }
        if (r.stopped || requestEnded()) return;
        if (!r.lastDelivered && !reqTrailers) stream.decodeData(new Uint8Array(0), true);
        if (reqTrailers && !requestEnded()) stream.decodeTrailers(reqTrailers);
      })());
    }

    // ---- the loop: callouts, handler upstream, stalls --------------------------------------------
    try {
      for (let rounds = 0; !stream.ended; rounds++) {
        if (rounds > 1_000_000) throw new Error("gateway: stream did not finish after 1000000 rounds");
        if (failure) throw failure;
        if (!http && up.complete && !up.started && !stream.decodingDone) {
          up.started = true;
          task(this.callHandler(stream, up, addFlag));
          continue;
        }
        const pending = this.plugins.filter((p) => p.pendingCallouts > 0);
        const idleNow = () => !stream.ended && busy === 0 && !this.plugins.some((p) => p.pendingCallouts > 0) && !(!http && up.complete && !up.started && !stream.decodingDone);
        if (idleNow()) {
          await new Promise((r) => setImmediate(r)); // queued work (shared-queue callbacks)
          if (idleNow() && o.stalledStreamTimeoutMs !== undefined && !stallTimer) {
            stallTimer = timer(o.stalledStreamTimeoutMs, () => { stallTimer = null; if (idleNow()) { stalled = true; onIdle(); } });
          }
          if (!idleNow()) continue;
        } else if (stallTimer) { clearTimeout(stallTimer); stallTimer = null; }
        if (stream.ended) break;
        await new Promise<void>((resolve) => { wake = resolve; for (const p of pending) p.settle(1).then(kick); });
      }
      if (failure) throw failure;
    } finally {
      for (const t of timers) clearTimeout(t);
      req.signal?.removeEventListener("abort", onAbort);
      if (!up.done) abortUpstream();
    }
    stream.complete();

    const bodyBytes = concatAll(client.chunks);
    const upstreamRequest: UpstreamRequest | null = (up.started || call) && up.headers ? toUpstreamRequest(up.headers, concatAll(up.chunks), up.trailers) : null;
    return {
      status: stream.resetReason !== null && !client.headers ? 0 : client.status,
      headers: client.headers ? withoutPseudo(client.headers).toObject() : {},
      headerPairs: client.headers ? withoutPseudo(client.headers).pairs() : [],
      body: fromUtf8(bodyBytes), bodyBytes,
      chunks: client.chunks.map(fromUtf8),
      trailers: client.trailers ? client.trailers.toObject() : null,
      localReply: stream.localReply,
      upstreamRequest,
      responseCodeDetails: stream.responseCodeDetails,
      responseFlags: stream.responseFlags.join(",") || "-",
      reset: stream.resetReason,
      stalled,
      routeCacheClears: stream.routeCacheClears,
      requestId: stream.requestHeaders.get("x-request-id") ?? stream.requestId,
      bytesReceived: stream.requestBytes, bytesSent: client.bytes,
      // What the access log line prints: the state after the filters' on_log, before on_done.
      filterState: (name) => { const v = stream.accessLogFilterState?.get(name.startsWith("wasm.") ? name : `wasm.${name}`); return v ? fromUtf8(v) : undefined; },
      filterStateBytes: (name) => stream.accessLogFilterState?.get(name.startsWith("wasm.") ? name : `wasm.${name}`),
    };
  }

  /** What the router changes after the filters: host rewrite, the expected-timeout header, then the hook. */
  private routerHeaders(filtered: HeaderMap): HeaderMap {
    const o = this.options, h = filtered.clone();
    if (o.hostRewrite) h.set(":authority", o.hostRewrite);
    if ((o.routeTimeoutMs ?? 0) > 0) h.set("x-envoy-expected-rq-timeout-ms", String(o.routeTimeoutMs));
    o.upstreamHeaders?.(h);
    return h;
  }

  /** A real HTTP upstream's answer, streamed into the encoder filters as it arrives. */
  private async pumpHttpResponse(stream: HttpStream, call: HttpUpstreamCall, up: { done: boolean },
    routerReply: (status: number, body: string, details: string) => void, addFlag: (f: string) => void): Promise<void> {
    let res;
    try {
      res = await call.response;
    } catch (e) {
      if (up.done || stream.ended) return;
      const f = e as UpstreamFailure;
      addFlag(f.flag);
      routerReply(f.status, f.body, f.details);
      return;
    }
    if (up.done || stream.ended) { call.abort(); return; }
    const h = new HeaderMap([[":status", String(res.status)], ...res.headers]);
    if (res.status === 204 || res.status === 304 || h.get("content-length") === "0") {
      up.done = true;
      stream.encodeHeaders(h, true);
      return;
    }
    stream.encodeHeaders(h, false);
    try {
      const r = await pump(res.body, (c, last) => {
        if (up.done || stream.ended) return false;
        stream.encodeData(c, last && !res.trailers());
        return true;
      });
      if (r.stopped || up.done || stream.ended) { call.abort(); return; }
      const t = res.trailers();
      if (!r.lastDelivered && !t) stream.encodeData(new Uint8Array(0), true);
      if (t && !stream.ended) stream.encodeTrailers(new HeaderMap(t));
    } catch {
      // The upstream connection broke after the response started: Envoy resets the stream.
      if (!up.done && !stream.ended) { addFlag("UC"); stream.reset("upstream_reset_after_response_started{connection_termination}"); }
    } finally {
      up.done = true;
    }
  }

  /** A handler upstream: called with the whole request; its answer goes through the encoder filters. */
  private async callHandler(stream: HttpStream, up: { headers: HeaderMap | null; chunks: Uint8Array[]; trailers: HeaderMap | null; done: boolean }, addFlag: (f: string) => void): Promise<void> {
    const req = toUpstreamRequest(up.headers!, concatAll(up.chunks), up.trailers);
    const target = this.options.upstream as UpstreamHandler | undefined;
    let res: UpstreamResponse;
    try {
      res = !target ? { status: 200, body: "" } : await target(req);
    } catch (e) {
      // Envoy's router answers a failed upstream with a local 503.
      res = { status: 503, headers: { "content-type": "text/plain" }, body: `upstream connect error or disconnect/reset before headers. reset reason: ${e instanceof Error ? e.message : e}` };
      stream.responseCodeDetails = "upstream_reset_before_response_started";
    }
    if (up.done || stream.ended || stream.decodingDone) return;
    const h = new HeaderMap([[":status", String(res.status ?? 200)]]);
    for (const [k, v] of toPairs(res.headers)) h.add(k, v);
    const trailers = res.trailers ? new HeaderMap(toPairs(res.trailers)) : null;
    if (res.chunks) {
      stream.encodeHeaders(h, false);
      const it = res.chunks;
      if (Symbol.asyncIterator in it) {
        let r: { stopped: boolean; lastDelivered: boolean };
        try {
          r = await pump(it as Source, (c, last) => {
            if (up.done || stream.ended) return false;
            stream.encodeData(c, last && !trailers);
            return true;
          });
        } catch {
          // The handler's body broke off after the response started (a proxied upstream's
          // connection was cut): Envoy resets the stream, as in pumpHttpResponse.
          if (!up.done && !stream.ended) { addFlag("UC"); stream.reset("upstream_reset_after_response_started{connection_termination}"); }
          up.done = true;
          return;
        }
        if (r.stopped || up.done || stream.ended) return;
        if (!r.lastDelivered && !trailers) stream.encodeData(new Uint8Array(0), true);
      } else {
        const list = it as Array<string | Uint8Array>;
        if (list.length === 0) stream.encodeData(new Uint8Array(0), !trailers);
        list.forEach((c, i) => { if (!stream.ended) stream.encodeData(bytes(c), i === list.length - 1 && !trailers); });
      }
    } else {
      const body = res.body !== undefined ? bytes(res.body) : new Uint8Array(0);
      if (!h.has("content-length") && res.body !== undefined) h.add("content-length", String(body.length));
      stream.encodeHeaders(h, body.length === 0 && !trailers);
      if (body.length && !stream.ended) stream.encodeData(body, !trailers);
    }
    if (trailers && !stream.ended) stream.encodeTrailers(trailers);
    up.done = true;
  }
}

/** HCM mutateRequestHeaders for an edge request (use_remote_address: true, no trusted hops, no
 *  internal address ranges, preserve_external_request_id: false): x-envoy-* from the client are
 *  dropped, the client address is appended to x-forwarded-for, x-forwarded-proto is the
 *  connection's scheme and x-request-id is new (conn_manager_utility.cc). */
function edgeRequestHeaders(h: HeaderMap, req: GatewayRequest): void {
  for (const [k] of h.pairs()) if (k.startsWith("x-envoy-")) h.remove(k);
  const addr = req.connection?.sourceAddress ?? "127.0.0.1";
  const xff = h.get("x-forwarded-for");
  h.set("x-forwarded-for", xff ? `${xff},${addr}` : addr);
  h.set("x-forwarded-proto", req.scheme ?? "http");
  h.set("x-request-id", crypto.randomUUID());
}

/** Reads a source chunk by chunk. A chunk after which the source ended in the same I/O turn is
 *  flagged last (as Envoy's codec flags end_stream on the data that came with the end of the
 *  message); otherwise the caller sends the end as an empty last call. `each` returns false to stop. */
async function pump(src: Source, each: (c: Uint8Array, last: boolean) => boolean): Promise<{ stopped: boolean; lastDelivered: boolean }> {
  const it = src[Symbol.asyncIterator]();
  let r = await it.next();
  while (!r.done) {
    const c = bytes(r.value);
    const next = it.next();
    next.catch(() => {});
    const ended = await Promise.race([next.then((x) => x.done === true, () => false), new Promise<boolean>((ok) => setImmediate(ok, false))]);
    if ((c.length || ended) && !each(c, ended)) return { stopped: true, lastDelivered: false };
    if (ended) return { stopped: false, lastDelivered: true };
    r = await next;
  }
  return { stopped: false, lastDelivered: false };
}

function withoutPseudo(h: HeaderMap): HeaderMap { return new HeaderMap(h.pairs().filter(([k]) => !k.startsWith(":"))); }
function bytes(c: string | Uint8Array): Uint8Array { return typeof c === "string" ? utf8(c) : c; }
function concatAll(list: Uint8Array[]): Uint8Array { return new Uint8Array(Buffer.concat(list)); }

function toUpstreamRequest(h: HeaderMap, body: Uint8Array, trailers: HeaderMap | null): UpstreamRequest {
  return {
    method: h.get(":method") ?? "GET", path: h.get(":path") ?? "/", authority: h.get(":authority") ?? "",
    headers: h.toObject(), headerPairs: h.pairs(), body: fromUtf8(body), bodyBytes: body, trailers: trailers ? trailers.pairs() : null,
  };
}
