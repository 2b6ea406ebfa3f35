// Benchmark helpers shared by bench/run.ts and each filter's filters/<name>/bench/*.bench.ts.
//
// Rules (DEVELOPERS.md): figures are medians of several samples, reported as ratios to a baseline
// measured in the same run (the no-op filter, a plain byte loop, a reference implementation);
// absolute times are printed for context only. Nothing here asserts a timing.
import { performance } from "node:perf_hooks";

export interface Measurement {
  name: string;
  /** median nanoseconds per operation */
  nsPerOp: number;
  samples: number[];
  /** optional bytes processed per op (for MB/s) */
  bytesPerOp?: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `op` `iterations` times per sample, `samples` times (after one warm-up sample). */
export async function measure(name: string, op: () => unknown | Promise<unknown>, opts: { iterations?: number; samples?: number; bytesPerOp?: number } = {}): Promise<Measurement> {
  const iterations = opts.iterations ?? 200;
  const samples = opts.samples ?? 7;
  const results: number[] = [];
  for (let s = -1; s < samples; s++) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) {
      const r = op();
      if (r instanceof Promise) await r;
    }
    const dt = ((performance.now() - t0) * 1e6) / iterations;
    if (s >= 0) results.push(dt);
  }
  return { name, nsPerOp: median(results), samples: results, bytesPerOp: opts.bytesPerOp };
}

export function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

export function mbPerSec(m: Measurement): number {
  return m.bytesPerOp ? m.bytesPerOp / (m.nsPerOp / 1e9) / 1e6 : 0;
}

/** Prints a table: each row with its median time, MB/s when known, and its ratio to `baseline`. */
export function report(title: string, baseline: Measurement, rows: Measurement[], note?: string): void {
  console.log(`\n## ${title}`);
  if (note) console.log(note);
  console.log(`${"case".padEnd(44)}${"median".padStart(12)}${"MB/s".padStart(10)}${"× baseline".padStart(13)}`);
  for (const r of [baseline, ...rows]) {
    const mbs = r.bytesPerOp ? mbPerSec(r).toFixed(1) : "";
    const ratio = r === baseline ? "(baseline)" : (r.nsPerOp / baseline.nsPerOp).toFixed(2);
    console.log(`${r.name.padEnd(44)}${fmtNs(r.nsPerOp).padStart(12)}${mbs.padStart(10)}${ratio.padStart(13)}`);
  }
}

/** A filter bench module: `export default async function (ctx: BenchContext): Promise<void>`. */
export interface BenchContext {
  root: string;
  /** true when `npm run bench -- --quick` asks for fewer iterations */
  quick: boolean;
}
