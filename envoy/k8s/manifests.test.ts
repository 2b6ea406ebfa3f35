// The Kubernetes examples in envoy/k8s/ against the CRDs they are written for, the Envoy resources
// inside Istio EnvoyFilter patches against Envoy's API, the filters' configurations against their
// schema.json, and the references between the resources. Also: docs/grafana-dashboard.json parses
// and queries only metrics that docs/metrics.md lists.
//
// CRD schemas: envoy/k8s/schemas/*.json, excerpts of the real CRDs (each names its repository, file
// and commit; made by envoy/k8s/schemas/extract.ts). Checked here like the API server does with
// strict field validation (kubectl's default): types, enums, patterns, required fields, sizes and
// unknown fields. Not checked: CEL rules (x-kubernetes-validations) and defaults.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, stringify } from "yaml";
import { filterConfigValidator } from "../../tools/compose/filter-schema.ts";
import { validateEnvoyYaml } from "../../tools/envoy-schema/index.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");

type Obj = Record<string, any>;
interface Manifest { file: string; doc: Obj }
interface Excerpt { source: { repo: string; path: string; ref: string; commit: string }; apiVersion: string; kind: string; schema: Obj }

function loadManifests(): Manifest[] {
  const out: Manifest[] = [];
  for (const dir of ["istio", "envoy-gateway"]) {
    for (const f of readdirSync(join(here, dir)).filter((n) => n.endsWith(".yaml")).sort()) {
      const file = join(here, dir, f);
      // yaml-1.1: what Kubernetes' YAML reader does (unquoted off/yes/no are booleans).
      for (const d of parseAllDocuments(readFileSync(file, "utf8"), { schema: "yaml-1.1", uniqueKeys: true })) {
        if (Array.isArray(d)) throw new Error(`${file}: not a YAML stream`);
        assert.deepEqual(d.errors.map((e) => e.message), [], relative(repo, file));
        if (d.contents !== null) out.push({ file: relative(repo, file), doc: d.toJS() as Obj });
      }
    }
  }
  return out;
}

const excerpts = new Map<string, Excerpt>();
for (const f of readdirSync(join(here, "schemas")).filter((n) => n.endsWith(".json"))) {
  const e = JSON.parse(readFileSync(join(here, "schemas", f), "utf8")) as Excerpt;
  excerpts.set(`${e.apiVersion} ${e.kind}`, e);
}

const METADATA = new Set(["name", "namespace", "labels", "annotations"]);

