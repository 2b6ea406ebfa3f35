// The local gateway behind `npm start`: the gateway description (envoy/gateway.yaml, the same file
// compose turns into Envoy's bootstrap) served over real HTTP on 127.0.0.1 by the Node proxy-wasm
// host. Each route runs its own filter chain (the compiled dist/<module>.wasm, as Envoy would),
// request bodies enter the filters in the chunks they arrive in, and answers leave as the filters
// release them (SSE reaches the client as it is produced). One JSON access-log line per request.
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative, resolve } from "node:path";
import { Gateway, loadPlugin, type Plugin, type UpstreamRequest, type UpstreamResponse } from "../index.ts";
import type { Pairs } from "../abi.ts";
import { DescriptionError, loadDescription, type Description, type Issue, type Provider, type Route } from "../../../tools/compose/index.ts";
import { startSampleLlm, type SampleLlm } from "./sample-llm.ts";

export interface LocalGatewayOptions {
  /** Description file (default envoy/gateway.yaml under root). */
  config?: string;
  /** Port on 127.0.0.1; 0 picks a free one (default: the description's listener port). */
  port?: number;
  /** Repository root (filters/ and dist/ are found there). */
  root?: string;
  /** Receives each access-log line (JSON); default: stdout. */
  accessLog?: (line: string) => void;
  /** Print the filters' own log lines to stderr (as Envoy's "wasm log ..."). */
  pluginLogs?: boolean;
  /** Environment for provider credentials (default process.env). */
  env?: Record<string, string | undefined>;
}

export interface LocalGateway {
  url: string;
  description: Description;
  /** Where the built-in sample upstream listens, when a provider uses it. */
  sampleUrl: string | null;
  /** Remarks for the operator (e.g. a provider credential variable that is not set). */
  warnings: string[];
  close(): Promise<void>;
}

interface RouteRuntime { route: Route; gateway: Gateway | null; provider: Provider | null; base: string }

const REPO = resolve(import.meta.dirname, "..", "..", "..");

