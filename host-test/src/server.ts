// node:http adapters for a Gateway, on both sides. The core (gateway.ts) knows nothing of sockets:
// - gatewayHandler/serveGateway: an incoming request becomes a GatewayRequest whose body is read
//   chunk by chunk as it arrives (a filter may answer before the client finished sending), and the
//   response is written chunk by chunk as the filters release it;
// - openHttpUpstream: the router's upstream request, sent with exactly the header map the filters
//   left (node:http adds only the transport headers: host, connection, transfer-encoding), body
//   chunks written as they are released, the answer streamed back chunk by chunk.
import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import { constants } from "node:os";
import type { Pairs } from "./abi.ts";
import { closeIfAnsweredEarly, createDownstreamServer } from "./downstream.ts";
import type { Gateway, GatewayRequest } from "./gateway.ts";

/** Hop-by-hop headers (RFC 9110 §7.6.1): never forwarded in either direction, as in Envoy. */
export const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host"]);

/** Request headers as pairs (lowercase names, repeated names kept), without hop-by-hop ones. */
export function incomingHeaders(req: IncomingMessage): Pairs {
  const out: Pairs = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const k = req.rawHeaders[i].toLowerCase();
    if (!HOP_BY_HOP.has(k)) out.push([k, req.rawHeaders[i + 1]]);
  }
  return out;
}

/** Whether an HTTP/1.1 request carries a body (RFC 9112 §6.3: transfer-encoding or a non-zero content-length). */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");
}

/** The GatewayRequest for an incoming request: the body is the request stream itself. */
export function toGatewayRequest(req: IncomingMessage, res?: ServerResponse): GatewayRequest {
  const abort = new AbortController();
  // The client went away before the answer was complete: Envoy resets the stream (downstream_remote_disconnect).
  res?.once("close", () => { if (!res.writableFinished) abort.abort(); });
  // Answered before the client finished its body (a filter's 413/401): `connection: close` and a
  // delayed close, as Envoy's HCM does on HTTP/1 (downstream.ts).
  if (res) closeIfAnsweredEarly(req, res);
  return {
    method: req.method, path: req.url, authority: req.headers.host ?? "localhost", headers: incomingHeaders(req),
    ...(hasBody(req) ? { bodyChunks: req as AsyncIterable<Uint8Array> } : {}),
    connection: { sourceAddress: req.socket.remoteAddress, sourcePort: req.socket.remotePort, destinationAddress: req.socket.localAddress, destinationPort: req.socket.localPort },
    signal: abort.signal,
  };
}

/** Writes a gateway response to a node:http response as it is released (headers flushed at once, for SSE). */
export function responseWriter(res: ServerResponse, onChunk?: (chunk: Uint8Array) => void) {
  return {
    onHeaders: (status: number, pairs: Pairs) => {
      const out: Record<string, string[]> = {};
      for (const [k, v] of pairs) if (!k.startsWith(":") && !HOP_BY_HOP.has(k)) (out[k] ??= []).push(v);
      res.writeHead(status, out);
      res.flushHeaders();
    },
    onData: (chunk: Uint8Array, end: boolean) => {
      if (chunk.length) { res.write(chunk); onChunk?.(chunk); }
      if (end) res.end();
    },
  };
}

export function gatewayHandler(gw: Gateway) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const r = await gw.request(toGatewayRequest(req, res), responseWriter(res));
      // A reset stream: the client sees the connection closed (Envoy resets the HTTP/1 connection).
      if (r.reset !== null) { res.destroy(); return; }
      if (!res.headersSent) res.writeHead(502);
      if (!res.writableEnded) res.end();
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(e instanceof Error ? e.message : String(e));
    }
  };
}

