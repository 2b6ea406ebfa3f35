// The local gateway behind `npm start`: the gateway description (envoy/gateway.yaml, the same file
// compose turns into Envoy's bootstrap) served over real HTTP on 127.0.0.1 by the Node proxy-wasm
// host. Each route runs its own filter chain (the compiled dist/<module>.wasm, as Envoy would).
// Request bodies enter the filters chunk by chunk as they arrive (a filter may answer before the
// client finished), the provider request is sent with node:http carrying exactly the filtered
// headers plus Envoy's edge headers, and answers leave as the filters release them (SSE reaches
// the client as it is produced). Route timeout, stream idle timeout and connect failures end a
// stream as Envoy would. One JSON access-log line per request.
import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative, resolve } from "node:path";
import { Gateway, loadPlugin, responseWriter, toGatewayRequest, type GatewayResponse, type Plugin } from "../index.ts";
import { DescriptionError, loadDescription, type Description, type Issue, type Provider, type Route } from "../../../tools/compose/index.ts";
import { createDownstreamServer } from "../downstream.ts";
import { anthropicErrors, echoAsReceived, isAnthropicPath, type AnswerWriter } from "./answer-shape.ts";
import { startSampleLlm, type SampleLlm } from "./sample-llm.ts";
import { normalizeRequest, underscoreHeader } from "../hcm-normalize.ts";
import { startSampleProviders, clusterHeaderUpstream, type SampleProviders } from "./cluster-route.ts";

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
  /** The other sample providers (sample: anthropic / gemini / bedrock) by provider name. */
  samples: SampleProviders;
  /** Remarks for the operator (e.g. a provider credential variable that is not set). */
  warnings: string[];
  /** Calls `listener` with each access-log record (the very line logged, parsed), e.g. the console. */
  onAudit(listener: (record: Record<string, unknown>) => void): () => void;
  close(): Promise<void>;
}

interface RouteRuntime { route: Route; gateway: Gateway | null; provider: Provider | null; base: string; takeEcho?: (id: string) => Buffer | undefined }

const REPO = resolve(import.meta.dirname, "..", "..", "..");

