// Pure helpers that pull a credential out of a header value, a cookie header or a request path.
// They never throw: malformed input yields an empty/absent result and the caller answers 401.

/** Result of looking for a credential in one place. */
export namespace Found {
  export const NONE: i32 = 0; // not present
  export const ONE: i32 = 1; // exactly one value
  export const DUPLICATE: i32 = 2; // present more than once: ambiguous, rejected
  export const MALFORMED: i32 = 3; // present but unusable (wrong scheme, empty)
}

export class Extracted {
  constructor(public status: i32, public value: string = "") {}
}

const NONE = new Extracted(Found.NONE);
const DUP = new Extracted(Found.DUPLICATE);
const BAD = new Extracted(Found.MALFORMED);

function isOws(c: i32): bool { return c == 0x20 || c == 0x09; }

/** `value` with the auth scheme `prefix` ("Bearer ") removed (scheme case-insensitive, RFC 7235
 *  section 2.1; any run of spaces after it). An empty prefix returns the trimmed value. */
export function stripScheme(value: string, prefix: string): Extracted {
  let start = 0;
  let end = value.length;
  while (start < end && isOws(value.charCodeAt(start))) start++;
  while (end > start && isOws(value.charCodeAt(end - 1))) end--;
  if (prefix.length > 0) {
    const scheme = prefix.trimEnd();
    if (end - start < scheme.length) return BAD;
    for (let i = 0; i < scheme.length; i++) {
      let a = value.charCodeAt(start + i);
      let b = scheme.charCodeAt(i);
      if (a >= 65 && a <= 90) a |= 0x20;
      if (b >= 65 && b <= 90) b |= 0x20;
      if (a != b) return BAD;
    }
    start += scheme.length;
    if (start >= end || !isOws(value.charCodeAt(start))) return BAD;
    while (start < end && isOws(value.charCodeAt(start))) start++;
  }
  if (start >= end) return BAD;
  const out = value.substring(start, end);
  // A credential never holds whitespace; "Bearer a b" is not one token (RFC 6750 section 2.1).
  for (let i = 0; i < out.length; i++) {
    const c = out.charCodeAt(i);
    if (c <= 0x20 || c == 0x7f) return BAD;
  }
  return new Extracted(Found.ONE, out);
}

/** The value of cookie `name` in a Cookie header ("a=1; b=2", RFC 6265 section 4.2.1). */
export function cookieValue(header: string, name: string): Extracted {
  let found: string | null = null;
  let i = 0;
  const n = header.length;
  while (i < n) {
    let semi = header.indexOf(";", i);
    if (semi < 0) semi = n;
    let s = i;
    while (s < semi && isOws(header.charCodeAt(s))) s++;
    const eq = header.indexOf("=", s);
    if (eq > s && eq < semi) {
      let ne = eq;
      while (ne > s && isOws(header.charCodeAt(ne - 1))) ne--;
      if (header.substring(s, ne) == name) {
        if (found !== null) return DUP;
        let vs = eq + 1;
        let ve = semi;
        while (vs < ve && isOws(header.charCodeAt(vs))) vs++;
        while (ve > vs && isOws(header.charCodeAt(ve - 1))) ve--;
        // RFC 6265 allows the value in double quotes.
        if (ve - vs >= 2 && header.charCodeAt(vs) == 0x22 && header.charCodeAt(ve - 1) == 0x22) { vs++; ve--; }
        found = header.substring(vs, ve);
      }
    }
    i = semi + 1;
  }
  if (found === null) return NONE;
  if (found.length == 0) return BAD;
  return new Extracted(Found.ONE, found);
}

function hexVal(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Percent-decodes a query component (RFC 3986 section 2.1); null for a bad escape or bad UTF-8. */
export function percentDecode(s: string): string | null {
  if (s.indexOf("%") < 0) return s;
  const bytes = new Uint8Array(s.length * 3);
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x25) {
      if (i + 2 >= s.length) return null;
      const h = hexVal(s.charCodeAt(i + 1));
      const l = hexVal(s.charCodeAt(i + 2));
      if (h < 0 || l < 0) return null;
      bytes[w++] = <u8>((h << 4) | l);
      i += 2;
    } else if (c < 0x80) {
      bytes[w++] = <u8>c;
    } else {
      // non-ASCII in a :path is not valid HTTP; refuse rather than guess an encoding
      return null;
    }
  }
  const out = String.UTF8.decodeUnsafe(bytes.dataStart, <usize>w, false);
  // Reject malformed UTF-8 (decoding replaced it) and NUL bytes.
  const back = String.UTF8.encode(out);
  if (back.byteLength != w || memory.compare(changetype<usize>(back), bytes.dataStart, <usize>w) != 0) return null;
  if (out.indexOf("\0") >= 0) return null;
  return out;
}

/** A query parameter taken out of a path. `path` is the path with every occurrence removed. */
export class QueryTake {
  constructor(public found: Extracted, public path: string) {}
}

/** Finds `name` in the query of `path` ("/p?a=1&key=x#f") and returns the path without it. */
export function takeQueryParam(path: string, name: string): QueryTake {
  // The fragment ends the request target (RFC 3986 section 3.5): a `?` after `#` starts no query.
  let fragAt = path.indexOf("#");
  if (fragAt < 0) fragAt = path.length;
  const q = path.indexOf("?");
  if (q < 0 || q > fragAt) return new QueryTake(NONE, path);
  const query = path.substring(q + 1, fragAt);
  const parts = query.split("&");
  const kept = new Array<string>(0);
  let value: string | null = null;
  let count = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const eq = p.indexOf("=");
    const rawName = eq < 0 ? p : p.substring(0, eq);
    const decodedName = percentDecode(rawName);
    if (decodedName !== null && decodedName == name) {
      count++;
      const v = eq < 0 ? "" : percentDecode(p.substring(eq + 1));
      value = v === null ? "" : v;
      continue;
    }
    kept.push(p);
  }
  if (count == 0) return new QueryTake(NONE, path);
  let rebuilt = path.substring(0, q);
  const rest = kept.join("&");
  if (rest.length > 0) rebuilt += "?" + rest;
  rebuilt += path.substring(fragAt);
  if (count > 1) return new QueryTake(DUP, rebuilt);
  const v = value!;
  if (v.length == 0) return new QueryTake(BAD, rebuilt);
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c <= 0x20 || c == 0x7f) return new QueryTake(BAD, rebuilt);
  }
  return new QueryTake(new Extracted(Found.ONE, v), rebuilt);
}
