// The request's query string reaches the provider with the path (`?user=jane@example.com`), so it
// is scanned like the body: each `&`-separated parameter is percent-decoded (RFC 3986 section 2.1,
// `+` as space per the form encoding) so an escape cannot hide a value, scanned as text, and, when
// masked, written back percent-encoded; parameters without findings keep their bytes.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { Engine } from "./engine";
import { StreamScope } from "./actions";

export const QUERY_UNCHANGED: i32 = 0;
export const QUERY_CHANGED: i32 = 1;
export const QUERY_BLOCKED: i32 = -1;

export class QueryScan {
  status: i32 = QUERY_UNCHANGED;
  /** The whole :path with the masked query (QUERY_CHANGED only). */
  path: string = "";
}

function hexVal(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Decodes src[s, e) into out: %XX escapes and `+`; a bad escape stays as it is (as servers keep it). */
function decodeComponent(src: Uint8Array, s: i32, e: i32, out: ByteBuilder): void {
  for (let i = s; i < e; i++) {
    const c = <i32>src[i];
    if (c == 0x25 && i + 2 < e) {
      const h = hexVal(<i32>src[i + 1]), l = hexVal(<i32>src[i + 2]);
      if (h >= 0 && l >= 0) { out.appendByte(<u8>((h << 4) | l)); i += 2; continue; }
    }
    out.appendByte(c == 0x2b ? 0x20 : <u8>c);
  }
}

const HEX = "0123456789ABCDEF";

/** Percent-encodes src[s, e): unreserved characters (RFC 3986 section 2.3) and `=` stay. */
function encodeComponent(src: Uint8Array, s: i32, e: i32, out: ByteBuilder): void {
  for (let i = s; i < e; i++) {
    const c = <i32>src[i];
    const keep = (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c == 0x2d || c == 0x2e || c == 0x5f || c == 0x7e || c == 0x3d;
    if (keep) out.appendByte(<u8>c);
    else { out.appendByte(0x25); out.appendByte(<u8>HEX.charCodeAt(c >> 4)); out.appendByte(<u8>HEX.charCodeAt(c & 15)); }
  }
}

/** Scans and masks the query of `path` (up to a `#`); findings are counted in `st` as the body's are. */
export function scanQuery(engine: Engine, st: StreamScope, path: string): QueryScan {
  const res = new QueryScan();
  const q = path.indexOf("?");
  if (q < 0) return res;
  const src = Uint8Array.wrap(String.UTF8.encode(path));
  const qb = String.UTF8.byteLength(path.substring(0, q + 1));
  let end = src.length;
  for (let i = qb; i < src.length; i++) if (src[i] == 0x23) { end = i; break; }
  const decoded = new ByteBuilder(64);
  const masked = new ByteBuilder(64);
  const out = new ByteBuilder(src.length + 16);
  out.appendSlice(src, 0, qb);
  let changed = false;
  let s = qb;
  while (s <= end) {
    let e = s;
    while (e < end && src[e] != 0x26) e++;
    decoded.reset();
    masked.reset();
    decodeComponent(src, s, e, decoded);
    const r = decoded.length > 0 ? engine.rewrite(decoded.raw(), 0, decoded.length, st, false, masked) : 0;
    if (r < 0) { res.status = QUERY_BLOCKED; return res; }
    if (r > 0) { changed = true; encodeComponent(masked.raw(), 0, masked.length, out); }
    else out.appendSlice(src, s, e);
    if (e < end) out.appendByte(0x26);
    s = e + 1;
  }
  if (!changed) return res;
  out.appendSlice(src, end, src.length);
  res.status = QUERY_CHANGED;
  res.path = String.UTF8.decodeUnsafe(out.raw().dataStart, <usize>out.length, false);
  return res;
}
