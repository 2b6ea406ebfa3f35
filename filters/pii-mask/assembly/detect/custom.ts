// Custom detectors (patterns, dictionaries) inside the built-in scan's single pass.
//
// Each detector contributes the bytes its matches can begin with to a 256-entry table; the main loop
// stops at those bytes (anywhere, also inside letter runs) and calls `at`, which makes an anchored
// attempt: the pattern's forward DFA or a trie walk, longest match, then the detector resumes after it
// (leftmost-longest, non-overlapping, exactly as the separate passes find them).
//
// Anchored attempts are not linear in the worst case (a start byte on every position, each attempt
// walking up to maxLength bytes), and a pattern attempt cannot always tell within maxLength bytes
// whether a longer match starts there. Either way the detector drops its in-pass results for this scan
// and runs its own linear pass at the end (Pattern.findAll: reverse DFA then forward; Dictionary.findAll:
// Aho-Corasick). So a scan costs at most STEP_BUDGET_PER_BYTE steps per byte per detector more than
// the separate passes did, and usually much less.
import { Pattern, Dictionary, START_ANYWHERE } from "../../../common/assembly/pattern";
import { Candidates } from "./candidates";

/** Table bit: some custom detector may start at this byte anywhere. */
export const C_ANYWHERE: u32 = 8;
/** Table bit: some custom detector may start at this byte after a byte that is not a letter/digit. */
export const C_RUN_START: u32 = 16;
const STEP_BUDGET_PER_BYTE: i32 = 8;
const STEP_BUDGET_MIN: i32 = 4096;

export class CustomDetectors {
  /**
   * Per pair of bytes (index: byte | next byte << 8, next = 0 at the end of the input): C_ANYWHERE
   * and/or C_RUN_START when some custom detector may start at the first byte with the second after it.
   * Starts that need a non-word byte before them (whole words, a leading \b) are only tried at the
   * start of a letter/digit run ('_' is a word byte but not a letter/digit, so this is a superset of the
   * positions where they can match). 64 KiB, allocated with the first custom detector.
   */
  table: StaticArray<u8> = new StaticArray<u8>(0);
  /** Per byte: bit min(k, 31) set when custom detector k may start with it. */
  private masks: StaticArray<u32> = new StaticArray<u32>(256);
  private patterns: Array<Pattern | null> = new Array<Pattern | null>();
  private dicts: Array<Dictionary | null> = new Array<Dictionary | null>();
  private ids: Array<i32> = new Array<i32>();
  // Per scan, per detector.
  private nextFrom: StaticArray<i32> = new StaticArray<i32>(0);
  private steps: StaticArray<i32> = new StaticArray<i32>(0);
  private fallback: StaticArray<bool> = new StaticArray<bool>(0);
  private budget: i32 = 0;
  private from: i32 = 0;
  // Matches found in the pass: detector index, start, end (per detector in increasing start order).
  private mk: Array<i32> = new Array<i32>();
  private ms: Array<i32> = new Array<i32>();
  private me: Array<i32> = new Array<i32>();

  get count(): i32 { return this.ids.length; }

  /** Farthest any custom detector reads past a match start (longest match or word, plus one byte). */
  maxReach: i32 = 0;
  private reach: Array<i32> = new Array<i32>();
  /**
   * After a scan: the earliest start at which a custom detector's attempt ran into the end of the
   * data still alive (a DFA state that is not dead, a trie node other than the root), so more bytes
   * could make or lengthen a match there; i32.MAX_VALUE if none. A detector that fell back to its
   * own pass counts as open from hi - its reach.
   */
  openFrom: i32 = i32.MAX_VALUE;

  addPattern(p: Pattern, id: i32): void {
    this.add(p.firstBytes(), p.firstPairs());
    this.maxReach = max(this.maxReach, p.maxLength + 1);
    this.reach.push(p.maxLength + 1);
    this.patterns.push(p); this.dicts.push(null); this.ids.push(id);
  }

  addDictionary(d: Dictionary, id: i32): void {
    this.add(d.firstBytes(), d.firstPairs());
    this.maxReach = max(this.maxReach, d.maxWordLength + 1);
    this.reach.push(d.maxWordLength + 1);
    this.patterns.push(null); this.dicts.push(d); this.ids.push(id);
  }

