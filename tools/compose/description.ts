// The gateway description (envoy/gateway.yaml): one short, human-written YAML file read by both
// `compose` (-> Envoy bootstrap) and `npm start` (-> the local gateway). This file parses and
// validates it into a plain object; nothing here knows Envoy or the host. Format: tools/compose/README.md.
//
// Every problem is reported with its file, line and path, e.g.
//   gateway.yaml:12: routes[1].filters[0]: unknown filter instance "authz" (defined: auth, pii)
// and all problems are reported at once, not only the first.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar, YAMLMap } from "yaml";
import { filterConfigValidator } from "./filter-schema.ts";

export interface Issue { line: number; path: string; message: string }

export type FailurePolicy = "FAIL_CLOSED" | "FAIL_OPEN" | "FAIL_RELOAD";

export interface Listener { address: string; port: number; streamIdleTimeout: string; bufferLimitBytes: number }
export interface Admin { address: string; port: number }
export interface Credential { env: string; header: string }
export interface Provider {
  name: string;
  url: string;
  tls: boolean;
  host: string;
  port: number;
  /** npm start serves the built-in sample upstream for this provider (on a free port, in place of url). */
  sample: boolean;
  /** Which sample: `openai` (sample: true), or `anthropic`, `gemini`, `bedrock` (host-test/src/cli/sample-*.ts). */
  sampleKind: SampleKind | null;
  credential: Credential | null;
  connectTimeout: string;
  line: number;
}
/** A cluster the filters call out to (http_call) and no route exposes: the identity provider
 *  serving a JWKS (auth's remote_jwks.cluster). */
export interface IdentityProvider {
  name: string;
  url: string;
  tls: boolean;
  host: string;
  port: number;
  connectTimeout: string;
  line: number;
}
export type SampleKind = "openai" | "anthropic" | "gemini" | "bedrock";
export const SAMPLE_KINDS: SampleKind[] = ["openai", "anthropic", "gemini", "bedrock"];

export interface FilterInstance {
  name: string;
  module: string;
  /** The filter's configuration as JSON text (what Envoy hands to proxy_on_configure). */
  configJson: string;
  failurePolicy: FailurePolicy;
  allowOnHeadersStopIteration: boolean;
  vmId: string;
  line: number;
}
export interface HeaderMatch { name: string; exact: string | null } // exact null = header present
export interface RouteMatch { path: string | null; prefix: string | null; headers: HeaderMatch[] }
export interface DirectResponse { status: number; body: string; contentType: string }
export interface Route {
  name: string;
  match: RouteMatch;
  filters: string[];
  provider: string | null;
  /** Envoy's RouteAction.cluster_header: the upstream is the provider a filter (llm-route) names in
   *  this request header; every provider of the description is reachable. */
  clusterHeader: string | null;
  /** Retries for cluster_header routes (Envoy resends the translated body to another endpoint of
   *  the same cluster): count and the statuses that trigger one. */
  retries: number;
  timeout: string;
  idleTimeout: string | null;
  directResponse: DirectResponse | null;
  line: number;
}
export interface Tracing { collector: string; host: string; port: number; serviceName: string; samplingPercent: number }
/** A gRPC service filters call with grpc_call (e.g. quota's rate limit service): an HTTP/2 cluster. */
export interface GrpcService { name: string; address: string; host: string; port: number; connectTimeout: string; line: number }
export interface Description {
  file: string;
  listener: Listener;
  admin: Admin;
  providers: Provider[];
  identityProviders: IdentityProvider[];
  filters: FilterInstance[];
  routes: Route[];
  tracing: Tracing | null;
  grpcServices: GrpcService[];
  metricLabels: string[];
  accessLogKeys: string[];
}

/** Modules whose failure must not let traffic through unchecked (docs: README "failure_policy"). */
const FAIL_OPEN_MODULES = new Set(["cache", "noop"]);
/** Modules that change request headers after reading the body (route on `model`, add headers
 *  from the prompt), so they return StopIteration from on_request_headers and need Envoy >= 1.35's
 *  allow_on_headers_stop_iteration. pii-mask is not one: it returns Continue from headers and only
 *  buffers the body (filters/pii-mask/README.md); auth holds whole requests only while its JWKS is
 *  unknown, which stop-all covers (filters/auth/README.md). */
const BODY_DECIDING_MODULES = new Set(["prompt-guard", "llm-route", "cache", "quota"]);

