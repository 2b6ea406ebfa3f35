// Loads Envoy's v3 API (.proto files shipped inside @grpc/grpc-js-xds) into one protobufjs Root,
// then applies the overlay (fields added by Envoy releases newer than that snapshot).
// Parsing ~350 files takes a few hundred milliseconds, so the Root is built once per process.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import protobuf from "protobufjs";
import { applyOverlay, OVERLAY_PROTO_DIR } from "./overlay.ts";

const require = createRequire(import.meta.url);

/** Where the proto trees live. Import paths ("envoy/config/core/v3/base.proto") resolve against these. */
function protoRoots(): string[] {
  const xds = dirname(require.resolve("@grpc/grpc-js-xds/package.json"));
  const deps = join(xds, "deps");
  const pbjs = dirname(require.resolve("protobufjs/package.json"));
  return [
    join(deps, "envoy-api"),
    join(deps, "xds"),
    join(deps, "googleapis"),
    join(deps, "protoc-gen-validate"),
    OVERLAY_PROTO_DIR,
    // google/protobuf/descriptor.proto (needed by the option extensions in validate.proto and
    // udpa/xds annotations); the other well-known types are bundled inside protobufjs itself.
    pbjs,
  ];
}

function listProtos(dir: string, prefix: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) listProtos(join(dir, e.name), rel, out);
    else if (e.name.endsWith(".proto")) out.push(rel);
  }
  return out;
}

const BUNDLED = /^google\/protobuf\/(any|api|duration|empty|field_mask|source_context|struct|timestamp|type|wrappers)\.proto$/;
const IMPORT_RE = /^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm;

export interface LoadedSchema {
  root: protobuf.Root;
  /** API files left out because an import is missing from the snapshot (e.g. OpenCensus, Prometheus). */
  skipped: string[];
  /** Milliseconds spent building the Root. */
  loadMs: number;
}

let cached: LoadedSchema | undefined;

/** The Envoy v3 API plus overlay, parsed once per process. */
export function loadEnvoySchema(): LoadedSchema {
  if (cached) return cached;
  const t0 = performance.now();
  const roots = protoRoots();
  const locate = (name: string): string | undefined => {
    for (const r of roots) {
      const p = join(r, name);
      if (existsSync(p)) return p;
    }
    return undefined;
  };

  // Every file of the v3 API (plus the xds/udpa types Envoy accepts as typed_config), then only
  // those whose whole import closure exists: protobufjs resolves all types at the end of a load,
  // so one missing import would fail everything.
  const deps = roots[0];
  const candidates = [
    ...listProtos(join(deps, "envoy"), "envoy", []).filter((f) => /\/v3(alpha)?\//.test(f)),
    ...listProtos(join(roots[1], "xds"), "xds", []),
    ...listProtos(join(roots[1], "udpa"), "udpa", []),
    ...listProtos(OVERLAY_PROTO_DIR, "", []),
  ];
  const imports = new Map<string, string[] | null>();
  const importsOf = (name: string): string[] | null => {
    if (imports.has(name)) return imports.get(name)!;
    const p = locate(name);
    const list = p ? [...readFileSync(p, "utf8").matchAll(IMPORT_RE)].map((m) => m[1]) : null;
    imports.set(name, list);
    return list;
  };
  const loadable = new Map<string, boolean>();
  const isLoadable = (name: string, seen: Set<string>): boolean => {
    if (BUNDLED.test(name)) return true;
    if (loadable.has(name)) return loadable.get(name)!;
    if (seen.has(name)) return true; // cycle: decided by the outer frame
    seen.add(name);
    const list = importsOf(name);
    const ok = list !== null && list.every((i) => isLoadable(i, seen));
    loadable.set(name, ok);
    return ok;
  };
  const files: string[] = [];
  const skipped: string[] = [];
  for (const f of candidates) (isLoadable(f, new Set()) ? files : skipped).push(f);

  const root = new protobuf.Root();
  root.resolvePath = (_origin: string, target: string) => locate(target) ?? target;
  root.loadSync(files, { keepCase: true });
  applyOverlay(root);
  cached = { root, skipped, loadMs: performance.now() - t0 };
  return cached;
}
