// Properties (Envoy attributes) and filter state.
//
// Envoy wants a property path as its segments separated by NUL bytes ("request\0path");
// proxy-runtime 0.1.8 sends the dotted string as one segment, which Envoy answers NotFound and
// 0.1.8 then turns into a throw (a dead VM). Values use Envoy's encodings: strings raw, integers
// as 8-byte little-endian int64, booleans as one byte, timestamps as int64 nanoseconds.
import { proxy_get_property, proxy_set_property, WasmResult } from "./abi";
import { RET_PTR, RET_SIZE, resetReturned, takeReturned } from "./memory";
import { narrowAscii } from "../assembly/bytes/util";

/** Encodes path segments separated by NUL, as Envoy expects. */
export function encodePropertyPath(segments: Array<string>): ArrayBuffer {
  let joined = "";
  for (let i = 0; i < segments.length; i++) {
    if (i > 0) joined += "\0";
    joined += segments[i];
  }
  return String.UTF8.encode(joined);
}

/** Raw value of a property given as segments (use this form when a segment contains dots,
 *  e.g. ["metadata", "filter_metadata", "envoy.lb"]). Null when the host has no such property. */
export function getPropertyPath(segments: Array<string>): ArrayBuffer | null {
  return getEncodedProperty(encodePropertyPath(segments));
}

/** Raw value of the property at `path`, its segments already NUL-separated. */
function getEncodedProperty(path: ArrayBuffer): ArrayBuffer | null {
  resetReturned();
  const r = proxy_get_property(changetype<usize>(path), path.byteLength, RET_PTR, RET_SIZE);
  const value = takeReturned();
  if (r != WasmResult.Ok) return null;
  return value;
}

/** Raw value of a dotted property path such as "request.path" or "xds.route_name". */
export function getProperty(dotted: string): ArrayBuffer | null {
  // Each dot becomes the NUL between segments, in the UTF-8 bytes (no split: it is the only one
  // some modules would pull in).
  const path = String.UTF8.encode(dotted);
  const p = changetype<usize>(path);
  for (let i = 0; i < path.byteLength; i++) if (load<u8>(p + <usize>i) == 0x2e) store<u8>(p + <usize>i, 0);
  return getEncodedProperty(path);
}

export function getPropertyString(dotted: string): string | null {
  const v = getProperty(dotted);
  if (v === null) return null;
  return String.UTF8.decode(v);
}

/** An integer property (Envoy encodes int64/uint64 attributes as 8 bytes little-endian);
 *  `fallback` when absent or not 8 bytes long. */
export function getPropertyInt(dotted: string, fallback: i64): i64 {
  const v = getProperty(dotted);
  if (v === null || v.byteLength != 8) return fallback;
  return load<i64>(changetype<usize>(v));
}

export function getPropertyBool(dotted: string, fallback: bool): bool {
  const v = getProperty(dotted);
  if (v === null || v.byteLength != 1) return fallback;
  return load<u8>(changetype<usize>(v)) != 0;
}

/** Sets a property. Envoy stores it as filter state named `wasm.<path>` (what an access log
 *  prints with %FILTER_STATE(wasm.<path>:PLAIN)%) and later filters read it back with
 *  getProperty(path). */
export function setProperty(path: string, value: ArrayBuffer): u32 {
  const p = String.UTF8.encode(path);
  return proxy_set_property(changetype<usize>(p), p.byteLength, changetype<usize>(value), value.byteLength);
}

export function setFilterState(key: string, value: string): u32 {
  return setProperty(key, String.UTF8.encode(value));
}

/** A filter-state name encoded once: a filter that publishes the same names on every request
 *  passes these instead of encoding each name per write. */
export class FilterStateKey {
  readonly bytes: ArrayBuffer;
  constructor(public name: string) { this.bytes = String.UTF8.encode(name); }
}

const INT_DIGITS = new StaticArray<u8>(20);
const ASCII_SCRATCH = new StaticArray<u8>(256);

/** setFilterState with an encoded name; a short ASCII value (most: names, models, numbers) goes
 *  from a scratch buffer instead of a new encoded copy. */
export function setFilterStateKey(key: FilterStateKey, value: string): u32 {
  const n = value.length;
  if (n <= 256) {
    const dst = changetype<usize>(ASCII_SCRATCH);
    if (narrowAscii(changetype<usize>(value), n, dst) == n) return proxy_set_property(changetype<usize>(key.bytes), key.bytes.byteLength, dst, <usize>n);
  }
  const v = String.UTF8.encode(value);
  return proxy_set_property(changetype<usize>(key.bytes), key.bytes.byteLength, changetype<usize>(v), v.byteLength);
}

/** A decimal integer as filter state (the same text as v.toString(), without making a string). */
export function setFilterStateInt(key: FilterStateKey, v: i64): u32 {
  let u: u64 = v < 0 ? <u64>0 - <u64>v : <u64>v;
  let i = 20;
  do { i--; unchecked((INT_DIGITS[i] = <u8>(0x30 + <i32>(u % 10)))); u /= 10; } while (u != 0);
  if (v < 0) { i--; unchecked((INT_DIGITS[i] = 0x2d)); }
  return proxy_set_property(changetype<usize>(key.bytes), key.bytes.byteLength, changetype<usize>(INT_DIGITS) + <usize>i, <usize>(20 - i));
}

export function getFilterState(key: string): string | null {
  const v = getPropertyPath([key]);
  if (v === null) return null;
  return String.UTF8.decode(v);
}