/** Errors of `value` against an OpenAPI v3 schema excerpt, as "path: message". */
export function check(schema: Obj, value: unknown, path: string, errors: string[]): void {
  if (schema.$unused) {
    errors.push(`${path}: no schema excerpt for this field (re-run envoy/k8s/schemas/extract.ts)`);
    return;
  }
  if (value === null) {
    if (!schema.nullable) errors.push(`${path}: null is not allowed`);
    return;
  }
  if (schema["x-kubernetes-int-or-string"]) {
    if (!(Number.isInteger(value) || typeof value === "string")) errors.push(`${path}: must be an integer or a string`);
    return;
  }
  const t = schema.type as string | undefined;
  const actual = Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value === "number" ? "number" : typeof value === "object" ? "object" : typeof value;
  if (t && !(t === actual || (t === "number" && actual === "integer"))) {
    errors.push(`${path}: must be ${t}, is ${actual} (${JSON.stringify(value)})`);
    return;
  }
  for (const sub of schema.allOf ?? []) check(sub, value, path, errors);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`);
  if (typeof value === "string") {
    if (schema.pattern) {
      let re: RegExp | null = null;
      try { re = new RegExp(schema.pattern, "u"); } catch { /* an RE2-only pattern: not checked */ }
      if (re && !re.test(value)) errors.push(`${path}: "${value}" does not match ${schema.pattern}`);
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.items) value.forEach((v, i) => check(schema.items, v, `${path}[${i}]`, errors));
  } else if (typeof value === "object") {
    const obj = value as Obj;
    for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${path}: missing required field ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      const p = path ? `${path}.${k}` : k;
      if (schema.properties?.[k]) check(schema.properties[k], v, p, errors);
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object") check(schema.additionalProperties, v, p, errors);
      else if (!schema["x-kubernetes-preserve-unknown-fields"] && (schema.properties || schema.additionalProperties === false)) {
        const near = Object.keys(schema.properties ?? {}).find((n) => n.toLowerCase() === k.toLowerCase().replace(/_/g, ""));
        errors.push(`${p}: unknown field${near ? ` (did you mean ${near}?)` : ""}`);
      }
    }
  }
}

/** Errors of one manifest against its CRD excerpt. */
function checkManifest(doc: Obj): string[] {
  const key = `${doc.apiVersion} ${doc.kind}`;
  const e = excerpts.get(key);
  if (!e) return [`no CRD excerpt for ${key} (known: ${[...excerpts.keys()].join("; ")})`];
  const errors: string[] = [];
  const md = doc.metadata as Obj | undefined;
  if (!md?.name) errors.push("metadata.name: missing");
  if (!md?.namespace) errors.push("metadata.namespace: missing (the examples name their namespace)");
  for (const k of Object.keys(md ?? {})) if (!METADATA.has(k)) errors.push(`metadata.${k}: not expected in an example`);
  // apiVersion, kind and metadata are the API server's, not the CRD's (Istio's CRDs leave them out).
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = doc;
  check(e.schema, rest, "", errors);
  return errors;
}

const manifests = loadManifests();
const byKind = (kind: string) => manifests.filter((m) => m.doc.kind === kind);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe("envoy/k8s manifests against the CRDs", () => {
  it("every manifest has a CRD excerpt and validates against it", () => {
    assert.ok(manifests.length >= 10, `found ${manifests.length} manifests`);
    for (const { file, doc } of manifests) assert.deepEqual(checkManifest(doc), [], `${file} (${doc.kind} ${doc.metadata?.name})`);
  });

  it("every excerpt names the CRD it was cut from", () => {
    for (const e of excerpts.values()) {
      assert.match(e.source.commit, /^[0-9a-f]{40}$/, e.kind);
      assert.ok(e.source.repo && e.source.path && e.source.ref, e.kind);
    }
  });

  it("the check fails on what the API server would refuse", () => {
    const wp = byKind("WasmPlugin")[0].doc;
    const eep = byKind("EnvoyExtensionPolicy")[0].doc;
    const route = byKind("HTTPRoute")[0].doc;
    const cases: Array<[string, Obj, (d: Obj) => void, RegExp]> = [
      ["misspelt field", wp, (d) => { d.spec.imagePullPolicyy = "Always"; }, /spec\.imagePullPolicyy: unknown field/],
      ["snake_case field", wp, (d) => { d.spec.plugin_name = "auth"; delete d.spec.pluginName; }, /spec\.plugin_name: unknown field \(did you mean pluginName\?\)/],
      ["bad enum", wp, (d) => { d.spec.phase = "AUTHENTICATION"; }, /spec\.phase: "AUTHENTICATION" is not one of/],
      ["digest with sha256: prefix", wp, (d) => { d.spec.sha256 = "sha256:" + "a".repeat(64); }, /spec\.sha256: .* does not match/],
      ["digest read as a number (unquoted zeros)", wp, (d) => { d.spec.sha256 = 0; }, /spec\.sha256: must be string, is integer/],
      ["missing url", wp, (d) => { delete d.spec.url; }, /spec: missing required field url/],
      ["Wasm entry field of another API", eep, (d) => { d.spec.wasm[0].failStrategy = "FAIL_OPEN"; }, /spec\.wasm\[0\]\.failStrategy: unknown field/],
      ["code type", eep, (d) => { d.spec.wasm[0].code.type = "OCI"; }, /spec\.wasm\[0\]\.code\.type: "OCI" is not one of/],
      ["too many Wasm filters", eep, (d) => { d.spec.wasm = Array(17).fill(d.spec.wasm[0]); }, /spec\.wasm: more than 16 items/],
      ["route timeout as a number", route, (d) => { d.spec.rules[0].timeouts.request = 0; }, /timeouts\.request: must be string/],
      ["field no manifest used before", route, (d) => { d.spec.hostnames = ["llm.example.com"]; }, /spec\.hostnames: no schema excerpt/],
    ];
    for (const [what, base, edit, want] of cases) {
      const d = clone(base);
      edit(d);
      const errors = checkManifest(d);
      assert.ok(errors.some((e) => want.test(e)), `${what}: ${JSON.stringify(errors)}`);
    }
  });

  it("the filters' configurations validate against filters/<module>/schema.json", () => {
    const validatorFor = (module: string) => {
      const v = filterConfigValidator(repo, module);
      assert.ok(v, `filters/${module}/schema.json is missing`);
      return v;
    };
    const moduleOf = (url: string) => /\/([a-z0-9-]+)(?::[^/@]+)?(?:@sha256:[0-9a-f]+)?$/.exec(url)![1];
    let checked = 0;
    const configs: Array<[string, string, unknown]> = [];
    for (const { file, doc } of byKind("WasmPlugin")) configs.push([file, moduleOf(doc.spec.url), doc.spec.pluginConfig ?? {}]);
    for (const { file, doc } of byKind("EnvoyExtensionPolicy")) for (const w of doc.spec.wasm) configs.push([file, moduleOf(w.code.image.url), w.config ?? {}]);
    for (const [file, module, cfg] of configs) {
      const v = validatorFor(module);
      assert.ok(v(cfg), `${file} (${module}): ${JSON.stringify(v.errors)}`);
      checked++;
    }
    assert.ok(checked >= 5);
    // And a bad one fails, so the check is real.
    assert.equal(validatorFor("pii-mask")({ detectors: { EMAIL: "explode" } }), false);
  });
});

describe("Istio", () => {
  // Istio inserts WasmPlugins by phase (AUTHN, then AUTHZ, then STATS, then unspecified at the end),
  // then by priority, highest first (extensions/v1alpha1/wasm.proto in istio/api).
  const PHASES = ["AUTHN", "AUTHZ", "STATS", "UNSPECIFIED_PHASE"];
  const ORDER = ["auth", "quota", "prompt-guard", "pii-mask", "cache", "llm-route"];

  function chain(): string[] {
    const plugins = byKind("WasmPlugin").map(({ doc }) => ({
      filter: `${doc.metadata.namespace}.${doc.metadata.name}`,
      module: doc.spec.pluginName as string,
      phase: PHASES.indexOf(doc.spec.phase ?? "UNSPECIFIED_PHASE"),
      priority: doc.spec.priority ?? 0,
    }));
    plugins.sort((a, b) => a.phase - b.phase || b.priority - a.priority);
    const names = plugins.map((p) => p.filter);
    const modules = new Map(plugins.map((p) => [p.filter, p.module]));
    for (const { doc } of byKind("EnvoyFilter")) {
      const ext = doc.spec.configPatches.find((p: Obj) => p.applyTo === "EXTENSION_CONFIG");
      const ins = doc.spec.configPatches.find((p: Obj) => p.applyTo === "HTTP_FILTER");
      if (!ext || !ins) continue;
      const anchor = ins.match.listener.filterChain.filter.subFilter.name as string;
      const at = names.indexOf(anchor);
      assert.ok(at >= 0, `${doc.metadata.name}: inserts next to ${anchor}, which no WasmPlugin here creates (namespace.name)`);
      const name = ins.patch.value.name as string;
      names.splice(ins.patch.operation === "INSERT_BEFORE" ? at : at + 1, 0, name);
      modules.set(name, ext.patch.value.typed_config.config.root_id);
    }
    return names.map((n) => modules.get(n)!);
  }

  it("phase and priority give the chain auth -> (quota) -> prompt-guard -> pii-mask", () => {
    const c = chain();
    assert.deepEqual(c, ["auth", "prompt-guard", "pii-mask"]);
    assert.deepEqual(c, ORDER.filter((m) => c.includes(m)));
  });

  it("WasmPlugins pull OCI images pinned by an image digest and fail closed", () => {
    for (const { file, doc } of byKind("WasmPlugin")) {
      assert.match(doc.spec.url, /^oci:\/\//, file);
      assert.match(doc.spec.sha256, /^[0-9a-f]{64}$/, file);
      assert.equal(doc.spec.failStrategy ?? "FAIL_CLOSE", "FAIL_CLOSE", file);
      assert.ok(doc.spec.selector?.matchLabels, `${file}: selector`);
    }
  });

  it("EnvoyFilter patch values are valid Envoy resources", () => {
    const ROOT: Record<string, string> = {
      EXTENSION_CONFIG: "envoy.config.core.v3.TypedExtensionConfig",
      HTTP_FILTER: "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter",
      HTTP_ROUTE: "envoy.config.route.v3.Route",
    };
    let n = 0;
    for (const { file, doc } of byKind("EnvoyFilter")) {
      for (const [i, p] of doc.spec.configPatches.entries()) {
        const rootType = ROOT[p.applyTo];
        assert.ok(rootType, `${file}: configPatches[${i}] applyTo ${p.applyTo} has no Envoy type here`);
        const { errors } = validateEnvoyYaml(stringify(p.patch.value), file, { rootType });
        assert.deepEqual(errors.map((e) => `${e.path}: ${e.message}`), [], `${file} configPatches[${i}]`);
        n++;
      }
    }
    assert.ok(n >= 3);
    // A typo inside the Wasm config is caught (the CRD itself accepts any patch value).
    const pg = byKind("EnvoyFilter").find((m) => m.doc.metadata.name === "aigw-prompt-guard")!.doc;
    const v = clone(pg.spec.configPatches[0].patch.value);
    v.typed_config.config.allow_on_header_stop_iteration = true;
    assert.notDeepEqual(validateEnvoyYaml(stringify(v), "x", { rootType: ROOT.EXTENSION_CONFIG }).errors, []);
  });

  it("the body-deciding filter holds headers: allow_on_headers_stop_iteration on the ECDS config it inserts", () => {
    const pg = byKind("EnvoyFilter").find((m) => m.doc.metadata.name === "aigw-prompt-guard")!.doc;
    const [ext, ins] = pg.spec.configPatches;
    assert.equal(ext.patch.operation, "ADD", "EXTENSION_CONFIG patches only ADD (Istio)");
    assert.equal(ext.patch.value.typed_config.config.allow_on_headers_stop_iteration, true);
    assert.equal(ins.patch.value.name, ext.patch.value.name, "the HTTP filter refers to the ECDS config by name");
    assert.deepEqual(ins.patch.value.config_discovery.type_urls, [ext.patch.value.typed_config["@type"]]);
    assert.match(ext.patch.value.typed_config.config.vm_config.code.remote.http_uri.uri, /^oci:\/\//);
  });

  it("the per-route switch names a filter that exists", () => {
    const names = new Set(byKind("WasmPlugin").map(({ doc }) => `${doc.metadata.namespace}.${doc.metadata.name}`));
    for (const { doc } of byKind("EnvoyFilter")) {
      for (const p of doc.spec.configPatches.filter((c: Obj) => c.applyTo === "HTTP_ROUTE")) {
        for (const f of Object.keys(p.patch.value.typed_per_filter_config)) assert.ok(names.has(f), `${doc.metadata.name}: ${f}`);
      }
    }
  });
});

describe("Envoy Gateway", () => {
  const find = (kind: string, name: string) => byKind(kind).find((m) => m.doc.metadata.name === name)?.doc;

  it("every HTTPRoute has exactly one EnvoyExtensionPolicy (its whole chain) and the references resolve", () => {
    const routes = byKind("HTTPRoute");
    assert.ok(routes.length >= 2);
    for (const { file, doc: r } of routes) {
      const policies = byKind("EnvoyExtensionPolicy").filter(({ doc: p }) =>
        p.metadata.namespace === r.metadata.namespace && p.spec.targetRefs.some((t: Obj) => t.kind === "HTTPRoute" && t.group === "gateway.networking.k8s.io" && t.name === r.metadata.name));
      assert.equal(policies.length, 1, `${file}: ${r.metadata.name} is targeted by ${policies.length} policies`);
      for (const p of r.spec.parentRefs) assert.ok(find("Gateway", p.name), `${file}: parentRef ${p.name}`);
      for (const rule of r.spec.rules) {
        for (const b of rule.backendRefs) if (b.kind === "Backend") assert.ok(find("Backend", b.name), `${file}: backendRef ${b.name}`);
        for (const f of rule.filters ?? []) if (f.type === "ExtensionRef") assert.ok(find(f.extensionRef.kind, f.extensionRef.name), `${file}: ${f.extensionRef.name}`);
      }
    }
    for (const { file, doc: p } of byKind("EnvoyExtensionPolicy")) {
      for (const t of p.spec.targetRefs) assert.ok(find(t.kind, t.name), `${file}: target ${t.kind} ${t.name}`);
    }
  });

  it("per-route chains: chat runs auth then pii-mask, models runs auth only; images pinned, fail closed", () => {
    const modules = (name: string) => find("EnvoyExtensionPolicy", name)!.spec.wasm.map((w: Obj) => w.rootID);
    assert.deepEqual(modules("aigw-chat"), ["auth", "pii-mask"]);
    assert.deepEqual(modules("aigw-models"), ["auth"]);
    for (const { file, doc } of byKind("EnvoyExtensionPolicy")) {
      for (const w of doc.spec.wasm) {
        assert.equal(w.code.type, "Image", file);
        assert.match(w.code.image.sha256, /^[0-9a-f]{64}$/, file);
        assert.notEqual(w.failOpen, true, `${file}: ${w.name} must fail closed`);
      }
    }
  });

  it("streamed answers are not cut: the chat route has no request timeout", () => {
    assert.equal(find("HTTPRoute", "llm-chat")!.spec.rules[0].timeouts.request, "0s");
  });
});

describe("docs: metrics and dashboard", () => {
  const metricsDoc = readFileSync(join(repo, "docs", "metrics.md"), "utf8");
  const dashboard = JSON.parse(readFileSync(join(repo, "docs", "grafana-dashboard.json"), "utf8"));

  /** Prometheus names with their labels, from the table rows of docs/metrics.md: | `name` | `l1`, `l2` | ... */
  function documented(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const m of metricsDoc.matchAll(/^\| `((?:aigw|envoy)_[a-z0-9_]+)` \| ([^|]*)\|/gm)) {
      out.set(m[1], new Set([...m[2].matchAll(/`([a-z_]+)`/g)].map((l) => l[1])));
    }
    return out;
  }

  /** Every metric name a PromQL expression reads, with the labels it mentions. */
  function queried(expr: string): Array<{ name: string; labels: string[] }> {
    const FUNCS = new Set(["sum", "rate", "irate", "increase", "by", "without", "histogram_quantile", "topk", "bottomk", "avg", "max", "min", "count", "clamp_min", "on", "ignoring", "group_left", "or", "and", "unless", "le", "vector", "label_replace", "abs", "round"]);
    const out: Array<{ name: string; labels: string[] }> = [];
    const clean = expr.replace(/"[^"]*"/g, '""').replace(/\[[^\]]*\]/g, "");
    const byClauses = [...clean.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].map((m) => m[1].split(",").map((s) => s.trim()).filter(Boolean));
    for (const m of clean.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?/g)) {
      const [, name, sel] = m;
      if (FUNCS.has(name) || /^\$/.test(name) || clean[m.index! + name.length] === "(") continue;
      if (byClauses.some((b) => b.includes(name))) continue;
      const labels = sel ? [...sel.matchAll(/([a-zA-Z_]+)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]) : [];
      out.push({ name, labels });
    }
    return out;
  }

  it("the dashboard is a Grafana dashboard with a Prometheus datasource variable", () => {
    assert.equal(typeof dashboard.title, "string");
    const ds = dashboard.templating.list.find((v: Obj) => v.type === "datasource");
    assert.equal(ds?.query, "prometheus");
    assert.ok(dashboard.panels.length >= 4);
    for (const p of dashboard.panels) if (p.type !== "row") assert.equal(p.datasource?.uid, `\${${ds.name}}`, `panel ${p.title}`);
  });

  it("every metric the dashboard queries is listed in docs/metrics.md, with the labels it uses", () => {
    const docs = documented();
    assert.ok(docs.size >= 8, `docs/metrics.md lists ${docs.size} metrics`);
    const seen = new Set<string>();
    for (const p of dashboard.panels) {
      for (const t of p.targets ?? []) {
        const q = queried(t.expr);
        assert.ok(q.length > 0, `panel ${p.title}: no metric in ${t.expr}`);
        for (const { name, labels } of q) {
          const base = name.replace(/_(bucket|sum|count)$/, "");
          const doc = docs.get(name) ?? docs.get(base);
          assert.ok(doc, `panel "${p.title}" queries ${name}, which docs/metrics.md does not list`);
          for (const l of labels) assert.ok(doc.has(l) || l === "le", `panel "${p.title}": ${name} has no label ${l} in docs/metrics.md`);
          seen.add(base);
        }
      }
    }
    for (const want of ["aigw_auth_allowed", "aigw_auth_denied", "aigw_pii_mask_detections"]) assert.ok(seen.has(want), `no panel for ${want}`);
  });

  it("the query reader finds names and labels (so the check above can fail)", () => {
    assert.deepEqual(queried('sum by (reason) (rate(aigw_auth_denied{reason!="x"}[5m]))'), [{ name: "aigw_auth_denied", labels: ["reason"] }]);
    assert.deepEqual(queried("histogram_quantile(0.99, sum by (le) (rate(envoy_http_downstream_rq_time_bucket[5m])))").map((q) => q.name), ["envoy_http_downstream_rq_time_bucket"]);
  });

  it("every metric a filter declares is in docs/metrics.md", () => {
    // The filters' metrics.ts declare CounterFamily prefixes "aigw.<filter>.<metric>.<label>.";
    // Prometheus sees aigw_<filter>_<metric> with the label (docs/observability.md).
    const docs = documented();
    let n = 0;
    for (const f of readdirSync(join(repo, "filters"))) {
      let src = "";
      try { src = readFileSync(join(repo, "filters", f, "assembly", "metrics.ts"), "utf8"); } catch { continue; }
      for (const m of src.matchAll(/new (?:CounterFamily|Counter)\("aigw\.([a-z_]+)\.([a-z_]+)(?:\.([a-z_]+)\.)?"\)/g)) {
        const [, filter, metric, label] = m;
        const name = `aigw_${filter}_${metric}`;
        assert.ok(docs.has(name), `${f}: ${name} is not in docs/metrics.md`);
        if (label) assert.ok(docs.get(name)!.has(label), `${f}: ${name} label ${label} is not in docs/metrics.md`);
        n++;
      }
    }
    assert.ok(n >= 8, `found ${n} metric declarations`);
  });
});

describe("envoy/docker-compose.yaml (not run here: no Docker engine)", () => {
  const envoyDir = join(repo, "envoy");
  const compose = parseAllDocuments(readFileSync(join(envoyDir, "docker-compose.yaml"), "utf8"))[0].toJS() as Obj;
  const bootstrap = parseAllDocuments(readFileSync(join(envoyDir, "envoy.yaml"), "utf8"))[0].toJS() as Obj;

  it("mounts files that exist, at the paths envoy.yaml reads", () => {
    const envoy = compose.services.envoy;
    const mounts = new Map<string, string>(envoy.volumes.map((v: string) => [v.split(":")[1], v.split(":")[0]]));
    assert.equal(mounts.get("/etc/envoy/envoy.yaml"), "./envoy.yaml");
    assert.equal(mounts.get("/etc/envoy/wasm"), "../dist", "dist/*.wasm at /etc/envoy/wasm/");
    assert.deepEqual(envoy.command.slice(0, 2), ["-c", "/etc/envoy/envoy.yaml"]);
    const wasmFiles = JSON.stringify(bootstrap).match(/\/etc\/envoy\/wasm\/[a-z0-9-]+\.wasm/g) ?? [];
    assert.ok(wasmFiles.length > 0);
    for (const f of new Set(wasmFiles)) {
      const module = f.slice("/etc/envoy/wasm/".length, -".wasm".length);
      assert.ok(readdirSync(join(repo, "filters")).includes(module), `${f}: no filters/${module}`);
    }
    for (const svc of Object.values(compose.services) as Obj[]) {
      for (const v of (svc.volumes ?? []) as string[]) {
        const src = v.split(":")[0];
        if (src === "../dist") continue; // build output
        assert.ok(readFileSync(join(envoyDir, src)) !== undefined, `${src} exists`);
      }
    }
  });

  it("the sample LLM listens where envoy.yaml's sample provider points, in Envoy's network namespace", () => {
    const sample = (bootstrap.static_resources.clusters as Obj[]).find((c) => c.name === "sample");
    assert.ok(sample, "envoy.yaml has a cluster named sample");
    const addr = sample.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address;
    assert.equal(addr.address, "127.0.0.1");
    const dockerfile = readFileSync(join(envoyDir, "compose", "sample-llm.Dockerfile"), "utf8");
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
    assert.equal(cmd[cmd.indexOf("--port") + 1], String(addr.port_value));
    for (const src of /^COPY (.+) \S+$/m.exec(dockerfile)![1].split(" ")) assert.ok(readFileSync(join(repo, src)), src);
    const ignore = readFileSync(join(envoyDir, "compose", "sample-llm.Dockerfile.dockerignore"), "utf8");
    for (const src of /^COPY (.+) \S+$/m.exec(dockerfile)![1].split(" ")) assert.ok(ignore.includes(`!${src}`), `${src} is sent to the build`);
    for (const name of ["sample-llm", "envoy"]) assert.equal(compose.services[name].network_mode, "service:net");
  });

  it("runs an Envoy that has every field envoy.yaml uses (>= 1.35 for allow_on_headers_stop_iteration)", () => {
    const m = /^envoyproxy\/envoy:v(\d+)\.(\d+)[.-]/.exec(compose.services.envoy.image);
    assert.ok(m, compose.services.envoy.image);
    const minor = Number(m[2]);
    const text = JSON.stringify(bootstrap);
    if (text.includes("allow_on_headers_stop_iteration")) assert.ok(minor >= 35);
    if (text.includes("failure_policy")) assert.ok(minor >= 33);
  });
});
