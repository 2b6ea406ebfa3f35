// Gateway: a chain of plugins in front of an upstream, driven like Envoy's HTTP connection
// manager drives one stream. Independent of node:http so a server can wrap it (see server.ts).
import { fromUtf8, utf8, type Pairs } from "./abi.ts";
import { HeaderMap } from "./headers.ts";
import { toPairs, type Plugin } from "./plugin.ts";
import type { PropertyValue } from "./properties.ts";
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
export type UpstreamHandler = (req: UpstreamRequest) => Promise<UpstreamResponse> | UpstreamResponse;

export interface GatewayOptions {
  /** A handler, or a base URL (http://127.0.0.1:PORT) reached over real HTTP. */
  upstream?: UpstreamHandler | string;
  /** Stream-level properties for every request (request.properties adds to these). */
  properties?: Record<string, PropertyValue>;
}

export interface GatewayRequest {
  method?: string; path?: string; authority?: string; scheme?: string;
  headers?: Record<string, string | string[]> | Pairs;
  body?: string | Uint8Array;
  /** Send the request body in these chunks (each is one on_request_body call at the first filter). */
  bodyChunks?: Array<string | Uint8Array>;
  trailers?: Record<string, string> | Pairs;
  properties?: Record<string, PropertyValue>;
  connection?: { sourceAddress?: string; sourcePort?: number; destinationAddress?: string; destinationPort?: number; mtls?: boolean };
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
  /** The request as the upstream received it, or null if it never reached the upstream. */
  upstreamRequest: UpstreamRequest | null;
  responseCodeDetails: string;
  /** Set when the stream was reset (close_stream, local reply after headers were sent). */
  reset: string | null;
  /** How many times a filter changed request headers (Envoy clears the route cache each time). */
  routeCacheClears: number;
  filterState(name: string): string | undefined;
  filterStateBytes(name: string): Uint8Array | undefined;
}

export interface StreamSink { onHeaders?(status: number, headers: Pairs): void; onData?(chunk: Uint8Array, end: boolean): void }

export class Gateway {
  constructor(readonly plugins: Plugin[], readonly options: GatewayOptions = {}) {}

