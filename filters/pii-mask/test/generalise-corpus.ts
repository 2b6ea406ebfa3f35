// Deterministic generator of a labelled PII/secret corpus in the dev corpus's schema (code-point
// spans), written independently of the dev corpus's templates: its own sentence frames, document
// shapes (code blocks, JSON, YAML, CSV, Markdown tables, log lines, URLs, e-mail headers), seven
// non-English languages with their own punctuation right next to the value, and its own distractors.
// Values are random but valid (Luhn, ISO 13616 mod-97, SSN ranges, real key layouts).
// Used by generalise.test.ts (floors) and scripts/eval.ts (`--generated`).

import { seededRandom } from "../../../host-test/src/random.ts";

export interface Entity { type: string; start: number; end: number; value: string }
export interface Row { text: string; entities: Entity[] }


const UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", LO = "abcdefghijklmnopqrstuvwxyz", DG = "0123456789";
const ALNUM = UP + LO + DG, B64URL = ALNUM + "-_", HEX = "0123456789abcdef";

class Gen {
  constructor(readonly r: () => number) {}
  int(a: number, b: number): number { return a + Math.floor(this.r() * (b - a + 1)); }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.r() * xs.length)]; }
  str(alpha: string, n: number): string { let s = ""; for (let i = 0; i < n; i++) s += alpha[Math.floor(this.r() * alpha.length)]; return s; }
  digits(n: number): string { return this.str(DG, n); }
  chance(p: number): boolean { return this.r() < p; }
  /** A random string of `alpha` that has an upper, a lower and a digit (keys are never all one kind). */
  mixed(alpha: string, n: number): string {
    for (;;) { const s = this.str(alpha, n); if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s)) return s; }
  }
}

// ------------------------------------------------------------------ values

function luhnComplete(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = +body[body.length - 1 - i];
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

function luhnOk(n: string): boolean { return luhnComplete(n.slice(0, -1)) === n; }

/** A card number of a random brand (issuer prefix, length, usual grouping), Luhn-valid unless `valid` is false. */
function card(g: Gen, valid = true): string {
  const brands: [string, number, number[][]][] = [
    [String(4), 16, [[4, 4, 4, 4]]],
    [String(g.int(51, 55)), 16, [[4, 4, 4, 4]]],
    [String(g.int(2221, 2720)), 16, [[4, 4, 4, 4]]],
    [g.pick(["34", "37"]), 15, [[4, 6, 5]]],
    [g.pick(["6011", "65", String(g.int(644, 649))]), 16, [[4, 4, 4, 4]]],
    [String(g.int(3528, 3589)), 16, [[4, 4, 4, 4]]],
    [g.pick(["36", "38"]), 14, [[4, 6, 4]]],
    ["62", 16, [[4, 4, 4, 4]]],
    ["4", 19, [[4, 4, 4, 4, 3]]],
  ];
  const [pre, len, layouts] = g.pick(brands);
  // A 19-digit look-alike whose first 16 digits pass Luhn is a card and its security code: not a distractor.
  if (!valid && len === 19) return card(g, valid);
  let n = luhnComplete(pre + g.digits(len - 1 - pre.length));
  if (!valid) { const last = (+n[n.length - 1] + g.int(1, 9)) % 10; n = n.slice(0, -1) + last; }
  const sep = g.pick(["", " ", "-", " ", "-"]);
  if (sep === "") return n;
  let out = "", at = 0;
  for (const l of g.pick(layouts)) { out += (at ? sep : "") + n.slice(at, at + l); at += l; }
  return out;
}

const IBAN_COUNTRIES: [string, number, string][] = [
  // country, total length, BBAN shape (n digit, a upper, c alnum-upper)
  ["DE", 22, "n18"], ["GB", 22, "a4n14"], ["FR", 27, "n10c11n2"], ["ES", 24, "n20"], ["IT", 27, "a1n10c12"],
  ["NL", 18, "a4n10"], ["BE", 16, "n12"], ["CH", 21, "n5c12"], ["AT", 20, "n16"], ["PL", 28, "n24"],
  ["PT", 25, "n21"], ["IE", 22, "a4n14"], ["SE", 24, "n20"], ["NO", 15, "n11"], ["DK", 18, "n14"],
  ["FI", 18, "n14"], ["LU", 20, "n3c13"], ["CZ", 24, "n20"], ["HU", 28, "n24"], ["RO", 24, "a4c16"],
  ["GR", 27, "n7c16"], ["HR", 21, "n17"], ["SA", 24, "n2c18"], ["AE", 23, "n19"], ["TR", 26, "n5n1c16"],
  ["BR", 29, "n23a1c1"], ["MT", 31, "a4n5c18"], ["LT", 20, "n16"], ["SK", 24, "n20"], ["SI", 19, "n15"],
];

function bban(g: Gen, shape: string): string {
  let s = "";
  for (const m of shape.matchAll(/([nac])(\d+)/g)) {
    const n = +m[2];
    s += m[1] === "n" ? g.digits(n) : m[1] === "a" ? g.str(UP, n) : g.str(UP + DG, n);
  }
  return s;
}

function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) r = (r * 10 + +d) % 97;
  }
  return r;
}

function iban(g: Gen, valid = true): string {
  const [cc, len, shape] = g.pick(IBAN_COUNTRIES);
  const b = bban(g, shape);
  if (b.length !== len - 4) throw new Error(`IBAN shape ${cc}`);
  let check = 98 - mod97(b + cc + "00");
  if (!valid) check = ((check + g.int(1, 90)) % 97) + 2 === check ? check + 1 : ((check + g.int(1, 90)) % 97) + 2;
  const s = cc + String(check).padStart(2, "0") + b;
  if (valid !== (mod97(s.slice(4) + s.slice(0, 4)) === 1)) return iban(g, valid);
  return g.chance(0.5) ? s : s.replace(/(.{4})(?=.)/g, "$1 ");
}

