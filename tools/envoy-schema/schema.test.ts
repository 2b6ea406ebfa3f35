// The YAML files in envoy/ (Envoy bootstraps against Envoy's API schema, gateway descriptions
// against compose's validator), and broken variants of a fixture bootstrap that a real Envoy would
// reject: each must fail, naming the YAML path and the line. Variants are made by editing the
// parsed fixture (fixtures/bootstrap.yaml), found by listener, filter, route and cluster name.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { isMap, Pair, parse, parseDocument, Scalar, type YAMLMap } from "yaml";
import { parseDescription } from "../compose/index.ts";
import { applyOverlay, loadEnvoySchema, validateEnvoyYaml } from "./index.ts";
import type { SchemaError } from "./index.ts";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const envoyDir = join(repo, "envoy");

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

const base = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "fixtures", "bootstrap.yaml"), "utf8");
const js = parse(base);

type Path = Array<string | number>;
/** Index of the entry named `name` in a list (fails loudly if the fixture lost it). */
function named(list: Array<{ name?: string }>, name: string): number {
  const i = list.findIndex((x) => x.name === name);
  assert.ok(i >= 0, `fixtures/bootstrap.yaml has no "${name}"`);
  return i;
}
const listener = named(js.static_resources.listeners, "gateway");
const LISTENER: Path = ["static_resources", "listeners", listener];
const netFilters = js.static_resources.listeners[listener].filter_chains[0].filters;
const hcm = named(netFilters, "envoy.filters.network.http_connection_manager");
const HCM: Path = [...LISTENER, "filter_chains", 0, "filters", hcm, "typed_config"];
const httpFilters = netFilters[hcm].typed_config.http_filters;
const WASM_FILTER = named(httpFilters, "auth");
const WASM: Path = [...HCM, "http_filters", WASM_FILTER, "typed_config", "config"];
const ROUTER: Path = [...HCM, "http_filters", named(httpFilters, "envoy.filters.http.router"), "typed_config"];
const ROUTES: Path = [...HCM, "route_config", "virtual_hosts", 0, "routes"];
const routes = netFilters[hcm].typed_config.route_config.virtual_hosts[0].routes;
const DIRECT: Path = [...ROUTES, named(routes, "health")]; // a direct_response route
const FORWARD: Path = [...ROUTES, named(routes, "chat")]; // a route to a cluster
const CLUSTER: Path = ["static_resources", "clusters", named(js.static_resources.clusters, "provider")]; // with TLS
const P = (...parts: Path) => parts.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

/** The fixture with edits applied: [path, value] sets (value undefined deletes). */
function variant(...edits: Array<[Path, unknown]>): string {
  const doc = parseDocument(base);
  for (const [path, value] of edits) {
    if (value === undefined) doc.deleteIn(path);
    else doc.setIn(path, doc.createNode(value));
  }
  return String(doc);
}

/** The fixture with the key `from` of the mapping at `path` renamed (same place, same value). */
function renamed(path: Path, from: string, to: string, edit?: (m: YAMLMap) => void): string {
  const doc = parseDocument(base);
  const m = path.length ? doc.getIn(path, true) : doc.contents;
  assert.ok(isMap(m), `${P(...path)} is a mapping`);
  const pair = m.items.find((x) => (x.key as Scalar).value === from);
  assert.ok(pair, `${P(...path)}.${from} exists`);
  pair.key = new Scalar(to);
  edit?.(m);
  return String(doc);
}

/** A plain (unquoted) scalar, so Envoy's YAML 1.1 reader sees `on` as a boolean. */
function plain(value: string, type: Scalar.Type = Scalar.PLAIN): Scalar {
  const s = new Scalar(value);
  s.type = type;
  return s;
}

