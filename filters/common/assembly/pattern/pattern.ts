// A compiled custom pattern: forward (anchored) + reverse (unanchored) DFA, leftmost-longest matches.
import { parsePattern, nullable, isWordByte, PatternError, patternErrorMessage } from "./parse";
import { buildNfa, buildDfa, Dfa, Nfa } from "./automaton";

/** Default cap on DFA states per direction; patterns needing more are rejected at configure time. */
export const DEFAULT_MAX_STATES: i32 = 2000;
/** Default cap on a custom match's length in bytes (also the streaming carry bound for patterns). */
export const DEFAULT_MAX_LENGTH: i32 = 256;

/** firstBytes() values. */
export const START_ANYWHERE: u8 = 1;
export const START_AFTER_NON_WORD: u8 = 2;

export class CompileResult {
  pattern: Pattern | null = null;
  error: string = "";
}

/**
 * Compiles `src` (see docs/detectors.md, "Pattern language"). On failure `error` names the problem,
 * e.g. "missing ')' at offset 3" or "pattern too complex: automaton exceeds 2000 states".
 */
export function compilePattern(src: string, maxStates: i32 = DEFAULT_MAX_STATES, maxLength: i32 = DEFAULT_MAX_LENGTH, anchoredOnly: bool = false): CompileResult {
  const r = new CompileResult();
  const pr = parsePattern(src);
  if (pr.error.length > 0) { r.error = pr.error; return r; }
  const node = pr.node!;
  if (nullable(node)) { r.error = patternErrorMessage(PatternError.MATCHES_EMPTY); return r; }
  const fwd = buildNfa(node, false);
  // anchoredOnly: only matchAt will be used (the caller already knows where to try), so the reverse
  // automaton, about half of the compile time, is not built and findAll finds nothing.
  let rev: Nfa | null = null;
  if (!anchoredOnly) rev = buildNfa(node, true);
  if (fwd.tooBig || (rev !== null && rev.tooBig)) { r.error = patternErrorMessage(PatternError.TOO_LARGE); return r; }
  const both = new Array<Nfa>(); both.push(fwd); if (rev !== null) both.push(rev);
  const f = buildDfa(fwd, both, false, maxStates);
  if (f.error.length > 0) { r.error = f.error; return r; }
  if (rev === null) { r.pattern = new Pattern(f, null, maxLength); return r; }
  const b = buildDfa(rev, both, true, maxStates);
  if (b.error.length > 0) { r.error = b.error; return r; }
  r.pattern = new Pattern(f, b, maxLength);
  return r;
}

export class Pattern {
  private starts: StaticArray<u32> = new StaticArray<u32>(0);
  private ms: Array<i32> = new Array<i32>();
  private me: Array<i32> = new Array<i32>();

  /** rev is null for a pattern compiled anchoredOnly (matchAt only; findAll finds nothing). */
  constructor(private fwd: Dfa, private revOrNull: Dfa | null, public maxLength: i32) {}

  get states(): i32 { const rv = this.revOrNull; return this.fwd.numStates + (rv !== null ? rv.numStates : 0); }
  get matchCount(): i32 { return this.ms.length; }
  matchStart(i: i32): i32 { return this.ms[i]; }
  matchEnd(i: i32): i32 { return this.me[i]; }
  resetMatches(): void { this.ms.length = 0; this.me.length = 0; }

  /**
   * Where a match can begin, per byte: 0 never, START_ANYWHERE, or START_AFTER_NON_WORD (only when the
   * previous byte is not a word byte, e.g. after a leading \b). A scanner may try `matchAt` only there.
   */
  firstBytes(): StaticArray<u8> {
    const fw = this.fwd;
    const set = new StaticArray<u8>(256);
    for (let b = 0; b < 256; b++) {
      const k = <i32>unchecked(fw.classOf[b]);
      if (fw.trans[fw.startW * fw.numClasses + k] != 0) unchecked(set[b] = START_ANYWHERE);
      else if (fw.trans[fw.startNW * fw.numClasses + k] != 0) unchecked(set[b] = START_AFTER_NON_WORD);
    }
    return set;
  }

  /**
   * Where a match can begin, per pair of bytes (index: first | second << 8; second = 0 also stands for
   * "no byte after it"): 0 never, START_ANYWHERE or START_AFTER_NON_WORD. A finer filter than firstBytes.
   */
  firstPairs(): StaticArray<u8> {
    const fw = this.fwd;
    const nc = fw.numClasses;
    const set = new StaticArray<u8>(65536);
    for (let b0 = 0; b0 < 256; b0++) {
      const k0 = <i32>unchecked(fw.classOf[b0]);
      const sW = fw.trans[fw.startW * nc + k0], sNW = fw.trans[fw.startNW * nc + k0];
      if (sW == 0 && sNW == 0) continue;
      for (let b1 = 0; b1 < 256; b1++) {
        const k1 = <i32>unchecked(fw.classOf[b1]);
        const w1 = isWordByte(b1) ? 1 : 0;
        const liveW = sW != 0 && (b1 == 0 || fw.trans[sW * nc + k1] != 0 || fw.accept[sW * 2 + w1]);
        const liveNW = sNW != 0 && (b1 == 0 || fw.trans[sNW * nc + k1] != 0 || fw.accept[sNW * 2 + w1]);
        if (liveW) unchecked(set[b0 | (b1 << 8)] = START_ANYWHERE);
        else if (liveNW) unchecked(set[b0 | (b1 << 8)] = START_AFTER_NON_WORD);
      }
    }
    return set;
  }

