// Where a built-in entity could still begin at the end of a stream buffer (Detector.scanStream).
//
// A built-in candidate's span is made of a few byte classes, and every detector decides within two
// bytes after the span (docs/detectors.md, "Streaming"). So a candidate that more bytes could create,
// extend or reject must reach the end of the buffer through bytes of its own classes:
//   - no whitespace or non-ASCII byte inside: emails, IPs, keys and tokens, JWTs, key/value secret
//     values (the label and '=' are context before the span) -> the trailing token;
//   - digit and IBAN groups separated by single spaces (cards, SSNs, phones, IBANs) -> the trailing
//     group cluster, from its first byte where such an entity can begin;
//   - a PEM header whose label or closing dashes have not arrived yet (the label has spaces);
//     an open PEM body or JWT is reported by the scanner itself (BuiltinScanner.pendingFrom).
// The earliest of these is the built-ins' part of the cut; everything before it is final.
import { byteAt, isDigit, isUpper, isAlnum } from "./validators";

/**
 * Farthest a digit-group entity's outcome reaches from its first byte: readGroups reads up to 8
 * groups of up to 19 digits (a 20th digit rejects the number), each with a separator or parentheses.
 */
export const GROUP_REACH: i32 = 8 * 23 + 19;
/** Longest PEM header prefix before its label closes: "-----BEGIN " + 48-byte label + "-----". */
const PEM_HEADER: i32 = 11 + 48 + 5;

/** Bytes a built-in span (other than PEM and digit groups) may contain: printable ASCII, no space. */
@inline function isTokenByte(c: u32): bool { return c - 0x21 < 0x5e; }

/** Lead byte of a two-byte Latin letter (U+00C0-U+024F) an e-mail address may hold (builtin.ts latinLetterAt). */
@inline function isLatinLead(c: u32): bool { return c >= 0xc3 && c <= 0xc9; }

/**
 * Bytes of a digit/IBAN group cluster other than the single spaces between groups; '_' too, since
 * whether `…0958_` ends a number depends on the byte after the '_' (Markdown emphasis or identifier).
 */
@inline function isGroupByte(c: u32): bool {
  return isDigit(c) || isUpper(c) || c == 0x28 || c == 0x29 || c == 0x2b || c == 0x2d || c == 0x2e || c == 0x2f || c == 0x5f;
}

/**
 * Earliest position in [from, end) at which a built-in entity other than an open PEM body or JWT may
 * still begin or change with more bytes (`end` if none). `lo` is the first readable byte (context);
 * `reach` bounds the trailing token: no such entity spans more bytes than that.
 */
export function builtinOpenFrom(p: usize, lo: i32, from: i32, end: i32, reach: i32): i32 {
  let cut = end;
  // The trailing token (its whole length: an email's local part, a key prefix, a value may begin
  // anywhere in it; a plain word may still become a local part).
  const tlim = max(from, end - reach);
  let t = end;
  while (t > tlim) {
    const c = byteAt(p, t - 1);
    if (isTokenByte(c)) { t--; continue; }
    // Latin letters of internationalised e-mail addresses (josé@bücher.de) belong to the token too;
    // so does such a letter's lead byte cut off by the end of the buffer.
    if (c >= 0x80 && c <= 0xbf && t - 2 >= tlim && isLatinLead(byteAt(p, t - 2))) { t -= 2; continue; }
    if (t == end && isLatinLead(c)) { t--; continue; }
    break;
  }
  cut = t;
  // The trailing group cluster: group bytes, and single spaces after a group's last byte.
  const glim = max(from, end - GROUP_REACH);
  let q = end;
  while (q > glim) {
    const c = byteAt(p, q - 1);
    if (isGroupByte(c)) { q--; continue; }
    if (c == 0x20 && q - 2 >= lo) {
      const b = byteAt(p, q - 2);
      if (isDigit(b) || isUpper(b) || b == 0x29) { q--; continue; }
    }
    break;
  }
  for (let s = q; s < cut; s++) {
    if (groupStart(p, lo, s, end)) { cut = s; break; }
  }
  // An unfinished PEM header ("-----BEGIN RSA PRIV").
  for (let s = max(from, end - PEM_HEADER); s + 11 <= end && s < cut; s++) {
    if (byteAt(p, s) == 0x2d && pemHeaderOpen(p, s, end)) { cut = s; break; }
  }
  return cut;
}

/** Whether a card, SSN, phone or IBAN may begin at s (bytes from `end` on are unknown). */
function groupStart(p: usize, lo: i32, s: i32, end: i32): bool {
  const c = byteAt(p, s);
  const runStart = s == lo || !isAlnum(byteAt(p, s - 1));
  if (c == 0x28 || c == 0x2b) return s + 1 == end || isDigit(byteAt(p, s + 1)); // "(415) ...", "+44 ..."
  if (!runStart) return false;
  if (isDigit(c)) return true;
  if (!isUpper(c)) return false;
  // IBAN: two capitals, two check digits.
  if (s + 1 < end && !isUpper(byteAt(p, s + 1))) return false;
  if (s + 2 < end && !isDigit(byteAt(p, s + 2))) return false;
  if (s + 3 < end && !isDigit(byteAt(p, s + 3))) return false;
  return true;
}

/** "-----BEGIN " at s whose label or closing "-----" is cut off by `end`. */
function pemHeaderOpen(p: usize, s: i32, end: i32): bool {
  const pre = "-----BEGIN ";
  for (let k = 0; k < 11; k++) {
    if (byteAt(p, s + k) != <u32>load<u16>(changetype<usize>(pre) + (<usize>k << 1))) return false;
  }
  const ls = s + 11;
  let j = ls;
  while (j < end && j - ls < 48 && byteAt(p, j) != 0x2d && byteAt(p, j) >= 0x20) j++;
  if (j == end) return true;
  if (byteAt(p, j) != 0x2d) return false;
  // Some of the closing dashes are there: open only if all that arrived are dashes (fewer than 5).
  if (end - j >= 5) return false;
  for (let m = j; m < end; m++) if (byteAt(p, m) != 0x2d) return false;
  return true;
}