/** Asserts exactly one error, at `path`, whose message matches, and whose line shows that key. */
function expectOne(text: string, path: string, message: RegExp): SchemaError {
  const { errors } = validateEnvoyYaml(text, "variant.yaml");
  assert.equal(errors.length, 1, `expected one error, got:\n${errors.map((e) => `${e.line}: ${e.path}: ${e.message}`).join("\n")}`);
  const [e] = errors;
  assert.equal(e.path, path);
  assert.match(e.message, message);
  const last = path.replace(/\[\d+\]$/, "").split(".").pop()!.replace(/\[.*$/, "");
  assert.ok(e.line > 0, "line number given");
  assert.ok(text.split("\n")[e.line - 1].includes(last), `line ${e.line} shows "${last}": ${text.split("\n")[e.line - 1]}`);
  return e;
}

function expectValid(text: string): void {
  const { errors } = validateEnvoyYaml(text, "variant.yaml");
  assert.deepEqual(errors, []);
}

/** Top-level fields of envoy.config.bootstrap.v3.Bootstrap that mark a file as a bootstrap. */
const BOOTSTRAP_KEYS = ["static_resources", "dynamic_resources", "admin", "node", "cluster_manager", "layered_runtime", "overload_manager", "stats_config", "bootstrap_extensions"];
/** Envoy bootstraps that do not look like one at the top (none today). */
const BOOTSTRAPS: string[] = [];

type Kind = "bootstrap" | "marked" | "description" | "k8s" | "compose";
/** What a YAML file under envoy/ is, so the right validator checks it. */
function kindOf(file: string, text: string): Kind | null {
  const rel = relative(envoyDir, file).split(sep).join("/");
  if (rel.startsWith("k8s/")) return "k8s"; // Kubernetes manifests: envoy/k8s has its own test
  // The Docker Compose setup (compose file, Prometheus/Grafana provisioning): not Envoy configs,
  // checked by envoy/k8s/manifests.test.ts.
  if (rel === "docker-compose.yaml" || rel.startsWith("compose/")) return "compose";
  if (BOOTSTRAPS.includes(rel)) return "bootstrap";
  if (/^#\s*envoy-schema:/m.test(text)) return "marked"; // names its own root message
  let top: unknown;
  try { top = parse(text); } catch { return "bootstrap"; } // a syntax error: let the Envoy check report it
  if (top && typeof top === "object" && !Array.isArray(top)) {
    const keys = Object.keys(top);
    if (keys.includes("providers") && keys.includes("routes")) return "description";
    if (keys.some((k) => BOOTSTRAP_KEYS.includes(k))) return "bootstrap";
  }
  return null;
}

describe("envoy/ configs", () => {
  it("every Envoy bootstrap in envoy/ validates against Envoy's API; gateway descriptions against compose's validator", () => {
    const t0 = performance.now();
    const files = yamlFiles(envoyDir);
    const seen: Record<Kind, number> = { bootstrap: 0, marked: 0, description: 0, k8s: 0, compose: 0 };
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      const kind = kindOf(f, text);
      assert.ok(kind, `${relative(repo, f)}: neither an Envoy bootstrap, a gateway description nor under envoy/k8s/; list it in BOOTSTRAPS or give it an "# envoy-schema: <message>" line`);
      seen[kind]++;
      if (kind === "k8s" || kind === "compose") continue;
      if (kind === "description") {
        const { issues } = parseDescription(text, relative(repo, f), { root: repo });
        assert.deepEqual(issues, [], `${relative(repo, f)}: ${issues.map((i) => `${i.line}: ${i.path}: ${i.message}`).join("\n")}`);
        continue;
      }
      const { errors } = validateEnvoyYaml(text, f);
      assert.deepEqual(errors, [], `${relative(repo, f)}:\n${errors.map((e) => `${e.line}: ${e.path}: ${e.message}`).join("\n")}`);
    }
    assert.ok(seen.bootstrap >= 1, "envoy/envoy.yaml is checked as a bootstrap");
    assert.ok(seen.description >= 1, "envoy/gateway.yaml is checked as a description");
    const { loadMs, skipped } = loadEnvoySchema();
    console.log(`# schema loaded in ${Math.round(loadMs)} ms (skipped for missing imports: ${skipped.join(", ")}); ${JSON.stringify(seen)} file(s) checked in ${Math.round(performance.now() - t0)} ms`);
  });

  it("the file kinds: a bootstrap by its top-level fields, a description by providers+routes, k8s skipped", () => {
    assert.equal(kindOf(join(envoyDir, "x.yaml"), "static_resources: {}\n"), "bootstrap");
    assert.equal(kindOf(join(envoyDir, "x.yaml"), "admin: {}\nstatic_resource: {}\n"), "bootstrap", "a misspelt field does not hide a bootstrap");
    assert.equal(kindOf(join(envoyDir, "x.yaml"), "providers: {}\nroutes: []\n"), "description");
    assert.equal(kindOf(join(envoyDir, "k8s", "istio", "x.yaml"), "apiVersion: v1\n"), "k8s");
    assert.equal(kindOf(join(envoyDir, "x.yaml"), "services: {}\n"), null);
    assert.equal(kindOf(join(envoyDir, "docker-compose.yaml"), "services: {}\n"), "compose");
    assert.equal(kindOf(join(envoyDir, "compose", "prometheus.yaml"), "global: {}\n"), "compose");
  });

  it("the fixture bootstrap itself is valid", () => {
    expectValid(base);
  });
});

describe("unknown fields", () => {
  it("at the root, with a suggestion", () => {
    expectOne(renamed([], "static_resources", "static_resource"), "static_resource", /unknown field "static_resource" in envoy\.config\.bootstrap\.v3\.Bootstrap \(did you mean "static_resources"\?\)/);
  });

  it("in a listener", () => {
    expectOne(variant([[...LISTENER, "per_connection_buffer_limit"], 1024]), P(...LISTENER, "per_connection_buffer_limit"), /unknown field .* envoy\.config\.listener\.v3\.Listener/);
  });

  it("inside a typed_config (HttpConnectionManager)", () => {
    expectOne(variant([[...HCM, "stream_idle_timout"], "300s"]), P(...HCM, "stream_idle_timout"), /HttpConnectionManager \(did you mean "stream_idle_timeout"\?\)/);
  });

  it("inside an Any inside an Any (Wasm PluginConfig.vm_config)", () => {
    expectOne(variant([[...WASM, "vm_config", "runtim"], "envoy.wasm.runtime.v8"]), P(...WASM, "vm_config", "runtim"), /envoy\.extensions\.wasm\.v3\.VmConfig/);
  });

  it("in a cluster's TLS context", () => {
    const tls: Path = [...CLUSTER, "transport_socket", "typed_config"];
    expectOne(variant([[...tls, "server_name"], "api.openai.com"]), P(...tls, "server_name"), /UpstreamTlsContext/);
  });
});

describe("types", () => {
  it("a number where a string belongs", () => {
    expectOne(variant([[...HCM, "stat_prefix"], 12]), P(...HCM, "stat_prefix"), /expected a string.*got number 12/);
  });

  it("yes/on are booleans to Envoy's YAML reader, so not strings", () => {
    const on = variant([[...HCM, "stat_prefix"], plain("on")]);
    assert.match(on, /stat_prefix: on$/m);
    expectOne(on, P(...HCM, "stat_prefix"), /got boolean true/);
    expectValid(variant([[...HCM, "stat_prefix"], plain("on", Scalar.QUOTE_DOUBLE)]));
  });

  it("a string where an integer belongs, and out-of-range integers", () => {
    const port: Path = [...LISTENER, "address", "socket_address", "port_value"];
    expectOne(variant([port, "ten thousand"]), P(...port), /expected an integer \(uint32\)/);
    expectOne(variant([port, -1]), P(...port), /out of range for uint32/);
    expectOne(variant([port, 10000.5]), P(...port), /expected an integer/);
    expectValid(variant([port, "10000"])); // proto3 JSON: integers may be strings
  });

  it("a boolean field given a string", () => {
    expectOne(variant([[...HCM, "use_remote_address"], "true"]), P(...HCM, "use_remote_address"), /expected a boolean/);
  });

  it("a Duration must be a string like 15s", () => {
    expectOne(variant([[...CLUSTER, "connect_timeout"], 5]), P(...CLUSTER, "connect_timeout"), /expected a duration string/);
    expectOne(variant([[...CLUSTER, "connect_timeout"], "5 seconds"]), P(...CLUSTER, "connect_timeout"), /expected a duration string/);
    expectValid(variant([[...CLUSTER, "connect_timeout"], "0.25s"]));
  });

  it("a list where a single value is given, and a mapping where a list belongs", () => {
    const domains: Path = [...HCM, "route_config", "virtual_hosts", 0, "domains"];
    expectOne(variant([domains, "*"]), P(...domains), /expected a list of string/);
    expectOne(variant([[...HCM, "http_filters"], { name: "x" }]), P(...HCM, "http_filters"), /expected a list/);
  });

  it("wrappers take plain values; 64-bit integers take numbers or strings", () => {
    expectValid(variant([[...CLUSTER, "per_connection_buffer_limit_bytes"], 32768]));
    expectValid(variant([[...CLUSTER, "per_connection_buffer_limit_bytes"], "32768"]));
    expectOne(variant([[...CLUSTER, "per_connection_buffer_limit_bytes"], { value: 32768 }]), P(...CLUSTER, "per_connection_buffer_limit_bytes"), /expected an integer \(uint32\).*got a mapping/);
    const rl: Path = ["stats_server_version_override"]; // google.protobuf.UInt64Value
    expectValid(variant([rl, "18446744073709551615"]));
    expectOne(variant([rl, "18446744073709551616"]), P(...rl), /out of range for uint64/);
  });

  it("lowerCamelCase names are accepted, but not the same field twice", () => {
    expectValid(renamed(HCM, "stat_prefix", "statPrefix"));
    const twice = variant([[...HCM, "statPrefix"], "gateway"]);
    expectOne(twice, P(...HCM, "statPrefix"), /set twice/);
  });

  it("Struct takes any mapping; a list there is an error", () => {
    const fmt: Path = [...HCM, "access_log", 0, "typed_config", "log_format", "json_format"];
    expectValid(variant([[...fmt, "nested"], { a: [1, "two", { three: true }], b: null }]));
    expectOne(variant([fmt, ["a"]]), P(...fmt), /expected a mapping \(google\.protobuf\.Struct\)/);
  });
});

describe("enums", () => {
  it("an unknown enum name fails and lists the valid ones", () => {
    expectOne(variant([[...HCM, "codec_type"], "HTTP4"]), P(...HCM, "codec_type"), /invalid value "HTTP4" for enum .*CodecType.*AUTO, HTTP1, HTTP2/);
  });

  it("enum numbers are accepted (proto3 JSON)", () => {
    expectValid(variant([[...HCM, "codec_type"], 0]));
  });
});

describe("typed_config / google.protobuf.Any", () => {
  it("an @type that resolves to nothing", () => {
    const router: Path = ROUTER;
    const e = expectOne(variant([[...router, "@type"], "type.googleapis.com/envoy.extensions.filters.http.router.v3.Routr"]), P(...router, "@type"), /cannot resolve @type "type\.googleapis\.com\/envoy\.extensions\.filters\.http\.router\.v3\.Routr"/);
    assert.ok(e.line > 0);
  });

  it("@type needs the fully qualified message name", () => {
    const router: Path = [...ROUTER, "@type"];
    expectOne(variant([router, "type.googleapis.com/Router"]), P(...router), /cannot resolve @type/);
    expectOne(variant([router, "type.googleapis.com/v3.Router"]), P(...router), /cannot resolve @type/);
    expectOne(variant([router, "envoy.extensions.filters.http.router.v3.Router"]), P(...router), /must be a type URL/);
  });

  it("an Any without @type", () => {
    const router: Path = ROUTER;
    expectOne(variant([[...router, "@type"], undefined], [[...router, "dynamic_stats"], true]), P(...router), /needs an "@type"/);
  });

  it("a well-known type inside an Any takes its JSON under value", () => {
    const cfg: Path = [...WASM, "configuration"];
    expectOne(variant([[...cfg, "value"], 7]), P(...cfg, "value"), /expected a string/);
    expectOne(variant([[...cfg, "text"], "{}"]), P(...cfg, "text"), /under "value"/);
  });

  it("a TypedStruct is checked against its type_url", () => {
    const router: Path = ROUTER;
    const typed = { "@type": "type.googleapis.com/xds.type.v3.TypedStruct", type_url: "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", value: { dynamic_stats: true } };
    expectValid(variant([router, typed]));
    expectOne(variant([router, { ...typed, value: { dynamic_stat: true } }]), P(...router, "value", "dynamic_stat"), /unknown field "dynamic_stat" in envoy\.extensions\.filters\.http\.router\.v3\.Router/);
  });
});

describe("oneof", () => {
  it("two members of one oneof fail", () => {
    // RouteConfiguration inline and RDS are the oneof route_specifier of the HttpConnectionManager.
    const e = expectOne(variant([[...HCM, "rds"], { route_config_name: "gateway" }]), P(...HCM, "rds"), /"rds" and "route_config" are both set.*oneof "route_specifier"/);
    assert.ok(e.line > 0);
    // route.cluster and route.cluster_header: oneof cluster_specifier of RouteAction.
    expectOne(variant([[...FORWARD, "route", "cluster_header"], "x-cluster"]), P(...FORWARD, "route", "cluster_header"), /oneof "cluster_specifier"/);
    // route and direct_response: oneof action of Route.
    expectOne(variant([[...DIRECT, "route"], { cluster: "provider" }]), P(...DIRECT, "route"), /oneof "action"/);
  });
});

describe("overlay (fields newer than the proto snapshot)", () => {
  it("Envoy 1.33-1.35 Wasm fields and HttpFilter.disabled validate", () => {
    expectValid(
      variant(
        [[...WASM, "failure_policy"], "FAIL_RELOAD"],
        [[...WASM, "reload_config"], { backoff: { base_interval: "1s", max_interval: "10s" } }],
        [[...WASM, "allow_on_headers_stop_iteration"], true],
        [[...HCM, "http_filters", WASM_FILTER, "disabled"], true],
      ),
    );
  });

  it("a misspelled overlay field is still an unknown field", () => {
    expectOne(variant([[...WASM, "allow_on_header_stop_iteration"], true]), P(...WASM, "allow_on_header_stop_iteration"), /did you mean "allow_on_headers_stop_iteration"/);
    expectOne(variant([[...WASM, "failure_policy"], "FAIL_CLOSE"]), P(...WASM, "failure_policy"), /did you mean "FAIL_CLOSED"/);
    expectOne(variant([[...WASM, "allow_on_headers_stop_iteration"], "yes please"]), P(...WASM, "allow_on_headers_stop_iteration"), /expected a boolean/);
    expectOne(variant([[...WASM, "reload_config", "backof"], {}]), P(...WASM, "reload_config", "backof"), /ReloadConfig/);
  });

  it("an overlay entry that contradicts the snapshot is refused", () => {
    const { root } = loadEnvoySchema();
    const base = { kind: "field", message: "envoy.extensions.wasm.v3.PluginConfig", type: "bool", since: "x", upstream: "test" } as const;
    assert.throws(() => applyOverlay(root, [{ ...base, name: "fail_open", id: 42 }]), /fail_open is field 5 in the snapshot/);
    assert.throws(() => applyOverlay(root, [{ ...base, name: "something_new", id: 1 }]), /field number 1 is already name/);
  });
});

describe("per-route filter config (map of Any)", () => {
  it("FilterConfig fields are checked inside typed_per_filter_config", () => {
    const auth: Path = [...DIRECT, "typed_per_filter_config", "auth"];
    expectOne(variant([[...auth, "disabled"], "maybe"]), P(...auth, "disabled"), /expected a boolean/);
    expectOne(variant([[...auth, "disable"], true]), P(...auth, "disable"), /envoy\.config\.route\.v3\.FilterConfig \(did you mean "disabled"\?\)/);
    expectOne(variant([[...auth, "config"], { "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm", config: { root_id: 1 } }]), P(...auth, "config", "config", "root_id"), /expected a string/);
  });

  it("map keys with dots are quoted in the path", () => {
    const perFilter: Path = [...DIRECT, "typed_per_filter_config"];
    const e = expectOne(variant([[...perFilter, "envoy.filters.http.wasm"], { "@type": "type.googleapis.com/nope.Nope" }]), `${P(...perFilter)}["envoy.filters.http.wasm"].@type`, /cannot resolve @type/);
    assert.ok(e.line > 0);
  });
});

describe("cli", () => {
  it("prints OK for a valid file, file:line: path: message and exit 1 for a broken one", () => {
    const dir = mkdtempSync(join(tmpdir(), "envoy-schema-"));
    try {
      const good = join(dir, "good.yaml");
      const bad = join(dir, "bad.yaml");
      writeFileSync(good, base);
      writeFileSync(bad, variant([[...WASM, "failure_polcy"], "FAIL_OPEN"]));
      const cli = join(repo, "tools", "envoy-schema", "cli.ts");
      const r = spawnSync(process.execPath, ["--import", "tsx", cli, good, bad], { cwd: repo, encoding: "utf8", timeout: 60_000 });
      assert.equal(r.status, 1, r.stderr);
      const lines = r.stdout.trim().split("\n");
      assert.equal(lines[0], `${good}: OK`);
      assert.equal(lines.length, 2);
      assert.match(lines[1], new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+: ${P(...WASM, "failure_polcy").replace(/[.[\]]/g, "\\$&")}: unknown field`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("documents", () => {
  it("YAML syntax errors are reported with their line", () => {
    const text = `${base}\nbroken: [LOGICAL_DNS\n`;
    const { errors } = validateEnvoyYaml(text, "broken.yaml");
    assert.ok(errors.length >= 1);
    assert.equal(errors[0].path, "(yaml)");
    assert.ok(errors[0].line > 0);
  });

  it("duplicate keys are errors", () => {
    const text = renamed(HCM, "stat_prefix", "stat_prefix", (m) => m.items.push(new Pair(new Scalar("stat_prefix"), new Scalar("other"))));
    const { errors } = validateEnvoyYaml(text);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /unique/i);
  });

  it("a file can name another root message", () => {
    const route = "# envoy-schema: envoy.config.route.v3.RouteConfiguration\nname: r\nvirtual_hosts:\n- name: v\n  domains: ['*']\n  routez: []\n";
    const { errors } = validateEnvoyYaml(route);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].path, "virtual_hosts[0].routez");
    assert.equal(errors[0].line, 6);
    assert.deepEqual(validateEnvoyYaml("name: r\n", undefined, { rootType: "envoy.config.route.v3.RouteConfiguration" }).errors, []);
  });

  it("JSON is YAML too", () => {
    const json = JSON.stringify(parseDocument(base).toJS());
    expectValid(json);
  });
});