/** Starts the local gateway; throws DescriptionError (file:line: path: message lines) on a bad description or missing .wasm. */
export async function startLocalGateway(options: LocalGatewayOptions = {}): Promise<LocalGateway> {
  const root = options.root ?? REPO;
  const configPath = options.config ?? join(root, "envoy", "gateway.yaml");
  const shown = relative(process.cwd(), resolve(configPath)) || configPath;
  const d = loadDescription(configPath, { root });
  d.file = shown;
  const env = options.env ?? process.env;
  const log = options.accessLog ?? ((line: string) => process.stdout.write(line + "\n"));

  // Every used filter's module must be built, before anything starts.
  const used = d.filters.filter((f) => d.routes.some((r) => r.filters.includes(f.name)));
  const missing: Issue[] = used.filter((f) => !existsSync(join(root, "dist", `${f.module}.wasm`)))
    .map((f) => ({ line: f.line, path: `filters.${f.name}`, message: `dist/${f.module}.wasm not found (build it: npm run build, or node scripts/build.mjs ${f.module})` }));
  if (missing.length) throw new DescriptionError(shown, missing);

  const warnings: string[] = [];
  let sample: SampleLlm | null = null;
  const plugins = new Map<string, Plugin>();
  const stops: Array<() => void> = [];
  try {
    if (d.providers.some((p) => p.sample && d.routes.some((r) => r.provider === p.name))) sample = await startSampleLlm(0);
    for (const f of used) {
      try {
        const p = await loadPlugin(join(root, "dist", `${f.module}.wasm`), {
          name: f.name, rootId: f.module, vmId: f.vmId, config: f.configJson,
          failurePolicy: f.failurePolicy, allowOnHeadersStopIteration: f.allowOnHeadersStopIteration,
          bufferLimitBytes: d.listener.bufferLimitBytes, printLogs: options.pluginLogs ?? false,
          clock: () => BigInt(Date.now()) * 1_000_000n,
        });
        stops.push(p.startRealTimeTicks());
        plugins.set(f.name, p);
      } catch (e) {
        throw new DescriptionError(shown, [{ line: f.line, path: `filters.${f.name}`, message: `the filter did not start: ${(e as Error).message.split("\n").join(" | ")}` }]);
      }
    }
    for (const p of d.providers) {
      if (p.credential && d.routes.some((r) => r.provider === p.name) && !env[p.credential.env]) {
        warnings.push(`providers.${p.name}: ${p.credential.env} is not set; requests to ${p.url} go without ${p.credential.header}`);
      }
    }
  } catch (e) {
    for (const s of stops) s();
    await sample?.close();
    throw e;
  }

  const runtimes: RouteRuntime[] = d.routes.map((route) => {
    if (route.directResponse) return { route, gateway: null, provider: null, base: "" };
    const provider = d.providers.find((p) => p.name === route.provider)!;
    const base = provider.sample ? sample!.url : provider.url;
    const gateway = new Gateway(route.filters.map((n) => plugins.get(n)!), {
      upstream: (req) => forward(base, provider, route, req, env),
      properties: { route_name: route.name, cluster_name: provider.name },
    });
    return { route, gateway, provider, base };
  });

  const server = createServer((req, res) => {
    handle(req, res, runtimes, d, log).catch((e) => {
      if (!res.headersSent) { res.writeHead(500, { "content-type": "text/plain" }); res.end(`local gateway error: ${(e as Error).message}\n`); }
      else res.destroy();
    });
  });
  const port = options.port ?? d.listener.port;
  await new Promise<void>((ok, fail) => { server.once("error", fail); server.listen(port, "127.0.0.1", () => ok()); }).catch(async (e) => {
    for (const s of stops) s();
    await sample?.close();
    throw e;
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, description: d, sampleUrl: sample?.url ?? null, warnings,
    close: async () => {
      for (const s of stops) s();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sample?.close();
    },
  };
}

/** First route whose path and headers match (Envoy's order: first match wins). */
export function matchRoute<T extends { route: Route }>(runtimes: T[], path: string, headers: IncomingMessage["headers"]): T | null {
  const p = path.split("?")[0];
  for (const rt of runtimes) {
    const m = rt.route.match;
    if (m.path !== null ? p !== m.path : !p.startsWith(m.prefix!)) continue;
    if (m.headers.every((h) => { const v = headers[h.name]; return v !== undefined && (h.exact === null || (Array.isArray(v) ? v.join(",") : v) === h.exact); })) return rt;
  }
  return null;
}

async function handle(req: IncomingMessage, res: ServerResponse, runtimes: RouteRuntime[], d: Description, log: (l: string) => void): Promise<void> {
  const started = performance.now();
  const path = req.url ?? "/";
  const rt = matchRoute(runtimes, path, req.headers);
  const entry: Record<string, unknown> = {
    time: new Date().toISOString(), method: req.method, path, route: rt?.route.name ?? null, status: 0, duration_ms: 0,
    upstream: rt?.provider?.name ?? null, bytes_received: 0, bytes_sent: 0,
  };
  const finish = (extra: Record<string, unknown> = {}) => {
    Object.assign(entry, extra, { duration_ms: Math.round(performance.now() - started) });
    log(JSON.stringify(entry));
  };
  // Request body: collected as it arrives, each network chunk one on_request_body call.
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  entry.bytes_received = chunks.reduce((n, c) => n + c.length, 0);

  if (!rt) {
    // Envoy: no route -> 404 with an empty body (response code details route_not_found).
    res.writeHead(404).end();
    return finish({ status: 404, details: "route_not_found" });
  }
  if (rt.route.directResponse) {
    const dr = rt.route.directResponse;
    res.writeHead(dr.status, { "content-type": dr.contentType, "content-length": Buffer.byteLength(dr.body) }).end(dr.body);
    return finish({ status: dr.status, details: "direct_response", bytes_sent: Buffer.byteLength(dr.body) });
  }
  const headers: Pairs = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const k = req.rawHeaders[i].toLowerCase();
    if (k === "host" || k === "connection" || k === "transfer-encoding" || k === "keep-alive") continue;
    headers.push([k, req.rawHeaders[i + 1]]);
  }
  let sent = 0;
  const usage = new UsageScanner();
  const r = await rt.gateway!.request({
    method: req.method, path, authority: req.headers.host ?? "localhost", headers,
    ...(chunks.length > 1 ? { bodyChunks: chunks } : chunks.length === 1 ? { body: chunks[0] } : {}),
    connection: { sourceAddress: req.socket.remoteAddress, sourcePort: req.socket.remotePort, destinationAddress: req.socket.localAddress, destinationPort: req.socket.localPort },
  }, {
    onHeaders: (status, pairs) => {
      const out: Record<string, string[]> = {};
      for (const [k, v] of pairs) if (!k.startsWith(":") && k !== "connection" && k !== "transfer-encoding") (out[k] ??= []).push(v);
      res.writeHead(status, out);
      res.flushHeaders();
    },
    onData: (chunk, end) => {
      if (chunk.length) { res.write(chunk); sent += chunk.length; usage.push(chunk); }
      if (end) res.end();
    },
  });
  if (!res.headersSent) res.writeHead(r.status || 502);
  if (!res.writableEnded) res.end();
  const state: Record<string, string> = {};
  for (const k of d.accessLogKeys) { const v = r.filterState(k); if (v !== undefined) state[k] = v; }
  finish({
    status: r.status, details: r.responseCodeDetails || (r.localReply ? "local_reply" : "via_upstream"), bytes_sent: sent,
    ...(usage.result() ? { usage: usage.result() } : {}), ...state,
  });
}

