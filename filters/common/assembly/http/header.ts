// Syntax of header names and values that filters write or match, checked when a configuration or
// an identity claim is turned into a header (RFC 9110 section 5).

/** A lowercase header field name: an RFC 9110 token (section 5.1) without A-Z, as Envoy stores names. */
export function isLowercaseHeaderName(s: string): bool {
  if (s.length == 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f || c == 0x2e || c == 0x21 ||
      c == 0x23 || c == 0x24 || c == 0x25 || c == 0x26 || c == 0x27 || c == 0x2a || c == 0x2b || c == 0x5e || c == 0x60 ||
      c == 0x7c || c == 0x7e;
    if (!ok) return false;
  }
  return true;
}

/**
 * A header value without control characters other than TAB (RFC 9110 section 5.5 field-vchar /
 * obs-text and SP / HTAB): no CR or LF can split a header into two, no NUL or DEL reaches a peer.
 */
export function isSafeHeaderValue(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c != 0x09) || c == 0x7f) return false;
  }
  return true;
}

/** `s` with A-Z lowercased and every other character kept: header names and values, hosts and
 *  media types are ASCII (RFC 9110 section 5.5; an IDN host travels as punycode), and String#
 *  toLowerCase would pull Unicode's case tables (about 6 KB) into a module for nothing. */
export function asciiLowerCase(s: string): string {
  let i = 0;
  const n = s.length;
  while (i < n && !isAsciiUpper(s.charCodeAt(i))) i++;
  if (i == n) return s;
  const out = changetype<string>(__new(<usize>n << 1, idof<string>()));
  memory.copy(changetype<usize>(out), changetype<usize>(s), <usize>n << 1);
  for (; i < n; i++) {
    const c = load<u16>(changetype<usize>(out) + (<usize>i << 1));
    if (isAsciiUpper(c)) store<u16>(changetype<usize>(out) + (<usize>i << 1), c | 0x20);
  }
  return out;
}

@inline function isAsciiUpper(c: i32): bool { return c >= 0x41 && c <= 0x5a; }
