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

export interface BenchCase { name: string; op: () => unknown | Promise<unknown>; bytesPerOp?: number }
export interface InterleavedResult {
  rows: Measurement[];
  /** per case: the median of its per-round ratios to cases[0], and their 10th–90th percentile */
  ratios: Array<{ name: string; median: number; p10: number; p90: number }>;
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q, lo = Math.floor(i), hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}

/**
 * Measures several cases interleaved: each round runs every case for `iterations` operations, in
 * an order rotated every round, so that JIT warm-up, GC pressure and machine load drift fall on all
 * cases alike. `warmupRounds` rounds are run first and discarded. A case's ratio to the baseline
 * (cases[0]) is taken round by round (both measured seconds apart) and the median of those ratios
 * reported with its 10th–90th percentile spread. Times are this process's CPU time (user +
 * system, all its threads), unless `clock: "wall"`.
 */
export async function measureInterleaved(cases: BenchCase[], opts: { iterations?: number; rounds?: number; warmupRounds?: number; clock?: "cpu" | "wall" } = {}): Promise<InterleavedResult> {
  const iterations = opts.iterations ?? 500, rounds = opts.rounds ?? 15, warm = opts.warmupRounds ?? 3;
  // CPU time of this process (ms) by default: on a shared machine the time other processes take
  // the CPU is not counted; npm run bench runs node with --single-threaded-gc so that garbage
  // collection is charged to the batch that made the garbage, not to whichever batch a background
  // GC thread overlaps. Wall time on request.
  const now = opts.clock === "wall" ? () => performance.now() : () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const samples = cases.map(() => [] as number[]);
  for (let r = -warm; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const c = (k + Math.max(r, 0)) % cases.length;
      const op = cases[c].op;
      const t0 = now();
      for (let i = 0; i < iterations; i++) {
        const x = op();
        if (x instanceof Promise) await x;
      }
      if (r >= 0) samples[c].push(((now() - t0) * 1e6) / iterations);
    }
  }
  const rows = cases.map((c, i) => ({ name: c.name, nsPerOp: median(samples[i]), samples: samples[i], bytesPerOp: c.bytesPerOp }));
  const ratios = cases.map((c, i) => {
    const per = samples[i].map((t, r) => t / samples[0][r]);
    return { name: c.name, median: median(per), p10: percentile(per, 0.1), p90: percentile(per, 0.9) };
  });
  return { rows, ratios };
}

/** Prints an interleaved measurement: median time with its spread, ratio to cases[0] with its spread. */
export function reportInterleaved(title: string, res: InterleavedResult, note?: string): void {
  console.log(`\n## ${title}`);
  if (note) console.log(note);
  console.log(`${"case".padEnd(48)}${"median".padStart(11)}${"spread p10–p90".padStart(18)}${"× baseline".padStart(12)}${"ratio p10–p90".padStart(16)}`);
  res.rows.forEach((r, i) => {
    const q = res.ratios[i];
    const spread = `${fmtNs(percentile(r.samples, 0.1))}–${fmtNs(percentile(r.samples, 0.9))}`;
    const ratio = i === 0 ? "(baseline)" : q.median.toFixed(2);
    const rs = i === 0 ? "" : `${q.p10.toFixed(2)}–${q.p90.toFixed(2)}`;
    console.log(`${r.name.padEnd(48)}${fmtNs(r.nsPerOp).padStart(11)}${spread.padStart(18)}${ratio.padStart(12)}${rs.padStart(16)}`);
  });
}
