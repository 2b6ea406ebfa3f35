// What a body is, decided by its bytes (a client's or upstream's content-type is only a hint: a
// chat request sent as application/octet-stream, text/plain or with no content-type at all is
// still a chat request, and it is scanned as one).
import { utf8SequenceLength } from "../../common/assembly/bytes/util";
import { mediaType } from "../../common/assembly/http/media";

export const BODY_NONE: i32 = 0; // not scanned (direction off, compressed and passed, binary and passed)
export const BODY_JSON: i32 = 1; // JSON-aware, buffered
export const BODY_TEXT: i32 = 2; // plain text, streamed (answers) or buffered (requests)
export const BODY_SSE: i32 = 3; // text/event-stream answers: streamed, event-aware
export const BODY_SNIFF: i32 = 4; // undecided: buffered until the bytes say what it is
export const BODY_REFUSE: i32 = 5; // request that cannot be scanned: refused at its first body callback

/** How a body was handled: the value of the aigw.pii.request_scan / response_scan filter states. */
export const SCAN_JSON = "scanned-as-json";
export const SCAN_TEXT = "scanned-as-text";
export const SCAN_SSE = "scanned-as-sse";
export const SCAN_EMPTY = "empty";

/** Answers: the mode a declared content-type asks for (BODY_SNIFF when it says nothing reliable). */
export function declaredResponseMode(ct: string | null): i32 {
  if (ct === null) return BODY_SNIFF;
  const t = mediaType(ct);
  if (t == "application/json" || (t.startsWith("application/") && t.endsWith("+json"))) return BODY_JSON;
  if (t == "text/event-stream") return BODY_SSE;
  return BODY_SNIFF;
}

/** First byte of b[s, e) that is not JSON whitespace or a UTF-8 BOM (e if none). */
export function firstSignificant(b: Uint8Array, s: i32, e: i32): i32 {
  let i = s;
  if (i + 3 <= e && b[i] == 0xef && b[i + 1] == 0xbb && b[i + 2] == 0xbf) i += 3;
  while (i < e) {
    const c = unchecked(b[i]);
    if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
    i++;
  }
  return i;
}

/** Whether b[s, e) may be JSON by its first significant byte (an object, array or string). */
export function looksJson(b: Uint8Array, s: i32, e: i32): bool {
  const i = firstSignificant(b, s, e);
  if (i >= e) return false;
  const c = unchecked(b[i]);
  return c == 0x7b || c == 0x5b || c == 0x22;
}

/** Whether b[s, e) starts like an event stream (a field line or a comment). */
export function looksSse(b: Uint8Array, s: i32, e: i32): bool {
  const i = firstSignificant(b, s, e);
  return startsWith(b, i, e, "data:") || startsWith(b, i, e, "event:") || startsWith(b, i, e, "id:") ||
    startsWith(b, i, e, "retry:") || (i < e && b[i] == 0x3a);
}

function startsWith(b: Uint8Array, i: i32, e: i32, s: string): bool {
  if (i + s.length > e) return false;
  for (let k = 0; k < s.length; k++) if (<i32>b[i + k] != s.charCodeAt(k)) return false;
  return true;
}

/**
 * Whether b[s, e) is binary rather than text: invalid UTF-8, or C0 control bytes other than tab,
 * line feed, vertical tab, form feed, carriage return and escape. With `partial` a UTF-8 sequence
 * cut by `e` is not an error (more bytes follow).
 */
export function looksBinary(b: Uint8Array, s: i32, e: i32, partial: bool): bool {
  let i = s;
  while (i < e) {
    const c = <u32>unchecked(b[i]);
    if (c < 0x80) {
      if (c < 0x20 && !(c >= 0x09 && c <= 0x0d) && c != 0x1b) return true;
      if (c == 0x7f) return true;
      i++;
      continue;
    }
    const n = utf8SequenceLength(b, i, e);
    if (n == 0) {
      // A multi-byte sequence cut by the end of a partial body is fine.
      if (partial && e - i < 4 && c >= 0xc2 && c <= 0xf4) {
        let ok = true;
        for (let k = i + 1; k < e; k++) if ((unchecked(b[k]) & 0xc0) != 0x80) ok = false;
        if (ok) return false;
      }
      return true;
    }
    i += n;
  }
  return false;
}
