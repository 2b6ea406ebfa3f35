// The console's HTTP server: one page (HTML, a bundled script, a stylesheet; no CDN, works
// offline) and one server-sent-event stream (/events) carrying each audit record as the local
// gateway logs it, plus throttled totals. Bounded everywhere: history, clients, a slow client's
// buffer. Listens on 127.0.0.1 only and answers only to its own Host (a web page elsewhere cannot
// reach it through DNS rebinding).
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { build } from "esbuild";
import type { ConsoleRecord, AuditRecord, RouteInfo } from "./model.ts";
import { scrubRecord } from "./scrub.ts";
import { StatsBook, type StatsOptions } from "./stats.ts";

export interface ConsoleOptions {
  /** Routes in match order, each with its filter chain (names and modules) in order. */
  routes: RouteInfo[];
  /** The gateway's URL, shown on the page. */
  gatewayUrl: string;
  /** Port on 127.0.0.1 (0 = any free port). */
  port?: number;
  /** Records kept and replayed to a new page (default 500). */
  historyLimit?: number;
  /** Concurrent event streams (default 8); one more gets 503. */
  maxClients?: number;
  /** A client whose unsent bytes exceed this is dropped (default 4 MiB); its page reconnects. */
  maxBufferedBytes?: number;
  /** Least time between two totals events (default 250 ms). */
  statsIntervalMs?: number;
  stats?: StatsOptions;
}

export interface Console {
  url: string;
  /** Takes one audit record (the access-log line, parsed): scrubbed, kept, sent to every page. */
  publish(record: AuditRecord): void;
  clientCount(): number;
  close(): Promise<void>;
}

const PAGE_DIR = join(import.meta.dirname, "page");

/** The page script, bundled once per process (esbuild, ~50 ms). */
let bundled: Promise<string> | null = null;
function pageScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [join(PAGE_DIR, "main.ts")], bundle: true, write: false, format: "iife", minify: true,
    target: "es2020", platform: "browser", legalComments: "none", logLevel: "silent",
  }).then((r) => r.outputFiles[0].text);
  return bundled;
}

const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

interface Client { res: ServerResponse }

export async function startConsole(o: ConsoleOptions): Promise<Console> {
  const historyLimit = o.historyLimit ?? 500;
  const maxClients = o.maxClients ?? 8;
  const maxBuffered = o.maxBufferedBytes ?? 4 << 20;
  const statsInterval = o.statsIntervalMs ?? 250;
  const assets = {
    html: readFileSync(join(PAGE_DIR, "index.html"), "utf8"),
    css: readFileSync(join(PAGE_DIR, "style.css"), "utf8"),
    js: await pageScript(),
  };
  const history: ConsoleRecord[] = [];
  const stats = new StatsBook(o.stats);
  const clients = new Set<Client>();
  let seq = 0;
  // Event ids are "<boot>-<seq>": a page that reconnects to a restarted console (seq from 1 again)
  // gets the whole history and clears what it had.
  const boot = Math.random().toString(36).slice(2, 10);
  let statsTimer: NodeJS.Timeout | null = null;
  let lastStats = 0;
  let port = 0;

  const send = (c: Client, chunk: string) => {
    if (c.res.destroyed) { clients.delete(c); return; }
    c.res.write(chunk);
    if (c.res.writableLength > maxBuffered) { clients.delete(c); c.res.destroy(); }
  };
  const event = (name: string, data: unknown, id?: number) => `${id !== undefined ? `id: ${boot}-${id}\n` : ""}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const broadcast = (chunk: string) => { for (const c of clients) send(c, chunk); };
  const sendStats = () => {
    statsTimer = null;
    lastStats = Date.now();
    broadcast(event("stats", stats.snapshot()));
  };
  const scheduleStats = () => {
    if (statsTimer) return;
    statsTimer = setTimeout(sendStats, Math.max(0, lastStats + statsInterval - Date.now()));
  };
  const heartbeat = setInterval(() => broadcast(": keep-alive\n\n"), 15_000);
  heartbeat.unref();

  const hello = () => ({ boot, gatewayUrl: o.gatewayUrl, routes: o.routes, historyLimit });

  const server = createServer((req, res) => {
    try { handle(req, res); } catch (e) { if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }); res.end(`console error: ${(e as Error).message}\n`); }
  });
  function handle(req: IncomingMessage, res: ServerResponse): void {
    const host = req.headers.host ?? "";
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      res.writeHead(421, { "content-type": "text/plain" }).end(`this console answers only to 127.0.0.1:${port}\n`);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") { res.writeHead(405, { allow: "GET, HEAD" }).end(); return; }
    const path = (req.url ?? "/").split("?")[0];
    const asset = (type: string, body: string) => {
      res.writeHead(200, { ...SECURITY_HEADERS, "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (path === "/") return asset("text/html; charset=utf-8", assets.html);
    if (path === "/console.js") return asset("text/javascript; charset=utf-8", assets.js);
    if (path === "/console.css") return asset("text/css; charset=utf-8", assets.css);
    if (path === "/events") return stream(req, res);
    if (path === "/favicon.ico") { res.writeHead(204).end(); return; }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  }
  function stream(req: IncomingMessage, res: ServerResponse): void {
    if (clients.size >= maxClients) {
      res.writeHead(503, { "content-type": "text/plain", "retry-after": "10" }).end(`too many console pages open (${maxClients}); close one\n`);
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive", "x-accel-buffering": "no" });
    const c: Client = { res };
    clients.add(c);
    req.socket.setNoDelay(true);
    res.on("close", () => clients.delete(c));
    // A reconnecting page says what it has (Last-Event-ID); it gets only what is newer.
    const m = /^([a-z0-9]+)-(\d+)$/.exec(String(req.headers["last-event-id"] ?? ""));
    const last = m && m[1] === boot ? Number(m[2]) : 0;
    const missed = history.filter((r) => r.seq > last);
    send(c, `retry: 3000\n\n${event("hello", hello())}`);
    send(c, event("history", missed, history.length ? history[history.length - 1].seq : undefined));
    send(c, event("stats", stats.snapshot()));
  }

  await new Promise<void>((ok, fail) => { server.once("error", fail); server.listen(o.port ?? 0, "127.0.0.1", () => ok()); });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    publish(input) {
      const { record, scrubbed } = scrubRecord(input);
      const r: ConsoleRecord = { seq: ++seq, record, scrubbed };
      history.push(r);
      if (history.length > historyLimit) history.shift();
      stats.add(record);
      broadcast(event("record", r, r.seq));
      scheduleStats();
    },
    clientCount: () => clients.size,
    close: async () => {
      clearInterval(heartbeat);
      if (statsTimer) clearTimeout(statsTimer);
      for (const c of clients) c.res.destroy();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The routes of a gateway description as the console shows them: filter chain in order. */
export function routesOf(d: { routes: Array<{ name: string; filters: string[]; provider?: string | null; directResponse?: unknown }>; filters: Array<{ name: string; module: string }> }): RouteInfo[] {
  return d.routes.map((r) => ({
    name: r.name,
    filters: r.filters.map((n) => ({ name: n, module: d.filters.find((f) => f.name === n)?.module ?? n })),
    target: r.directResponse ? "answered by the gateway" : `provider ${r.provider ?? "?"}`,
  }));
}
