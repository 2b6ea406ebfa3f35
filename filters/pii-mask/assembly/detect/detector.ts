// Detector: the configured set of detectors (built-ins + custom patterns/dictionaries) behind one scan().
import { BuiltinScanner, Candidates } from "./builtin";
import { Match, MAX_ENTITY_LENGTH, CONTEXT_BYTES, CUSTOM_BASE } from "./types";
import { Pattern, Dictionary } from "../../../common/assembly/pattern";

const PRIO_CUSTOM: i32 = 1;

export class Detector {
  private builtin: BuiltinScanner = new BuiltinScanner();
  private cands: Candidates = new Candidates();
  private order: Array<i32> = new Array<i32>();
  private patterns: Array<Pattern> = new Array<Pattern>();
  private patternIds: Array<i32> = new Array<i32>();
  private dicts: Array<Dictionary> = new Array<Dictionary>();
  private dictIds: Array<i32> = new Array<i32>();

  /** `enabledMask`: bit i enables built-in type i (see types.ts); default all. */
  constructor(enabledMask: u32 = 0xffffffff) {
    this.builtin.enabled = enabledMask;
  }

  set enabled(mask: u32) { this.builtin.enabled = mask; }
  get enabled(): u32 { return this.builtin.enabled; }

  /** Adds a compiled custom pattern reported as entity `id` (>= CUSTOM_BASE). */
  addPattern(p: Pattern, id: i32): void { this.patterns.push(p); this.patternIds.push(id); }
  /** Adds a compiled dictionary reported as entity `id` (>= CUSTOM_BASE). */
  addDictionary(d: Dictionary, id: i32): void { this.dicts.push(d); this.dictIds.push(id); }

  /**
   * Longest entity this detector reports (bytes). Stream callers carry at least
   * maxEntityLength + CONTEXT_BYTES bytes between chunks (scanStream does the bookkeeping).
   */
  get maxEntityLength(): i32 { return MAX_ENTITY_LENGTH; }

  /**
   * Scans input[start, end) and appends non-overlapping matches sorted by start (byte offsets into
   * `input`). Out-of-range bounds are clamped; never traps.
   */
  scan(input: Uint8Array, start: i32, end: i32, out: Array<Match>): void {
    const n = input.length;
    if (start < 0) start = 0;
    if (end > n) end = n;
    if (start >= end) return;
    this.scanPtr(input.dataStart, start, end, out);
  }

  /** Same as scan over raw memory [p+start, p+end). */
  scanPtr(p: usize, start: i32, end: i32, out: Array<Match>): void {
    if (start >= end) return;
    const c = this.cands;
    c.clear();
    this.builtin.scan(p, start, end, c);
    for (let k = 0; k < this.patterns.length; k++) {
      const pat = unchecked(this.patterns[k]);
      const id = unchecked(this.patternIds[k]);
      pat.resetMatches();
      pat.findAll(p, start, end);
      for (let m = 0; m < pat.matchCount; m++) c.add(id, pat.matchStart(m), pat.matchEnd(m), PRIO_CUSTOM);
    }
    for (let k = 0; k < this.dicts.length; k++) {
      const d = unchecked(this.dicts[k]);
      const id = unchecked(this.dictIds[k]);
      d.findAll(p, start, end);
      for (let m = 0; m < d.matchCount; m++) c.add(id, d.matchStart(m), d.matchEnd(m), PRIO_CUSTOM);
    }
    this.resolve(out);
  }

  /**
   * Streaming helper. `buf[ctx, end)` = carried tail + new chunk, where bytes before `from` were already
   * emitted (they are only context). Appends the matches that start at or after `from` and are final,
   * and returns the cut: bytes [from, cut) may be emitted now (with those matches masked); carry
   * buf[max(0, cut - CONTEXT_BYTES), end) into the next call with `from` = its offset of `cut`.
   * When `last` is true the cut is `end`.
   */
  scanStream(buf: Uint8Array, ctx: i32, from: i32, end: i32, last: bool, out: Array<Match>): i32 {
    const n = buf.length;
    if (ctx < 0) ctx = 0;
    if (end > n) end = n;
    if (from < ctx) from = ctx;
    if (from > end) from = end;
    const all = new Array<Match>();
    this.scan(buf, ctx, end, all);
    let cut = last ? end : max(from, end - MAX_ENTITY_LENGTH - CONTEXT_BYTES);
    // A match that straddles the cut is complete (it started early enough to be fully visible):
    // move the cut to its end so it is emitted whole.
    for (let k = 0; k < all.length; k++) {
      const m = unchecked(all[k]);
      if (m.start < cut && m.end > cut) cut = m.end;
    }
    for (let k = 0; k < all.length; k++) {
      const m = unchecked(all[k]);
      if (m.start >= from && m.end <= cut) out.push(m);
    }
    return cut;
  }

  /** Sort candidates by (start, priority desc, end desc), then keep non-overlapping ones greedily. */
  private resolve(out: Array<Match>): void {
    const c = this.cands;
    const n = c.length;
    const ord = this.order;
    ord.length = n;
    for (let i = 0; i < n; i++) unchecked(ord[i] = i);
    // Insertion sort: candidates arrive almost sorted (only look-back triggers are out of order).
    for (let i = 1; i < n; i++) {
      const x = unchecked(ord[i]);
      let j = i - 1;
      while (j >= 0 && this.before(x, unchecked(ord[j]))) { unchecked(ord[j + 1] = ord[j]); j--; }
      unchecked(ord[j + 1] = x);
    }
    const base = out.length;
    let lastIdx = -1;
    let lastEnd = -1;
    for (let k = 0; k < n; k++) {
      const x = unchecked(ord[k]);
      const s = unchecked(c.start[x]), e = unchecked(c.end[x]);
      if (s >= lastEnd) {
        out.push(new Match(unchecked(c.type[x]), s, e));
        lastIdx = x; lastEnd = e;
        continue;
      }
      // Overlap. Candidates with the same start come most specific first, so an equal span keeps the
      // specific type (a password value that is a JWT is a JWT). A longer candidate at the same start
      // covers the chosen one and replaces it (a password value with an '@' inside stays one secret).
      // Otherwise the earlier one stays.
      if (out.length > base && s == unchecked(c.start[lastIdx]) && e > lastEnd) {
        out[out.length - 1] = new Match(unchecked(c.type[x]), s, e);
        lastIdx = x; lastEnd = e;
      }
    }
  }

  @inline private before(a: i32, b: i32): bool {
    const c = this.cands;
    const sa = unchecked(c.start[a]), sb = unchecked(c.start[b]);
    if (sa != sb) return sa < sb;
    const pa = unchecked(c.prio[a]), pb = unchecked(c.prio[b]);
    if (pa != pb) return pa > pb;
    return unchecked(c.end[a]) > unchecked(c.end[b]);
  }
}

export { CUSTOM_BASE };
