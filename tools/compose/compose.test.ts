// compose: what Envoy will actually run for a description (filters per route, VMs, failure
// policies, clusters, credentials, logs), checked against Envoy's API schema.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { validateEnvoyYaml } from "../envoy-schema/index.ts";
import { compose } from "./compose.ts";
import { DescriptionError, parseDescription } from "./description.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const tsx = import.meta.resolve("tsx"); // absolute: the CLI tests run from a temporary directory

const TEXT = `listener: { port: 8080 }
providers:
  local: { url: "http://127.0.0.1:8000" }
  openai:
    url: https://api.openai.com
    credential: { env: OPENAI_AUTHORIZATION }
filters:
  auth: { config: { consumers: [{ name: alice }] } }
  pii: { module: pii-mask, config: { detectors: { EMAIL: redact } } }
  pii-strict: { module: pii-mask, config: { default_action: block }, failure_policy: fail_reload }
routes:
  - name: health
    match: { path: /healthz }
    direct_response: { status: 200, body: "ok\\n" }
  - name: chat
    match: { path: /v1/chat/completions }
    filters: [auth, pii]
    provider: local
  - name: strict
    match: { prefix: /strict/, headers: { x-tenant: acme, x-debug: true } }
    filters: [auth, pii-strict]
    provider: openai
    timeout: 2m
    idle_timeout: 30s
`;

function composed(text = TEXT) {
  const { description, issues } = parseDescription(text, "gateway.yaml", { root });
  assert.deepEqual(issues, []);
  return compose(description!);
}

// deno-lint-ignore no-explicit-any
type Any = any;
function hcmOf(b: Any): Any { return b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config; }

test("the output is a valid Envoy bootstrap (Envoy's own API schema)", () => {
  const out = composed();
  assert.deepEqual(validateEnvoyYaml(out.yaml, "composed.yaml").errors, []);
  assert.deepEqual(parse(out.yaml), out.bootstrap, "the YAML text is the bootstrap object");
});

