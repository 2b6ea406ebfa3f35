// Description -> complete Envoy v3 bootstrap (static, no control plane). Pure: same description,
// same YAML, byte for byte (envoy/envoy.yaml is this output and a test keeps them equal).
//
// Layout of the result:
// - one listener with the HTTP connection manager; every filter instance is one
//   envoy.filters.http.wasm HttpFilter, `disabled: true`, switched on per route through
//   typed_per_filter_config -> envoy.config.route.v3.FilterConfig (Envoy >= 1.29 "route based
//   filter chain"), so each route runs exactly the filters its description lists;
// - provider credentials are injected by envoy.filters.http.credential_injector (one per
//   provider, after the Wasm filters so no filter ever sees the provider key), read by Envoy from
//   an environment variable through a static generic secret;
// - one cluster per provider used by a route (TLS with SNI and certificate checks for https);
// - JSON access log with the filter state of docs/contract.md, OpenTelemetry tracing, and
//   stats tag extraction for the filters' `wasmcustom.aigw.*` metric labels.
import { Document, isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, visit } from "yaml";
import { Description, DescriptionError, FilterInstance, Issue, Provider, Route } from "./description.ts";

export interface ComposeOptions {
  /** Directory holding <module>.wasm inside the Envoy container/host. */
  wasmDir?: string;
  /** Shown in the generated header ("generated from ..."). */
  source?: string;
}

export interface Composed {
  bootstrap: Record<string, unknown>;
  yaml: string;
  /** Non-fatal remarks (unused filter instances or providers). */
  warnings: string[];
}

const WASM = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
const FILTER_CONFIG = "type.googleapis.com/envoy.config.route.v3.FilterConfig";
const IS_IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]*)$/;

/**
 * One order for all filters that agrees with every route's order (the connection manager has a
 * single filter list; routes only switch entries on or off). Ties keep definition order.
 */
export function filterOrder(d: Description): { order: string[]; issues: Issue[] } {
  const used = d.filters.filter((f) => d.routes.some((r) => r.filters.includes(f.name))).map((f) => f.name);
  const after = new Map<string, Set<string>>(used.map((n) => [n, new Set<string>()]));
  for (const r of d.routes) for (let i = 1; i < r.filters.length; i++) after.get(r.filters[i - 1])!.add(r.filters[i]);
  // Two routes that list the same pair in opposite orders: name both.
  for (const a of d.routes) {
    for (const b of d.routes) {
      if (a === b) continue;
      for (let i = 0; i < a.filters.length; i++) {
        for (let j = i + 1; j < a.filters.length; j++) {
          const bi = b.filters.indexOf(a.filters[j]);
          const bj = b.filters.indexOf(a.filters[i]);
          if (bi >= 0 && bj > bi && d.routes.indexOf(a) < d.routes.indexOf(b)) {
            return { order: [], issues: [{ line: b.line, path: `routes[${d.routes.indexOf(b)}].filters`, message: `runs ${a.filters[j]} before ${a.filters[i]}, but route "${a.name}" (line ${a.line}) runs ${a.filters[i]} before ${a.filters[j]}; Envoy has one filter order per listener, so routes must agree on it` }] };
          }
        }
      }
    }
  }
  const indeg = new Map(used.map((n) => [n, 0]));
  for (const s of after.values()) for (const n of s) indeg.set(n, indeg.get(n)! + 1);
  const order: string[] = [];
  const ready = used.filter((n) => indeg.get(n) === 0);
  while (ready.length > 0) {
    const n = ready.shift()!;
    order.push(n);
    for (const m of after.get(n)!) {
      indeg.set(m, indeg.get(m)! - 1);
      if (indeg.get(m) === 0) {
        ready.push(m);
        ready.sort((x, y) => used.indexOf(x) - used.indexOf(y));
      }
    }
  }
  if (order.length < used.length) {
    const stuck = used.filter((n) => !order.includes(n));
    return { order: [], issues: [{ line: d.routes[0]?.line ?? 1, path: "routes", message: `the routes' filter orders form a cycle (${stuck.join(", ")}); Envoy has one filter order per listener` }] };
  }
  return { order, issues: [] };
}

