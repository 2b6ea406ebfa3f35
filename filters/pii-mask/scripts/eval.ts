// Runs the Wasm detection engine over a labelled JSON-lines corpus and prints per-type recall and
// precision with exact-span matching (and overlap matching, as the corpus README scores it).
// Usage: node --import tsx filters/pii-mask/scripts/eval.ts [corpus.jsonl | --generated] [--show-errors[=TYPE]]
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Harness, ENTITY_NAMES, codePointToByteOffsets } from "../test/fixtures/detect-harness/load.ts";
import { sharedData } from "../../../tools/shared/index.ts";
import { generate } from "../test/generalise-corpus.ts";

export interface TypeScore { type: string; gold: number; pred: number; tp: number; tpOverlap: number; recall: number; precision: number }
export interface EvalResult { perType: TypeScore[]; errors: string[] }

const here = dirname(fileURLToPath(import.meta.url));
/** The dev corpus in the shared data folder (tools/shared: beside the checkout, or beside the
 *  repository this one was cloned from); the plain ../shared path when neither has it, so the
 *  error names the expected place. */
export const DEV_CORPUS = (() => {
  try { return sharedData("pii", "dev.jsonl"); } catch { return join(here, "..", "..", "..", "..", "shared", "data", "pii", "dev.jsonl"); }
})();

interface Row { text: string; entities: { type: string; start: number; end: number; value: string }[] }

export function evaluate(file: string, h = new Harness(), showErrors = ""): EvalResult {
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.trim().length > 0);
  return evaluateRows(lines.map((l) => JSON.parse(l) as Row), h, showErrors);
}

/** Scores rows already in memory (the generated corpus of test/generalise-corpus.ts). */
export function evaluateRows(rows: Row[], h = new Harness(), showErrors = ""): EvalResult {
  const stats = new Map<string, { gold: number; pred: number; tp: number; tpOverlap: number }>();
  const get = (t: string) => {
    let s = stats.get(t);
    if (!s) { s = { gold: 0, pred: 0, tp: 0, tpOverlap: 0 }; stats.set(t, s); }
    return s;
  };
  const errors: string[] = [];
  const enc = new TextEncoder();
  for (const row of rows) {
    const bytes = enc.encode(row.text);
    const offs = codePointToByteOffsets(row.text);
    const gold = row.entities.map((e) => ({ type: e.type, start: offs[e.start], end: offs[e.end] }));
    const pred = h.scanBytes(bytes).map((m) => ({ type: ENTITY_NAMES[m.type] ?? `CUSTOM_${m.type}`, start: m.start, end: m.end }));
    for (const g of gold) get(g.type).gold++;
    for (const p of pred) get(p.type).pred++;
    const usedExact = new Set<number>();
    for (const g of gold) {
      const k = pred.findIndex((p, i) => !usedExact.has(i) && p.type === g.type && p.start === g.start && p.end === g.end);
      if (k >= 0) { usedExact.add(k); get(g.type).tp++; }
    }
    const usedOv = new Set<number>();
    for (const g of gold) {
      const k = pred.findIndex((p, i) => !usedOv.has(i) && p.type === g.type && p.start < g.end && g.start < p.end);
      if (k >= 0) { usedOv.add(k); get(g.type).tpOverlap++; }
    }
    const dec = (s: number, e: number) => new TextDecoder().decode(bytes.slice(s, e));
    for (const g of gold) {
      if (!pred.some((p) => p.type === g.type && p.start === g.start && p.end === g.end))
        errors.push(`FN ${g.type} ${JSON.stringify(dec(g.start, g.end))} | ${JSON.stringify(dec(Math.max(0, g.start - 40), Math.min(bytes.length, g.end + 20)))}`);
    }
    for (const p of pred) {
      if (!gold.some((g) => p.type === g.type && p.start === g.start && p.end === g.end))
        errors.push(`FP ${p.type} ${JSON.stringify(dec(p.start, p.end))} | ${JSON.stringify(dec(Math.max(0, p.start - 40), Math.min(bytes.length, p.end + 20)))}`);
    }
  }
  const perType: TypeScore[] = [];
  for (const [type, s] of [...stats.entries()].sort()) {
    perType.push({ type, ...s, recall: s.gold ? s.tp / s.gold : 1, precision: s.pred ? s.tp / s.pred : 1 });
  }
  return { perType, errors: showErrors ? errors.filter((e) => showErrors === "1" || e.split(" ")[1] === showErrors) : [] };
}

function pct(x: number): string { return (x * 100).toFixed(2).padStart(7) + "%"; }

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--")) ?? DEV_CORPUS;
  const se = args.find((a) => a.startsWith("--show-errors"));
  const show = se ? (se.split("=")[1] ?? "1") : "";
  // --generated: the corpus of test/generalise-corpus.ts (own templates, contexts and distractors).
  const generated = args.includes("--generated");
  const r = generated ? evaluateRows(generate(), new Harness(), show) : evaluate(file, new Harness(), show);
  console.log(`corpus: ${generated ? "generated (test/generalise-corpus.ts)" : file}`);
  console.log("type              gold   pred  exact-TP   recall  precision   overlap-recall");
  let G = 0, P = 0, TP = 0;
  for (const t of r.perType) {
    G += t.gold; P += t.pred; TP += t.tp;
    console.log(`${t.type.padEnd(16)} ${String(t.gold).padStart(5)} ${String(t.pred).padStart(6)} ${String(t.tp).padStart(9)} ${pct(t.recall)} ${pct(t.precision)}  ${pct(t.gold ? t.tpOverlap / t.gold : 1)}`);
  }
  console.log(`${"ALL".padEnd(16)} ${String(G).padStart(5)} ${String(P).padStart(6)} ${String(TP).padStart(9)} ${pct(G ? TP / G : 1)} ${pct(P ? TP / P : 1)}`);
  for (const e of r.errors) console.log(e);
}
