// Defence in depth. The audit record holds no secret by contract (docs/observability.md: filters
// publish names, decisions, reasons, entity types and counts), and the console shows only that
// record. But a filter with a bug, or an operator's access_log.filter_state adding a key, could put
// a credential or a personal value in filter state; the access log would print it, the console will
// not. Anything that looks like a credential, a JWT, an e-mail address or a card number is replaced,
// query strings are cut from the path, values are length-capped, and the record stays flat.
import type { AuditRecord } from "./model.ts";

export const SCRUBBED = "[scrubbed]";
const MAX_STRING = 256;
const MAX_KEYS = 64;

/** Key names that hold credentials (string values only: `gen_ai.usage.input_tokens` is a count). */
const SECRET_NAME = /(authorization|api[-_.]?key|secret|passw|cookie|credential|bearer|jwt|session|(^|[._-])(access|refresh|id)?_?token$)/i;

const SECRET_VALUE: RegExp[] = [
  /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*/, // JWT / JWS (base64url '{"')
  /\bbearer\s+\S+/i, /\bbasic\s+[A-Za-z0-9+/=]{8,}/i,
  /\b(sk|pk|rk)[-_][A-Za-z0-9_-]{6,}/, // OpenAI-, Anthropic-, Stripe-style keys (sk-..., sk-ant-..., sk_live_...)
  /\bAKIA[0-9A-Z]{16}\b/, /\bAIza[0-9A-Za-z_-]{30,}/, /\bgh[pousr]_[A-Za-z0-9]{20,}/, /\bxox[abpr]-[A-Za-z0-9-]{10,}/,
  /[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}/, // e-mail address
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A long run of token characters with letters and digits (opaque keys), unless it is a UUID
 *  (request ids); snake_case words (Envoy's response details) have no digits. */
const OPAQUE = /[A-Za-z0-9+_=-]{40,}/g;
/** 13–19 digits, optionally grouped by spaces or dashes: card numbers (checked with Luhn). */
const DIGITS = /\d(?:[ -]?\d){12,18}/g;

function luhn(d: string): boolean {
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) { n *= 2; if (n > 9) n -= 9; }
    sum += n;
  }
  return sum % 10 === 0;
}

/** All value shapes in one pattern: one scan of the string instead of one per shape. */
const combine = (flags: string) => new RegExp(SECRET_VALUE.filter((re) => re.flags === flags).map((re) => `(?:${re.source})`).join("|"), flags);
const ANY_SECRET = [combine(""), combine("i")];

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); if (c >= 48 && c <= 57) n++; }
  return n;
}

/** Does this string look like something that must never be shown? */
export function looksSecret(s: string): boolean {
  if (ANY_SECRET[0].test(s) || ANY_SECRET[1].test(s)) return true;
  if (s.length >= 40) for (const m of s.replace(UUIDS, " ").matchAll(OPAQUE)) if (/\d/.test(m[0]) && /[A-Za-z]/.test(m[0])) return true;
  if (digitCount(s) >= 13) for (const m of s.matchAll(DIGITS)) if (luhn(m[0].replace(/\D/g, ""))) return true;
  return false;
}

/** A copy of the record that is safe to show, and the keys whose value was withheld. */
export function scrubRecord(input: AuditRecord): { record: AuditRecord; scrubbed: string[] } {
  const record: AuditRecord = {};
  const scrubbed: string[] = [];
  let n = 0;
  for (const [key, value] of Object.entries(input)) {
    if (++n > MAX_KEYS) { scrubbed.push("(more keys)"); break; }
    const k = key.length > 80 || looksSecret(key) ? `${SCRUBBED}#${n}` : key;
    if (k !== key) scrubbed.push(k);
    if (key === "path" && typeof value === "string") {
      // Envoy logs the routed path; the local gateway logs the client's, which may carry a query
      // string holding a key (?api_key=...). The console never shows a query string.
      const q = value.indexOf("?");
      const p = q < 0 ? value : `${value.slice(0, q)}?…`;
      record[k] = looksSecret(p) ? SCRUBBED : p.slice(0, MAX_STRING);
      if (q >= 0) scrubbed.push("path (query string)");
      continue;
    }
    const v = scrubValue(value, SECRET_NAME.test(key));
    if (v.withheld) scrubbed.push(k);
    record[k] = v.value;
  }
  return { record, scrubbed };
}

function scrubValue(value: unknown, secretName: boolean, depth = 0): { value: unknown; withheld: boolean } {
  if (value === null || typeof value === "number" || typeof value === "boolean") return { value, withheld: false };
  if (typeof value === "string") {
    if (secretName || looksSecret(value)) return { value: SCRUBBED, withheld: true };
    return { value: value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value, withheld: false };
  }
  if (typeof value === "object" && !Array.isArray(value) && depth === 0) {
    // `usage` and JSON-valued keys: one level of name → number/string.
    const out: Record<string, unknown> = {};
    let withheld = false;
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_KEYS)) {
      const r = typeof v === "object" && v !== null ? { value: SCRUBBED, withheld: true } : scrubValue(v, SECRET_NAME.test(k), 1);
      const name = looksSecret(k) ? SCRUBBED : k;
      out[name] = r.value;
      withheld ||= r.withheld || name !== k;
    }
    return { value: out, withheld };
  }
  return { value: SCRUBBED, withheld: true };
}
