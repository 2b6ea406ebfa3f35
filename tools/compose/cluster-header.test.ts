// compose for llm-route's routes: `cluster_header` becomes Envoy's RouteAction.cluster_header (503
// when the named cluster does not exist, auto host rewrite), `retries` a retry policy that honours
// retry-after, every provider becomes a cluster, and a provider credential is injected on that
// provider's own cluster (an upstream credential_injector), never on the route. Checked against
// Envoy's API schema.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { validateEnvoyYaml } from "../envoy-schema/index.ts";
import { compose } from "./compose.ts";
import { parseDescription } from "./description.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const TEXT = `providers:
  openai: { url: https://api.openai.com, credential: { env: OPENAI_AUTHORIZATION } }
  anthropic: { url: https://api.anthropic.com, credential: { env: ANTHROPIC_KEY, header: x-api-key } }
  local: { url: "http://127.0.0.1:8001", sample: anthropic }
filters:
  route:
    module: llm-route
    config:
      providers:
        - { name: openai, kind: openai, host: api.openai.com, models: { gpt-4o-mini: gpt-4o-mini } }
        - { name: anthropic, kind: anthropic, host: api.anthropic.com, models: { claude: claude-3-5-haiku-latest } }
      aliases: { fast: [openai/gpt-4o-mini, anthropic/claude] }
routes:
  - name: chat
    match: { path: /v1/chat/completions }
    filters: [route]
    cluster_header: x-aigw-cluster
    retries: 2
    timeout: 120s
`;

test("a cluster_header route: Envoy snippets for the route, retries, clusters and per-cluster credentials", () => {
  const { description, issues } = parseDescription(TEXT, "gw.yaml", { root });
  assert.deepEqual(issues, []);
  const d = description!;
  assert.equal(d.providers.find((p) => p.name === "local")!.sampleKind, "anthropic");
  assert.equal(d.filters[0].allowOnHeadersStopIteration, true, "llm-route holds request headers");
  const out = compose(d);
  assert.deepEqual(validateEnvoyYaml(out.yaml, "composed.yaml").errors, []);
  const b = out.bootstrap as any;
  const hcm = b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  const route = hcm.route_config.virtual_hosts[0].routes[0].route;
  assert.equal(route.cluster_header, "x-aigw-cluster");
  assert.equal(route.cluster_not_found_response_code, "SERVICE_UNAVAILABLE");
  assert.equal(route.auto_host_rewrite, true);
  assert.equal(route.timeout, "120s");
  assert.equal(route.retry_policy.num_retries, 2);
  assert.deepEqual(route.retry_policy.retriable_status_codes, [429]);
  assert.match(route.retry_policy.retry_on, /5xx/);
  assert.equal(route.retry_policy.rate_limited_retry_back_off.reset_headers[0].name, "retry-after");
  const clusters = b.static_resources.clusters.map((c: any) => c.name).sort();
  assert.deepEqual(clusters, ["anthropic", "local", "openai"]);
  // No credential filter switched on for the route: each key goes only to its own cluster.
  assert.ok(!Object.keys(hcm.route_config.virtual_hosts[0].routes[0].typed_per_filter_config).some((k) => k.startsWith("credential-")));
  const anth = b.static_resources.clusters.find((c: any) => c.name === "anthropic");
  const opts = anth.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"];
  assert.equal(opts.http_filters[0].typed_config.credential.typed_config.header, "x-api-key");
  assert.equal(opts.http_filters[opts.http_filters.length - 1].name, "envoy.filters.http.upstream_codec");
  assert.equal(b.static_resources.clusters.find((c: any) => c.name === "local").typed_extension_protocol_options, undefined);
  assert.deepEqual(b.static_resources.secrets.map((s: any) => s.name).sort(), ["anthropic-credential", "openai-credential"]);
});

test("a route names exactly one of provider, cluster_header, direct_response; retries need cluster_header", () => {
  const bad = TEXT.replace("    cluster_header: x-aigw-cluster\n", "    cluster_header: x-aigw-cluster\n    provider: openai\n");
  assert.match(parseDescription(bad, "gw.yaml", { root }).issues.map((i) => i.message).join("\n"), /needs exactly one of provider/);
  const noHeader = TEXT.replace("    cluster_header: x-aigw-cluster\n", "    provider: openai\n");
  assert.match(parseDescription(noHeader, "gw.yaml", { root }).issues.map((i) => i.path + " " + i.message).join("\n"), /routes\[0\]\.retries applies to cluster_header routes only/);
  const kind = TEXT.replace("sample: anthropic", "sample: cohere");
  assert.match(parseDescription(kind, "gw.yaml", { root }).issues.map((i) => i.message).join("\n"), /sample kind/);
});