  async request(req: GatewayRequest, sink: StreamSink = {}): Promise<GatewayResponse> {
    const h = new HeaderMap([
      [":method", req.method ?? (req.body !== undefined || req.bodyChunks ? "POST" : "GET")],
      [":scheme", req.scheme ?? "http"],
      [":authority", req.authority ?? "localhost"],
      [":path", req.path ?? "/"],
    ]);
    for (const [k, v] of toPairs(req.headers)) h.add(k, v);
    const chunks = req.bodyChunks ? req.bodyChunks.map(bytes) : req.body !== undefined ? [bytes(req.body)] : [];
    const total = chunks.reduce((n, c) => n + c.length, 0);
    if (!h.has("content-length") && !req.bodyChunks && chunks.length) h.add("content-length", String(total));
    if (!h.has("x-request-id")) h.add("x-request-id", crypto.randomUUID());
    const reqTrailers = req.trailers ? new HeaderMap(toPairs(req.trailers)) : null;

    const up = { headers: null as HeaderMap | null, chunks: [] as Uint8Array[], trailers: null as HeaderMap | null, complete: false, called: false };
    const client = { status: 0, headers: null as HeaderMap | null, chunks: [] as Uint8Array[], trailers: null as HeaderMap | null };
    let wake: () => void = () => {};
    const stream = new HttpStream(this.plugins, {
      upstreamHeaders: (hh, eos) => { up.headers = hh.clone(); up.complete = eos; },
      upstreamData: (d, eos) => { up.chunks.push(d); up.complete = eos; },
      upstreamTrailers: (t) => { up.trailers = t.clone(); up.complete = true; },
      clientHeaders: (hh) => { client.headers = hh.clone(); client.status = Number(hh.get(":status") ?? 0); sink.onHeaders?.(client.status, hh.pairs()); },
      clientData: (d, eos) => { client.chunks.push(d); sink.onData?.(d, eos); },
      clientTrailers: (t) => { client.trailers = t.clone(); },
      wake: () => wake(),
    }, { ...this.options.properties, ...req.properties }, req.connection);

    stream.decodeHeaders(h, chunks.length === 0 && !reqTrailers);
    chunks.forEach((c, i) => stream.decodeData(c, i === chunks.length - 1 && !reqTrailers));
    if (reqTrailers) stream.decodeTrailers(reqTrailers);

    for (let rounds = 0; !stream.ended; rounds++) {
      if (rounds > 10_000) throw new Error("gateway: stream did not finish after 10000 rounds");
      if (up.complete && !up.called && !stream.decodingDone) {
        up.called = true;
        await this.callUpstream(stream, up);
        continue;
      }
      const pending = this.plugins.filter((p) => p.pendingCallouts > 0);
      if (pending.length) {
        await new Promise<void>((resolve) => { wake = resolve; Promise.race(pending.map((p) => p.settle(1))).then(() => resolve()); });
        wake = () => {};
        continue;
      }
      await new Promise((r) => setImmediate(r)); // queued work (shared-queue callbacks)
      if (stream.ended || (up.complete && !up.called && !stream.decodingDone) || this.plugins.some((p) => p.pendingCallouts > 0)) continue;
      stream.complete();
      throw new Error(`gateway: stream stalled: ${describeStall(stream, up.called)} and no callout is pending`);
    }
    stream.complete();

    const bodyBytes = concatAll(client.chunks);
    const upstreamRequest: UpstreamRequest | null = up.called && up.headers ? toUpstreamRequest(up.headers, concatAll(up.chunks), up.trailers) : null;
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
      reset: stream.resetReason,
      routeCacheClears: stream.routeCacheClears,
      filterState: (name) => { const v = stream.filterState.get(name.startsWith("wasm.") ? name : `wasm.${name}`); return v ? fromUtf8(v) : undefined; },
      filterStateBytes: (name) => stream.filterState.get(name.startsWith("wasm.") ? name : `wasm.${name}`),
    };
  }

  private async callUpstream(stream: HttpStream, up: { headers: HeaderMap | null; chunks: Uint8Array[]; trailers: HeaderMap | null }): Promise<void> {
    const req = toUpstreamRequest(up.headers!, concatAll(up.chunks), up.trailers);
    const target = this.options.upstream;
    let res: UpstreamResponse;
    try {
      res = !target ? { status: 200, body: "" } : typeof target === "string" ? await realUpstream(target, req) : await target(req);
    } catch (e) {
      // Envoy's router answers a failed upstream with a local 503.
      res = { status: 503, headers: { "content-type": "text/plain" }, body: `upstream connect error or disconnect/reset before headers. reset reason: ${e instanceof Error ? e.message : e}` };
      stream.responseCodeDetails = "upstream_reset_before_response_started";
    }
    if (stream.ended || stream.decodingDone) return;
    const h = new HeaderMap([[":status", String(res.status ?? 200)]]);
    for (const [k, v] of toPairs(res.headers)) h.add(k, v);
    const trailers = res.trailers ? new HeaderMap(toPairs(res.trailers)) : null;
    if (res.chunks) {
      stream.encodeHeaders(h, false);
      const list: Array<string | Uint8Array> = [];
      const it = res.chunks as AsyncIterable<string | Uint8Array> | Array<string | Uint8Array>;
      if (Symbol.asyncIterator in it) {
        let prev: Uint8Array | null = null;
        for await (const c of it as AsyncIterable<string | Uint8Array>) {
          if (prev) stream.encodeData(prev, false);
          prev = bytes(c);
          if (stream.ended) return;
        }
        stream.encodeData(prev ?? new Uint8Array(0), !trailers);
      } else {
        list.push(...(it as Array<string | Uint8Array>));
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
  }
}

function describeStall(s: HttpStream, upstreamCalled: boolean): string {
  const names = s.filters.map((f) => f.plugin.name);
  return `${upstreamCalled ? "response" : "request"} held by a filter (chain: ${names.join(" -> ")})`;
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

/** Real HTTP upstream: the response body is streamed chunk by chunk into the filters. */
async function realUpstream(base: string, req: UpstreamRequest): Promise<UpstreamResponse> {
  const headers: Record<string, string> = {};
  for (const [k, v] of req.headerPairs) if (!k.startsWith(":") && k !== "content-length" && k !== "host" && k !== "transfer-encoding") headers[k] = v;
  const res = await fetch(new URL(req.path, base), { method: req.method, headers, body: req.bodyBytes.length ? Buffer.from(req.bodyBytes) : undefined });
  const h: Pairs = [];
  res.headers.forEach((v, k) => { if (k !== "transfer-encoding" && k !== "connection" && k !== "keep-alive") h.push([k, v]); });
  async function* chunks() {
    if (!res.body) return;
    const reader = res.body.getReader();
    for (;;) { const { done, value } = await reader.read(); if (done) return; yield value; }
  }
  return { status: res.status, headers: h, chunks: chunks() };
}
