// The canonical form of a request path for per-route rules, computed by the filter itself so a rule
// holds whatever the proxy in front did (or did not do) to the path. Pure; never throws.
//
// Canonical form (RFC 3986 section 6.2.2): the query and fragment are cut off; `;` parameters are
// removed from every segment (servlet containers and some frameworks ignore them, so
// `/v1;x/../admin` must not be read differently from what they serve); percent-encoded printable
// ASCII characters are decoded (unreserved ones are equivalent by section 2.3; many servers decode
// the reserved ones too), `%25` and the escapes of space and non-ASCII bytes upper-cased (2.1);
// empty segments are merged (Envoy merge_slashes); `.` and `..` are removed (5.2.4), `%2E` counting
// as a dot. A trailing slash is kept: `/v1/` and `/v1` are different paths to a router.
//
// Refused (null, with the reason in `lastPathError`): a path that does not start with `/`; an
// encoded `/` or `\` (%2F, %5C: upstreams disagree on whether they separate segments); a raw `\`
// (some servers read it as `/`); an encoded or raw NUL or other control character, a space or a
// non-ASCII byte; a `%` not followed by two hex digits; `%25` followed by two hex digits (double
// encoding: `%252F` is `%2F` to an upstream that decodes twice); a `..` above the root.

export namespace PathError {
  export const NONE: i32 = 0;
  export const NOT_ABSOLUTE: i32 = 1;
  export const ENCODED_SLASH: i32 = 2;
  export const BACKSLASH: i32 = 3;
  export const CONTROL: i32 = 4;
  export const BAD_ESCAPE: i32 = 5;
  export const ABOVE_ROOT: i32 = 6;
  export const DOUBLE_ENCODED: i32 = 7;
}

let lastError: i32 = PathError.NONE;

/** Why the last canonicalPath call returned null (a PathError value). */
export function lastPathError(): i32 { return lastError; }

export function pathErrorName(e: i32): string {
  if (e == PathError.NOT_ABSOLUTE) return "path does not start with /";
  if (e == PathError.ENCODED_SLASH) return "encoded slash or backslash (%2F, %5C)";
  if (e == PathError.BACKSLASH) return "backslash";
  if (e == PathError.CONTROL) return "control character, space or non-ASCII byte";
  if (e == PathError.BAD_ESCAPE) return "invalid percent-encoding";
  if (e == PathError.ABOVE_ROOT) return "dot-segment above the root";
  if (e == PathError.DOUBLE_ENCODED) return "double percent-encoding (%25 followed by two hex digits)";
  return "";
}

function hexVal(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Whether escape `%XX` of byte `v` is compared as the character itself: every printable ASCII
 *  character but `%` (space, controls and non-ASCII bytes stay escaped, never appearing raw). RFC
 *  3986 makes only unreserved characters equivalent to their escapes, but many servers decode all:
 *  `gemini-pro%3AgenerateContent` is served as `gemini-pro:generateContent`. `/` and `\` never
 *  get here (refused). */
function decodesInMatch(v: i32): bool {
  return v > 0x20 && v < 0x7f && v != 0x25;
}

const HEX = "0123456789ABCDEF";

/** Index of the first `?` or `#` in `path`, or its length. */
export function pathEnd(path: string): i32 {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c == 0x3f || c == 0x23) return i;
  }
  return path.length;
}

/** The canonical path of `:path` (see above), or null when it cannot be canonicalised safely.
 *  Linear in the path's length: plain runs are copied with substring, never char by char. */
export function canonicalPath(raw: string): string | null {
  lastError = PathError.NONE;
  const end = pathEnd(raw);
  if (end == 0 || raw.charCodeAt(0) != 0x2f) { lastError = PathError.NOT_ABSOLUTE; return null; }
  const segments = new Array<string>(0);
  let trailing = false;
  let s = 1;
  while (true) {
    // One segment [s, e): validate all of it (its parameters too), decode up to the first `;`.
    let e = s;
    let params = -1;
    let escapes = false;
    while (e < end) {
      const c = raw.charCodeAt(e);
      if (c == 0x2f) break;
      if (c <= 0x20 || c >= 0x7f) { lastError = PathError.CONTROL; return null; }
      if (c == 0x5c) { lastError = PathError.BACKSLASH; return null; }
      if (c == 0x25) {
        if (e + 2 >= end) { lastError = PathError.BAD_ESCAPE; return null; }
        const h = hexVal(raw.charCodeAt(e + 1));
        const l = hexVal(raw.charCodeAt(e + 2));
        if (h < 0 || l < 0) { lastError = PathError.BAD_ESCAPE; return null; }
        const v = (h << 4) | l;
        if (v == 0x2f || v == 0x5c) { lastError = PathError.ENCODED_SLASH; return null; }
        if (v < 0x20 || v == 0x7f) { lastError = PathError.CONTROL; return null; }
        // `%252F` is `%2F` to an upstream that decodes twice: one more reading, one more meaning.
        if (v == 0x25 && e + 4 < end && hexVal(raw.charCodeAt(e + 3)) >= 0 && hexVal(raw.charCodeAt(e + 4)) >= 0) {
          lastError = PathError.DOUBLE_ENCODED;
          return null;
        }
        if (params < 0) escapes = true;
        e += 3;
        continue;
      }
      // `;` starts the segment's parameters (RFC 3986 section 3.3); `%3B` does not.
      if (c == 0x3b && params < 0) params = e;
      e++;
    }
    const segEnd = params >= 0 ? params : e;
    const seg = escapes ? decodeSegment(raw, s, segEnd) : raw.substring(s, segEnd);
    // Resolve it (RFC 3986 section 5.2.4).
    trailing = false;
    if (seg == "..") {
      if (segments.length == 0) { lastError = PathError.ABOVE_ROOT; return null; }
      segments.pop();
      trailing = true;
    } else if (seg == ".") {
      trailing = true;
    } else if (seg.length > 0) {
      segments.push(seg);
    } else {
      trailing = true; // an empty segment: merged; a path ending in "/" keeps its slash
    }
    if (e >= end) break;
    s = e + 1;
  }
  if (segments.length == 0) return "/";
  const out = "/" + segments.join("/");
  return trailing ? out + "/" : out;
}

/** raw[s, e) with escapes of unreserved characters decoded and the others upper-cased (already
 *  validated by the caller). */
function decodeSegment(raw: string, s: i32, e: i32): string {
  const parts = new Array<string>(0);
  let run = s;
  let i = s;
  while (i < e) {
    if (raw.charCodeAt(i) != 0x25) { i++; continue; }
    if (i > run) parts.push(raw.substring(run, i));
    const h = hexVal(raw.charCodeAt(i + 1));
    const l = hexVal(raw.charCodeAt(i + 2));
    const v = (h << 4) | l;
    parts.push(decodesInMatch(v) ? String.fromCharCode(v) : "%" + HEX.charAt(h) + HEX.charAt(l));
    i += 3;
    run = i;
  }
  if (e > run) parts.push(raw.substring(run, e));
  return parts.join("");
}

/** Whether canonical path `path` is under canonical prefix `prefix` (plain string prefix, as an
 *  Envoy route's `prefix`). */
export function pathHasPrefix(path: string, prefix: string): bool {
  return path.startsWith(prefix);
}
