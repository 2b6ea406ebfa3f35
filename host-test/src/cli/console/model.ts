// What the console understands of an audit record (one access-log line of the local gateway, as
// JSON). Pure: imported by the server (stats) and bundled into the page (rows, chain, columns).
// Everything here is generic over keys: a filter that is not built yet has no keys, so it gets no
// column; a key nobody taught the console about is still shown in the expanded row.

/** One access-log line, parsed. Values are what the line holds: strings, numbers, null, `usage`. */
export type AuditRecord = Record<string, unknown>;

/** A record as the console sends it: a sequence number, and the keys the scrub removed (if any). */
export interface ConsoleRecord { seq: number; record: AuditRecord; scrubbed: string[] }

/** A filter instance of a route, in chain order (from the gateway description). */
export interface ChainFilter { name: string; module: string }
export interface RouteInfo { name: string; filters: ChainFilter[]; target: string }

/** Filter-state key prefixes each filter module writes (docs/contract.md; planned filters by the
 *  names their issues give: OpenTelemetry gen_ai.* for llm-route). A module not listed here owns
 *  `aigw.<module with _ for ->.`; keys no module owns are shown as "other fields". */
export const MODULE_KEYS: Record<string, string[]> = {
  auth: ["aigw.consumer", "aigw.auth."],
  "pii-mask": ["aigw.pii."],
  "prompt-guard": ["aigw.guard.", "aigw.prompt_guard.", "aigw.prompt.", "aigw.template."],
  "llm-route": ["gen_ai.", "aigw.route.", "aigw.llm_route.", "aigw.llm.", "aigw.failover", "aigw.cost"],
  cache: ["aigw.cache."],
  quota: ["aigw.quota."],
};

/** The access log's own fields (Envoy's operators and the local gateway's `usage`, `ttfb_ms`). */
export const ENVOY_FIELDS = ["time", "request_id", "method", "path", "route", "status", "flags", "details", "duration_ms", "ttfb_ms", "upstream", "bytes_received", "bytes_sent", "usage"];

export function moduleKeyPrefixes(module: string): string[] {
  return MODULE_KEYS[module] ?? [`aigw.${module.replace(/-/g, "_")}.`];
}

function owns(prefixes: string[], key: string): boolean {
  return prefixes.some((p) => key === p || key === p.replace(/\.$/, "") || key.startsWith(p.endsWith(".") ? p : `${p}.`) || key.startsWith(p));
}

/** Filter-state keys present in the record (everything that is not an access-log field), with a value. */
export function stateKeys(r: AuditRecord): string[] {
  return Object.keys(r).filter((k) => !ENVOY_FIELDS.includes(k) && r[k] !== null && r[k] !== undefined && r[k] !== "");
}

const NEGATIVE = /^(deny|denied|block|blocked|reject|rejected|refuse|refused|limit|limited|over|exceeded)\b/i;
const DECISION_KEY = /(decision|action|verdict|result|outcome)$/;

/** Is the value a refusal ("deny:expired", "blocked:CREDIT_CARD", "limited", …)? */
export function isNegative(v: unknown): boolean {
  return typeof v === "string" && NEGATIVE.test(v);
}

export type StepState = "decided" | "refused" | "not-reached" | "silent";
export interface ChainStep { filter: ChainFilter; state: StepState; summary: string; fields: Array<[string, string]> }

/** The chain the record went through, in order, each filter with its keys and a one-line summary.
 *  A filter after the one that refused the request is "not reached"; one that wrote nothing is "silent". */
export function chainOf(r: AuditRecord, route: RouteInfo | undefined): ChainStep[] {
  if (!route) return [];
  const steps: ChainStep[] = [];
  let refusedAt = -1;
  route.filters.forEach((f, i) => {
    const prefixes = moduleKeyPrefixes(f.module);
    const keys = stateKeys(r).filter((k) => owns(prefixes, k));
    const fields = keys.map((k) => [k, display(r[k])] as [string, string]);
    const refused = keys.some((k) => DECISION_KEY.test(k) && isNegative(r[k]));
    let state: StepState = refused ? "refused" : keys.length ? "decided" : "silent";
    if (refusedAt >= 0 && !keys.length) state = "not-reached";
    if (refused && refusedAt < 0) refusedAt = i;
    steps.push({ filter: f, state, summary: summarize(f.module, r, keys, state), fields });
  });
  return steps;
}