/** Starts the local gateway; throws DescriptionError (file:line: path: message lines) on a bad description or missing .wasm. */
export async function startLocalGateway(options: LocalGatewayOptions = {}): Promise<LocalGateway> {
  const root = options.root ?? REPO;
  const configPath = options.config ?? join(root, "envoy", "gateway.yaml");
  const shown = relative(process.cwd(), resolve(configPath)) || configPath;
  const d = loadDescription(configPath, { root });
  d.file = shown;
  const env = options.env ?? process.env;
  const print = options.accessLog ?? ((line: string) => process.stdout.write(line + "\n"));
  // Audit listeners get the line as printed, so they can never see more than the access log.
  const auditListeners = new Set<(record: Record<string, unknown>) => void>();
  const log = (line: string) => {
    print(line);
    if (!auditListeners.size) return;
    const rec = JSON.parse(line) as Record<string, unknown>;
    // A listener's failure must never touch the request (the line is already logged).
    for (const l of auditListeners) { try { l(rec); } catch (e) { process.stderr.write(`audit listener failed: ${(e as Error).message}\n`); } }
  };

  // Every used filter's module must be built, before anything starts.
  const used = d.filters.filter((f) => d.routes.some((r) => r.filters.includes(f.name)));
  const missing: Issue[] = used.filter((f) => !existsSync(join(root, "dist", `${f.module}.wasm`)))
    .map((f) => ({ line: f.line, path: `filters.${f.name}`, message: `dist/${f.module}.wasm not found (build it: npm run build, or node scripts/build.mjs ${f.module})` }));
  if (missing.length) throw new DescriptionError(shown, missing);

  const warnings: string[] = [];
  let sample: SampleLlm | null = null;
  let samples: SampleProviders = new Map();
  const reachable = (name: string) => d.routes.some((r) => r.provider === name || r.clusterHeader !== null);
  const plugins = new Map<string, Plugin>();
  const stops: Array<() => void> = [];
  try {
    if (d.providers.some((p) => p.sample && (p.sampleKind ?? "openai") === "openai" && reachable(p.name))) sample = await startSampleLlm(0);
    samples = await startSampleProviders(d.providers.filter((p) => reachable(p.name)));
    // The clusters a filter may http_call, over real HTTP: every provider (e.g. the cache's
    // embeddings endpoint) and the identity providers (a JWKS).
    const clusters: Record<string, string> = {};
    for (const p of d.providers) {
      const u = samples.get(p.name)?.url ?? (p.sample ? sample?.url : p.url);
      if (u) clusters[p.name] = u;
    }
    for (const ip of d.identityProviders) clusters[ip.name] = ip.url;
    for (const f of used) {
      try {
        const p = await loadPlugin(join(root, "dist", `${f.module}.wasm`), {
          name: f.name, rootId: f.module, vmId: f.vmId, config: f.configJson, clusters,
          failurePolicy: f.failurePolicy, allowOnHeadersStopIteration: f.allowOnHeadersStopIteration,
          bufferLimitBytes: d.listener.bufferLimitBytes, printLogs: options.pluginLogs ?? false,
          clock: () => BigInt(Date.now()) * 1_000_000n,
          grpcClusters: Object.fromEntries(d.grpcServices.map((g) => [g.name, g.address])),
        });
        stops.push(p.startRealTimeTicks());
        plugins.set(f.name, p);
      } catch (e) {
        throw new DescriptionError(shown, [{ line: f.line, path: `filters.${f.name}`, message: `the filter did not start: ${(e as Error).message.split("\n").join(" | ")}` }]);
      }
    }
    for (const p of d.providers) {
      if (p.credential && reachable(p.name) && !env[p.credential.env]) {
        warnings.push(`providers.${p.name}: ${p.credential.env} is not set; requests to ${p.url} go without ${p.credential.header}`);
      }
    }
  } catch (e) {
    for (const s of stops) s();
    await sample?.close();
    for (const sp of samples.values()) await sp.close();
    throw e;
  }

  const runtimes: RouteRuntime[] = d.routes.map((route) => {
    if (route.directResponse) return { route, gateway: null, provider: null, base: "" };
    if (route.clusterHeader !== null) {
      // Envoy's cluster_header: the provider is the one a filter named in the header.
      const bases = new Map(d.providers.map((p) => [p.name, samples.get(p.name)?.url ?? (p.sample ? sample?.url ?? p.url : p.url)]));
      const gateway = new Gateway(route.filters.map((n) => plugins.get(n)!), {
        upstream: clusterHeaderUpstream(route.clusterHeader, d.providers, bases, env),
        useRemoteAddress: true,
        routeTimeoutMs: durationMs(route.timeout),
        streamIdleTimeoutMs: durationMs(route.idleTimeout ?? d.listener.streamIdleTimeout),
        properties: { route_name: route.name },
      });
      // The echo model (an OpenAI sample) may be the one named: its answer is shown as received.
      return { route, gateway, provider: null, base: "", takeEcho: sample ? sample.takeEcho : undefined };
    }
    const provider = d.providers.find((p) => p.name === route.provider)!;
    const base = provider.sample ? sample!.url : provider.url;
    const credential = provider.credential;
    const gateway = new Gateway(route.filters.map((n) => plugins.get(n)!), {
      upstream: { url: base, connectTimeoutMs: durationMs(provider.connectTimeout) },
      // As compose configures Envoy: an edge HCM (use_remote_address), the route's timeout and
      // host_rewrite_literal (a provider named by host), the per-route or listener idle timeout.
      useRemoteAddress: true,
      routeTimeoutMs: durationMs(route.timeout),
      streamIdleTimeoutMs: durationMs(route.idleTimeout ?? d.listener.streamIdleTimeout),
      hostRewrite: provider.sample || IS_IP.test(provider.host) ? undefined : provider.host,
      // Like Envoy's credential_injector (overwrite: true), after the filters: the provider key
      // replaces whatever the client sent, and no filter ever sees it.
      upstreamHeaders: credential ? (h) => { const v = env[credential.env]; if (v) h.set(credential.header, v); } : undefined,
      properties: { route_name: route.name, cluster_name: provider.name },
    });
    return { route, gateway, provider, base, takeEcho: provider.sample ? sample!.takeEcho : undefined };
  });

  // Envoy's downstream HTTP/1 behaviour (header limits, connection: close after an early answer).
  const server = createDownstreamServer((req, res) => {
    handle(req, res, runtimes, d, log).catch((e) => {
      if (!res.headersSent) { res.writeHead(500, { "content-type": "text/plain" }); res.end(`local gateway error: ${(e as Error).message}\n`); }
      else res.destroy();
    });
  }, { onRefused: (req, status, details) => log(JSON.stringify({ time: new Date().toISOString(), request_id: null, method: req.method, path: pathWithoutQuery(req.url ?? "/"), route: null, status, flags: "-", details, duration_ms: 0, upstream: null, bytes_received: 0, bytes_sent: 0 })) });
  const port = options.port ?? d.listener.port;
  await new Promise<void>((ok, fail) => { server.once("error", fail); server.listen(port, "127.0.0.1", () => ok()); }).catch(async (e) => {
    for (const s of stops) s();
    await sample?.close();
    for (const sp of samples.values()) await sp.close();
    throw e;
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, description: d, sampleUrl: sample?.url ?? null, samples, warnings,
    onAudit: (l) => { auditListeners.add(l); return () => { auditListeners.delete(l); }; },
    close: async () => {
      for (const s of stops) s();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sample?.close();
      for (const sp of samples.values()) await sp.close();
    },
  };
}

/** The path as the access log shows it: without query and fragment, which can carry a credential
 *  (`?api_key=`), as Envoy's %REQ_WITHOUT_QUERY(...)% (Http::PathUtil::removeQueryAndFragment). */
export function pathWithoutQuery(path: string): string {
  const end = path.search(/[?#]/);
  return end < 0 ? path : path.slice(0, end);
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

/** One request: route match, direct response or the route's Gateway, then the access-log line. */
async function handle(req: IncomingMessage, res: ServerResponse, runtimes: RouteRuntime[], d: Description, log: (l: string) => void): Promise<void> {
  const started = performance.now();
  // Envoy's connection manager before routing, with compose's options (hcm-normalize.ts).
  const under = underscoreHeader(req.rawHeaders);
  const n = under === null ? normalizeRequest(req.url ?? "/", req.headers.host ?? "") : { ok: false as const, status: 400, details: "http1.unexpected_underscore" };
  const path = n.ok ? n.path : req.url ?? "/";
  const rt = n.ok ? matchRoute(runtimes, path, req.headers) : null;
  // The fields and names of compose's Envoy access log (tools/compose/compose.ts), plus `usage` and `ttfb_ms`.
  // Never a header value, a body or a credential: only the filters' contract keys, which hold none.
  const entry: Record<string, unknown> = {
    time: new Date().toISOString(), request_id: null, method: req.method, path: pathWithoutQuery(path), route: rt?.route.name ?? null,
    status: 0, flags: "-", details: "", duration_ms: 0, upstream: rt?.provider?.name ?? null, bytes_received: 0, bytes_sent: 0,
  };
  const finish = (extra: Record<string, unknown> = {}) => {
    Object.assign(entry, extra, { duration_ms: Math.round(performance.now() - started) });
    log(JSON.stringify(entry));
  };
  if (!n.ok) {
    res.writeHead(n.status, { "content-length": 0 }).end();
    return finish({ status: n.status, details: n.details });
  }
  if (!rt) {
    // Envoy: no route -> 404 with an empty body (response code details route_not_found).
    res.writeHead(404).end();
    return finish({ status: 404, flags: "NR", details: "route_not_found" });
  }
  if (rt.route.directResponse) {
    const dr = rt.route.directResponse;
    res.writeHead(dr.status, { "content-type": dr.contentType, "content-length": Buffer.byteLength(dr.body) }).end(dr.body);
    return finish({ status: dr.status, details: "direct_response", bytes_sent: Buffer.byteLength(dr.body) });
  }
  const usage = new UsageScanner();
  let firstByte = 0; // ttfb_ms: time to the first response body byte (the first streamed token's event)
  let r: GatewayResponse;
  try {
    let writer: AnswerWriter = responseWriter(res, (c) => { firstByte ||= performance.now(); usage.push(c); });
    // Not on Anthropic's API: there llm-route translates the echo's OpenAI answer, and the client
    // must get Anthropic's shape.
    if (rt.takeEcho && !isAnthropicPath(path)) writer = echoAsReceived(writer, rt.takeEcho);
    if (isAnthropicPath(path)) writer = anthropicErrors(writer);
    r = await rt.gateway!.request({ ...toGatewayRequest(req, res), path: n.path, authority: n.authority }, writer);
  } catch (e) {
    finish({ status: res.headersSent ? res.statusCode : 500, details: "local_gateway_error" });
    throw e;
  }
  // A reset stream: the client sees its connection closed, as from Envoy over HTTP/1.
  if (r.reset !== null) res.destroy();
  else {
    if (!res.headersSent) res.writeHead(r.status || 502);
    if (!res.writableEnded) res.end();
  }
  const state: Record<string, string> = {};
  for (const k of d.accessLogKeys) { const v = r.filterState(k); if (v !== undefined) state[k] = v; }
  const u = usage.result();
  finish({
    request_id: r.requestId, status: r.status, flags: r.responseFlags, details: r.responseCodeDetails || (r.localReply ? "local_reply" : "via_upstream"),
    bytes_received: r.bytesReceived, bytes_sent: r.bytesSent, ...(firstByte ? { ttfb_ms: Math.round(firstByte - started) } : {}), ...(u ? { usage: u } : {}), ...state,
    ...(rt.route.clusterHeader !== null ? { upstream: r.upstreamRequest?.headers[rt.route.clusterHeader] ?? null } : {}),
  });
}

const IS_IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]*)$/;

/** Milliseconds of a description duration ("300s", "0.5s", "0s"). */
export function durationMs(v: string): number {
  return Math.round(Number(v.replace(/s$/, "")) * 1000);
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