test("the access log's path has no query string (it may carry a key): REQ_WITHOUT_QUERY with its formatter extension", () => {
  const out = composed();
  const log = hcmOf(out.bootstrap).access_log[0].typed_config.log_format;
  assert.equal(log.json_format.path, "%REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)%");
  assert.deepEqual(log.formatters.map((f: Any) => f.typed_config["@type"]), ["type.googleapis.com/envoy.extensions.formatter.req_without_query.v3.ReqWithoutQuery"]);
  for (const v of Object.values(log.json_format) as string[]) assert.doesNotMatch(v, /%REQ\((:PATH|X-ENVOY-ORIGINAL-PATH)/, "no operator logs the raw path");
  assert.deepEqual(validateEnvoyYaml(out.yaml, "composed.yaml").errors, [], "Envoy's schema knows the formatter");
});

test("every Wasm filter is disabled in the HCM and switched on only by the routes that list it", () => {
  const b: Any = composed().bootstrap;
  const hcm = hcmOf(b);
  const names = hcm.http_filters.map((f: Any) => f.name);
  assert.deepEqual(names, ["auth", "pii", "pii-strict", "credential-openai", "envoy.filters.http.router"]);
  for (const f of hcm.http_filters.slice(0, 4)) assert.equal(f.disabled, true, f.name);
  assert.equal(hcm.http_filters[4].disabled, undefined, "the router always runs");
  const routes = hcm.route_config.virtual_hosts[0].routes;
  const enabled = (r: Any) => Object.entries(r.typed_per_filter_config ?? {}).filter(([, v]: Any) => v["@type"].endsWith("route.v3.FilterConfig") && v.disabled === false).map(([k]) => k);
  assert.deepEqual(enabled(routes[0]), [], "the health route runs no filter");
  assert.deepEqual(Object.keys(routes[0].typed_per_filter_config), ["auth", "pii", "pii-strict"], "and says so explicitly");
  assert.deepEqual(enabled(routes[1]), ["auth", "pii"]);
  assert.deepEqual(enabled(routes[2]), ["auth", "pii-strict", "credential-openai"]);
});

test("instances of one module share one VM (vm_id and code); config, root_id and failure_policy per instance", () => {
  const hcm = hcmOf(composed().bootstrap);
  const cfg = (n: string) => hcm.http_filters.find((f: Any) => f.name === n).typed_config.config;
  assert.deepEqual(cfg("pii").vm_config, cfg("pii-strict").vm_config);
  assert.deepEqual(cfg("pii").vm_config, { vm_id: "pii-mask", runtime: "envoy.wasm.runtime.v8", code: { local: { filename: "/etc/envoy/wasm/pii-mask.wasm" } } });
  assert.notDeepEqual(cfg("auth").vm_config.vm_id, cfg("pii").vm_config.vm_id);
  assert.equal(cfg("pii").root_id, "pii-mask");
  assert.deepEqual(JSON.parse(cfg("pii").configuration.value), { detectors: { EMAIL: "redact" } });
  assert.deepEqual(JSON.parse(cfg("pii-strict").configuration.value), { default_action: "block" });
  assert.equal(cfg("auth").failure_policy, "FAIL_CLOSED");
  assert.equal(cfg("pii-strict").failure_policy, "FAIL_RELOAD");
  assert.equal(cfg("pii").allow_on_headers_stop_iteration, undefined, "pii-mask continues from headers and only buffers the body");
  assert.equal(cfg("auth").allow_on_headers_stop_iteration, undefined, "auth decides on headers");
});

test("routes: exact/prefix/header matches, no overall timeout by default, the provider's cluster and Host", () => {
  const routes = hcmOf(composed().bootstrap).route_config.virtual_hosts[0].routes;
  assert.deepEqual(routes[0].direct_response, { status: 200, body: { inline_string: "ok\n" } });
  assert.deepEqual(routes[1].match, { path: "/v1/chat/completions" });
  assert.deepEqual(routes[1].route, { cluster: "local", timeout: "0s" });
  assert.deepEqual(routes[2].match, { prefix: "/strict/", headers: [{ name: "x-tenant", string_match: { exact: "acme" } }, { name: "x-debug", present_match: true }] });
  assert.deepEqual(routes[2].route, { cluster: "openai", host_rewrite_literal: "api.openai.com", timeout: "120s", idle_timeout: "30s" });
  assert.deepEqual(routes.map((r: Any) => r.name), ["health", "chat", "strict"]);
});

test("clusters: plain http by IP, https with SNI and certificate checks; credentials from the environment", () => {
  const b: Any = composed().bootstrap;
  const [local, openai] = b.static_resources.clusters;
  assert.equal(local.type, "STATIC");
  assert.equal(local.transport_socket, undefined);
  assert.deepEqual(local.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address, { socket_address: { address: "127.0.0.1", port_value: 8000 } });
  assert.equal(openai.type, "LOGICAL_DNS");
  const tls = openai.transport_socket.typed_config;
  assert.equal(tls.sni, "api.openai.com");
  assert.deepEqual(tls.common_tls_context.validation_context.match_typed_subject_alt_names, [{ san_type: "DNS", matcher: { exact: "api.openai.com" } }]);
  assert.deepEqual(b.static_resources.secrets, [{ name: "openai-credential", generic_secret: { secret: { environment_variable: "OPENAI_AUTHORIZATION" } } }]);
  const inj = hcmOf(b).http_filters.find((f: Any) => f.name === "credential-openai").typed_config;
  assert.equal(inj.overwrite, true, "the client's own Authorization never reaches the provider");
  assert.deepEqual(inj.credential.typed_config.credential, { name: "openai-credential" });
});

test("listener, access log with the contract's filter state, stream idle timeout and metric tags", () => {
  const b: Any = composed().bootstrap;
  assert.deepEqual(b.static_resources.listeners[0].address, { socket_address: { address: "0.0.0.0", port_value: 8080 } });
  const hcm = hcmOf(b);
  assert.equal(hcm.stream_idle_timeout, "300s");
  const fmt = hcm.access_log[0].typed_config.log_format.json_format;
  assert.equal(fmt["aigw.consumer"], "%FILTER_STATE(wasm.aigw.consumer:PLAIN)%");
  assert.equal(fmt["aigw.pii.action"], "%FILTER_STATE(wasm.aigw.pii.action:PLAIN)%");
  assert.equal(fmt.route, "%ROUTE_NAME%");
  const tags = b.stats_config.stats_tags as { tag_name: string; regex: string }[];
  const reason = tags.find((t) => t.tag_name === "reason")!;
  // Envoy's rule: the first group is cut from the name, the second is the tag's value.
  const m = new RegExp(reason.regex).exec("wasmcustom.aigw.auth.denied.reason.bad_key")!;
  assert.deepEqual([m[1], m[2]], [".reason.bad_key", "bad_key"]);
  assert.equal(new RegExp(reason.regex).exec("cluster.openai.upstream_rq"), null);
});

test("tracing is added only when described", () => {
  assert.equal(hcmOf(composed().bootstrap).tracing, undefined);
  const b: Any = composed(TEXT + "tracing: { collector: 'otel:4317', sampling_percent: 10 }\n").bootstrap;
  assert.equal(hcmOf(b).tracing.random_sampling.value, 10);
  assert.equal(hcmOf(b).tracing.provider.typed_config.grpc_service.envoy_grpc.cluster_name, "opentelemetry_collector");
  const otel = b.static_resources.clusters.find((c: Any) => c.name === "opentelemetry_collector");
  assert.equal(otel.type, "STRICT_DNS");
});

test("routes that order the same filters differently are refused (Envoy has one order per listener)", () => {
  const text = TEXT.replace("filters: [auth, pii-strict]", "filters: [pii, auth]");
  const { description } = parseDescription(text, "gateway.yaml", { root });
  assert.throws(() => compose(description!), (e: unknown) => e instanceof DescriptionError &&
    e.message === 'gateway.yaml:19: routes[2].filters: runs pii before auth, but route "chat" (line 15) runs auth before pii; Envoy has one filter order per listener, so routes must agree on it');
});

test("routes that agree on a partial order get one merged order", () => {
  const text = TEXT.replace("filters: [auth, pii]", "filters: [pii]").replace("filters: [auth, pii-strict]", "filters: [auth, pii-strict, pii]");
  const names = hcmOf(composed(text).bootstrap).http_filters.map((f: Any) => f.name);
  assert.deepEqual(names.slice(0, 3), ["auth", "pii-strict", "pii"]);
});

test("the same description always gives the same bytes", () => {
  assert.equal(composed().yaml, composed().yaml);
});

test("envoy/envoy.yaml is exactly `compose envoy/gateway.yaml`", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "tools/compose/cli.ts", "compose", "envoy/gateway.yaml"], { cwd: root, encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(join(root, "envoy/envoy.yaml"), "utf8"), r.stdout, "regenerate: node --import tsx tools/compose/cli.ts compose envoy/gateway.yaml -o envoy/envoy.yaml");
});