/** Metric labels the filters use (`aigw.<filter>.<metric>.<label>.<value>`, docs/contract.md). */
export const DEFAULT_METRIC_LABELS = ["consumer", "method", "reason", "result", "type", "direction", "action", "model", "provider", "route", "limit", "kind", "bucket", "role", "rule", "name", "version"];
/** Filter-state keys of docs/contract.md, printed in the access log. */
export const CONTRACT_KEYS = [
  "aigw.consumer", "aigw.consumer.groups", "aigw.consumer.tenant", "aigw.auth.method", "aigw.auth.decision",
  "aigw.pii.request", "aigw.pii.response", "aigw.pii.action",
  "aigw.guard.action", "aigw.guard.score", "aigw.guard.reason", "aigw.guard.template", "aigw.guard.answer",
  "gen_ai.request.model", "gen_ai.response.model", "gen_ai.provider.name", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
  "gen_ai.usage.cache_read.input_tokens", "aigw.llm.requested_model", "aigw.llm.cost_micro_usd", "aigw.llm.ttft_ms", "aigw.llm.decision",
  "aigw.llm.usage_source",
  "aigw.cache.status", "aigw.cache.saved.cost_micro_usd",
  "aigw.quota.decision", "aigw.quota.anomaly",
];

const NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class DescriptionError extends Error {
  constructor(public file: string, public issues: Issue[]) {
    super(issues.map((i) => formatIssue(file, i)).join("\n"));
    this.name = "DescriptionError";
  }
}

export function formatIssue(file: string, i: Issue): string {
  return `${file}:${i.line}: ${i.path ? i.path + ": " : ""}${i.message}`;
}

export interface ParseOptions {
  /** Repository root: filters/<module>/ and its schema.json are looked up there. */
  root: string;
}

/** Filter modules of this repository: filters/<name>/assembly/index.ts (common excluded). */
export function knownModules(root: string): string[] {
  const dir = join(root, "filters");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "assembly", "index.ts")))
    .map((e) => e.name)
    .sort();
}

/** Closest candidate by edit distance (for "did you mean"), or null if none is close. */
function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) { best = c; bestD = d; }
  }
  return best;
}
function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = t;
    }
  }
  return prev[b.length];
}

/** Durations as written by people ("30s", "500ms", "5m", "0s") -> Envoy's proto JSON form ("30s", "0.5s"). */
export function parseDuration(v: string): string | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as "ms" | "s" | "m" | "h"];
  return `${Number(n.toFixed(9))}s`;
}

/** Reads one YAML tree node by node, recording issues with their line and path. */
class Reader {
  issues: Issue[] = [];
  constructor(private lc: LineCounter) {}

  line(node: Node | null | undefined): number {
    const off = node?.range?.[0];
    return off === undefined ? 1 : this.lc.linePos(off).line;
  }
  err(node: Node | null | undefined, path: string, message: string): void {
    this.issues.push({ line: this.line(node), path, message });
  }

  /** A mapping with only the allowed keys; returns key -> value node (and the key node, for lines). */
  map(node: Node | null, path: string, allowed: readonly string[], what: string): Map<string, { key: Node; value: Node | null }> | null {
    if (!isMap(node)) {
      this.err(node, path, `${what} must be a mapping${isScalar(node) ? ` (got ${JSON.stringify(node.value)})` : ""}`);
      return null;
    }
    const out = new Map<string, { key: Node; value: Node | null }>();
    for (const pair of (node as YAMLMap).items) {
      const k = pair.key as Node;
      const name = isScalar(k) ? String(k.value) : "";
      const kpath = path ? `${path}.${name}` : name;
      if (!isScalar(k)) { this.err(k, path, "keys must be plain strings"); continue; }
      if (allowed.length > 0 && !allowed.includes(name)) {
        const hint = closest(name, allowed);
        this.err(k, kpath, `unknown key "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}; allowed: ${allowed.join(", ")}`);
        continue;
      }
      out.set(name, { key: k, value: (pair.value as Node | null) ?? null });
    }
    return out;
  }

  string(node: Node | null, path: string, opts: { pattern?: RegExp; what?: string } = {}): string | null {
    if (!isScalar(node) || typeof node.value !== "string" || node.value === "") {
      this.err(node, path, `must be a non-empty string${isScalar(node) && node.value !== null ? ` (got ${JSON.stringify(node.value)})` : ""}`);
      return null;
    }
    if (opts.pattern && !opts.pattern.test(node.value)) {
      this.err(node, path, `invalid ${opts.what ?? "value"} "${node.value}"`);
      return null;
    }
    return node.value;
  }

