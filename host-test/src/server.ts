// Serves a Gateway over real HTTP (node:http). The core (gateway.ts) knows nothing of sockets;
// this adapter turns an incoming request into GatewayRequest and streams the response chunk by
// chunk as the filters release it.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Gateway } from "./gateway.ts";

export function gatewayHandler(gw: Gateway) {
  return async (req: IncomingMessage, res: import("node:http").ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const k = req.rawHeaders[i].toLowerCase();
      if (k === "host" || k === "connection" || k === "transfer-encoding") continue;
      headers.push([k, req.rawHeaders[i + 1]]);
    }
    try {
      await gw.request({
        method: req.method, path: req.url, authority: req.headers.host ?? "localhost", headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        connection: { sourceAddress: req.socket.remoteAddress, sourcePort: req.socket.remotePort, destinationAddress: req.socket.localAddress, destinationPort: req.socket.localPort },
      }, {
        onHeaders: (status, pairs) => {
          const out: Record<string, string[]> = {};
          for (const [k, v] of pairs) if (!k.startsWith(":")) (out[k] ??= []).push(v);
          res.writeHead(status, out);
        },
        onData: (chunk, end) => { if (chunk.length) res.write(chunk); if (end) res.end(); },
      });
      if (!res.headersSent) { res.writeHead(502); }
      if (!res.writableEnded) res.end();
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(e instanceof Error ? e.message : String(e));
    }
  };
}

/** Starts an HTTP server for the gateway on 127.0.0.1; port 0 picks a free one. */
export async function serveGateway(gw: Gateway, port = 0): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(gatewayHandler(gw));
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : port}`;
  return { server, url, close: () => new Promise((r) => server.close(() => r())) };
}