/** Sends the (filtered) request to the provider, streaming the answer back into the filters. */
async function forward(base: string, provider: Provider, route: Route, req: UpstreamRequest, env: Record<string, string | undefined>): Promise<UpstreamResponse> {
  const headers: Record<string, string> = {};
  for (const [k, v] of req.headerPairs) {
    if (k.startsWith(":") || k === "content-length" || k === "host" || k === "transfer-encoding" || k === "connection") continue;
    headers[k] = k in headers ? `${headers[k]},${v}` : v;
  }
  // Like Envoy's credential_injector (overwrite: true): the provider key replaces whatever the client sent.
  if (provider.credential && env[provider.credential.env]) headers[provider.credential.header] = env[provider.credential.env]!;
  const timeoutS = Number(route.timeout.slice(0, -1));
  const res = await fetch(new URL(req.path, base), {
    method: req.method, headers, body: req.bodyBytes.length ? Buffer.from(req.bodyBytes) : undefined,
    signal: timeoutS > 0 ? AbortSignal.timeout(timeoutS * 1000) : undefined,
  });
  const h: Pairs = [];
  res.headers.forEach((v, k) => { if (k !== "transfer-encoding" && k !== "connection" && k !== "keep-alive" && k !== "content-encoding" && k !== "content-length") h.push([k, v]); });
  async function* chunks() {
    if (!res.body) return;
    const reader = res.body.getReader();
    for (;;) { const { done, value } = await reader.read(); if (done) return; yield value; }
  }
  return { status: res.status, headers: h, chunks: chunks() };
}

/** Token usage from an OpenAI/Anthropic answer as it streams past (JSON body or SSE events). */
export class UsageScanner {
  private text = "";
  private input: number | null = null;
  private output: number | null = null;
  push(chunk: Uint8Array): void {
    if (this.text.length < 4 << 20) this.text += Buffer.from(chunk).toString("utf8");
  }
  result(): { input_tokens: number; output_tokens: number } | null {
    const docs: string[] = [];
    const t = this.text.trim();
    if (t.startsWith("{")) docs.push(t);
    else for (const m of t.matchAll(/^data: (\{.*\})\s*$/gm)) docs.push(m[1]);
    for (const s of docs) {
      try {
        const o = JSON.parse(s) as { usage?: Record<string, number>; message?: { usage?: Record<string, number> } };
        const u = o.usage ?? o.message?.usage;
        if (!u) continue;
        const i = u.prompt_tokens ?? u.input_tokens;
        const out = u.completion_tokens ?? u.output_tokens;
        if (typeof i === "number" && i > 0) this.input = i;
        if (typeof out === "number" && (out > 0 || this.output === null)) this.output = out;
      } catch { /* not JSON: no usage */ }
    }
    return this.input === null && this.output === null ? null : { input_tokens: this.input ?? 0, output_tokens: this.output ?? 0 };
  }
}