/** Short text of a filter's decision, as a person reads it. */
function summarize(module: string, r: AuditRecord, keys: string[], state: StepState): string {
  if (state === "not-reached") return "not reached (an earlier filter answered)";
  if (!keys.length) return "no decision recorded";
  const s = (k: string) => (typeof r[k] === "string" || typeof r[k] === "number" ? String(r[k]) : "");
  if (module === "auth") {
    const d = s("aigw.auth.decision");
    const who = s("aigw.consumer");
    const how = s("aigw.auth.method");
    return [d.replace(/^deny:/, "deny: "), who && `consumer ${who}`, how && `via ${how}`].filter(Boolean).join(", ");
  }
  if (module === "pii-mask") {
    const parts = [s("aigw.pii.action") || "pass"];
    const req = entityText(r["aigw.pii.request"]);
    const res = entityText(r["aigw.pii.response"]);
    if (req) parts.push(`request: ${req}`);
    if (res) parts.push(`response: ${res}`);
    return parts.join(", ");
  }
  const main = keys.find((k) => DECISION_KEY.test(k));
  const rest = keys.filter((k) => k !== main).slice(0, 3).map((k) => `${k.split(".").pop()} ${display(r[k])}`);
  return [main ? display(r[main]) : "", ...rest].filter(Boolean).join(", ");
}

/** `{"EMAIL":2,"PHONE":1}` → `EMAIL×2, PHONE×1` (entity types and counts only; never values). */
export function entityText(v: unknown): string {
  const o = parseJsonObject(v);
  if (!o) return "";
  return Object.entries(o).filter(([, n]) => typeof n === "number" && n > 0).map(([t, n]) => `${t}×${n}`).join(", ");
}

export function parseJsonObject(v: unknown): Record<string, unknown> | null {
  if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  if (typeof v !== "string" || !v.startsWith("{")) return null;
  try { const o = JSON.parse(v); return o && typeof o === "object" && !Array.isArray(o) ? o : null; } catch { return null; }
}

export function display(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Did a filter refuse the request (auth deny, pii block, guard block, quota limit, …)? */
export function isBlocked(r: AuditRecord): boolean {
  return stateKeys(r).some((k) => DECISION_KEY.test(k) && isNegative(r[k]));
}

// ---- figures read from a record, whichever filter wrote them ------------------------------------

function num(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}
function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}
function firstKey(r: AuditRecord, test: RegExp): string | undefined {
  return Object.keys(r).find((k) => test.test(k) && r[k] !== null && r[k] !== "");
}

export function modelOf(r: AuditRecord): string | null {
  return str(r["gen_ai.response.model"]) ?? str(r["gen_ai.request.model"]);
}
/** llm-route's provider, else the route's upstream (Envoy's cluster). */
export function providerOf(r: AuditRecord): string | null {
  return str(r["gen_ai.provider.name"]) ?? str(r.upstream);
}
export function consumerOf(r: AuditRecord): string | null {
  return str(r["aigw.consumer"]);
}
export function tokensOf(r: AuditRecord): { input: number; output: number } | null {
  const i = num(r["gen_ai.usage.input_tokens"]), o = num(r["gen_ai.usage.output_tokens"]);
  if (i !== null || o !== null) return { input: i ?? 0, output: o ?? 0 };
  const u = r.usage as { input_tokens?: unknown; output_tokens?: unknown } | undefined;
  if (u && typeof u === "object") return { input: num(u.input_tokens) ?? 0, output: num(u.output_tokens) ?? 0 };
  return null;
}
/** Cost in dollars: the first key naming a cost; "micro" in its name means micro-dollars (llm-route's unit). */
export function costOf(r: AuditRecord): number | null {
  const k = firstKey(r, /cost/i);
  if (!k) return null;
  const n = num(r[k]);
  if (n === null) return null;
  return /micro|usd_?e6|_u$/i.test(k) ? n / 1e6 : n;
}
/** Time to first token: llm-route's key when written, else the local gateway's first response byte. */
export function ttftOf(r: AuditRecord): number | null {
  const k = firstKey(r, /time_to_first_token|ttft/i);
  if (k) {
    const n = num(r[k]);
    // Unit from the name's suffix; none means seconds, OpenTelemetry's unit for gen_ai.server.time_to_first_token.
    if (n !== null) return /_ms$|millis/.test(k) ? n : Math.round(n * 1000);
  }
  return num(r.ttfb_ms);
}

