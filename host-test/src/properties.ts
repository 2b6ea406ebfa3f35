// proxy_get_property / proxy_set_property with Envoy's encodings
// (source/extensions/common/wasm/context.cc: Context::getProperty, findValue, serializeValue,
// setProperty; source/extensions/filters/common/expr/context.cc for the attribute names).
// Path segments are separated by NUL; only the first segment is looked up as a top-level token,
// so a dotted path given as one segment ("request.path") is NotFound, as in Envoy.
// Ints are int64 little-endian, bools one byte, strings raw, maps Envoy pair-serialized.
import { marshalPairs, utf8, type Pairs } from "./abi.ts";

export type PropertyValue = string | number | bigint | boolean | Uint8Array | Pairs;

export function encodeProperty(v: PropertyValue): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") return utf8(v);
  if (typeof v === "boolean") return Uint8Array.of(v ? 1 : 0);
  if (typeof v === "number" || typeof v === "bigint") {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
    return b;
  }
  return marshalPairs(v);
}

/** Top-level tokens Envoy knows (PROPERTY_TOKENS); anything else is looked up in filter state. */
export const PROPERTY_TOKENS = new Set([
  "metadata", "request", "response", "connection", "upstream", "node", "source", "destination",
  "listener_direction", "listener_metadata", "cluster_name", "cluster_metadata", "route_name",
  "route_metadata", "plugin_name", "upstream_host_metadata", "plugin_root_id", "plugin_vm_id",
  "connection_id", "filter_state", "xds",
]);

export const FILTER_STATE_PREFIX = "wasm.";

export interface PropertySource {
  /** Dotted-path values: built-ins of the stream plus user-supplied extras. */
  lookup(dotted: string): PropertyValue | undefined;
  filterState?: Map<string, Uint8Array>;
}

export function getProperty(path: Uint8Array, src: PropertySource): { found: boolean; value?: Uint8Array } {
  const segments: string[] = [];
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i === path.length || path[i] === 0) {
      if (i > start || i < path.length) segments.push(Buffer.from(path.subarray(start, i)).toString("utf8"));
      start = i + 1;
    }
  }
  if (segments.length === 0) return { found: false };
  const top = segments[0];
  if (!PROPERTY_TOKENS.has(top)) {
    // Unknown top-level names resolve to filter state stored by set_property under "wasm.<name>".
    if (segments.length !== 1) return { found: false };
    const v = src.filterState?.get(FILTER_STATE_PREFIX + top);
    return v ? { found: true, value: v } : { found: false };
  }
  const v = src.lookup(segments.join("."));
  if (v === undefined) return { found: false };
  return { found: true, value: encodeProperty(v) };
}