  /**
   * DFA steps taken by the last matchAt (also run by findAll; callers budget them to stay linear). `at + lastSteps - 1 == hi`:
   * the attempt ran into `hi` with the automaton still alive, so bytes after `hi` could still make
   * (or lengthen) a match starting at `at` (streaming callers hold it back).
   */
  lastSteps: i32 = 0;

  /**
   * Anchored attempt at `at` within [lo, hi) (bytes before `at` from lo are context for \b): the end of
   * the longest match starting at `at` within maxLength, -1 if no match starts there, or -2 when it
   * cannot tell within maxLength bytes (a match longer than maxLength may start here: use findAll, which
   * reports it in maxLength pieces). Agrees with findAll at every start findAll visits.
   */
  matchAt(p: usize, lo: i32, hi: i32, at: i32): i32 {
    const fw = this.fwd;
    const fnc = fw.numClasses;
    const prevW = at > lo && isWordByte(<i32>load<u8>(p + <usize>(at - 1)));
    let st = prevW ? fw.startW : fw.startNW;
    let best = -1;
    const lim = min(hi, at + this.maxLength);
    let j = at;
    for (; j < lim; j++) {
      st = unchecked(fw.trans[st * fnc + <i32>unchecked(fw.classOf[load<u8>(p + <usize>j)])]);
      if (st == 0) break;
      const next = j + 1 < hi && isWordByte(<i32>load<u8>(p + <usize>(j + 1))) ? 1 : 0;
      if (unchecked(fw.accept[st * 2 + next])) best = j + 1;
    }
    this.lastSteps = j - at + 1;
    if (best > at) return best;
    if (j == lim && lim == at + this.maxLength) return -2;
    return -1;
  }

  /**
   * Finds all leftmost-longest non-overlapping matches in memory [p+lo, p+hi) that start at or after
   * `from` (bytes before it are context: a stream rescan's already-decided part); results via
   * matchStart/End.
   */
  findAll(p: usize, lo: i32, hi: i32, from: i32 = i32.MIN_VALUE): void {
    this.resetMatches();
    const n = hi - lo;
    const rvn = this.revOrNull;
    if (n <= 0 || rvn === null) return;
    const rv = rvn;
    const words = (n >> 5) + 1;
    if (this.starts.length < words) this.starts = new StaticArray<u32>(max(words, this.starts.length * 2));
    const starts = this.starts;
    memory.fill(changetype<usize>(starts), 0, <usize>words << 2);
    // Reverse pass: after consuming byte i (walking right to left) an accepting state, judged with the
    // byte before i, means some match starts at i.
    const rnc = rv.numClasses;
    // The hot loop: raw pointers to the tables, so no field or array header is reloaded per byte
    // (the bitset stores below would otherwise keep the compiler from hoisting those loads).
    const classOf = changetype<usize>(rv.classOf);
    const trans = rv.trans.dataStart;
    const accept = rv.accept.dataStart;
    let s = rv.startNW;
    let any = false;
    for (let i = hi - 1; i >= lo; i--) {
      const b = load<u8>(p + <usize>i);
      s = load<i32>(trans + (<usize>(s * rnc + <i32>load<u8>(classOf + <usize>b)) << 2));
      const before = i > lo && isWordByte(<i32>load<u8>(p + <usize>(i - 1))) ? 1 : 0;
      if (load<bool>(accept + <usize>(s * 2 + before))) {
        const k = i - lo;
        unchecked(starts[k >> 5] |= (1 << (k & 31)));
        any = true;
      }
    }
    if (!any) return;
    // Forward: from each marked start (left to right), the longest match within maxLength.
    let i = from > lo ? min(from - lo, n) : 0;
    while (i < n) {
      // Next marked bit >= i.
      let w = i >> 5;
      let bits = unchecked(starts[w]) & (0xffffffff << (i & 31));
      while (bits == 0) { w++; if (w >= words) return; bits = unchecked(starts[w]); }
      const k = (w << 5) + <i32>ctz(bits);
      if (k >= n) return;
      const at = lo + k;
      // A match starts here (the reverse pass proved it); matchAt answers -2 when it is longer than
      // maxLength: report it in maxLength pieces, so it is still masked and the scan stays linear.
      const r = this.matchAt(p, lo, hi, at);
      const best = r == -2 ? at + this.maxLength : r;
      if (best > at) {
        this.ms.push(at); this.me.push(best);
        i = best - lo;
      } else i = k + 1;
    }
  }
}
