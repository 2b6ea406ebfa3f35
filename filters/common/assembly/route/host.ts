// The canonical host of `:authority` for per-route rules: lower case, no port, no trailing dot,
// IPv6 literals kept in brackets. A host rule must hold for every spelling of the same host
// (`API.example.com.`, `api.example.com:443`), as Envoy's virtual-host matching treats them alike
// with strip_trailing_host_dot and strip_any_host_port. Pure; never throws.
//
// Refused (null): an empty authority, userinfo (`user@host`), a port that is not 1-5 digits,
// characters outside a DNS name / IP literal (percent-encoding, spaces, controls, non-ASCII), and
// empty labels (`a..b`, a second trailing dot): such spellings have no single meaning.
import { asciiLowerCase } from "../http/header";

function isHostChar(c: i32): bool {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 45 || c == 46 || c == 95;
}

function isIpv6Char(c: i32): bool {
  return (c >= 97 && c <= 102) || (c >= 48 && c <= 57) || c == 58 || c == 46;
}

function validPort(s: string): bool {
  if (s.length == 0 || s.length > 5) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The canonical host of an `:authority` value, or null when it is not a host Envoy would route. */
export function canonicalHost(authority: string): string | null {
  const a = asciiLowerCase(authority);
  if (a.length == 0) return null;
  if (a.charCodeAt(0) == 0x5b) {
    const close = a.indexOf("]");
    if (close < 2) return null;
    const rest = a.substring(close + 1);
    if (rest.length > 0 && !(rest.charCodeAt(0) == 0x3a && validPort(rest.substring(1)))) return null;
    for (let i = 1; i < close; i++) if (!isIpv6Char(a.charCodeAt(i))) return null;
    return a.substring(0, close + 1);
  }
  let host = a;
  const colon = a.lastIndexOf(":");
  if (colon >= 0) {
    if (!validPort(a.substring(colon + 1))) return null;
    host = a.substring(0, colon);
  }
  // One trailing dot names the same (fully qualified) host (RFC 1034 section 3.1).
  if (host.endsWith(".")) host = host.substring(0, host.length - 1);
  if (host.length == 0) return null;
  let prevDot = true;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (!isHostChar(c)) return null;
    const dot = c == 0x2e;
    if (dot && prevDot) return null; // empty label
    prevDot = dot;
  }
  if (prevDot) return null;
  return host;
}