/** A column of the request table: shown once any record has a value for it. */
export interface Column { id: string; label: string; title: string; value(r: AuditRecord): string | null; cls?(r: AuditRecord): string }

const keyCol = (id: string, label: string, title: string, test: RegExp, fmt: (v: unknown, k: string) => string = display): Column => ({
  id, label, title,
  value: (r) => { const k = firstKey(r, test); return k ? fmt(r[k], k) : null; },
});

export const COLUMNS: Column[] = [
  { id: "time", label: "Time", title: "when the request started (local time)", value: (r) => str(r.time) ? new Date(String(r.time)).toLocaleTimeString() : null },
  { id: "route", label: "Route", title: "the route whose filter chain ran", value: (r) => str(r.route) ?? "(no route)" },
  { id: "method", label: "Request", title: "method and path (query strings are never shown)", value: (r) => `${r.method ?? ""} ${r.path ?? ""}`.trim() },
  { id: "consumer", label: "Consumer", title: "who, as auth identified them", value: consumerOf },
  { id: "status", label: "Status", title: "HTTP status sent to the client (0: the stream was reset)", value: (r) => (r.status === undefined ? null : String(r.status)),
    cls: (r) => (Number(r.status) >= 500 || Number(r.status) === 0 ? "bad" : Number(r.status) >= 400 ? "warn" : "ok") },
  { id: "decisions", label: "Filter decisions", title: "each filter of the chain, in order", value: () => "" },
  keyCol("guard", "Guard", "prompt-guard's score and reason", /^aigw\.(guard|prompt_guard)\.(score|reason|decision|action)$/),
  keyCol("template", "Template", "prompt template and version", /^aigw\.(template|prompt)\.(version|name|template)/),
  keyCol("cache", "Cache", "cache hit, miss or semantic hit", /^aigw\.cache\.(status|result|decision|hit)/),
  { id: "provider", label: "Provider", title: "llm-route's provider, else the route's upstream", value: providerOf },
  { id: "model", label: "Model", title: "model that answered (as requested when no answer)", value: modelOf },
  keyCol("failover", "Failover", "failover taken by llm-route", /failover|fallback|attempts/i),
  { id: "tokens", label: "Tokens in/out", title: "input and output tokens", value: (r) => { const t = tokensOf(r); return t ? `${t.input}/${t.output}` : null; } },
  { id: "cost", label: "Cost", title: "cost of the request in US dollars", value: (r) => { const c = costOf(r); return c === null ? null : `$${c.toFixed(c < 0.01 ? 6 : 4)}`; } },
  keyCol("quota", "Quota left", "what quota left for this consumer", /^aigw\.quota\.(remaining|left)/),
  keyCol("anomaly", "Anomaly", "usage anomalies flagged", /anomal/i),
  { id: "latency", label: "Latency", title: "total duration in milliseconds", value: (r) => (num(r.duration_ms) === null ? null : `${r.duration_ms} ms`) },
  { id: "ttft", label: "TTFT", title: "time to first token (llm-route), else to the first response byte, in milliseconds", value: (r) => { const t = ttftOf(r); return t === null ? null : `${t} ms`; } },
];

/** Nearest-rank percentile of a list of numbers (p in 0..100); null for an empty list. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
