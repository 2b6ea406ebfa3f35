// Writes the CRD schema excerpts in this directory from the real CRDs, for envoy/k8s/manifests.test.ts.
//
//   node --import tsx envoy/k8s/schemas/extract.ts <crd.yaml>...
//
// The CRD files are not in this repository (about 3 MB); get them at the pinned versions listed in
// SOURCES, e.g. `git show 1.27.0:kubernetes/customresourcedefinitions.gen.yaml` in istio/api. Each
// excerpt is the CRD's openAPIV3Schema for one kind, cut down to what the manifests use: at every
// object the manifests reach, all of the CRD's field names are kept (so an unknown or misspelt field
// still fails), with types, enums, patterns, required lists and size limits; a field no manifest
// sets is kept as {"$unused": true, "type": ...}. A manifest that starts using such a field fails
// the test until the excerpt is extracted again.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; additionalProperties?: Schema | boolean };

const here = dirname(fileURLToPath(import.meta.url));
const k8s = dirname(here);

/** Where each CRD comes from (repository, file, ref and commit), by the CRD file's base name. */
export const SOURCES: Record<string, { repo: string; path: string; ref: string; commit: string }> = {
  "customresourcedefinitions.gen.yaml": { repo: "istio/api", path: "kubernetes/customresourcedefinitions.gen.yaml", ref: "1.27.0", commit: "36763529c462298f84d043727e28206c04040279" },
  "gatewayapi-crds.yaml": { repo: "envoyproxy/gateway", path: "charts/gateway-helm/crds/gatewayapi-crds.yaml (Gateway API v1.3.0)", ref: "v1.5.0", commit: "c2e5b2e118a4d81db698d22d4ff4ebb0211ec8a2" },
  "gateway.envoyproxy.io_envoyextensionpolicies.yaml": { repo: "envoyproxy/gateway", path: "charts/gateway-helm/crds/generated/gateway.envoyproxy.io_envoyextensionpolicies.yaml", ref: "v1.5.0", commit: "c2e5b2e118a4d81db698d22d4ff4ebb0211ec8a2" },
  "gateway.envoyproxy.io_backends.yaml": { repo: "envoyproxy/gateway", path: "charts/gateway-helm/crds/generated/gateway.envoyproxy.io_backends.yaml", ref: "v1.5.0", commit: "c2e5b2e118a4d81db698d22d4ff4ebb0211ec8a2" },
  "gateway.envoyproxy.io_httproutefilters.yaml": { repo: "envoyproxy/gateway", path: "charts/gateway-helm/crds/generated/gateway.envoyproxy.io_httproutefilters.yaml", ref: "v1.5.0", commit: "c2e5b2e118a4d81db698d22d4ff4ebb0211ec8a2" },
};

const KEEP = ["type", "enum", "pattern", "format", "required", "maxItems", "minItems", "maxLength", "minLength", "maximum", "minimum",
  "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "nullable"];

function shallow(s: Schema): Schema {
  const out: Schema = {};
  for (const k of KEEP) if (s[k] !== undefined) out[k] = s[k];
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The part of `s` that `values` (all manifest values at this place) reach. */
function prune(s: Schema, values: unknown[]): Schema {
  const out = shallow(s);
  // allOf of simple constraints (kubebuilder writes two enum markers on one field that way).
  if (Array.isArray(s.allOf)) out.allOf = (s.allOf as Schema[]).map(shallow);
  if (s.properties) {
    out.properties = {};
    for (const [name, child] of Object.entries(s.properties)) {
      const used = values.filter(isObj).filter((v) => name in v).map((v) => v[name]);
      out.properties[name] = used.length ? prune(child, used) : { $unused: true, ...(child.type ? { type: child.type } : {}) };
    }
  }
  if (s.items) out.items = prune(s.items, values.filter(Array.isArray).flat());
  if (isObj(s.additionalProperties)) out.additionalProperties = prune(s.additionalProperties as Schema, values.filter(isObj).flatMap((v) => Object.values(v)));
  return out;
}

function manifests(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const dir of ["istio", "envoy-gateway"]) {
    for (const f of readdirSync(join(k8s, dir)).filter((n) => n.endsWith(".yaml")).sort()) {
      for (const d of parseAllDocuments(readFileSync(join(k8s, dir, f), "utf8"), { schema: "yaml-1.1" })) {
        if (!Array.isArray(d)) out.push(d.toJS() as Record<string, unknown>);
      }
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const used = manifests();
  const wanted = new Set(used.map((m) => `${m.apiVersion} ${m.kind}`));
  for (const file of process.argv.slice(2)) {
    const source = SOURCES[basename(file)];
    if (!source) throw new Error(`${file}: not in SOURCES (add its repository, path and commit)`);
    for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
      if (Array.isArray(doc)) continue;
      const crd = doc.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }[] } };
      if (crd?.kind !== "CustomResourceDefinition" || !crd.spec) continue;
      const { group, names } = crd.spec;
      for (const v of crd.spec.versions) {
        const apiVersion = `${group}/${v.name}`;
        if (!wanted.has(`${apiVersion} ${names.kind}`) || !v.served || !v.schema) continue;
        const docs = used.filter((m) => m.apiVersion === apiVersion && m.kind === names.kind);
        const excerpt = { source, apiVersion, kind: names.kind, schema: prune(v.schema.openAPIV3Schema, docs) };
        const out = join(here, `${names.kind}.${group}.${v.name}.json`);
        writeFileSync(out, JSON.stringify(excerpt, null, 1) + "\n");
        wanted.delete(`${apiVersion} ${names.kind}`);
        console.log(`${out}: ${docs.length} manifest(s)`);
      }
    }
  }
  if (wanted.size) console.log(`no CRD given for: ${[...wanted].join(", ")}`);
}
