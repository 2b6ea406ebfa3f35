// `npm run eval:guard`: scores the dev split (or the JSON-lines file given) with the compiled
// detector (dist/fixtures/prompt-guard-guard-harness.wasm: the filter's own normalisation, model
// and heuristics, every row as a user message) and prints precision, recall, F1 and the
// false-positive rate on benign rows at the default threshold, overall and per language script,
// then a threshold table. Nothing here feeds back into training: the default threshold comes from
// train.ts's cross-validation on train.
import { fileURLToPath } from "node:url";
import { GuardHarness, ROLE } from "../test/fixtures/guard-harness/load.ts";
import { dominantScript, type Row } from "./model.ts";
import { readRows } from "./train.ts";
import { sharedData } from "../../../tools/shared/index.ts";

export interface Counts { tp: number; fp: number; fn: number; tn: number }
export interface Scored { row: Row; score: number; reason: string; script: string }

export function scoreRows(rows: Row[], h = new GuardHarness()): Scored[] {
  return rows.map((row) => {
    const r = h.score(row.text, ROLE.user);
    return { row, score: r.score, reason: r.reason, script: dominantScript(row.text) };
  });
}

export function counts(s: Scored[], threshold: number): Counts {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const x of s) {
    const hit = x.score >= threshold;
    if (x.row.label) { if (hit) c.tp++; else c.fn++; } else if (hit) c.fp++; else c.tn++;
  }
  return c;
}

export function metrics(c: Counts) {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : NaN;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const fpr = c.fp + c.tn ? c.fp / (c.fp + c.tn) : NaN;
  return { precision, recall, f1, fpr };
}

const pct = (x: number) => (Number.isNaN(x) ? "      -" : (x * 100).toFixed(1).padStart(6) + "%");

function line(label: string, c: Counts): string {
  const m = metrics(c);
  return `${label.padEnd(22)} ${String(c.tp + c.fn).padStart(5)} ${String(c.fp + c.tn).padStart(6)} ${pct(m.precision)} ${pct(m.recall)} ${pct(m.f1)} ${pct(m.fpr)}`;
}

export function report(s: Scored[], threshold: number): string {
  const out: string[] = [];
  out.push(`default threshold ${threshold} (from grouped cross-validation on train)`);
  out.push(`${"group".padEnd(22)} ${"pos".padStart(5)} ${"benign".padStart(6)}  precis  recall      F1     FPR`);
  out.push(line("all", counts(s, threshold)));
  const en = s.filter((x) => x.script == "latin" && /\b(the|and|is|of|to|you|what|how)\b/i.test(x.row.text));
  out.push(line("english-looking", counts(en, threshold)));
  out.push(line("other", counts(s.filter((x) => !en.includes(x)), threshold)));
  const mgsm = s.filter((x) => x.row.source.includes("mgsm"));
  if (mgsm.length) out.push(line("mgsm (non-English)", counts(mgsm, threshold)));
  for (const sc of [...new Set(s.map((x) => x.script))].sort()) out.push(line("script " + sc, counts(s.filter((x) => x.script == sc), threshold)));
  out.push("");
  out.push("threshold table (all rows)");
  out.push(`${"threshold".padEnd(22)} ${"pos".padStart(5)} ${"benign".padStart(6)}  precis  recall      F1     FPR`);
  for (const t of [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, threshold].sort((a, b) => a - b)) out.push(line(String(t), counts(s, t)));
  const reasons = new Map<string, number>();
  for (const x of s) if (x.score >= threshold) reasons.set(x.reason + (x.row.label ? " (attack)" : " (benign)"), (reasons.get(x.reason + (x.row.label ? " (attack)" : " (benign)")) ?? 0) + 1);
  out.push("");
  out.push("hits by reason: " + [...reasons].sort().map(([k, v]) => `${k} ${v}`).join(", "));
  return out.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2] ?? sharedData("prompt-guard", "dev.jsonl");
  const h = new GuardHarness();
  console.log(`corpus: ${file}`);
  console.log(report(scoreRows(readRows(file), h), h.defaultThreshold));
}