  int(node: Node | null, path: string, min: number, max: number): number | null {
    if (!isScalar(node) || typeof node.value !== "number" || !Number.isInteger(node.value) || node.value < min || node.value > max) {
      this.err(node, path, `must be an integer from ${min} to ${max}${isScalar(node) ? ` (got ${JSON.stringify(node.value)})` : ""}`);
      return null;
    }
    return node.value;
  }

  bool(node: Node | null, path: string): boolean | null {
    if (!isScalar(node) || typeof node.value !== "boolean") {
      this.err(node, path, `must be true or false${isScalar(node) ? ` (got ${JSON.stringify(node.value)})` : ""}`);
      return null;
    }
    return node.value;
  }

  duration(node: Node | null, path: string): string | null {
    const raw = isScalar(node) && (typeof node.value === "string" || typeof node.value === "number") ? String(node.value) : "";
    const d = parseDuration(raw);
    if (d === null) this.err(node, path, `must be a duration such as "30s", "500ms", "5m" or "0s" (got ${isScalar(node) ? JSON.stringify(node.value) : "a collection"})`);
    return d;
  }

  seq(node: Node | null, path: string): Node[] | null {
    if (!isSeq(node)) {
      this.err(node, path, "must be a list");
      return null;
    }
    return node.items as Node[];
  }
}

const TOP = ["listener", "admin", "providers", "identity_providers", "filters", "routes", "tracing", "metrics", "access_log", "grpc_services"];
const IDENTITY_PROVIDER = ["url", "connect_timeout"];
const GRPC_SERVICE = ["address", "connect_timeout"];
const LISTENER = ["address", "port", "stream_idle_timeout", "buffer_limit_bytes"];
const ADMIN = ["address", "port"];
const PROVIDER = ["url", "sample", "credential", "connect_timeout"];
const CREDENTIAL = ["env", "header"];
const FILTER = ["module", "config", "failure_policy", "allow_on_headers_stop_iteration", "vm_id"];
const ROUTE = ["name", "match", "filters", "provider", "cluster_header", "retries", "timeout", "idle_timeout", "direct_response"];
const MATCH = ["path", "prefix", "headers"];
const DIRECT = ["status", "body", "content_type"];
const TRACING = ["collector", "service_name", "sampling_percent"];
const METRICS = ["labels"];
const ACCESS_LOG = ["filter_state"];