function socket(host: string, port: number) {
  return { socket_address: { address: host, port_value: port } };
}

/** One upstream cluster: a route's provider or an identity provider (the same shape of endpoint). */
function providerCluster(p: Pick<Provider, "name" | "host" | "port" | "tls" | "connectTimeout">, bufferLimit: number): Record<string, unknown> {
  const c: Record<string, unknown> = {
    name: p.name,
    type: IS_IP.test(p.host) ? "STATIC" : "LOGICAL_DNS",
    ...(IS_IP.test(p.host) ? {} : { dns_lookup_family: "V4_PREFERRED" }),
    connect_timeout: p.connectTimeout,
    per_connection_buffer_limit_bytes: bufferLimit,
    load_assignment: { cluster_name: p.name, endpoints: [{ lb_endpoints: [{ endpoint: { address: socket(p.host, p.port) } }] }] },
  };
  if (p.tls) {
    c.transport_socket = {
      name: "envoy.transport_sockets.tls",
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
        sni: p.host,
        common_tls_context: {
          validation_context: {
            trusted_ca: { filename: "/etc/ssl/certs/ca-certificates.crt" },
            match_typed_subject_alt_names: [{ san_type: IS_IP.test(p.host) ? "IP_ADDRESS" : "DNS", matcher: { exact: p.host } }],
          },
        },
      },
    };
  }
  return c;
}

function wasmFilter(f: FilterInstance, wasmDir: string): Record<string, unknown> {
  const config: Record<string, unknown> = {
    name: f.name,
    root_id: f.module,
    vm_config: { vm_id: f.vmId, runtime: "envoy.wasm.runtime.v8", code: { local: { filename: `${wasmDir}/${f.module}.wasm` } } },
    configuration: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: f.configJson },
    failure_policy: f.failurePolicy,
  };
  if (f.allowOnHeadersStopIteration) config.allow_on_headers_stop_iteration = true;
  return { name: f.name, disabled: true, typed_config: { "@type": WASM, config } };
}

function credentialFilterName(p: Provider): string {
  return `credential-${p.name}`;
}

function credentialFilter(p: Provider): Record<string, unknown> {
  return {
    name: credentialFilterName(p),
    disabled: true,
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.credential_injector.v3.CredentialInjector",
      overwrite: true,
      credential: {
        name: "envoy.http.injected_credentials.generic",
        typed_config: {
          "@type": "type.googleapis.com/envoy.extensions.http.injected_credentials.generic.v3.Generic",
          credential: { name: `${p.name}-credential` },
          header: p.credential!.header,
        },
      },
    },
  };
}