test("cli: a bad description prints file:line: path: message and exits 1; bad usage exits 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "compose-cli-"));
  const file = join(dir, "bad.yaml");
  writeFileSync(file, TEXT.replace("filters: [auth, pii]", "filters: [authz, pii]"));
  const r = spawnSync(process.execPath, ["--import", tsx, join(root, "tools/compose/cli.ts"), "compose", "bad.yaml"], { cwd: dir, encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, 'bad.yaml:17: routes[1].filters[0]: unknown filter instance "authz" (defined: auth, pii, pii-strict); did you mean "auth"?\n');
  const u = spawnSync(process.execPath, ["--import", tsx, join(root, "tools/compose/cli.ts"), "composer", "bad.yaml"], { cwd: dir, encoding: "utf8", timeout: 30_000 });
  assert.equal(u.status, 2);
  assert.match(u.stderr, /^error: unknown command "composer"/);
});

test("the connection manager gives filters and routes one spelling of path, host and header names", () => {
  const hcm = hcmOf(composed().bootstrap);
  assert.equal(hcm.normalize_path, true);
  assert.equal(hcm.merge_slashes, true);
  assert.equal(hcm.path_with_escaped_slashes_action, "REJECT_REQUEST", "%2F/%5C refused, as the auth filter refuses them");
  assert.equal(hcm.strip_trailing_host_dot, true);
  assert.equal(hcm.strip_any_host_port, true);
  assert.deepEqual(hcm.common_http_protocol_options, { headers_with_underscores_action: "REJECT_REQUEST" });
});

