// Header and trailer maps (request/response headers and trailers, http-call response headers,
// gRPC metadata) with Envoy's pair serialization:
//   u32 count, then count x (u32 name size, u32 value size), then each name and value followed by
//   a NUL byte (proxy-wasm-cpp-host src/pairs_util.cc).
import {
  proxy_add_header_map_value, proxy_get_header_map_pairs, proxy_get_header_map_value,
  proxy_remove_header_map_value, proxy_replace_header_map_value, proxy_set_header_map_pairs,
  WasmResult,
} from "./abi";
import { RET_PTR, RET_SIZE, resetReturned, takeReturned } from "./memory";

export class HeaderPair {
  constructor(public name: string, public value: string) {}
}

/** The first value of `name` in the map, or null when absent. As in Envoy, a repeated header
 *  yields only its first value here: use `getHeaderValues` or `countHeader` to see the others. */
export function getHeader(map: u32, name: string): string | null {
  const key = String.UTF8.encode(name);
  resetReturned();
  const r = proxy_get_header_map_value(map, changetype<usize>(key), key.byteLength, RET_PTR, RET_SIZE);
  if (r != WasmResult.Ok) {
    takeReturned();
    return null;
  }
  return String.UTF8.decode(takeReturned());
}

export function getHeaderPairs(map: u32): Array<HeaderPair> {
  resetReturned();
  const r = proxy_get_header_map_pairs(map, RET_PTR, RET_SIZE);
  const buf = takeReturned();
  if (r != WasmResult.Ok) return new Array<HeaderPair>(0);
  return deserializeHeaders(buf);
}

/** All values of `name` (lowercase), in order. */
export function getHeaderValues(map: u32, name: string): Array<string> {
  const pairs = getHeaderPairs(map);
  const out = new Array<string>(0);
  for (let i = 0; i < pairs.length; i++) {
    if (pairs[i].name == name) out.push(pairs[i].value);
  }
  return out;
}

export function countHeader(map: u32, name: string): i32 {
  return getHeaderValues(map, name).length;
}

/** Replaces every value of `name` with `value` (adds it when absent). */
export function setHeader(map: u32, name: string, value: string): u32 {
  const k = String.UTF8.encode(name);
  const v = String.UTF8.encode(value);
  return proxy_replace_header_map_value(map, changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength);
}

/** Adds one more value of `name`. */
export function addHeader(map: u32, name: string, value: string): u32 {
  const k = String.UTF8.encode(name);
  const v = String.UTF8.encode(value);
  return proxy_add_header_map_value(map, changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength);
}

/** Removes every value of `name`. */
export function removeHeader(map: u32, name: string): u32 {
  const k = String.UTF8.encode(name);
  return proxy_remove_header_map_value(map, changetype<usize>(k), k.byteLength);
}

export function setHeaderPairs(map: u32, pairs: Array<HeaderPair>): u32 {
  const buf = serializeHeaders(pairs);
  return proxy_set_header_map_pairs(map, changetype<usize>(buf), buf.byteLength);
}

export function serializeHeaders(pairs: Array<HeaderPair>): ArrayBuffer {
  const n = pairs.length;
  const names = new Array<ArrayBuffer>(n);
  const values = new Array<ArrayBuffer>(n);
  let size = 4 + n * 8;
  for (let i = 0; i < n; i++) {
    const k = String.UTF8.encode(pairs[i].name);
    const v = String.UTF8.encode(pairs[i].value);
    names[i] = k;
    values[i] = v;
    size += k.byteLength + v.byteLength + 2;
  }
  const out = new ArrayBuffer(size);
  const base = changetype<usize>(out);
  store<u32>(base, n);
  let p = base + 4 + n * 8;
  for (let i = 0; i < n; i++) {
    const k = names[i];
    const v = values[i];
    store<u32>(base + 4 + i * 8, k.byteLength);
    store<u32>(base + 8 + i * 8, v.byteLength);
    memory.copy(p, changetype<usize>(k), k.byteLength);
    p += k.byteLength;
    store<u8>(p++, 0);
    memory.copy(p, changetype<usize>(v), v.byteLength);
    p += v.byteLength;
    store<u8>(p++, 0);
  }
  return out;
}

/** Parses Envoy's pair serialization; a truncated or inconsistent buffer yields the pairs that
 *  were complete (never reads out of bounds). */
export function deserializeHeaders(buf: ArrayBuffer): Array<HeaderPair> {
  const out = new Array<HeaderPair>(0);
  const len = <usize>buf.byteLength;
  if (len < 4) return out;
  const base = changetype<usize>(buf);
  const n = <usize>load<u32>(base);
  if (n > (len - 4) / 8) return out;
  let p = base + 4 + n * 8;
  const end = base + len;
  for (let i: usize = 0; i < n; i++) {
    const ks = <usize>load<u32>(base + 4 + i * 8);
    const vs = <usize>load<u32>(base + 8 + i * 8);
    if (ks + vs + 2 > end - p) break;
    const name = String.UTF8.decodeUnsafe(p, ks);
    p += ks + 1;
    const value = String.UTF8.decodeUnsafe(p, vs);
    p += vs + 1;
    out.push(new HeaderPair(name, value));
  }
  return out;
}
