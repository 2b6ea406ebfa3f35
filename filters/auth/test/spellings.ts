// Generated spellings of a canonical request path (not a fixed list): the auth tests check that
// every one gets the decision of the canonical path (or, for spellings with no single meaning, a
// refusal). Seeded: a failure names its seed and spelling.

export type Rng = () => number;

const pick = <T>(r: Rng, a: readonly T[]): T => a[Math.floor(r() * a.length)];
const chance = (r: Rng, p: number) => r() < p;

/** "%" and two hex digits of `c`, in random case. */
function escape(r: Rng, c: string): string {
  const h = c.charCodeAt(0).toString(16).padStart(2, "0");
  return "%" + (chance(r, 0.5) ? h.toUpperCase() : h.toLowerCase());
}

/** A segment spelled with some characters percent-encoded (unreserved ones and the sub-delims and
 *  `:` / `@` that servers decode too) and maybe `;` parameters. */
function spellSegment(r: Rng, seg: string, params: boolean): string {
  let out = "";
  for (const c of seg) out += /[A-Za-z0-9\-._~:@!$&'()*+,=]/.test(c) && chance(r, 0.25) ? escape(r, c) : c;
  if (params && seg !== "" && chance(r, 0.2)) out += pick(r, [";x=1", ";", ";jsessionid=abc"]);
  return out;
}

/** Pieces that may stand before any segment without changing the resolved path (RFC 3986 5.2.4). */
function noise(r: Rng, params: boolean): string {
  const junk = spellSegment(r, pick(r, ["x", "admin", "v2", "a.b"]), params);
  return pick(r, ["/", "/.", "/%2e", "/%2E", `/${junk}/..`, `/${junk}/%2e%2E`, `/${junk}/.%2e`, "//"]);
}

export interface SpellingOptions {
  /** `;` parameters (servlet-style); a router matching raw prefixes does not see through them. */
  params?: boolean;
  /** A #fragment (Envoy refuses a target with one). */
  fragment?: boolean;
}

/** A spelling of canonical `canon` ("/v1/embeddings", "/v1/") that resolves to it. */
export function equivalentSpelling(r: Rng, canon: string, o: SpellingOptions = {}): string {
  const segs = canon.split("/").slice(1);
  let out = "";
  for (const seg of segs) {
    while (chance(r, 0.35)) out += noise(r, o.params ?? false);
    out += "/" + spellSegment(r, seg, o.params ?? false);
  }
  if (chance(r, 0.3)) out += pick(r, ["?a=1", "?x=%2F..%2F", "?", "?q=/../admin"]);
  if (o.fragment && chance(r, 0.2)) out += pick(r, ["#", "#/../admin", "#x?y=1"]);
  return out;
}

export type Unsafe = "encoded-slash" | "backslash" | "nul" | "bad-escape" | "above-root" | "double-encoded";

/** A spelling of `canon` with one feature that has no single meaning (readers disagree on it). */
export function unsafeSpelling(r: Rng, canon: string, kind: Unsafe): string {
  const base = equivalentSpelling(r, canon, { params: false });
  const q = base.search(/[?#]/);
  const path = q < 0 ? base : base.slice(0, q);
  const rest = q < 0 ? "" : base.slice(q);
  const slashes = [...path.matchAll(/\//g)].map((m) => m.index!).filter((i) => i > 0);
  const at = slashes.length ? pick(r, slashes) : path.length;
  const splice = (s: string, i: number, del: number, ins: string) => s.slice(0, i) + ins + s.slice(i + del);
  switch (kind) {
    case "encoded-slash": return (slashes.length ? splice(path, at, 1, pick(r, ["%2F", "%2f", "%5C", "%5c"])) : path + "%2F") + rest;
    case "backslash": return (slashes.length ? splice(path, at, 1, "\\") : path + "\\") + rest;
    // At the end of the path, where no later dot-segment can remove it.
    case "nul": return path + pick(r, ["%00", "a%00", "/%00"]) + rest;
    case "bad-escape": return path + pick(r, ["%zz", "%4", "/%%30", "a%G1", "%"]) + rest;
    case "above-root": return pick(r, ["/..", "/%2e%2e", "/x/../.."]) + path + rest;
    case "double-encoded": return path + pick(r, ["%252F", "/%252e%252e", "%255C", "%2500"]) + rest;
  }
}

export const UNSAFE_KINDS: readonly Unsafe[] = ["encoded-slash", "backslash", "nul", "bad-escape", "above-root", "double-encoded"];

/** Rules the spelling tests protect: a host rule, an allow list, a deny list and an optional prefix. */
export const RULES_CONFIG = {
  consumers: [
    { name: "alice", groups: ["admin"] },
    { name: "bob", groups: ["eng"] },
    { name: "carol", groups: ["eng"] },
  ],
  api_keys: { from: [{ header: "x-api-key" }, { query: "api_key" }], keys: [{ consumer: "alice", key: "ka" }, { consumer: "bob", key: "kb" }, { consumer: "carol", key: "kc" }] },
  rules: [
    { host: "*.internal.example.com", allow: { groups: ["admin"] } },
    { prefix: "/v1/embeddings", allow: { groups: ["admin"] } },
    { prefix: "/v1beta/models/gemini-pro:generate", allow: { groups: ["admin"] } },
    { prefix: "/v1/", deny: { consumers: ["carol"] } },
    { prefix: "/public/", mode: "optional" },
  ],
};

export const PATHS = ["/v1/embeddings", "/v1/embeddings/x", "/v1/chat/completions", "/v1/", "/public/models", "/other", "/v1beta/models/gemini-pro:generateContent"];
export const KEYS: Record<string, string | null> = { alice: "ka", bob: "kb", carol: "kc", anonymous: null };