function ssn(g: Gen, sep: string): string {
  let area = g.int(1, 899);
  if (area === 666) area = 667;
  return String(area).padStart(3, "0") + sep + String(g.int(1, 99)).padStart(2, "0") + sep + String(g.int(1, 9999)).padStart(4, "0");
}

function phone(g: Gen): string {
  const d = (n: number) => g.digits(n);
  const nz = () => String(g.int(2, 9));
  const forms: (() => string)[] = [
    () => `+1 ${nz()}${d(2)} ${nz()}${d(2)} ${d(4)}`,
    () => `+1 (${nz()}${d(2)}) ${nz()}${d(2)}-${d(4)}`,
    () => `+1-${nz()}${d(2)}-${nz()}${d(2)}-${d(4)}`,
    () => `+1.${nz()}${d(2)}.${nz()}${d(2)}.${d(4)}`,
    () => `+1${nz()}${d(2)}${nz()}${d(2)}${d(4)}`,
    () => `+44 20 ${d(4)} ${d(4)}`,
    () => `+44 7${d(3)} ${d(6)}`,
    () => `+49 30 ${d(8)}`,
    () => `+49 151 ${d(8)}`,
    () => `+49 (0)89 ${d(7)}`,
    () => `+33 6 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
    () => `+33 1.${d(2)}.${d(2)}.${d(2)}.${d(2)}`,
    () => `+91 9${d(4)} ${d(5)}`,
    () => `+55 11 9${d(4)}-${d(4)}`,
    () => `+81 90-${d(4)}-${d(4)}`,
    () => `+34 6${d(2)} ${d(3)} ${d(3)}`,
    () => `+39 06 ${d(4)} ${d(4)}`,
    () => `+61 2 ${d(4)} ${d(4)}`,
    () => `+86 138 ${d(4)} ${d(4)}`,
    () => `+7 495 ${d(3)}-${d(2)}-${d(2)}`,
    () => `+971 50 ${d(3)} ${d(4)}`,
    () => `+82 10-${d(4)}-${d(4)}`,
    () => `+31 6 ${d(8)}`,
    () => `+48 ${d(3)} ${d(3)} ${d(3)}`,
    () => `(${nz()}${d(2)}) ${nz()}${d(2)}-${d(4)}`,
    () => `${nz()}${d(2)}-${nz()}${d(2)}-${d(4)}`,
    () => `${nz()}${d(2)}.${nz()}${d(2)}.${d(4)}`,
    () => `1-${nz()}${d(2)}-${nz()}${d(2)}-${d(4)}`,
    () => `020 ${d(4)} ${d(4)}`,
    () => `07${d(3)} ${d(6)}`,
    () => `0151 ${d(8)}`,
    () => `030 ${d(7)}`,
    () => `0${g.int(1, 7)} ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
    () => `0${g.int(1, 7)}.${d(2)}.${d(2)}.${d(2)}.${d(2)}`,
    () => `09${d(4)} ${d(5)}`,
    () => `(11) 9${d(4)}-${d(4)}`,
    () => `090-${d(4)}-${d(4)}`,
    () => `03-${d(4)}-${d(4)}`,
  ];
  return g.pick(forms)();
}

function ipv4(g: Gen): string { return `${g.pick([10, 172, 192, g.int(1, 223)])}.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(1, 254)}`; }

function ipv6(g: Gen): string {
  const h = () => g.int(0, 0xffff).toString(16);
  const forms: (() => string)[] = [
    () => Array.from({ length: 8 }, h).join(":"),
    () => Array.from({ length: 8 }, () => h().padStart(4, "0")).join(":").toUpperCase(),
    () => `2001:db8:${h()}::${h()}`,
    () => `fe80::${h()}:${h()}:${h()}:${h()}`,
    () => `::1`,
    () => `::ffff:${ipv4(g)}`,
    () => `64:ff9b::${ipv4(g)}`,
    () => `2606:4700:${h()}::${h()}`,
    () => `fd${g.str(HEX, 2)}:${h()}:${h()}::${h()}`,
    () => `${h()}:${h()}::`,
  ];
  return g.pick(forms)();
}

const key = {
  awsAccess: (g: Gen) => g.pick(["AKIA", "ASIA"]) + g.str(UP + "234567", 16),
  awsSecret: (g: Gen) => g.mixed(ALNUM + "/+", 40),
  github: (g: Gen) => g.chance(0.2) ? `github_pat_${g.mixed(ALNUM, 22)}_${g.mixed(ALNUM, 59)}` : `${g.pick(["ghp", "gho", "ghu", "ghs", "ghr"])}_${g.mixed(ALNUM, 36)}`,
  slack: (g: Gen) => g.pick([
    () => `xoxb-${g.digits(g.int(10, 13))}-${g.digits(13)}-${g.mixed(ALNUM, 24)}`,
    () => `xoxp-${g.digits(12)}-${g.digits(12)}-${g.digits(13)}-${g.str(HEX, 32)}`,
    () => `xapp-1-A${g.str(UP + DG, 10)}-${g.digits(13)}-${g.str(HEX, 64)}`,
    () => `xoxe.xoxp-1-${g.mixed(ALNUM, 140)}`,
    () => `xoxe-1-${g.mixed(ALNUM, 140)}`,
  ])(),
  openai: (g: Gen) => g.pick([
    () => `sk-proj-${g.mixed(B64URL, 74)}T3BlbkFJ${g.mixed(B64URL, 74)}`,
    () => `sk-svcacct-${g.mixed(B64URL, 74)}T3BlbkFJ${g.mixed(B64URL, 74)}`,
    () => `sk-admin-${g.mixed(B64URL, 74)}T3BlbkFJ${g.mixed(B64URL, 74)}`,
    () => `sk-${g.mixed(ALNUM, 20)}T3BlbkFJ${g.mixed(ALNUM, 20)}`,
  ])(),
  anthropic: (g: Gen) => `sk-ant-${g.pick(["api03", "admin01"])}-${g.mixed(B64URL, 93)}AA`,
  stripe: (g: Gen) => `${g.pick(["sk_live_", "rk_live_"])}${g.mixed(ALNUM, g.pick([24, 99, 58]))}`,
  google: (g: Gen) => `AIza${g.mixed(B64URL, 35)}`,
};