/** Starts an HTTP server for the gateway on 127.0.0.1; port 0 picks a free one. */
export async function serveGateway(gw: Gateway, port = 0): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createDownstreamServer(gatewayHandler(gw));
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : port}`;
  return { server, url, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

// ---- upstream ---------------------------------------------------------------------------------

/** Why an upstream request failed before its response headers, as Envoy's router reports it. */
export interface UpstreamFailure { status: number; body: string; details: string; flag: string }
export interface HttpUpstreamResponse { status: number; headers: Pairs; body: AsyncIterable<Uint8Array>; trailers(): Pairs | null }
export interface HttpUpstreamCall {
  write(chunk: Uint8Array): void;
  end(trailers?: Pairs | null): void;
  abort(): void;
  /** Resolves with the response head; rejects with an UpstreamFailure. */
  response: Promise<HttpUpstreamResponse>;
}

const CONNECT_TIMEOUT = "ETIMEDOUT_CONNECT";

/** Envoy's router answer for a failure before response headers (router.cc onUpstreamReset: 503,
 *  "upstream connect error or disconnect/reset before headers. reset reason: <reason>[, transport
 *  failure reason: <why>]", details upstream_reset_before_response_started{<reason>[|<why>]} with
 *  whitespace as "_"). A name that does not resolve leaves the cluster without hosts: "no healthy upstream". */
export function upstreamFailure(e: NodeJS.ErrnoException, connected: boolean): UpstreamFailure {
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") return { status: 503, body: "no healthy upstream", details: "no_healthy_upstream", flag: "UH" };
  let reason: string, transport = "", flag = "UF";
  if (e.code === CONNECT_TIMEOUT) reason = "connection timeout";
  else if (!connected) {
    reason = "remote connection failure";
    const errno = e.code ? (constants.errno as Record<string, number>)[e.code] : undefined;
    transport = errno !== undefined ? `delayed connect error: ${errno}` : e.message;
  } else { reason = "connection termination"; flag = "UC"; }
  const why = transport ? `, transport failure reason: ${transport}` : "";
  return {
    status: 503, flag,
    body: `upstream connect error or disconnect/reset before headers. reset reason: ${reason}${why}`,
    details: `upstream_reset_before_response_started{${reason}${transport ? `|${transport}` : ""}}`.replace(/\s/g, "_"),
  };
}

/** Opens the upstream request now (headers flushed at once); the body follows with write/end. */
export function openHttpUpstream(base: string, req: { method: string; path: string; authority: string; headers: Pairs }, opts: { connectTimeoutMs?: number } = {}): HttpUpstreamCall {
  const u = new URL(base);
  const headers: Record<string, string[]> = { host: [req.authority || u.host] };
  for (const [k, v] of req.headers) if (!k.startsWith(":") && !HOP_BY_HOP.has(k)) (headers[k] ??= []).push(v);
  const send = u.protocol === "https:" ? httpsRequest : httpRequest;
  const r = send({ protocol: u.protocol, hostname: u.hostname.replace(/^\[|\]$/g, ""), port: u.port || undefined, method: req.method, path: req.path, headers, servername: u.hostname });
  let connected = false;
  const response = new Promise<HttpUpstreamResponse>((resolve, reject) => {
    r.once("socket", (s) => {
      if (!s.connecting) { connected = true; return; }
      const ms = opts.connectTimeoutMs ?? 5000;
      const t = ms > 0 ? setTimeout(() => r.destroy(Object.assign(new Error("connect timeout"), { code: CONNECT_TIMEOUT })), ms) : null;
      s.once(u.protocol === "https:" ? "secureConnect" : "connect", () => { connected = true; if (t) clearTimeout(t); });
      s.once("close", () => { if (t) clearTimeout(t); });
    });
    r.once("error", (e: NodeJS.ErrnoException) => reject(upstreamFailure(e, connected)));
    r.once("response", (res: IncomingMessage) => {
      const h: Pairs = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        const k = res.rawHeaders[i].toLowerCase();
        if (!HOP_BY_HOP.has(k)) h.push([k, res.rawHeaders[i + 1]]);
      }
      resolve({
        status: res.statusCode ?? 502, headers: h, body: res as AsyncIterable<Uint8Array>,
        trailers: () => { const t: Pairs = []; for (let i = 0; i < res.rawTrailers.length; i += 2) t.push([res.rawTrailers[i].toLowerCase(), res.rawTrailers[i + 1]]); return t.length ? t : null; },
      });
    });
  });
  response.catch(() => {});
  r.flushHeaders();
  return {
    write: (c) => { if (c.length && !r.destroyed) r.write(c); },
    end: (trailers) => {
      if (r.destroyed || r.writableEnded) return;
      if (trailers?.length) r.addTrailers(trailers);
      r.end();
    },
    abort: () => { r.destroy(); },
    response,
  };
}
