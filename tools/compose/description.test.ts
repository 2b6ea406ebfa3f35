// The description format: what a person writes, and the exact error (file:line: path: message)
// they get back when it is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatIssue, parseDescription } from "./description.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const BASE = `providers:
  sample: { url: "http://127.0.0.1:8000", sample: true }
filters:
  auth: {}
  pii: { module: pii-mask }
routes:
  - name: health
    match: { path: /healthz }
    direct_response: { status: 200, body: "ok" }
  - name: chat
    match: { prefix: /v1/ }
    filters: [auth, pii]
    provider: sample
`;

function errors(text: string, r = root): string[] {
  const { description, issues } = parseDescription(text, "gateway.yaml", { root: r });
  assert.equal(description, null, "expected the description to be rejected");
  return issues.map((i) => formatIssue("gateway.yaml", i));
}

test("a minimal description gets the documented defaults", () => {
  const { description: d, issues } = parseDescription(BASE, "gateway.yaml", { root });
  assert.deepEqual(issues, []);
  assert.deepEqual(d!.listener, { address: "0.0.0.0", port: 10000, streamIdleTimeout: "300s", bufferLimitBytes: 1048576 });
  const [auth, pii] = d!.filters;
  assert.deepEqual([auth.module, auth.vmId, auth.failurePolicy, auth.allowOnHeadersStopIteration, auth.configJson], ["auth", "auth", "FAIL_CLOSED", false, "{}"]);
  assert.deepEqual([pii.module, pii.vmId, pii.failurePolicy, pii.allowOnHeadersStopIteration], ["pii-mask", "pii-mask", "FAIL_CLOSED", false]);
  assert.equal(d!.routes[1].timeout, "0s", "provider routes default to no overall timeout (streams)");
  assert.deepEqual(d!.routes[1].filters, ["auth", "pii"]);
  assert.deepEqual(d!.routes[0].directResponse, { status: 200, body: "ok", contentType: "text/plain" });
  assert.equal(d!.providers[0].sample, true);
});

test("the project's envoy/gateway.yaml is valid", async () => {
  const { readFileSync } = await import("node:fs");
  const { issues } = parseDescription(readFileSync(join(root, "envoy/gateway.yaml"), "utf8"), "envoy/gateway.yaml", { root });
  assert.deepEqual(issues, []);
});

test("an unknown filter instance on a route names the line, the path and the defined ones", () => {
  const text = BASE.replace("filters: [auth, pii]", "filters: [authz, pii]");
  assert.deepEqual(errors(text), ['gateway.yaml:12: routes[1].filters[0]: unknown filter instance "authz" (defined: auth, pii); did you mean "auth"?']);
});

test("unknown keys are rejected at any depth, with a suggestion", () => {
  const text = BASE.replace("    provider: sample", "    provder: sample").replace("{ path: /healthz }", "{ path: /healthz, method: GET }");
  assert.deepEqual(errors(text), [
    'gateway.yaml:8: routes[0].match.method: unknown key "method"; allowed: path, prefix, headers',
    "gateway.yaml:10: routes[1]: needs exactly one of provider (forward upstream), cluster_header (the provider a filter names in that header) or direct_response (answer here)",
    'gateway.yaml:13: routes[1].provder: unknown key "provder" (did you mean "provider"?); allowed: name, match, filters, provider, cluster_header, retries, timeout, idle_timeout, direct_response',
  ]);
});

test("an unknown filter module, an unknown provider and a bad duration each fail with their line", () => {
  const text = BASE.replace("pii: { module: pii-mask }", "pii: { module: pii-masker }").replace("provider: sample", "provider: openai\n    timeout: 30 seconds");
  const e = errors(text);
  assert.match(e[0], /^gateway\.yaml:5: filters\.pii\.module: unknown filter module "pii-masker" \(known: .*pii-mask.*\)/);
  // The route may still name "pii": the instance is written, only its module is wrong.
  assert.deepEqual(e.slice(1), [
    'gateway.yaml:13: routes[1].provider: unknown provider "openai" (defined: sample)',
    'gateway.yaml:14: routes[1].timeout: must be a duration such as "30s", "500ms", "5m" or "0s" (got "30 seconds")',
  ]);
});

test("YAML syntax errors and duplicate keys are reported with their line", () => {
  assert.match(errors(BASE.replace("  auth: {}", "  auth: {}\n  auth: {}"))[0], /^gateway\.yaml:5: YAML: .*[Uu]nique/);
  assert.match(errors("routes: [\n")[0], /^gateway\.yaml:\d+: YAML: /);
});

test("providers: only scheme://host[:port]; credentials name an environment variable", () => {
  const e = errors(BASE.replace('url: "http://127.0.0.1:8000", sample: true', 'url: "https://api.example.com/v1", credential: { header: x-api-key }'));
  assert.deepEqual(e, [
    'gateway.yaml:2: providers.sample.url: "https://api.example.com/v1" must be scheme://host[:port] only: routes forward the request path unchanged',
    "gateway.yaml:2: providers.sample.credential.env: missing: the environment variable holding the header value",
  ]);
  const ok = parseDescription(BASE.replace('url: "http://127.0.0.1:8000", sample: true', 'url: "https://api.example.com", credential: { env: EX_KEY, header: x-api-key }'), "g", { root });
  assert.deepEqual(ok.description!.providers[0], { name: "sample", url: "https://api.example.com", tls: true, host: "api.example.com", port: 443, sample: false, sampleKind: null, credential: { env: "EX_KEY", header: "x-api-key" }, connectTimeout: "5s", line: 2 });
});

test("instances of different modules cannot share a vm_id", () => {
  assert.deepEqual(errors(BASE.replace("pii: { module: pii-mask }", "pii: { module: pii-mask, vm_id: auth }")), [
    'gateway.yaml:5: filters.pii.vm_id: vm_id "auth" is already used by module "auth" (filter auth); one VM runs one module',
  ]);
});

test("a filter's config is checked against filters/<module>/schema.json, with the config path and line", () => {
  const dir = mkdtempSync(join(tmpdir(), "compose-schema-"));
  mkdirSync(join(dir, "filters", "guard", "assembly"), { recursive: true });
  writeFileSync(join(dir, "filters", "guard", "assembly", "index.ts"), "");
  writeFileSync(join(dir, "filters", "guard", "schema.json"), JSON.stringify({
    type: "object", additionalProperties: false,
    properties: { action: { enum: ["block", "log"] }, limits: { type: "array", items: { type: "integer", minimum: 1 } } },
  }));
  const text = `providers:
  p: { url: "http://127.0.0.1:1" }
filters:
  guard:
    config:
      action: drop
      limits: [3, 0]
      colour: red
routes:
  - { name: r, match: { prefix: / }, filters: [guard], provider: p }
`;
  assert.deepEqual(errors(text, dir), [
    'gateway.yaml:6: filters.guard.config.action: must be equal to one of the allowed values ("block", "log") (filters/guard/schema.json)',
    "gateway.yaml:7: filters.guard.config.limits[1]: must be >= 1 (filters/guard/schema.json)",
    "gateway.yaml:8: filters.guard.config.colour: unknown key (filters/guard/schema.json)",
  ]);
  const good = parseDescription(text.replace("action: drop", "action: block").replace("[3, 0]", "[3]").replace("      colour: red\n", ""), "g", { root: dir });
  assert.deepEqual(good.issues, []);
  assert.equal(good.description!.filters[0].configJson, '{"action":"block","limits":[3]}');
});