const b64url = (s: string) => Buffer.from(s).toString("base64url");
function jwt(g: Gen): string {
  const alg = g.pick(["HS256", "RS256", "ES256", "PS512", "EdDSA"]);
  const hdr = g.pick([{ alg, typ: "JWT" }, { typ: "JWT", alg }, { alg, kid: g.str(HEX, 16) }]);
  const body = { sub: g.digits(8), name: g.pick(["Ana", "Jürgen", "Li Wei"]), iat: 1700000000 + g.int(0, 9e7), scope: "read write" };
  return `${b64url(JSON.stringify(hdr))}.${b64url(JSON.stringify(body))}.${g.str(B64URL, g.pick([43, 86, 342]))}`;
}

function pemBody(g: Gen, lines: number): string {
  const B64 = ALNUM + "+/";
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(g.str(B64, 64));
  out.push(g.str(B64, g.int(8, 60)) + g.pick(["", "=", "=="]));
  return out.join("\n");
}

function privateKey(g: Gen): string {
  const kind = g.pick(["RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PRIVATE KEY", "PGP PRIVATE KEY BLOCK"]);
  let body = pemBody(g, g.int(2, 6));
  if (kind === "RSA PRIVATE KEY" && g.chance(0.4)) body = `Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${g.str(HEX, 32).toUpperCase()}\n\n${body}`;
  if (kind === "PGP PRIVATE KEY BLOCK") body = `Version: GnuPG v2\n\n${body}\n=${g.str(ALNUM, 4)}`;
  return `-----BEGIN ${kind}-----\n${body}\n-----END ${kind}-----`;
}

/** A high-entropy password-like value (>= 3 character kinds). */
function secretValue(g: Gen): string {
  for (;;) {
    const s = g.str(ALNUM + "!#%*_-+.~^", g.int(16, 32));
    const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(s)).length;
    if (kinds >= 3 && /[a-z]/.test(s) && /[0-9]/.test(s)) return s;
  }
}

// ------------------------------------------------------------------ text building

type Piece = string | { type: string; value: string };

function build(pieces: Piece[]): Row {
  let text = "";
  let cp = 0;
  const entities: Entity[] = [];
  for (const p of pieces) {
    if (typeof p === "string") { text += p; cp += [...p].length; continue; }
    const n = [...p.value].length;
    entities.push({ type: p.type, start: cp, end: cp + n, value: p.value });
    text += p.value; cp += n;
  }
  return { text, entities };
}

const E = (type: string, value: string): Piece => ({ type, value });

/** One entity, plus the label a context may print before it (e.g. `phone`, `SSN`). */
interface Item { piece: Piece; label: string; bare: string }