const WITH_IDP = TEXT.replace("filters:\n  auth: { config: { consumers: [{ name: alice }] } }",
  `identity_providers:
  corp-idp: { url: "https://login.example.com", connect_timeout: 2s }
  local-idp: { url: "http://127.0.0.1:9100" }
filters:
  auth:
    config:
      jwt_providers:
        - { issuer: "https://login.example.com/", remote_jwks: { cluster: corp-idp, path: /.well-known/jwks.json } }
        - { name: dev, issuer: "http://127.0.0.1:9100/", remote_jwks: { cluster: local-idp, path: /jwks } }`);

test("identity providers become clusters that no route exposes, and the result passes Envoy's schema", () => {
  const out = composed(WITH_IDP);
  assert.deepEqual(validateEnvoyYaml(out.yaml, "composed.yaml").errors, []);
  const b: Any = out.bootstrap;
  const corp = b.static_resources.clusters.find((c: Any) => c.name === "corp-idp");
  assert.equal(corp.type, "LOGICAL_DNS");
  assert.equal(corp.connect_timeout, "2s");
  assert.equal(corp.transport_socket.typed_config.sni, "login.example.com");
  assert.deepEqual(corp.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address, { socket_address: { address: "login.example.com", port_value: 443 } });
  const local = b.static_resources.clusters.find((c: Any) => c.name === "local-idp");
  assert.equal(local.type, "STATIC");
  assert.equal(local.transport_socket, undefined);
  const routed = hcmOf(b).route_config.virtual_hosts[0].routes.map((r: Any) => r.route?.cluster).filter(Boolean);
  assert.ok(!routed.includes("corp-idp") && !routed.includes("local-idp"), "no route leads to an identity provider");
  assert.deepEqual(out.warnings, []);
  const spare = composed(WITH_IDP.replace("identity_providers:\n", "identity_providers:\n  spare-idp: { url: \"http://127.0.0.1:9200\" }\n"));
  assert.deepEqual(spare.warnings, ["gateway.yaml:8: identity_providers.spare-idp: no filter on a route fetches from it (remote_jwks.cluster); its cluster is written anyway"]);
});

test("a remote_jwks cluster that is not a declared identity provider is an error naming the line", () => {
  const text = WITH_IDP.replace("cluster: local-idp", "cluster: local-ipd");
  const { description, issues } = parseDescription(text, "gateway.yaml", { root });
  assert.equal(description, null);
  assert.equal(issues.length, 1);
  assert.equal(issues[0].path, "filters.auth.config.jwt_providers[1].remote_jwks.cluster");
  assert.match(issues[0].message, /cluster "local-ipd" is not an identity provider \(declared: corp-idp, local-idp; .*did you mean "local-idp"\?/);
  assert.equal(issues[0].line, text.split("\n").findIndex((l) => l.includes("local-ipd")) + 1);
  const clash = parseDescription(WITH_IDP.replace("local-idp: {", "local: {"), "gateway.yaml", { root });
  assert.ok(clash.issues.some((i) => i.path === "identity_providers.local" && /already a provider/.test(i.message)));
});
