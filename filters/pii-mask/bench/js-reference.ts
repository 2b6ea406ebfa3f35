// JavaScript reference detector for the benchmark: one RegExp per detector, each run over the whole
// text, plus the same validators as the Wasm engine (Luhn, issuer prefix, IBAN length + mod-97, SSN
// rules, octet range, JWT header, entropy). Not used in production.
const luhn = (d: string) => { let s = 0, dbl = false; for (let i = d.length - 1; i >= 0; i--) { let v = d.charCodeAt(i) - 48; if (dbl) { v *= 2; if (v > 9) v -= 9; } s += v; dbl = !dbl; } return s % 10 === 0; };
const prefixOk = (d: string) => {
  const n = (k: number) => Number(d.slice(0, k));
  if (d.length === 15) return n(2) === 34 || n(2) === 37;
  if (d.length !== 16) return false;
  return d[0] === "4" || (n(2) >= 51 && n(2) <= 55) || (n(4) >= 2221 && n(4) <= 2720) || n(4) === 6011 || n(2) === 65 || (n(3) >= 644 && n(3) <= 649) || (n(4) >= 3528 && n(4) <= 3589);
};
const IBAN_LEN: Record<string, number> = { DE: 22, GB: 22, FR: 27, ES: 24, IT: 27, NL: 18, BE: 16, CH: 21, AT: 20, PL: 28, PT: 25, IE: 22 };
const mod97 = (s: string) => { const r = s.slice(4) + s.slice(0, 4); let m = 0; for (const c of r) { const v = c >= "A" ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48; m = (v > 9 ? m * 100 + v : m * 10 + v) % 97; } return m === 1; };
const entropy = (s: string) => { const f = new Map<string, number>(); for (const c of s) f.set(c, (f.get(c) ?? 0) + 1); let h = 0; for (const v of f.values()) { const p = v / s.length; h -= p * Math.log2(p); } return h; };
const classes = (s: string) => (/[a-z]/.test(s) ? 1 : 0) + (/[A-Z]/.test(s) ? 1 : 0) + (/\d/.test(s) ? 1 : 0) + (/[^A-Za-z0-9]/.test(s) ? 1 : 0);
const jwtOk = (h: string) => { try { const j = JSON.parse(Buffer.from(h, "base64url").toString()); return typeof j === "object" && j !== null && "alg" in j; } catch { return false; } };

export type Rule = { type: string; re: RegExp; group?: number; ok?: (m: RegExpExecArray) => boolean };
export const RULES: Rule[] = [
  { type: "EMAIL", re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { type: "PHONE", re: /(?<![\w+])(?:\+[1-9]\d{0,2}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d[\d .-]{6,16}\d|\(\d{2,4}\)[ -]?\d{3,5}[ .-]\d{4}|0\d{1,5}[ ./-]\d{2,8}(?:[ .-]\d{2,8}){0,3}|[2-9]\d{2}([ .-])\d{3}\1\d{4})(?![\w])/g },
  { type: "CREDIT_CARD", re: /(?<![\w])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}|\d{4}([ -])\d{6}\2\d{5}|\d{15,16})(?![\w])/g, ok: (m) => { const d = m[0].replace(/\D/g, ""); return prefixOk(d) && luhn(d); } },
  { type: "IBAN", re: /\b([A-Z]{2})(\d{2})(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, ok: (m) => { const s = m[0].replace(/ /g, ""); return IBAN_LEN[m[1]] === s.length && mod97(s); } },
  { type: "US_SSN", re: /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-])/g, ok: (m) => { const a = +m[1]; return a > 0 && a !== 666 && a < 900 && +m[3] > 0 && +m[4] > 0; } },
  { type: "IPV4", re: /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\d|\.\d)/g, ok: (m) => [1, 2, 3, 4].every((k) => +m[k] <= 255) },
  { type: "IPV6", re: /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::[0-9A-Fa-f]{1,4}){1,7}|[0-9A-Fa-f]{1,4})(?![\w])/g },
  { type: "AWS_ACCESS_KEY", re: /\b(?:AKIA|ASIA)[A-Z2-7]{16}\b/g },
  { type: "AWS_SECRET_KEY", re: /(?:aws_?secret_?access_?key|secret_?access_?key)["']?\s*(?:=>|[:=])\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi, group: 1 },
  { type: "GITHUB_TOKEN", re: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/g },
  { type: "GITLAB_TOKEN", re: /\bglpat-[A-Za-z0-9_-]{20,64}/g },
  { type: "SLACK_TOKEN", re: /\bxox(?:[bar]-\d+-\d+-[A-Za-z0-9]{8,}|p-\d+-\d+-\d+-[0-9a-f]{32})\b/g },
  { type: "STRIPE_KEY", re: /\b[sr]k_live_[A-Za-z0-9]{24,99}\b/g },
  { type: "OPENAI_KEY", re: /\bsk-(?!ant-)(?:proj-[A-Za-z0-9_-]{40,}|[A-Za-z0-9]{48}\b)/g },
  { type: "ANTHROPIC_KEY", re: /\bsk-ant-api03-[A-Za-z0-9_-]{93}AA(?![\w-])/g },
  { type: "GOOGLE_API_KEY", re: /\bAIza[A-Za-z0-9_-]{35}(?![\w-])/g },
  { type: "JWT", re: /\b(eyJ[A-Za-z0-9_-]*)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, ok: (m) => jwtOk(m[1]) },
  { type: "PRIVATE_KEY", re: /-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]{0,8192}?-----END \1-----/g },
  { type: "GENERIC_SECRET", re: /(?:pass(?:word|wd)?|secret|token|api_?key)["']?\s*[:=]\s*["']?([^\s"'`]{14,256})/gi, group: 1, ok: (m) => classes(m[1]) >= 3 && entropy(m[1]) >= 3 },
];

export interface RefMatch { type: string; start: number; end: number }

/** One RegExp for a dictionary: case-insensitive whole words, longest first. */
export function dictionaryRule(type: string, words: string[]): Rule {
  const alt = [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return { type, re: new RegExp(`(?<![A-Za-z0-9_])(?:${alt})(?![A-Za-z0-9_])`, "gi") };
}

/** Runs every rule (and `extra` rules, e.g. custom detectors) over `text` (a JS string: offsets are UTF-16 units). */
export function referenceScan(text: string, extra: Rule[] = []): RefMatch[] {
  const out: RefMatch[] = [];
  for (const r of extra.length ? [...RULES, ...extra] : RULES) {
    r.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = r.re.exec(text)) !== null) {
      if (!r.ok || r.ok(m)) {
        const s = r.group ? m.index + m[0].indexOf(m[r.group]) : m.index;
        out.push({ type: r.type, start: s, end: s + (r.group ? m[r.group].length : m[0].length) });
      }
      if (m[0].length === 0) r.re.lastIndex++;
    }
  }
  return out;
}