  private add(first: StaticArray<u8>, pairs: StaticArray<u8>): void {
    const bit: u32 = 1 << <u32>min(this.ids.length, 31);
    for (let b = 0; b < 256; b++) if (unchecked(first[b]) != 0) unchecked(this.masks[b] |= bit);
    if (this.table.length == 0) this.table = new StaticArray<u8>(65536);
    for (let x = 0; x < 65536; x++) {
      const how = unchecked(pairs[x]);
      if (how != 0) unchecked(this.table[x] |= <u8>(how == START_ANYWHERE ? C_ANYWHERE : C_RUN_START));
    }
    const n = this.ids.length + 1;
    this.nextFrom = new StaticArray<i32>(n);
    this.steps = new StaticArray<i32>(n);
    this.fallback = new StaticArray<bool>(n);
  }

  /**
   * Resets the per-scan state for a scan of [lo, hi) that reports matches starting at or after `from`
   * (bytes before it are context; a stream rescan's decided part, where no match of the whole
   * stream crosses `from`, so each detector's leftmost-longest chain starts afresh there).
   */
  begin(lo: i32, hi: i32, from: i32 = i32.MIN_VALUE): void {
    const n = this.ids.length;
    this.from = max(lo, from);
    this.openFrom = i32.MAX_VALUE;
    for (let k = 0; k < n; k++) {
      unchecked(this.nextFrom[k] = this.from);
      unchecked(this.steps[k] = 0);
      unchecked(this.fallback[k] = false);
    }
    this.budget = STEP_BUDGET_MIN + STEP_BUDGET_PER_BYTE * (hi - lo);
    this.mk.length = 0; this.ms.length = 0; this.me.length = 0;
  }

  /** Position i (in [lo, hi)) holds a byte some custom detector may start with: try those detectors. */
  at(p: usize, lo: i32, i: i32, hi: i32): void {
    const m = unchecked(this.masks[load<u8>(p + <usize>i)]);
    const n = this.ids.length;
    for (let k = 0; k < n; k++) {
      if ((m & (1 << <u32>min(k, 31))) == 0) continue;
      if (unchecked(this.fallback[k]) || i < unchecked(this.nextFrom[k])) continue;
      let e: i32, steps: i32;
      const pat = unchecked(this.patterns[k]);
      if (pat != null) { e = pat.matchAt(p, lo, hi, i); steps = pat.lastSteps; }
      else { const d = unchecked(this.dicts[k])!; e = d.matchAt(p, lo, hi, i); steps = d.lastSteps; }
      const total = unchecked(this.steps[k]) + steps;
      unchecked(this.steps[k] = total);
      if (e == -2 || total > this.budget) { unchecked(this.fallback[k] = true); continue; }
      // The attempt read up to hi still alive (see Pattern/Dictionary.lastSteps): more bytes may match here.
      if (i + steps - 1 == hi && i < this.openFrom) this.openFrom = i;
      if (e > i) {
        this.mk.push(k); this.ms.push(i); this.me.push(e);
        unchecked(this.nextFrom[k] = e);
      }
    }
  }

  /** Ends the scan: adds every custom match to `out`, running the separate pass for detectors that fell back. */
  finish(p: usize, lo: i32, hi: i32, out: Candidates, prio: i32): void {
    // Detector by detector, in the order they were added (ties between detectors resolve as before).
    const c = this.ids.length;
    const n = this.mk.length;
    for (let k = 0; k < c; k++) {
      const id = unchecked(this.ids[k]);
      if (!unchecked(this.fallback[k])) {
        for (let x = 0; x < n; x++) {
          if (unchecked(this.mk[x]) == k) out.add(id, unchecked(this.ms[x]), unchecked(this.me[x]), prio);
        }
        continue;
      }
      // Own pass: no in-pass openness is known, so the last `reach` bytes count as open.
      this.openFrom = min(this.openFrom, max(this.from, hi - unchecked(this.reach[k])));
      const pat = unchecked(this.patterns[k]);
      if (pat != null) {
        pat.findAll(p, lo, hi, this.from);
        for (let m = 0; m < pat.matchCount; m++) out.add(id, pat.matchStart(m), pat.matchEnd(m), prio);
      } else {
        const d = unchecked(this.dicts[k])!;
        d.findAll(p, lo, hi, this.from);
        for (let m = 0; m < d.matchCount; m++) out.add(id, d.matchStart(m), d.matchEnd(m), prio);
      }
    }
  }

  /** Detectors that ran their separate pass in the last scan (tests and diagnostics). */
  get fallbacks(): i32 {
    let f = 0;
    for (let k = 0; k < this.ids.length; k++) if (unchecked(this.fallback[k])) f++;
    return f;
  }
}