function envoyRoute(r: Route, d: Description, order: string[]): Record<string, unknown> {
  const match: Record<string, unknown> = r.match.path !== null ? { path: r.match.path } : { prefix: r.match.prefix };
  if (r.match.headers.length > 0) {
    match.headers = r.match.headers.map((h) => (h.exact === null ? { name: h.name, present_match: true } : { name: h.name, string_match: { exact: h.exact } }));
  }
  const out: Record<string, unknown> = { name: r.name, match };
  const perFilter: Record<string, unknown> = {};
  for (const f of r.filters) perFilter[f] = { "@type": FILTER_CONFIG, disabled: false };
  if (r.directResponse) {
    // Envoy answers this route itself. Every filter is off by default anyway; saying so here keeps
    // the route filter-free even if a filter is later switched on by default in http_filters.
    for (const f of order) if (!r.filters.includes(f)) perFilter[f] = { "@type": FILTER_CONFIG, disabled: true };
    out.direct_response = { status: r.directResponse.status, ...(r.directResponse.body ? { body: { inline_string: r.directResponse.body } } : {}) };
    out.response_headers_to_add = [{ header: { key: "content-type", value: r.directResponse.contentType }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" }];
  } else if (r.clusterHeader !== null) {
    out.route = clusterHeaderAction(r);
  } else {
    const p = d.providers.find((x) => x.name === r.provider)!;
    const action: Record<string, unknown> = { cluster: p.name };
    if (!IS_IP.test(p.host)) action.host_rewrite_literal = p.host;
    action.timeout = r.timeout;
    if (r.idleTimeout) action.idle_timeout = r.idleTimeout;
    out.route = action;
    if (p.credential) perFilter[credentialFilterName(p)] = { "@type": FILTER_CONFIG, disabled: false };
  }
  if (Object.keys(perFilter).length > 0) out.typed_per_filter_config = perFilter;
  return out;
}

/**
 * A route whose provider a filter (llm-route) names in a request header (RouteAction.cluster_header;
 * Envoy re-picks the route after the filter changed the headers). The Host is the chosen cluster's
 * (auto_host_rewrite; llm-route also writes :authority). Retries resend the already translated
 * body, so they can only go to another endpoint of the same cluster (same wire format): 5xx,
 * resets, connect failures and 429, waiting as retry-after says.
 */
export function clusterHeaderAction(r: Route): Record<string, unknown> {
  const action: Record<string, unknown> = {
    cluster_header: r.clusterHeader,
    cluster_not_found_response_code: "SERVICE_UNAVAILABLE",
    auto_host_rewrite: true,
    timeout: r.timeout,
  };
  if (r.idleTimeout) action.idle_timeout = r.idleTimeout;
  if (r.retries > 0) {
    action.retry_policy = {
      retry_on: "5xx,reset,connect-failure,refused-stream,retriable-status-codes",
      retriable_status_codes: [429],
      num_retries: r.retries,
      retry_host_predicate: [{ name: "envoy.retry_host_predicates.previous_hosts", typed_config: { "@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate" } }],
      host_selection_retry_max_attempts: 3,
      retry_back_off: { base_interval: "0.25s", max_interval: "2s" },
      rate_limited_retry_back_off: { reset_headers: [{ name: "retry-after", format: "SECONDS" }], max_interval: "30s" },
    };
  }
  return action;
}

/** A provider reached through a cluster_header route gets its credential on its own cluster (an
 *  upstream credential_injector): only the provider the filter picked ever sees its key. */
function upstreamCredentialOptions(p: Provider): Record<string, unknown> {
  const injector = credentialFilter(p);
  delete injector.disabled;
  return {
    "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
      "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
      explicit_http_config: { http_protocol_options: {} },
      http_filters: [injector, { name: "envoy.filters.http.upstream_codec", typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec" } }],
    },
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Builds the bootstrap; throws DescriptionError when routes disagree on the filter order. */
/** Envoy's REQ_WITHOUT_QUERY command operator: %REQ(...)% with the query string removed. */
const REQ_WITHOUT_QUERY = {
  name: "envoy.formatter.req_without_query",
  typed_config: { "@type": "type.googleapis.com/envoy.extensions.formatter.req_without_query.v3.ReqWithoutQuery" },
};

export function compose(d: Description, options: ComposeOptions = {}): Composed {
  const wasmDir = (options.wasmDir ?? "/etc/envoy/wasm").replace(/\/+$/, "");
  const warnings: string[] = [];
  const { order, issues } = filterOrder(d);
  if (issues.length > 0) throw new DescriptionError(d.file, issues);
  for (const f of d.filters) if (!order.includes(f.name)) warnings.push(`${d.file}:${f.line}: filters.${f.name}: not used by any route; left out of the Envoy config`);
  // A cluster_header route can reach every provider (the filter's configuration names them).
  const anyClusterHeader = d.routes.some((r) => r.clusterHeader !== null);
  const usedProviders = d.providers.filter((p) => anyClusterHeader || d.routes.some((r) => r.provider === p.name));
  for (const p of d.providers) if (!usedProviders.includes(p)) warnings.push(`${d.file}:${p.line}: providers.${p.name}: not used by any route; left out of the Envoy config`);

  for (const ip of d.identityProviders) {
    const named = d.filters.some((f) => order.includes(f.name) && f.module === "auth" &&
      ((JSON.parse(f.configJson) as { jwt_providers?: Array<{ remote_jwks?: { cluster?: unknown } }> }).jwt_providers ?? []).some((j) => j?.remote_jwks?.cluster === ip.name));
    if (!named) warnings.push(`${d.file}:${ip.line}: identity_providers.${ip.name}: no filter on a route fetches from it (remote_jwks.cluster); its cluster is written anyway`);
  }
  const httpFilters: Record<string, unknown>[] = order.map((n) => wasmFilter(d.filters.find((f) => f.name === n)!, wasmDir));
  for (const p of usedProviders) if (p.credential) httpFilters.push(credentialFilter(p));
  httpFilters.push({ name: "envoy.filters.http.router", typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" } });

  const logFormat: Record<string, string> = {
    time: "%START_TIME%",
    request_id: "%REQ(X-REQUEST-ID)%",
    method: "%REQ(:METHOD)%",
    // Without the query: it can carry a credential (`?api_key=`, `?access_token=`) and the access
    // log must never hold one (envoy.formatter.req_without_query, registered below).
    path: "%REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)%",
    route: "%ROUTE_NAME%",
    status: "%RESPONSE_CODE%",
    flags: "%RESPONSE_FLAGS%",
    details: "%RESPONSE_CODE_DETAILS%",
    duration_ms: "%DURATION%",
    upstream: "%UPSTREAM_CLUSTER%",
    bytes_received: "%BYTES_RECEIVED%",
    bytes_sent: "%BYTES_SENT%",
  };
  for (const k of d.accessLogKeys) logFormat[k] = `%FILTER_STATE(wasm.${k}:PLAIN)%`;

  const hcm: Record<string, unknown> = {
    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
    stat_prefix: "gateway",
    codec_type: "AUTO",
    use_remote_address: true,
    normalize_path: true,
    merge_slashes: true,
    path_with_escaped_slashes_action: "REJECT_REQUEST",
    strip_trailing_host_dot: true,
    strip_any_host_port: true,
    common_http_protocol_options: { headers_with_underscores_action: "REJECT_REQUEST" },
    stream_idle_timeout: d.listener.streamIdleTimeout,
    access_log: [{
      name: "envoy.access_loggers.stdout",
      typed_config: { "@type": "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog", log_format: { json_format: logFormat, formatters: [REQ_WITHOUT_QUERY] } },
    }],
  };
  if (d.tracing) {
    hcm.tracing = {
      random_sampling: { value: d.tracing.samplingPercent },
      provider: {
        name: "envoy.tracers.opentelemetry",
        typed_config: {
          "@type": "type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig",
          grpc_service: { envoy_grpc: { cluster_name: "opentelemetry_collector" }, timeout: "0.25s" },
          service_name: d.tracing.serviceName,
        },
      },
    };
  }
  hcm.route_config = { name: "gateway", virtual_hosts: [{ name: "gateway", domains: ["*"], routes: d.routes.map((r) => envoyRoute(r, d, order)) }] };
  hcm.http_filters = httpFilters;

  const clusters = usedProviders.map((p) => {
    const c = providerCluster(p, d.listener.bufferLimitBytes);
    if (anyClusterHeader && p.credential) c.typed_extension_protocol_options = upstreamCredentialOptions(p);
    return c;
  });
  // Identity providers: clusters for the filters' http_call (a JWKS), exposed by no route.
  for (const ip of d.identityProviders) clusters.push(providerCluster(ip, d.listener.bufferLimitBytes));
  if (d.tracing) {
    clusters.push({
      name: "opentelemetry_collector",
      type: IS_IP.test(d.tracing.host) ? "STATIC" : "STRICT_DNS",
      connect_timeout: "1s",
      // OTLP/gRPC needs HTTP/2 towards the collector.
      typed_extension_protocol_options: {
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
          "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
          explicit_http_config: { http2_protocol_options: {} },
        },
      },
      load_assignment: { cluster_name: "opentelemetry_collector", endpoints: [{ lb_endpoints: [{ endpoint: { address: socket(d.tracing.host, d.tracing.port) } }] }] },
    });
  }
  // gRPC services the filters call (grpc_call with the cluster name, e.g. quota's rate limit service).
  for (const g of d.grpcServices) {
    clusters.push({
      name: g.name,
      type: IS_IP.test(g.host) ? "STATIC" : "STRICT_DNS",
      connect_timeout: g.connectTimeout,
      typed_extension_protocol_options: {
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
          "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
          explicit_http_config: { http2_protocol_options: {} },
        },
      },
      load_assignment: { cluster_name: g.name, endpoints: [{ lb_endpoints: [{ endpoint: { address: socket(g.host, g.port) } }] }] },
    });
  }
  const secrets = usedProviders.filter((p) => p.credential).map((p) => ({
    name: `${p.name}-credential`,
    generic_secret: { secret: { environment_variable: p.credential!.env } },
  }));

  const bootstrap: Record<string, unknown> = {
    admin: { address: socket(d.admin.address, d.admin.port) },
    stats_config: {
      stats_tags: d.metricLabels.map((l) => ({
        tag_name: l,
        regex: `^wasmcustom\\.aigw\\..*?(\\.${escapeRegex(l)}\\.([a-z0-9_]+))(?:\\.|$)`,
      })),
    },
    static_resources: {
      listeners: [{
        name: "gateway",
        address: socket(d.listener.address, d.listener.port),
        per_connection_buffer_limit_bytes: d.listener.bufferLimitBytes,
        filter_chains: [{ filters: [{ name: "envoy.filters.network.http_connection_manager", typed_config: hcm }] }],
      }],
      clusters,
      ...(secrets.length > 0 ? { secrets } : {}),
    },
  };
  return { bootstrap, yaml: render(bootstrap, d, order, options.source ?? d.file), warnings };
}

/** YAML text with comments that say why (the output is meant to be read). */
function render(bootstrap: Record<string, unknown>, d: Description, order: string[], source: string): string {
  const doc = new Document(bootstrap);
  const hcmPath = ["static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config"];
  const comment = (path: (string | number)[], text: string) => {
    const parent = doc.getIn(path.slice(0, -1), true) as Node | undefined;
    const last = path[path.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && (p.key as Scalar).value === last) as Pair<Scalar, Node> | undefined;
      if (pair) (pair.key as Scalar).commentBefore = text.split("\n").map((l) => ` ${l}`).join("\n");
    } else if (isSeq(parent)) {
      const item = parent.items[last as number] as Node | undefined;
      if (item) item.commentBefore = text.split("\n").map((l) => ` ${l}`).join("\n");
    }
  };
  doc.commentBefore = [
    ` Envoy bootstrap generated by tools/compose from ${source}. Do not edit by hand:`,
    ` change the description and run  node --import tsx tools/compose/cli.ts compose ${source} -o <this file>`,
    "",
    ` Listener ${d.listener.address}:${d.listener.port}; filters (Wasm, proxy-wasm ABI): ${order.join(", ") || "none"}.`,
    ` Needs Envoy >= 1.33 (failure_policy)${d.filters.some((f) => order.includes(f.name) && f.allowOnHeadersStopIteration) ? " and >= 1.35 (allow_on_headers_stop_iteration)" : ""}.`,
  ].join("\n");
  comment(["admin"], "Stats, config dump and /ready. Loopback only: the admin API can change Envoy's state.");
  comment(["stats_config"], "Filters name metrics aigw.<filter>.<metric>.<label>.<value> (docs/contract.md); Envoy exposes\nthem as wasmcustom.*. Each rule turns one .<label>.<value> pair into a tag (a Prometheus label).");
  comment([...hcmPath, "use_remote_address"], "Edge proxy: trust the connection's address, not a client-sent X-Forwarded-For.");
  comment([...hcmPath, "normalize_path"], [
    "Routes and per-route filters match on the path Envoy routes, so normalize it first: RFC 3986",
    "dot-segments (normalize_path), merged slashes; %2F/%5C in the path are refused (400), as the auth",
    "filter refuses them: upstreams disagree on whether they separate segments.",
  ].join("\n"));
  comment([...hcmPath, "strip_trailing_host_dot"], "One spelling of the host for routing and the filters: no trailing dot, no port.");
  comment([...hcmPath, "common_http_protocol_options"], "x_aigw_consumer and x-aigw-consumer are one header to CGI/WSGI-style upstreams: refuse\nheader names with underscores (400) rather than let a client forge an identity header.");
  comment([...hcmPath, "stream_idle_timeout"], "Closes a stream with no bytes in either direction for this long (routes set timeout: 0s).");
  comment([...hcmPath, "access_log"], "One JSON line per request, with the filter state the filters publish (docs/contract.md):\nproxy_set_property(K) is Envoy filter state wasm.K.");
  if (d.tracing) comment([...hcmPath, "tracing"], "OpenTelemetry traces over OTLP/gRPC to the collector cluster below.");
  comment([...hcmPath, "http_filters"], [
    "Run in this order on requests (reverse on responses). Every filter is disabled here and switched on",
    "by the routes that list it (typed_per_filter_config: FilterConfig with disabled: false).",
    "Instances of one module share vm_id and code, hence one VM (and its shared data) per module.",
    "failure_policy: what Envoy does when the VM fails (trap, failed start or configure):",
    "FAIL_CLOSED answers 503 rather than let requests through unauthenticated or unmasked.",
    "allow_on_headers_stop_iteration: the filter decides on the body, so it stops in on_request_headers.",
  ].join("\n"));
  const routes = d.routes;
  routes.forEach((r, i) => {
    const bits: string[] = [];
    bits.push(r.directResponse ? `answered by Envoy (${r.directResponse.status})` : r.clusterHeader ? `-> the provider named in ${r.clusterHeader} (set by a filter)` : `-> ${r.provider}`);
    bits.push(r.filters.length ? `filters: ${r.filters.join(", ")}` : "no filters");
    comment([...hcmPath, "route_config", "virtual_hosts", 0, "routes", i], `${r.name}: ${bits.join("; ")}${r.directResponse ? "" : r.timeout === "0s" ? ". timeout 0s: no overall limit (Envoy's 15s default would cut long streamed answers)" : ""}`);
  });
  if (d.providers.some((p) => p.credential && routes.some((r) => r.provider === p.name || r.clusterHeader !== null))) {
    comment(["static_resources", "secrets"], "Provider credentials, read by Envoy from its environment at start. The variable holds the\nwhole header value (e.g. \"Bearer sk-...\"); credential_injector sets it on requests to that provider.");
  }
  // Short mappings on one line: addresses read better that way.
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && ["socket_address", "local", "match", "string_match", "header", "trusted_ca", "random_sampling", "envoy_grpc", "matcher"].includes(String((pair.key as Scalar).value)) && isMap(pair.value)) {
        const inner = (pair.value as { items: Pair[] }).items;
        if (inner.every((p) => isScalar(p.value) || (isMap(p.value) && (p.value as { items: Pair[] }).items.every((q) => isScalar(q.value))))) {
          (pair.value as Node & { flow?: boolean }).flow = true;
        }
      }
    },
  });
  return doc.toString({ lineWidth: 0, indentSeq: false });
}