/** Parses and validates a description; never throws on bad input (issues are returned). */
export function parseDescription(text: string, file: string, options: ParseOptions): { description: Description | null; issues: Issue[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const r = new Reader(lc);
  for (const e of doc.errors) r.issues.push({ line: e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line, path: "", message: `YAML: ${e.message.split("\n")[0]}` });
  if (r.issues.length > 0) return { description: null, issues: r.issues };
  const top = r.map(doc.contents as Node | null, "", TOP, "the description");
  if (!top) return { description: null, issues: r.issues };

  // listener
  const listener: Listener = { address: "0.0.0.0", port: 10000, streamIdleTimeout: "300s", bufferLimitBytes: 1048576 };
  const ln = top.get("listener");
  if (ln) {
    const m = r.map(ln.value, "listener", LISTENER, "listener");
    if (m) {
      if (m.has("address")) listener.address = r.string(m.get("address")!.value, "listener.address", { pattern: /^[0-9a-fA-F.:]+$/, what: "IP address" }) ?? listener.address;
      if (m.has("port")) listener.port = r.int(m.get("port")!.value, "listener.port", 1, 65535) ?? listener.port;
      if (m.has("stream_idle_timeout")) listener.streamIdleTimeout = r.duration(m.get("stream_idle_timeout")!.value, "listener.stream_idle_timeout") ?? listener.streamIdleTimeout;
      if (m.has("buffer_limit_bytes")) listener.bufferLimitBytes = r.int(m.get("buffer_limit_bytes")!.value, "listener.buffer_limit_bytes", 1024, 1 << 30) ?? listener.bufferLimitBytes;
    }
  }
  const admin: Admin = { address: "127.0.0.1", port: 9901 };
  const an = top.get("admin");
  if (an) {
    const m = r.map(an.value, "admin", ADMIN, "admin");
    if (m?.has("address")) admin.address = r.string(m.get("address")!.value, "admin.address", { pattern: /^[0-9a-fA-F.:]+$/, what: "IP address" }) ?? admin.address;
    if (m?.has("port")) admin.port = r.int(m.get("port")!.value, "admin.port", 1, 65535) ?? admin.port;
  }

  // providers
  const providers: Provider[] = [];
  const pn = top.get("providers");
  if (!pn) r.err(doc.contents as Node, "providers", "missing: at least one provider (name -> url) is needed");
  else {
    const m = r.map(pn.value, "providers", [], "providers");
    for (const [name, { key, value }] of m ?? []) {
      const path = `providers.${name}`;
      if (!NAME.test(name)) { r.err(key, path, `invalid provider name "${name}" (lowercase letters, digits, "-" and "_", starting with a letter)`); continue; }
      const pm = r.map(value, path, PROVIDER, "a provider");
      if (!pm) continue;
      const p: Provider = { name, url: "", tls: false, host: "", port: 0, sample: false, sampleKind: null, credential: null, connectTimeout: "5s", line: r.line(key) };
      if (!pm.has("url")) r.err(key, `${path}.url`, "missing: the provider's base URL, e.g. https://api.openai.com");
      else {
        const raw = r.string(pm.get("url")!.value, `${path}.url`);
        if (raw !== null) {
          let u: URL | null = null;
          try { u = new URL(raw); } catch { /* reported below */ }
          if (!u || (u.protocol !== "http:" && u.protocol !== "https:")) r.err(pm.get("url")!.value, `${path}.url`, `"${raw}" is not an http:// or https:// URL`);
          else if ((u.pathname !== "/" && u.pathname !== "") || u.search || u.hash || u.username) {
            r.err(pm.get("url")!.value, `${path}.url`, `"${raw}" must be scheme://host[:port] only: routes forward the request path unchanged`);
          } else {
            p.url = `${u.protocol}//${u.host}`;
            p.tls = u.protocol === "https:";
            p.host = u.hostname.replace(/^\[|\]$/g, "");
            p.port = u.port ? Number(u.port) : p.tls ? 443 : 80;
          }
        }
      }
      if (pm.has("sample")) {
        const sv = pm.get("sample")!.value;
        if (isScalar(sv) && typeof sv.value === "string") {
          const k = r.string(sv, `${path}.sample`, { pattern: /^(openai|anthropic|gemini|bedrock)$/, what: "sample kind (openai, anthropic, gemini, bedrock) or true" }) as SampleKind | null;
          if (k) { p.sample = true; p.sampleKind = k; }
        } else {
          p.sample = r.bool(sv, `${path}.sample`) ?? false;
          if (p.sample) p.sampleKind = "openai";
        }
      }
      if (pm.has("connect_timeout")) p.connectTimeout = r.duration(pm.get("connect_timeout")!.value, `${path}.connect_timeout`) ?? p.connectTimeout;
      if (pm.has("credential")) {
        const cm = r.map(pm.get("credential")!.value, `${path}.credential`, CREDENTIAL, "credential");
        if (cm) {
          const env = cm.has("env") ? r.string(cm.get("env")!.value, `${path}.credential.env`, { pattern: ENV_NAME, what: "environment variable name" }) : null;
          if (!cm.has("env")) r.err(pm.get("credential")!.key, `${path}.credential.env`, "missing: the environment variable holding the header value");
          const header = cm.has("header") ? r.string(cm.get("header")!.value, `${path}.credential.header`, { pattern: HEADER_NAME, what: "lowercase header name" }) : "authorization";
          if (env && header) p.credential = { env, header };
        }
      }
      providers.push(p);
    }
    if (m && m.size === 0) r.err(pn.value, "providers", "at least one provider is needed");
  }

  // identity providers: clusters for the filters' own calls (a JWKS), never a route's upstream
  const identityProviders: IdentityProvider[] = [];
  const ipn = top.get("identity_providers");
  if (ipn) {
    const m = r.map(ipn.value, "identity_providers", [], "identity_providers");
    for (const [name, { key, value }] of m ?? []) {
      const path = `identity_providers.${name}`;
      if (!NAME.test(name)) { r.err(key, path, `invalid identity provider name "${name}" (lowercase letters, digits, "-" and "_", starting with a letter)`); continue; }
      if (providers.some((p) => p.name === name)) { r.err(key, path, `"${name}" is already a provider; Envoy cluster names are unique`); continue; }
      const im = r.map(value, path, IDENTITY_PROVIDER, "an identity provider");
      if (!im) continue;
      const ip: IdentityProvider = { name, url: "", tls: false, host: "", port: 0, connectTimeout: "5s", line: r.line(key) };
      if (!im.has("url")) r.err(key, `${path}.url`, "missing: the identity provider's base URL, e.g. https://login.example.com");
      else {
        const node = im.get("url")!.value;
        const raw = r.string(node, `${path}.url`);
        if (raw !== null) {
          let u: URL | null = null;
          try { u = new URL(raw); } catch { /* reported below */ }
          if (!u || (u.protocol !== "http:" && u.protocol !== "https:")) r.err(node, `${path}.url`, `"${raw}" is not an http:// or https:// URL`);
          else if ((u.pathname !== "/" && u.pathname !== "") || u.search || u.hash || u.username) {
            r.err(node, `${path}.url`, `"${raw}" must be scheme://host[:port] only: the filter's configuration names the path (remote_jwks.path)`);
          } else {
            ip.url = `${u.protocol}//${u.host}`;
            ip.tls = u.protocol === "https:";
            ip.host = u.hostname.replace(/^\[|\]$/g, "");
            ip.port = u.port ? Number(u.port) : ip.tls ? 443 : 80;
          }
        }
      }
      if (im.has("connect_timeout")) ip.connectTimeout = r.duration(im.get("connect_timeout")!.value, `${path}.connect_timeout`) ?? ip.connectTimeout;
      identityProviders.push(ip);
    }
  }

  // filter instances
  const filters: FilterInstance[] = [];
  const modules = knownModules(options.root);
  const fn = top.get("filters");
  if (fn) {
    const m = r.map(fn.value, "filters", [], "filters");
    for (const [name, { key, value }] of m ?? []) {
      const path = `filters.${name}`;
      if (!NAME.test(name)) { r.err(key, path, `invalid filter instance name "${name}" (lowercase letters, digits, "-" and "_", starting with a letter)`); continue; }
      const fm = r.map(value, path, FILTER, "a filter instance");
      if (!fm) continue;
      const module = fm.has("module") ? r.string(fm.get("module")!.value, `${path}.module`) : name;
      if (module === null) continue;
      if (!modules.includes(module)) {
        r.err(fm.get("module")?.value ?? key, `${path}.module`, `unknown filter module "${module}" (known: ${modules.join(", ") || "none"}; a module is filters/<name>/)`);
        continue;
      }
      let configValue: unknown = {};
      let configNode: Node | null = null;
      if (fm.has("config")) {
        configNode = fm.get("config")!.value;
        if (isScalar(configNode) && typeof configNode.value === "string") {
          try { configValue = JSON.parse(configNode.value); } catch (e) {
            r.err(configNode, `${path}.config`, `not valid JSON: ${(e as Error).message}`);
            continue;
          }
        } else if (isMap(configNode)) configValue = configNode.toJSON();
        else { r.err(configNode, `${path}.config`, "must be a mapping (the filter's JSON configuration, written as YAML)"); continue; }
      }
      const validate = filterConfigValidator(options.root, module);
      if (validate && !validate(configValue)) {
        for (const e of validate.errors ?? []) {
          const segs = e.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
          let message = `${e.message ?? "invalid"}`;
          if (e.keyword === "additionalProperties") {
            // Point at the unexpected key itself, as for the description's own keys.
            segs.push((e.params as { additionalProperty: string }).additionalProperty);
            message = "unknown key";
          } else if (e.keyword === "enum") {
            message += ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")})`;
          }
          const node = configNode ? locate(configNode, segs) : key;
          const where = segs.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join("");
          r.err(node, `${path}.config${where}`, `${message} (filters/${module}/schema.json)`);
        }
        continue;
      }
      if (module === "auth") {
        // Every remote JWKS is fetched from a declared identity provider (a cluster no route
        // exposes): a route to the identity provider would be an unauthenticated proxy.
        const jps = (configValue as { jwt_providers?: Array<{ remote_jwks?: { cluster?: unknown } }> }).jwt_providers ?? [];
        jps.forEach((jp, i) => {
          const cluster = jp?.remote_jwks?.cluster;
          if (typeof cluster !== "string" || identityProviders.some((ip) => ip.name === cluster)) return;
          const node = configNode ? locate(configNode, ["jwt_providers", String(i), "remote_jwks", "cluster"]) : key;
          const known = identityProviders.map((ip) => ip.name);
          const hint = closest(cluster, known);
          r.err(node, `${path}.config.jwt_providers[${i}].remote_jwks.cluster`,
            `cluster "${cluster}" is not an identity provider (declared: ${known.join(", ") || "none"}; add identity_providers.${cluster}: { url: https://... })${hint ? `; did you mean "${hint}"?` : ""}`);
        });
      }
      const fi: FilterInstance = {
        name, module, configJson: JSON.stringify(configValue),
        failurePolicy: FAIL_OPEN_MODULES.has(module) ? "FAIL_OPEN" : "FAIL_CLOSED",
        allowOnHeadersStopIteration: BODY_DECIDING_MODULES.has(module),
        vmId: module, line: r.line(key),
      };
      if (fm.has("failure_policy")) {
        const v = r.string(fm.get("failure_policy")!.value, `${path}.failure_policy`, { pattern: /^(fail_closed|fail_open|fail_reload)$/, what: "failure_policy (fail_closed, fail_open or fail_reload)" });
        if (v) fi.failurePolicy = v.toUpperCase() as FailurePolicy;
      }
      if (fm.has("allow_on_headers_stop_iteration")) fi.allowOnHeadersStopIteration = r.bool(fm.get("allow_on_headers_stop_iteration")!.value, `${path}.allow_on_headers_stop_iteration`) ?? fi.allowOnHeadersStopIteration;
      if (fm.has("vm_id")) fi.vmId = r.string(fm.get("vm_id")!.value, `${path}.vm_id`, { pattern: NAME, what: "vm_id" }) ?? fi.vmId;
      const other = filters.find((f) => f.vmId === fi.vmId && f.module !== fi.module);
      if (other) r.err(fm.get("vm_id")?.value ?? key, `${path}.vm_id`, `vm_id "${fi.vmId}" is already used by module "${other.module}" (filter ${other.name}); one VM runs one module`);
      filters.push(fi);
    }
  }
  const filterNames = [...(fn && isMap(fn.value) ? (fn.value as YAMLMap).items.map((p) => String((p.key as Scalar).value)) : [])];

  // routes
  const routes: Route[] = [];
  const rn = top.get("routes");
  if (!rn) r.err(doc.contents as Node, "routes", "missing: at least one route is needed");
  else {
    const items = r.seq(rn.value, "routes") ?? [];
    if (isSeq(rn.value) && items.length === 0) r.err(rn.value, "routes", "at least one route is needed");
    items.forEach((item, i) => {
      const path = `routes[${i}]`;
      const m = r.map(item, path, ROUTE, "a route");
      if (!m) return;
      const route: Route = { name: "", match: { path: null, prefix: null, headers: [] }, filters: [], provider: null, clusterHeader: null, retries: 0, timeout: "0s", idleTimeout: null, directResponse: null, line: r.line(item) };
      if (!m.has("name")) r.err(item, `${path}.name`, "missing: every route has a name (it appears in the access log)");
      else {
        route.name = r.string(m.get("name")!.value, `${path}.name`, { pattern: NAME, what: "route name (lowercase letters, digits, - and _)" }) ?? "";
        if (route.name && routes.some((o) => o.name === route.name)) r.err(m.get("name")!.value, `${path}.name`, `duplicate route name "${route.name}"`);
      }
      if (!m.has("match")) r.err(item, `${path}.match`, "missing: match with path or prefix");
      else {
        const mm = r.map(m.get("match")!.value, `${path}.match`, MATCH, "match");
        if (mm) {
          if (mm.has("path")) route.match.path = r.string(mm.get("path")!.value, `${path}.match.path`, { pattern: /^\/\S*$/, what: "path (starts with /)" });
          if (mm.has("prefix")) route.match.prefix = r.string(mm.get("prefix")!.value, `${path}.match.prefix`, { pattern: /^\/\S*$/, what: "prefix (starts with /)" });
          if (mm.has("path") === mm.has("prefix")) r.err(m.get("match")!.value, `${path}.match`, "needs exactly one of path (exact) or prefix");
          if (mm.has("headers")) {
            const hm = r.map(mm.get("headers")!.value, `${path}.match.headers`, [], "headers");
            for (const [h, { key, value }] of hm ?? []) {
              if (!HEADER_NAME.test(h) || h.startsWith(":")) { r.err(key, `${path}.match.headers.${h}`, `invalid header name "${h}" (lowercase)`); continue; }
              if (isScalar(value) && value.value === true) route.match.headers.push({ name: h, exact: null });
              else if (isScalar(value) && (typeof value.value === "string" || typeof value.value === "number")) route.match.headers.push({ name: h, exact: String(value.value) });
              else r.err(value ?? key, `${path}.match.headers.${h}`, "must be the exact value (a string) or true (header present)");
            }
          }
        }
      }
      if (m.has("filters")) {
        const fl = r.seq(m.get("filters")!.value, `${path}.filters`) ?? [];
        fl.forEach((f, j) => {
          const name = r.string(f, `${path}.filters[${j}]`);
          if (name === null) return;
          if (!filterNames.includes(name)) {
            const hint = closest(name, filterNames);
            r.err(f, `${path}.filters[${j}]`, `unknown filter instance "${name}" (defined: ${filterNames.join(", ") || "none"})${hint ? `; did you mean "${hint}"?` : ""}`);
          } else if (route.filters.includes(name)) r.err(f, `${path}.filters[${j}]`, `filter instance "${name}" is listed twice`);
          else route.filters.push(name);
        });
      }
      if ([m.has("provider"), m.has("direct_response"), m.has("cluster_header")].filter((x) => x).length !== 1) {
        r.err(item, path, "needs exactly one of provider (forward upstream), cluster_header (the provider a filter names in that header) or direct_response (answer here)");
      }
      if (m.has("cluster_header")) {
        route.clusterHeader = r.string(m.get("cluster_header")!.value, `${path}.cluster_header`, { pattern: HEADER_NAME, what: "lowercase header name" });
      }
      if (m.has("retries")) {
        if (!m.has("cluster_header")) r.err(m.get("retries")!.key, `${path}.retries`, "applies to cluster_header routes only");
        route.retries = r.int(m.get("retries")!.value, `${path}.retries`, 0, 5) ?? 0;
      }
      if (m.has("provider")) {
        const p = r.string(m.get("provider")!.value, `${path}.provider`);
        if (p !== null && !providers.some((x) => x.name === p)) {
          r.err(m.get("provider")!.value, `${path}.provider`, `unknown provider "${p}" (defined: ${providers.map((x) => x.name).join(", ") || "none"})`);
        } else route.provider = p;
      }
      if (m.has("timeout")) route.timeout = r.duration(m.get("timeout")!.value, `${path}.timeout`) ?? route.timeout;
      if (m.has("idle_timeout")) route.idleTimeout = r.duration(m.get("idle_timeout")!.value, `${path}.idle_timeout`);
      if (m.has("direct_response")) {
        const dm = r.map(m.get("direct_response")!.value, `${path}.direct_response`, DIRECT, "direct_response");
        if (dm) {
          const d: DirectResponse = { status: 200, body: "", contentType: "text/plain" };
          if (dm.has("status")) d.status = r.int(dm.get("status")!.value, `${path}.direct_response.status`, 200, 599) ?? 200;
          if (dm.has("body")) {
            const b = dm.get("body")!.value;
            if (isScalar(b) && typeof b.value === "string") d.body = b.value;
            else r.err(b, `${path}.direct_response.body`, "must be a string");
          }
          if (dm.has("content_type")) d.contentType = r.string(dm.get("content_type")!.value, `${path}.direct_response.content_type`) ?? d.contentType;
          route.directResponse = d;
        }
        if (m.has("timeout") || m.has("idle_timeout")) r.err(m.get("timeout")?.key ?? m.get("idle_timeout")!.key, path, "timeout and idle_timeout apply to provider routes only");
      }
      routes.push(route);
    });
  }

  let tracing: Tracing | null = null;
  const tn = top.get("tracing");
  if (tn) {
    const tm = r.map(tn.value, "tracing", TRACING, "tracing");
    if (tm) {
      const t: Tracing = { collector: "", host: "", port: 4317, serviceName: "ai-gateway", samplingPercent: 100 };
      if (!tm.has("collector")) r.err(tn.key, "tracing.collector", "missing: the OTLP/gRPC collector as host:port, e.g. 127.0.0.1:4317");
      else {
        const c = r.string(tm.get("collector")!.value, "tracing.collector", { pattern: /^[A-Za-z0-9.-]+:\d{1,5}$/, what: "collector (host:port)" });
        if (c) { t.collector = c; t.host = c.slice(0, c.lastIndexOf(":")); t.port = Number(c.slice(c.lastIndexOf(":") + 1)); }
      }
      if (tm.has("service_name")) t.serviceName = r.string(tm.get("service_name")!.value, "tracing.service_name") ?? t.serviceName;
      if (tm.has("sampling_percent")) {
        const s = tm.get("sampling_percent")!.value;
        if (isScalar(s) && typeof s.value === "number" && s.value >= 0 && s.value <= 100) t.samplingPercent = s.value;
        else r.err(s, "tracing.sampling_percent", "must be a number from 0 to 100");
      }
      tracing = t;
    }
  }
  const grpcServices: GrpcService[] = [];
  const gn = top.get("grpc_services");
  if (gn) {
    for (const [name, { key, value }] of r.map(gn.value, "grpc_services", [], "grpc_services") ?? []) {
      const path = `grpc_services.${name}`;
      if (!NAME.test(name) || providers.some((p) => p.name === name) || name === "opentelemetry_collector") { r.err(key, path, `invalid or taken cluster name "${name}" (lowercase letters, digits, "-" and "_", starting with a letter; not a provider's name)`); continue; }
      const gm = r.map(value, path, GRPC_SERVICE, "a gRPC service");
      if (!gm) continue;
      const g: GrpcService = { name, address: "", host: "", port: 0, connectTimeout: "1s", line: r.line(key) };
      if (!gm.has("address")) r.err(key, `${path}.address`, "missing: the service as host:port, e.g. 127.0.0.1:8081");
      else {
        const a = r.string(gm.get("address")!.value, `${path}.address`, { pattern: /^[A-Za-z0-9.-]+:\d{1,5}$/, what: "address (host:port)" });
        if (a) { g.address = a; g.host = a.slice(0, a.lastIndexOf(":")); g.port = Number(a.slice(a.lastIndexOf(":") + 1)); }
      }
      if (gm.has("connect_timeout")) g.connectTimeout = r.duration(gm.get("connect_timeout")!.value, `${path}.connect_timeout`) ?? g.connectTimeout;
      grpcServices.push(g);
    }
  }
  let metricLabels = DEFAULT_METRIC_LABELS;
  const mn = top.get("metrics");
  if (mn) {
    const mm = r.map(mn.value, "metrics", METRICS, "metrics");
    if (mm?.has("labels")) {
      metricLabels = (r.seq(mm.get("labels")!.value, "metrics.labels") ?? [])
        .map((n, i) => r.string(n, `metrics.labels[${i}]`, { pattern: /^[a-z0-9_]+$/, what: "label name ([a-z0-9_])" }))
        .filter((s): s is string => s !== null);
    }
  }
  let accessLogKeys = CONTRACT_KEYS;
  const alog = top.get("access_log");
  if (alog) {
    const am = r.map(alog.value, "access_log", ACCESS_LOG, "access_log");
    if (am?.has("filter_state")) {
      accessLogKeys = (r.seq(am.get("filter_state")!.value, "access_log.filter_state") ?? [])
        .map((n, i) => r.string(n, `access_log.filter_state[${i}]`, { pattern: /^[A-Za-z0-9_.-]+$/, what: "filter-state key" }))
        .filter((s): s is string => s !== null);
    }
  }

  if (r.issues.length > 0) return { description: null, issues: r.issues.sort((a, b) => a.line - b.line) };
  return { description: { file, listener, admin, providers, identityProviders, filters, routes, tracing, grpcServices, metricLabels, accessLogKeys }, issues: [] };
}

/** The YAML node at a JSON-pointer-like path inside a node, or null. */
function locate(node: Node, segs: string[]): Node | null {
  let cur: Node | null = node;
  for (const s of segs) {
    if (isMap(cur)) {
      const pair: { key: unknown; value: unknown } | undefined = (cur as YAMLMap).items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === s);
      if (!pair) return cur;
      cur = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(cur)) {
      const item = cur.items[Number(s)] as Node | undefined;
      if (!item) return cur;
      cur = item;
    } else return cur;
  }
  return cur;
}

/** Reads and parses a description file; throws DescriptionError with every issue. */
export function loadDescription(file: string, options: ParseOptions): Description {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new DescriptionError(file, [{ line: 0, path: "", message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  const { description, issues } = parseDescription(text, file, options);
  if (!description) throw new DescriptionError(file, issues);
  return description;
}