function item(g: Gen, type: string): Item {
  switch (type) {
    case "EMAIL": {
      const local = g.pick([
        () => `${g.pick(["anna", "j.doe", "m_ruiz", "li.wei", "o'neil", "sam+inbox", "x"])}${g.chance(0.5) ? g.digits(2) : ""}`,
        () => `${g.str(LO, 6)}.${g.str(LO, 5)}`,
        () => `${g.str(LO, 4)}-${g.str(LO, 3)}${g.digits(3)}`,
      ])().replace("'", "");
      const dom = g.pick(["example.com", "mail.example.org", "corp.example.co.uk", "uni-bonn.de", "example.io", "post.example.museum", "exemple.fr", "ejemplo.es", "test.example.technology"]);
      return { piece: E("EMAIL", `${local}@${dom}`), label: g.pick(["email", "e-mail", "contact", "Mail", "reply-to"]), bare: `${local}@${dom}` };
    }
    case "PHONE": { const v = phone(g); return { piece: E("PHONE", v), label: g.pick(["phone", "tel", "mobile", "call", "Telefon", "téléphone", "teléfono", "電話"]), bare: v }; }
    case "CREDIT_CARD": { const v = card(g); return { piece: E("CREDIT_CARD", v), label: g.pick(["card", "card number", "Kreditkarte", "carte", "tarjeta", "PAN"]), bare: v }; }
    case "IBAN": { const v = iban(g); return { piece: E("IBAN", v), label: g.pick(["IBAN", "iban", "account", "Konto", "compte"]), bare: v }; }
    case "US_SSN": {
      const sep = g.pick(["-", "-", " ", ""]);
      const v = ssn(g, sep);
      return { piece: E("US_SSN", v), label: g.pick(["SSN", "social security number", "SSN#", "Social Security No."]), bare: v };
    }
    case "IPV4": { const v = ipv4(g); return { piece: E("IPV4", v), label: g.pick(["ip", "host", "client", "remote_addr", "server"]), bare: v }; }
    case "IPV6": { const v = ipv6(g); return { piece: E("IPV6", v), label: g.pick(["ipv6", "addr", "client", "peer"]), bare: v }; }
    case "AWS_ACCESS_KEY": { const v = key.awsAccess(g); return { piece: E(type, v), label: g.pick(["aws_access_key_id", "AccessKeyId", "key id"]), bare: v }; }
    case "AWS_SECRET_KEY": { const v = key.awsSecret(g); return { piece: E(type, v), label: g.pick(["aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "SecretAccessKey", "secret_access_key"]), bare: v }; }
    case "GITHUB_TOKEN": { const v = key.github(g); return { piece: E(type, v), label: "GITHUB_TOKEN", bare: v }; }
    case "SLACK_TOKEN": { const v = key.slack(g); return { piece: E(type, v), label: "SLACK_BOT_TOKEN", bare: v }; }
    case "OPENAI_KEY": { const v = key.openai(g); return { piece: E(type, v), label: "OPENAI_API_KEY", bare: v }; }
    case "ANTHROPIC_KEY": { const v = key.anthropic(g); return { piece: E(type, v), label: "ANTHROPIC_API_KEY", bare: v }; }
    case "STRIPE_KEY": { const v = key.stripe(g); return { piece: E(type, v), label: "STRIPE_SECRET_KEY", bare: v }; }
    case "GOOGLE_API_KEY": { const v = key.google(g); return { piece: E(type, v), label: "GOOGLE_API_KEY", bare: v }; }
    case "JWT": { const v = jwt(g); return { piece: E(type, v), label: g.pick(["Authorization: Bearer", "id_token", "jwt", "access_token"]), bare: v }; }
    case "PRIVATE_KEY": { const v = privateKey(g); return { piece: E(type, v), label: "key", bare: v }; }
    default: throw new Error(type);
  }
}

export const TYPES = [
  "EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "IPV4", "IPV6", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "GITHUB_TOKEN",
  "SLACK_TOKEN", "OPENAI_KEY", "ANTHROPIC_KEY", "STRIPE_KEY", "GOOGLE_API_KEY", "JWT", "PRIVATE_KEY", "GENERIC_SECRET",
];

/** Types a context may show without its label (the value's own shape is the evidence). */
const LABEL_NEEDED = new Set(["AWS_SECRET_KEY", "US_SSN"]);

// Sentence frames in eight languages; `{}` is the value. Punctuation right next to the value is part of the test.
const FRAMES: ((g: Gen, label: string) => [string, string])[] = [
  (_g, l) => [`Hi team, the customer's ${l} is `, `, please update the CRM before Friday.`],
  (_g, l) => [`Could you double-check whether ${l} `, ` is still valid?`],
  (_g, l) => [`Bitte prüfen: ${l} „`, `“ – danke!`],
  (_g, l) => [`Mein ${l} lautet `, `. Können Sie das bestätigen?`],
  (_g, l) => [`Voici mon ${l} : `, ` ; merci de le noter.`],
  (_g, l) => [`« `, ` » — c'est bien le ${l} du client ?`],
  (_g, l) => [`¿Me ayudas? Mi ${l} es `, `, ¿es correcto?`],
  (_g, l) => [`${l}：`, `。よろしくお願いします。`],
  (_g, l) => [`お客様の${l}は「`, `」です。`],
  (_g, l) => [`请帮我核对${l}（`, `），谢谢！`],
  (_g, l) => [`我的${l}是`, `，请尽快处理。`],
  (_g, l) => [`يرجى التحقق من ${l}: `, ` شكراً لك.`],
  (_g, l) => [`رقم ${l} الخاص بي هو «`, `»، هل هذا صحيح؟`],
  (_g, l) => [`Проверьте, пожалуйста, ${l}: «`, `». Спасибо!`],
  (_g, l) => [`Мой ${l} — `, `; перезвоните.`],
  (_g, l) => [`[${l}] `, ``],
  (_g, l) => [`${l} (`, `) was rejected by the validator`],
  (_g, l) => [`<`, `> ← ${l}`],
  (_g, l) => [`"`, `" is the ${l} on file`],
  (_g, l) => [`${l}=`, `&lang=en`],
];

function contextRow(g: Gen, items: Item[]): Piece[] {
  const shape = g.int(0, 11);
  const out: Piece[] = [];
  const kv = (it: Item) => it.label.replace(/[^A-Za-z0-9_]+/g, "_").toLowerCase();
  switch (shape) {
    case 0: { // sentence frame per item, languages mixed
      for (const it of items) { const [a, b] = g.pick(FRAMES)(g, it.label); out.push(a, it.piece, b, " "); }
      break;
    }
    case 1: { // JSON document
      out.push(g.pick(["Parse this payload:\n```json\n", "", "Request body: "]), "{\n  \"id\": ", String(g.int(1, 99999)), ",\n");
      items.forEach((it, k) => out.push(`  "${kv(it)}": "`, it.piece, k + 1 < items.length ? "\",\n" : "\"\n"));
      out.push("}", g.pick(["\n```", "", "\nWhat's wrong with it?"]));
      break;
    }
    case 2: { // YAML
      out.push("```yaml\nservice:\n  name: billing\n");
      for (const it of items) out.push(`  ${kv(it)}: `, ...(g.chance(0.5) ? ["\"", it.piece, "\""] : [it.piece]), "\n");
      out.push("```");
      break;
    }
    case 3: { // CSV
      out.push("id,name," + items.map(kv).join(",") + "\n", `${g.int(1, 999)},Ana Souza,`);
      items.forEach((it, k) => out.push(...(g.chance(0.3) ? ["\"", it.piece, "\""] : [it.piece]), k + 1 < items.length ? "," : "\n"));
      break;
    }
    case 4: { // Markdown table
      out.push("| field | value |\n|---|---|\n");
      for (const it of items) out.push(`| ${it.label} | `, ...(g.chance(0.4) ? ["`", it.piece, "`"] : [it.piece]), " |\n");
      break;
    }
    case 5: { // log lines
      for (const it of items) {
        out.push(`2025-0${g.int(1, 9)}-1${g.int(0, 9)}T0${g.int(0, 9)}:${g.int(10, 59)}:${g.int(10, 59)}.${g.digits(3)}Z ${g.pick(["INFO", "WARN", "ERROR"])} [req ${g.str(HEX, 8)}] ${kv(it)}=`, it.piece, ` latency_ms=${g.int(1, 900)}\n`);
      }
      break;
    }
    case 6: { // e-mail headers
      const it0 = items[0];
      out.push("From: \"Support Desk\" <", E("EMAIL", `support${g.digits(2)}@example.com`), ">\nTo: ");
      out.push(`${it0.label}: `, it0.piece, "\nSubject: Re: ticket #", String(g.int(10000, 99999)), "\n\n");
      for (const it of items.slice(1)) out.push(`${it.label}: `, it.piece, "\n");
      break;
    }
    case 7: { // value first / last / adjacent entities, no frame
      if (g.chance(0.5)) { items.forEach((it, k) => out.push(it.piece, k + 1 < items.length ? g.pick([", ", "; ", " / ", "\n", " | "]) : "")); out.push(g.pick(["", " <- pls mask", "\n"])); }
      else { out.push(g.pick(["values: ", "→ ", "» "])); items.forEach((it, k) => out.push(it.piece, k + 1 < items.length ? g.pick([", ", " ", "、", "，"]) : "")); }
      break;
    }
    case 8: { // env file / shell
      out.push(g.pick(["# .env.production\n", "$ cat .env\n", "export the following:\n"]));
      for (const it of items) out.push(`${kv(it).toUpperCase()}=`, ...(g.chance(0.4) ? ["'", it.piece, "'"] : [it.piece]), "\n");
      break;
    }
    case 9: { // code block (Python / JS)
      out.push(g.pick(["```python\n", "```js\n", "```go\n"]));
      for (const it of items) out.push(`${kv(it)} = `, g.chance(0.5) ? "\"" : "'", it.piece, g.chance(0.5) ? "\"\n" : "'\n");
      out.push("```\nWhy does this fail?");
      break;
    }
    case 10: { // brackets and angle brackets
      for (const it of items) out.push(g.pick(["(", "[", "<", "{", "'", "`"]), it.piece, g.pick([")", "]", ">", "}", "'", "`"]), " ");
      break;
    }
    default: { // HTML
      out.push("<table><tr>");
      for (const it of items) out.push(`<td data-field="${kv(it)}">`, it.piece, "</td>");
      out.push("</tr></table>");
    }
  }
  return out;
}

/** GENERIC_SECRET in the forms a config or a client sends. */
function genericSecretRow(g: Gen): Piece[] {
  const v = secretValue(g);
  const S = E("GENERIC_SECRET", v);
  const user = g.pick(["admin", "app_user", "svc"]);
  return g.pick<() => Piece[]>([
    () => [`DB_PASSWORD=`, S, `\nDB_HOST=db.internal\n`],
    () => [`config:\n  api_key: "`, S, `"\n  timeout: 30`],
    () => [`{"client_secret": "`, S, `", "grant_type": "client_credentials"}`],
    () => [`postgres://${user}:`, S, `@db.example.com:5432/app`],
    () => [`Connect with mongodb+srv://${user}:`, S, `@cluster0.example.net/?retryWrites=true`],
    () => [`Server=tcp:sql.example.net,1433;Database=app;User Id=${user};Password=`, S, `;Encrypt=true;`],
    () => [`curl -H "X-Api-Key: `, S, `" https://api.example.com/v1`],
    () => [`settings.py:\nSECRET_KEY = '`, S, `'\n`],
    () => [`Das Passwort=`, S, ` funktioniert nicht.`],
    () => [`mot de passe : password: `, S],
    () => [`| password | `, S, ` |`],
    () => [`https://example.com/callback?access_token=`, E("GENERIC_SECRET", g.mixed(ALNUM + "-._~", g.int(20, 40))), `&state=xyz`],
  ])();
}

// ------------------------------------------------------------------ distractors (must not be masked)

function distractor(g: Gen): string {
  const h = () => g.int(0, 0xffff).toString(16).padStart(4, "0");
  return g.pick<() => string>([
    () => `request id ${crypto.randomUUID ? uuid(g) : uuid(g)}`,
    () => `commit ${g.str(HEX, 40)}`,
    () => `sha256:${g.str(HEX, 64)}`,
    () => `version ${g.int(1, 20)}.${g.int(0, 20)}.${g.int(0, 30)}.${g.int(0, 999)}`,
    () => `v${g.int(0, 9)}.${g.int(0, 30)}.${g.int(0, 30)}-rc.${g.int(1, 9)}`,
    () => `on 2024-${String(g.int(1, 12)).padStart(2, "0")}-${String(g.int(1, 28)).padStart(2, "0")} at ${g.int(10, 23)}:${g.int(10, 59)}:${g.int(10, 59)}`,
    () => `order #${g.digits(10)}`,
    () => `order no. ${g.int(100, 999)}-${g.digits(7)}-${g.digits(7)}`,
    () => `tracking 1Z${g.str(UP + DG, 16)}`,
    () => `invoice INV-${g.int(2019, 2026)}-${g.digits(6)}`,
    () => `ISBN 978-${g.int(0, 9)}-${g.digits(3)}-${g.digits(5)}-${g.int(0, 9)}`,
    () => `epoch ${1700000000000 + g.int(0, 9e10)}`,
    () => `listening on port ${g.int(1024, 65535)}`,
    () => `${g.int(100, 999)} * ${g.int(100, 999)} = ${g.int(10000, 999999)}`,
    () => `color #${g.str(HEX, 6)}`,
    () => `<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAA${g.str(ALNUM + "+/", 80)}==">`,
    () => `MAC ${Array.from({ length: 6 }, () => g.str(HEX, 2)).join(":")}`,
    () => `card ${card(g, false)} was declined (typo)`,
    () => `IBAN ${iban(g, false)} (checksum wrong)`,
    () => `SSN ${g.pick(["000", "666", String(g.int(900, 999))])}-${g.digits(2)}-${g.digits(4)} is invalid`,
    () => `OID 1.3.6.1.4.1.${g.int(1000, 99999)}.${g.int(1, 9)}`,
    () => `ip ${g.int(256, 999)}.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(0, 255)} is out of range`,
    () => `time ${g.int(10, 23)}:${g.int(10, 59)}:${g.int(10, 59)}.${g.digits(3)}`,
    () => `stripe test key sk_test_${g.mixed(ALNUM, 24)}`,
    () => `publishable pk_live_${g.mixed(ALNUM, 24)}`,
    () => `set OPENAI_API_KEY=sk-...your key...`,
    () => `password=\${DB_PASSWORD}`,
    () => `api_key: <YOUR_API_KEY>`,
    () => `-----BEGIN PUBLIC KEY-----\n${pemBody(g, 2)}\n-----END PUBLIC KEY-----`,
    () => `-----BEGIN CERTIFICATE-----\n${pemBody(g, 2)}\n-----END CERTIFICATE-----`,
    () => `token ${b64url(JSON.stringify({ typ: "JWT" }))}.${b64url(JSON.stringify({ sub: "1" }))}.${g.str(B64URL, 43)}`,
    () => `price €${g.int(1, 999)}.${g.digits(2)} (${g.int(1, 99)} items)`,
    () => `ticket ${g.digits(3)}-${g.digits(3)}-${g.digits(3)}`,
    () => `doi:10.${g.int(1000, 9999)}/${g.str(LO, 4)}.${g.digits(5)}`,
    () => `call the ${g.digits(10)} count`,
    () => `build ${g.int(20240101, 20261231)}.${g.int(1, 9)}`,
    () => `coords 48.${g.digits(6)}, 11.${g.digits(6)}`,
    () => `md5 ${g.str(HEX, 32)}`,
    () => `ratio ${h()}:${h()}`,
    () => `at 12:${g.int(10, 59)} and 13:${g.int(10, 59)}`,
    () => `MAC ${Array.from({ length: 6 }, () => g.str(HEX, 2).toUpperCase()).join("-")}`,
    () => `ZIP ${g.digits(5)}-${g.digits(4)}`,
    () => `Windows 10.0.${g.int(19041, 22631)}.${g.int(1000, 4000)}`,
    () => `apiKey: process.env.OPENAI_API_KEY,`,
    () => `password = os.environ["DB_PASSWORD_${g.int(1, 9)}"]`,
    () => `secret: {{ .Values.auth.clientSecret }}`,
    () => `token=$(gcloud auth print-access-token)`,
    () => `api_key: "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"`,
    () => `AWS_SECRET_ACCESS_KEY=<your-secret-access-key-goes-here>`,
    () => `PO ${g.pick(["45", "49"])}${g.digits(8)} shipped`,
    () => `${g.int(1, 28)}.${g.int(1, 12)}.${g.int(2020, 2026)} um ${g.int(10, 23)}:${g.int(10, 59)} Uhr`,
    () => `${g.int(2020, 2026)}年${g.int(1, 12)}月${g.int(1, 28)}日 ${g.int(10, 23)}:${g.int(10, 59)}`,
    () => `the sum ${g.int(1000, 9999)} + ${g.int(1000, 9999)} = ${g.int(2000, 19998)}`,
    () => `lat/long ${g.int(10, 80)}.${g.digits(4)}:${g.int(10, 170)}.${g.digits(4)}`,
    () => `BIC DEUTDEFF${g.str(UP, 3)}`,
    () => `track ${g.digits(4)} ${g.digits(4)} ${g.digits(4)} ${g.digits(4)} ${g.digits(4)} ${g.digits(2)}`,
    () => `AKIAIOSFODNN7EXAMPLE is AWS's documentation example`,
  ])();
}

function uuid(g: Gen): string { const x = g.str(HEX, 32); return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-a${x.slice(17, 20)}-${x.slice(20)}`; }

/** Percent-encoded (query string) and HTML-entity forms a client would send. */
function encodedRow(g: Gen): Piece[] {
  const local = g.str(LO, 6);
  return g.pick<() => Piece[]>([
    () => [`GET /subscribe?email=`, E("EMAIL", `${local}%40example.com`), `&ref=nl`],
    () => [`<a href="mailto:`, E("EMAIL", `${local}&#64;example.com`), `">write</a>`],
    () => [`redirect=/profile%3Fphone%3D`, E("PHONE", `%2B4915${g.digits(9)}`), `%26x%3D1`],
    () => [`Kontakt: `, E("EMAIL", `${local}&#x40;example.de`), `.`],
    () => [`<p>Write to `, E("EMAIL", `${local}&commat;example&period;org`), `</p>`],
    () => [`<td>`, E("CREDIT_CARD", card(g).replace(/ /g, "&nbsp;")), `</td>`],
    () => [`<p>Tel.&nbsp;`, E("PHONE", `&plus;49&nbsp;30&nbsp;${g.digits(8)}`), `</p>`],
    () => [`&quot;password&quot;: &quot;`, E("GENERIC_SECRET", secretValue(g).replace(/[&;]/g, "x")), `&quot;`],
  ])();
}

/** Forms at the edges of the rules: extensions, ports, zones, CIDR, URLs, headers, escapes, full-width digits. */
function edgeRow(g: Gen): Piece[] {
  const d = (n: number) => g.digits(n);
  const nz = () => String(g.int(2, 9));
  const v4 = ipv4(g);
  const h = () => g.int(1, 0xffff).toString(16);
  const fw = (x: string) => x.replace(/[0-9]/g, (c) => String.fromCharCode(0xff10 + +c)).replace(/-/g, "－");
  return g.pick<() => Piece[]>([
    () => [`Call me at `, E("PHONE", `+1 ${nz()}${d(2)}-${nz()}${d(2)}-${d(4)}`), ` ext. ${g.int(10, 999)} after 5pm.`],
    () => [`Tel. `, E("PHONE", `(${nz()}${d(2)}) ${nz()}${d(2)}-${d(4)}`), ` x${g.int(10, 9999)}`],
    () => [`<a href="tel:`, E("PHONE", `+4930${d(8)}`), `">anrufen</a>`],
    () => [`Hotline (DE): `, E("PHONE", `+49 (0)30 ${d(4)} ${d(4)}`), `.`],
    () => [`Telefonnummer: `, E("PHONE", `0049 30 ${d(8)}`), ` (Festnetz)`],
    () => [`電話番号`, E("PHONE", fw(`090-${d(4)}-${d(4)}`)), `までご連絡ください。`],
    () => [`連絡先：`, E("PHONE", `03-${d(4)}-${d(4)}`), `（平日のみ）`],
    () => [`Connecting to `, E("IPV4", v4), `:${g.int(1, 65535)}...`],
    () => [`curl http://`, E("IPV4", v4), `:8080/healthz`],
    // A CIDR prefix length belongs to the span (the filter's documented choice).
    () => [`allow from `, E("IPV4", `${v4}/${g.int(8, 32)}`), `;`],
    () => [`X-Forwarded-For: `, E("IPV4", v4), `, `, E("IPV4", ipv4(g))],
    () => [`listen [`, E("IPV6", `2001:db8::${h()}`), `]:${g.int(1, 65535)};`],
    () => [`ping `, E("IPV6", `fe80::${h()}:${h()}%eth0`)],
    () => [`route `, E("IPV6", `2001:db8:${h()}::/48`), ` via `, E("IPV6", `fe80::1`)],
    () => [`http://[`, E("IPV6", `2001:db8:${h()}:${h()}::${h()}`), `]/admin`],
    () => [`mapped `, E("IPV6", `::ffff:${v4}`), ` seen`],
    () => [`Reply-To: "${g.pick(["Müller, Jörg", "Ana"])}" <`, E("EMAIL", `${g.str(LO, 5)}@example.org`), `>`],
    () => [`mailto:`, E("EMAIL", `${g.str(LO, 5)}.${g.str(LO, 4)}@example.com`), `?subject=hi`],
    () => [`{"role":"user","content":"my mail is `, E("EMAIL", `${g.str(LO, 7)}@example.net`), `\nthanks"}`],
    () => [`Authorization: Bearer `, E("JWT", jwt(g))],
    () => [`x-api-key: `, E("ANTHROPIC_KEY", key.anthropic(g))],
    () => [`Authorization: Bearer `, E("OPENAI_KEY", key.openai(g))],
    () => [`{"private_key": "`, E("PRIVATE_KEY", privateKey(g).replace(/\n/g, "\\n")), `\n", "type": "service_account"}`],
    () => [`Card: `, E("CREDIT_CARD", card(g)), `, exp 0${g.int(1, 9)}/2${g.int(6, 9)}, CVV ${d(3)}`],
    () => [`Kartennummer：`, E("CREDIT_CARD", card(g)), `。`],
    () => [`SSN ${g.pick(["", "#", ":"])}`, E("US_SSN", ssn(g, " ")), `, DOB 1984-0${g.int(1, 9)}-1${g.int(0, 9)}`],
    () => [`wire to `, E("IBAN", iban(g)), ` (BIC DEUTDEFFXXX)`],
    () => [`IBAN:`, E("IBAN", iban(g)), `;BIC:COBADEFFXXX`],
    () => [`aws configure set aws_secret_access_key `, E("AWS_SECRET_KEY", key.awsSecret(g))],
    () => [`export AWS_ACCESS_KEY_ID=`, E("AWS_ACCESS_KEY", key.awsAccess(g)), `\nexport AWS_SECRET_ACCESS_KEY="`, E("AWS_SECRET_KEY", key.awsSecret(g)), `"`],
    () => [`git remote add origin https://`, E("GITHUB_TOKEN", key.github(g)), `@github.com/acme/app.git`],
    () => [`https://hooks.example.com/?token=`, E("SLACK_TOKEN", key.slack(g)), `&channel=C123`],
    () => [`GET /maps/api/geocode/json?address=Berlin&key=`, E("GOOGLE_API_KEY", key.google(g))],
    () => [`stripe.api_key = "`, E("STRIPE_KEY", key.stripe(g)), `"`],
    () => [`Please charge **`, E("CREDIT_CARD", card(g)), `** today.`],
    () => [`_`, E("CREDIT_CARD", card(g)), `_ (italic)`],
    () => [`name\tphone\tip\nAna\t`, E("PHONE", `+1 ${nz()}${d(2)} ${nz()}${d(2)} ${d(4)}`), `\t`, E("IPV4", v4), `\n`],
    () => [`(`, E("PHONE", `+44 20 ${d(4)} ${d(4)}`), `)`],
    () => [`Ruf an: `, E("PHONE", `+49 170 ${d(7)}`), `!`],
    () => [`E-Mail: `, E("EMAIL", `${g.str(UP, 1)}${g.str(LO, 5)}.${g.str(UP, 1)}${g.str(LO, 4)}@Example.COM`), `.`],
    () => [`Envoyez à `, E("EMAIL", `${g.str(LO, 5)}@exemple.fr`), `, SVP.`],
    () => [`correo：`, E("EMAIL", `${g.str(LO, 5)}@ejemplo.es`), `）`],
    () => [`メール: `, E("EMAIL", `${g.str(LO, 6)}@example.jp`), `です`],
    () => [`[`, E("IPV4", v4), `]`],
    () => [`host=`, E("IPV4", v4), `;port=5432`],
    () => [`ssh root@`, E("IPV4", v4)],
    () => [`rtt to `, E("IPV6", `2001:DB8:${h().toUpperCase()}::${h().toUpperCase()}`), ` is 12ms`],
    () => [`"`, E("AWS_ACCESS_KEY", key.awsAccess(g)), `",`],
    () => [`key-id:`, E("AWS_ACCESS_KEY", key.awsAccess(g)), `|secret:`, E("AWS_SECRET_KEY", key.awsSecret(g)).value.length ? E("GENERIC_SECRET", g.mixed(ALNUM, 32)) : ""],
    () => [`openai.api_key=`, E("OPENAI_KEY", key.openai(g))],
    () => [`ANTHROPIC_API_KEY=`, E("ANTHROPIC_KEY", key.anthropic(g)), ` claude --print`],
    () => [`token：`, E("GITHUB_TOKEN", key.github(g)), `。`],
    () => [`Here is my key `, E("GOOGLE_API_KEY", key.google(g)), `. Is it leaked?`],
    () => [`Cookie: session=`, E("JWT", jwt(g)), `; Path=/; HttpOnly`],
    () => [`?id_token=`, E("JWT", jwt(g)), `&state=abc`],
    () => [`IBAN (ES): `, E("IBAN", iban(g)), `\nBIC: CAIXESBBXXX`],
    () => [`SSN: `, E("US_SSN", ssn(g, "-")), `; DOB: 04/12/1981`],
    () => [`Номер карты: `, E("CREDIT_CARD", card(g)), `, срок 12/27`],
    () => [`رقم البطاقة `, E("CREDIT_CARD", card(g)), ` من فضلك`],
    () => [`卡号`, E("CREDIT_CARD", card(g)), `已冻结`],
  ])();
}

export function generate(n = 1500, seed = 20261205): Row[] {
  const g = new Gen(seededRandom(seed));
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const kind = g.r();
    let pieces: Piece[];
    if (kind < 0.2) {
      // Distractors only (and sometimes a real entity beside them).
      pieces = [g.pick(["Note: ", "", "FYI ", "Bitte beachten: ", "注意："]), distractor(g), g.pick([". ", "; ", "\n", "，"]), distractor(g)];
      if (g.chance(0.3)) { const it = item(g, g.pick(TYPES.filter((t) => t !== "GENERIC_SECRET"))); pieces.push(" — ", it.label, ": ", it.piece); }
    } else if (kind < 0.28) {
      pieces = genericSecretRow(g);
      if (g.chance(0.4)) pieces.push("\n", distractor(g));
    } else if (kind < 0.31) {
      pieces = encodedRow(g);
    } else if (kind < 0.5) {
      pieces = edgeRow(g);
      if (g.chance(0.3)) pieces.push("\n", distractor(g));
    } else {
      const k = g.int(1, 3);
      const items: Item[] = [];
      for (let m = 0; m < k; m++) items.push(item(g, g.pick(TYPES.filter((t) => t !== "GENERIC_SECRET"))));
      // Labels that the rules need (AWS secret, SSN) are always shown: keep them with their value.
      const ctx = contextRow(g, items);
      pieces = ctx;
      const needsLabel = items.some((it) => LABEL_NEEDED.has((it.piece as { type: string }).type));
      if (needsLabel) {
        // Rebuild: label + ": " + value lines, in a random document shape of its own.
        pieces = [];
        for (const it of items) {
          const t = (it.piece as { type: string }).type;
          if (t === "AWS_SECRET_KEY") {
            const [a, b] = g.pick([[`${it.label} = `, "\n"], [`${it.label}: `, " "], [`"${it.label}": "`, "\",\n"], [`${it.label}=`, ";"], [`${it.label} => '`, "',"]]);
            pieces.push(a, it.piece, b);
          }
          else if (t === "US_SSN") pieces.push(g.pick([`${it.label}: `, `${it.label} `, `Ihre ${it.label}: `, `${it.label}：`, `| ${it.label} | `]), it.piece, g.pick(["\n", ". ", " |", "。"]));
          else pieces.push(...contextRow(g, [it]), "\n");
        }
      }
      if (g.chance(0.35)) pieces.push(g.pick(["\n", " ", "; "]), distractor(g));
    }
    rows.push(build(pieces));
  }
  return rows;
}

export { luhnOk, mod97 };
