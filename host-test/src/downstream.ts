// The downstream HTTP/1.1 side of a listener as Envoy's HTTP connection manager and HTTP/1 codec
// run it, for node:http servers (the gateway, `npm start`):
// - header limits: Envoy's defaults max_request_headers_kb 60 and max_headers_count 100 (HCM
//   common_http_protocol_options); past them 431 (source/common/http/http1/codec_impl.cc
//   checkMaxHeadersSize, details http1.headers_too_large / http1.too_many_headers);
// - an answer sent before the request body was read (a filter's 401/413, no route): the response
//   carries `connection: close` (conn_manager_impl.cc encodeHeaders: "!remote_complete_" sets
//   DrainState::Closing on HTTP/1), then the connection is half-closed after the answer while the
//   rest of the body is still read and discarded, and closed when the client closes or after
//   Envoy's delayed_close_timeout (1 s). A keep-alive client then never writes into a closed
//   socket and never sees a reset.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export const MAX_REQUEST_HEADERS_BYTES = 60 * 1024;
export const MAX_HEADERS_COUNT = 100;
/** HCM delayed_close_timeout default. */
export const DELAYED_CLOSE_MS = 1000;

export interface HeaderLimits {
  maxRequestHeadersBytes?: number; maxHeadersCount?: number;
  /** Told of each request the codec refused (for an access log). */
  onRefused?(req: IncomingMessage, status: number, details: string): void;
}

/** A codec refusal of the request head: status, body and response code details, or null. */
export function headerLimitError(req: IncomingMessage, limits: HeaderLimits = {}): { status: number; body: string; details: string } | null {
  const maxBytes = limits.maxRequestHeadersBytes ?? MAX_REQUEST_HEADERS_BYTES;
  const maxCount = limits.maxHeadersCount ?? MAX_HEADERS_COUNT;
  // Envoy counts the header map: names and values, the request line's :method and :path included.
  let bytes = (req.method ?? "").length + 7 + Buffer.byteLength(req.url ?? "") + 5;
  for (let i = 0; i < req.rawHeaders.length; i++) bytes += Buffer.byteLength(req.rawHeaders[i]);
  if (bytes > maxBytes) return { status: 431, body: "Request Header Fields Too Large", details: "http1.headers_too_large" };
  if (req.rawHeaders.length / 2 > maxCount) return { status: 431, body: "Request Header Fields Too Large", details: "http1.too_many_headers" };
  return null;
}

function requestHasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");
}

/** Arms `connection: close` + delayed close for a response that starts before the request ended. */
const guarded = new WeakSet<ServerResponse>();
export function closeIfAnsweredEarly(req: IncomingMessage, res: ServerResponse): void {
  if (guarded.has(res)) return;
  guarded.add(res);
  const writeHead = res.writeHead;
  let armed = false;
  const arm = () => {
    if (armed || res.headersSent || req.complete || !requestHasBody(req)) return;
    armed = true;
    res.setHeader("connection", "close");
    // node:http ends a `connection: close` response with socket.destroySoon(): with the body still
    // unread that is a reset. Half-close instead, keep reading, close when the client does.
    const socket = req.socket as Socket & { destroySoon?: () => void };
    socket.destroySoon = () => {
      if (!socket.writableEnded) socket.end();
      const t = setTimeout(() => socket.destroy(), DELAYED_CLOSE_MS);
      t.unref();
      socket.once("close", () => clearTimeout(t));
    };
    res.once("finish", () => { if (!req.complete) req.resume(); });
  };
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    arm();
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}

/** A node:http server with Envoy's downstream HTTP/1 behaviour around `handler`. */
export function createDownstreamServer(handler: RequestListener, limits: HeaderLimits = {}): Server {
  // node:http's own head limit is set above Envoy's so that Envoy's check below decides.
  const server = createServer({ maxHeaderSize: (limits.maxRequestHeadersBytes ?? MAX_REQUEST_HEADERS_BYTES) + 16 * 1024 }, (req, res) => {
    closeIfAnsweredEarly(req, res);
    const refused = headerLimitError(req, limits);
    if (refused) {
      res.writeHead(refused.status, { "content-length": Buffer.byteLength(refused.body), "content-type": "text/plain", connection: "close" });
      res.end(refused.body);
      limits.onRefused?.(req, refused.status, refused.details);
      return;
    }
    handler(req, res);
  });
  server.maxHeadersCount = 0; // node:http would silently drop headers past 2000; Envoy's count check runs above
  return server;
}
