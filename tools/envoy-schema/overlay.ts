// The overlay: API additions from Envoy releases newer than the .proto snapshot shipped inside
// @grpc/grpc-js-xds. Without them a config that uses these fields would be reported as "unknown
// field" (and a real Envoy older than `since` does reject them, so the README states the minimum
// version). Each entry gives the upstream field number and the pull request that added it, read
// from Envoy's api/ tree; when the snapshot gains an entry, applyOverlay() skips it (same number)
// or fails loudly (different number), so the table never silently disagrees with the snapshot.
//
// Also in the overlay: overlay-protos/, whole .proto files for packages the snapshot lacks
// (OpenTelemetry common types, imported by the OpenTelemetry access logger).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import { exactType } from "./names.ts";

export const OVERLAY_PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), "overlay-protos");

export interface OverlayEnum {
  kind: "enum";
  /** Fully qualified name, e.g. envoy.extensions.wasm.v3.FailurePolicy. */
  name: string;
  values: Record<string, number>;
  since: string;
  upstream: string;
}

export interface OverlayMessage {
  kind: "message";
  name: string;
  fields: Array<{ name: string; id: number; type: string; repeated?: boolean }>;
  since: string;
  upstream: string;
}

export interface OverlayField {
  kind: "field";
  /** Fully qualified message the field is added to. */
  message: string;
  name: string;
  id: number;
  /** Scalar type name or fully qualified message/enum name. */
  type: string;
  repeated?: boolean;
  since: string;
  upstream: string;
}

export type OverlayEntry = OverlayEnum | OverlayMessage | OverlayField;

const WASM_PR_RELOAD = "envoyproxy/envoy#36456 (api/envoy/extensions/wasm/v3/wasm.proto)";

export const OVERLAY: readonly OverlayEntry[] = [
  // What the Wasm filter does when its VM fails; replaces the boolean fail_open (deprecated).
  {
    kind: "enum",
    name: "envoy.extensions.wasm.v3.FailurePolicy",
    values: { UNSPECIFIED: 0, FAIL_RELOAD: 1, FAIL_CLOSED: 2, FAIL_OPEN: 3 },
    since: "1.33",
    upstream: WASM_PR_RELOAD,
  },
  {
    kind: "message",
    name: "envoy.extensions.wasm.v3.ReloadConfig",
    fields: [{ name: "backoff", id: 1, type: "envoy.config.core.v3.BackoffStrategy" }],
    since: "1.33",
    upstream: WASM_PR_RELOAD,
  },
  {
    kind: "field",
    message: "envoy.extensions.wasm.v3.PluginConfig",
    name: "failure_policy",
    id: 7,
    type: "envoy.extensions.wasm.v3.FailurePolicy",
    since: "1.33",
    upstream: WASM_PR_RELOAD,
  },
  {
    kind: "field",
    message: "envoy.extensions.wasm.v3.PluginConfig",
    name: "reload_config",
    id: 8,
    type: "envoy.extensions.wasm.v3.ReloadConfig",
    since: "1.33",
    upstream: WASM_PR_RELOAD,
  },
  // Lets on_request_headers/on_response_headers return StopIteration (pause headers, keep reading
  // the body) instead of Envoy turning it into StopAllIterationAndWatermark.
  {
    kind: "field",
    message: "envoy.extensions.wasm.v3.PluginConfig",
    name: "allow_on_headers_stop_iteration",
    id: 9,
    type: "google.protobuf.BoolValue",
    since: "1.35",
    upstream: "envoyproxy/envoy#40213 (api/envoy/extensions/wasm/v3/wasm.proto)",
  },
  // A filter in the chain that is off unless a route enables it through typed_per_filter_config
  // (envoy.config.route.v3.FilterConfig, whose `disabled` field the snapshot already has).
  {
    kind: "field",
    message: "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter",
    name: "disabled",
    id: 7,
    type: "bool",
    since: "1.29",
    upstream:
      "envoyproxy/envoy#30141 (api/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto)",
  },
];

function splitName(full: string): [string, string] {
  const i = full.lastIndexOf(".");
  return [full.slice(0, i), full.slice(i + 1)];
}

function qualify(type: string): string {
  return /^[a-z0-9]+$/.test(type) && !type.includes(".") ? type : `.${type}`;
}

/** Adds the overlay to a loaded Root. Throws if an entry conflicts with what the snapshot declares. */
export function applyOverlay(root: protobuf.Root, entries: readonly OverlayEntry[] = OVERLAY): void {
  for (const e of entries) {
    if (e.kind === "field") continue;
    const [pkg, name] = splitName(e.name);
    const ns = root.lookup(pkg);
    if (!(ns instanceof protobuf.Namespace)) throw new Error(`overlay: no package ${pkg} for ${e.name}`);
    if (ns.get(name)) continue; // the snapshot already has it
    if (e.kind === "enum") ns.add(new protobuf.Enum(name, e.values));
    else {
      const t = new protobuf.Type(name);
      for (const f of e.fields) t.add(new protobuf.Field(f.name, f.id, qualify(f.type), f.repeated ? "repeated" : undefined));
      ns.add(t);
    }
  }
  for (const e of entries) {
    if (e.kind !== "field") continue;
    const type = exactType(root, e.message);
    if (!type) throw new Error(`overlay: no message ${e.message} for field ${e.name}`);
    const existing = type.fields[e.name];
    if (existing) {
      if (existing.id !== e.id) throw new Error(`overlay: ${e.message}.${e.name} is field ${existing.id} in the snapshot, overlay says ${e.id}`);
      continue;
    }
    const clash = type.fieldsById[e.id];
    if (clash) throw new Error(`overlay: ${e.message} field number ${e.id} is already ${clash.name}`);
    type.add(new protobuf.Field(e.name, e.id, qualify(e.type), e.repeated ? "repeated" : undefined));
  }
  root.resolveAll();
}
