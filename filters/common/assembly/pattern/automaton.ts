// Thompson NFA -> eagerly built DFA (subset construction with a state cap), and a leftmost-longest
// matcher that runs in time linear in the input: one reverse DFA pass marks every position where a
// match starts, then an anchored forward DFA from each chosen start finds the longest match (bounded by
// maxLength), and scanning resumes after it. No backtracking anywhere.
//
// Word boundaries (\b, \B) need the bytes on both sides. A DFA state therefore carries the word-ness of
// the previous byte, and assertions are resolved when the next byte is known: on a transition, or, for
// accepting, with the byte after the match (two accept flags per state).
import { Node, ByteSet, N_SET, N_CAT, N_ALT, N_REP, N_EMPTY, N_WB, N_NWB, setHas, setAdd, isWordByte, PatternError, patternErrorMessage } from "./parse";
import { decimal } from "../bytes/decimal";

const S_SET: u8 = 0;   // consume a byte in set -> out
const S_SPLIT: u8 = 1; // epsilon -> out, out2
const S_MATCH: u8 = 2;
const S_WB: u8 = 3;    // epsilon if at a word boundary
const S_NWB: u8 = 4;   // epsilon if not at a word boundary
const S_EPS: u8 = 5;

export const MAX_NFA_STATES: i32 = 20000;

export class Nfa {
  kind: Array<u8> = new Array<u8>();
  out: Array<i32> = new Array<i32>();
  out2: Array<i32> = new Array<i32>();
  set: Array<ByteSet | null> = new Array<ByteSet | null>();
  start: i32 = 0;
  tooBig: bool = false;

  add(kind: u8, out: i32, out2: i32, set: ByteSet | null): i32 {
    if (this.kind.length >= MAX_NFA_STATES) { this.tooBig = true; return 0; }
    this.kind.push(kind); this.out.push(out); this.out2.push(out2); this.set.push(set);
    return this.kind.length - 1;
  }
  get size(): i32 { return this.kind.length; }
}

/** Builds the NFA for `n` (reversed: concatenations run backwards, for the reverse DFA). */
export function buildNfa(n: Node, reverse: bool): Nfa {
  const nfa = new Nfa();
  const m = nfa.add(S_MATCH, -1, -1, null);
  nfa.start = emit(nfa, n, m, reverse);
  return nfa;
}

function emit(nfa: Nfa, n: Node, next: i32, rev: bool): i32 {
  if (nfa.tooBig) return 0;
  switch (n.kind) {
    case N_SET: return nfa.add(S_SET, next, -1, n.set);
    case N_CAT: {
      let cur = next;
      const k = n.kids.length;
      if (rev) { for (let i = 0; i < k; i++) cur = emit(nfa, n.kids[i], cur, rev); }
      else { for (let i = k - 1; i >= 0; i--) cur = emit(nfa, n.kids[i], cur, rev); }
      return cur;
    }
    case N_ALT: {
      let cur = emit(nfa, n.kids[n.kids.length - 1], next, rev);
      for (let i = n.kids.length - 2; i >= 0; i--) cur = nfa.add(S_SPLIT, emit(nfa, n.kids[i], next, rev), cur, null);
      return cur;
    }
    case N_REP: {
      const kid = n.kids[0];
      let tail = next;
      if (n.max < 0) {
        const loop = nfa.add(S_SPLIT, -1, next, null);
        const body = emit(nfa, kid, loop, rev);
        if (!nfa.tooBig) nfa.out[loop] = body;
        tail = loop;
      } else {
        for (let i = 0; i < n.max - n.min && !nfa.tooBig; i++) tail = nfa.add(S_SPLIT, emit(nfa, kid, tail, rev), next, null);
      }
      for (let i = 0; i < n.min && !nfa.tooBig; i++) tail = emit(nfa, kid, tail, rev);
      return tail;
    }
    case N_WB: return nfa.add(S_WB, next, -1, null);
    case N_NWB: return nfa.add(S_NWB, next, -1, null);
    default: return nfa.add(S_EPS, next, -1, null);
  }
}

/** A compiled DFA over byte equivalence classes. State 0 is dead. */
export class Dfa {
  classOf: StaticArray<u8> = new StaticArray<u8>(256);
  numClasses: i32 = 0;
  /** trans[state * numClasses + class] -> state. */
  trans: Array<i32> = new Array<i32>();
  /** accept[state * 2 + (next byte is a word byte ? 1 : 0)]. */
  accept: Array<bool> = new Array<bool>();
  /** Start states for a previous byte that is not / is a word byte. */
  startNW: i32 = 0;
  startW: i32 = 0;
  numStates: i32 = 0;
  error: string = "";
}

/** Byte equivalence classes: bytes no set (and no word-boundary test) can tell apart share a class. */
function computeClasses(nfas: Array<Nfa>, dfa: Dfa): void {
  const cls = dfa.classOf;
  for (let b = 0; b < 256; b++) unchecked(cls[b] = isWordByte(b) ? 1 : 0);
  let count = 2;
  const remap = new StaticArray<i32>(512);
  // Refining by a set already applied changes nothing (every class is then wholly in or out of it),
  // and a pattern of literals has thousands of set states but few distinct sets: each is applied
  // once. Single bytes are remembered in a bit set, other sets in a list.
  const singles = new StaticArray<u32>(8);
  const applied = new Array<ByteSet>();
  for (let f = 0; f < nfas.length; f++) {
    const nfa = nfas[f];
    for (let s = 0; s < nfa.size; s++) {
      if (nfa.kind[s] != S_SET) continue;
      const set = nfa.set[s]!;
      const single = singleByte(set);
      if (single >= 0) {
        if (setHas(singles, single)) continue;
        setAdd(singles, single);
      } else {
        if (holdsSet(applied, set)) continue;
        applied.push(set);
      }
      for (let k = 0; k < 512; k++) unchecked(remap[k] = -1);
      let next = 0;
      for (let b = 0; b < 256; b++) {
        const key = (<i32>unchecked(cls[b]) << 1) | (setHas(set, b) ? 1 : 0);
        if (unchecked(remap[key]) < 0) unchecked(remap[key] = next++);
        unchecked(cls[b] = <u8>unchecked(remap[key]));
      }
      count = next;
      if (count > 255) count = 255;
    }
  }
  dfa.numClasses = count;
}

/** The one byte of `set`, or -1 when it holds none or several. */
function singleByte(set: ByteSet): i32 {
  let found = -1;
  for (let k = 0; k < 8; k++) {
    const w = unchecked(set[k]);
    if (w == 0) continue;
    if (found >= 0 || (w & (w - 1)) != 0) return -1;
    found = (k << 5) + <i32>ctz(w);
  }
  return found;
}

/** Whether `list` holds a set equal to `set`. */
function holdsSet(list: Array<ByteSet>, set: ByteSet): bool {
  for (let i = 0; i < list.length; i++) {
    const o = unchecked(list[i]);
    let same = true;
    for (let k = 0; k < 8; k++) if (unchecked(o[k]) != unchecked(set[k])) { same = false; break; }
    if (same) return true;
  }
  return false;
}

/**
 * Work budget of one DFA construction, in elementary steps (an NFA state visited by a closure, a
 * state stepped over a byte class, a state id hashed or compared while interning): about 0.5 s of
 * on_configure on one core. Subset construction can take time exponential in the pattern; a
 * pattern that needs more is refused ("pattern too complex"), named by its field.
 */
export const DEFAULT_COMPILE_BUDGET: i32 = 40_000_000;
/** NFA state ids stored over all DFA states of one construction (4 bytes each): 16 MiB. */
export const MAX_CORE_ENTRIES: i32 = 4_000_000;

class Builder {
  nfa: Nfa;
  dfa: Dfa;
  unanchored: bool;
  maxStates: i32;
  /** Interned state sets, flat: set k is pool[setStart[k], setStart[k] + setLen[k]). */
  pool: Array<i32> = new Array<i32>();
  setStart: Array<i32> = new Array<i32>();
  setLen: Array<i32> = new Array<i32>();
  flags: Array<bool> = new Array<bool>();
  /** Hash table of set ids (open addressing, -1 empty), and each set's hash. */
  table: StaticArray<i32> = new StaticArray<i32>(0);
  hashes: Array<u32> = new Array<u32>();
  mark: StaticArray<i32>;
  gen: i32 = 0;
  stack: Array<i32> = new Array<i32>();
  startCore: Array<i32> = new Array<i32>();
  /** Steps left (see DEFAULT_COMPILE_BUDGET). */
  budget: i32;
  /**
   * Unanchored (reverse) DFA: every state holds the start closure, so it is left out of the
   * interned sets (a leading -1 stands for it) and its steps are computed once per byte class:
   * the work per DFA state is then what the state adds, not the whole pattern again.
   */
  inStart: StaticArray<bool> = new StaticArray<bool>(0);
  /** Targets of the start closure per [boundary][class], and its accept flag per boundary. */
  startStep: Array<Array<i32>> = new Array<Array<i32>>();
  startAccept: StaticArray<bool> = new StaticArray<bool>(2);

  constructor(nfa: Nfa, dfa: Dfa, unanchored: bool, maxStates: i32, budget: i32) {
    this.nfa = nfa; this.dfa = dfa; this.unanchored = unanchored; this.maxStates = maxStates;
    this.mark = new StaticArray<i32>(nfa.size);
    this.budget = budget;
    let cap = 64;
    while (cap < maxStates * 2 + 2) cap <<= 1;
    this.table = new StaticArray<i32>(cap);
    for (let i = 0; i < cap; i++) unchecked((this.table[i] = -1));
  }

  /**
   * Epsilon closure of `seeds`. With resolve < 0 assertions are kept unexpanded (the next byte is not
   * known yet); with resolve 0/1 they are decided: 1 = at a word boundary. `out` is sorted.
   */
  closure(seeds: Array<i32>, resolve: i32, out: Array<i32>): void {
    this.gen++;
    const g = this.gen;
    const nfa = this.nfa;
    const st = this.stack;
    st.length = 0;
    for (let i = 0; i < seeds.length; i++) st.push(unchecked(seeds[i]));
    let steps = 0;
    while (st.length > 0) {
      const s = st.pop();
      steps++;
      if (s < 0 || unchecked(this.mark[s]) == g) continue;
      unchecked((this.mark[s] = g));
      const k = unchecked(nfa.kind[s]);
      if (k == S_SPLIT) { st.push(unchecked(nfa.out2[s])); st.push(unchecked(nfa.out[s])); continue; }
      if (k == S_EPS) { st.push(unchecked(nfa.out[s])); continue; }
      if (k == S_WB || k == S_NWB) {
        if (resolve >= 0) {
          if ((k == S_WB) == (resolve == 1)) st.push(unchecked(nfa.out[s]));
          continue;
        }
      }
      out.push(s);
    }
    this.budget -= steps + out.length;
    sortInts(out);
  }

  /** Id of the DFA state (core, prevWord), added if new; -1 when a limit is reached. */
  intern(core: Array<i32>, prevWord: bool): i32 {
    const n = core.length;
    let h: u32 = prevWord ? 0x9e3779b9 : 0x85ebca6b;
    for (let i = 0; i < n; i++) h = (h ^ <u32>unchecked(core[i])) * 0x01000193;
    h ^= <u32>n;
    this.budget -= n;
    const t = this.table;
    const mask = t.length - 1;
    let slot = <i32>(h & <u32>mask);
    while (true) {
      const id = unchecked(t[slot]);
      if (id < 0) break;
      if (unchecked(this.hashes[id]) == h && unchecked(this.flags[id]) == prevWord && unchecked(this.setLen[id]) == n) {
        const base = unchecked(this.setStart[id]);
        let same = true;
        for (let i = 0; i < n; i++) if (unchecked(this.pool[base + i]) != unchecked(core[i])) { same = false; break; }
        this.budget -= n;
        if (same) return id;
      }
      slot = (slot + 1) & mask;
    }
    if (this.setLen.length >= this.maxStates || this.pool.length + n > MAX_CORE_ENTRIES) return -1;
    const id = this.setLen.length;
    unchecked((t[slot] = id));
    this.setStart.push(this.pool.length);
    this.setLen.push(n);
    for (let i = 0; i < n; i++) this.pool.push(unchecked(core[i]));
    this.flags.push(prevWord);
    this.hashes.push(h);
    return id;
  }

  private coreOf(id: i32, out: Array<i32>): void {
    out.length = 0;
    const base = unchecked(this.setStart[id]);
    const n = unchecked(this.setLen[id]);
    for (let i = 0; i < n; i++) out.push(unchecked(this.pool[base + i]));
  }

  build(): void {
    const dfa = this.dfa;
    const nfa = this.nfa;
    // State 0: dead (empty set).
    this.intern(new Array<i32>(), false);
    const seed = new Array<i32>(); seed.push(nfa.start);
    this.closure(seed, -1, this.startCore);
    const nc = dfa.numClasses;
    // Representative byte per class.
    const rep = new StaticArray<i32>(256);
    for (let c = 0; c < 256; c++) unchecked(rep[c] = -1);
    for (let b = 255; b >= 0; b--) unchecked(rep[dfa.classOf[b]] = b);
    const implicit = this.unanchored;
    const key = new Array<i32>();
    if (implicit) {
      this.inStart = new StaticArray<bool>(nfa.size);
      for (let i = 0; i < this.startCore.length; i++) unchecked((this.inStart[unchecked(this.startCore[i])] = true));
      const r = new Array<i32>();
      for (let bd = 0; bd < 2; bd++) {
        r.length = 0;
        this.closure(this.startCore, bd, r);
        let acc = false;
        for (let i = 0; i < r.length; i++) if (unchecked(nfa.kind[unchecked(r[i])]) == S_MATCH) acc = true;
        unchecked((this.startAccept[bd] = acc));
        for (let c = 0; c < nc; c++) {
          const b = unchecked(rep[c]);
          const t = new Array<i32>();
          // Only classes whose word-ness matches this boundary kind are ever looked up, but both are cheap.
          if (b >= 0) for (let i = 0; i < r.length; i++) {
            const x = unchecked(r[i]);
            if (unchecked(nfa.kind[x]) == S_SET && setHas(unchecked(nfa.set[x])!, b)) t.push(unchecked(nfa.out[x]));
          }
          this.budget -= r.length;
          this.startStep.push(t);
        }
      }
      key.push(-1);
      dfa.startNW = this.intern(key, false);
      dfa.startW = this.intern(key, true);
    } else {
      dfa.startNW = this.intern(this.startCore, false);
      dfa.startW = this.intern(this.startCore, true);
    }
    // Per state, the closure is resolved once per kind of next byte (word / non-word), not per class.
    const core = new Array<i32>();
    const resolved = new Array<Array<i32>>(2);
    resolved[0] = new Array<i32>();
    resolved[1] = new Array<i32>();
    // Per NFA byte-set state, the classes its set holds: classList[classStart[x], classStart[x + 1]).
    const classStart = new StaticArray<i32>(nfa.size + 1);
    const classList = new Array<i32>();
    for (let x = 0; x < nfa.size; x++) {
      unchecked(classStart[x] = classList.length);
      if (unchecked(nfa.kind[x]) != S_SET) continue;
      const set = unchecked(nfa.set[x])!;
      const single = singleByte(set);
      if (single >= 0) { classList.push(<i32>unchecked(dfa.classOf[single])); continue; }
      for (let c = 0; c < nc; c++) { const b = unchecked(rep[c]); if (b >= 0 && setHas(set, b)) classList.push(c); }
    }
    unchecked(classStart[nfa.size] = classList.length);
    this.budget -= nfa.size;
    const steps = new Array<Array<i32>>(nc);
    for (let c = 0; c < nc; c++) unchecked(steps[c] = new Array<i32>());
    const next = new Array<i32>();
    for (let s = 0; s < this.setLen.length; s++) {
      if (this.budget < 0) { dfa.error = patternErrorMessage(PatternError.OVER_BUDGET) + decimal(DEFAULT_COMPILE_BUDGET) + " steps"; return; }
      this.coreOf(s, core);
      if (implicit && core.length > 0) core.shift(); // the -1 standing for the start closure
      const prevWord = unchecked(this.flags[s]);
      // resolved[w]: closure when the next byte is (w = 1) / is not (w = 0) a word byte.
      for (let w = 0; w < 2; w++) {
        const r = unchecked(resolved[w]);
        r.length = 0;
        this.closure(core, (prevWord != (w == 1)) ? 1 : 0, r);
      }
      // Accept flags for the two kinds of next byte.
      for (let w = 0; w < 2; w++) {
        const r = unchecked(resolved[w]);
        let acc = s != 0 && implicit && unchecked(this.startAccept[(prevWord != (w == 1)) ? 1 : 0]);
        for (let i = 0; i < r.length; i++) if (unchecked(nfa.kind[unchecked(r[i])]) == S_MATCH) { acc = true; break; }
        dfa.accept.push(acc);
      }
      // The NFA states each class steps to, gathered in one pass over the resolved sets: a byte
      // set holds few classes (a literal one), so this costs the sets' sizes, not classes x sets.
      for (let c = 0; c < nc; c++) unchecked(steps[c]).length = 0;
      for (let w = 0; w < 2; w++) {
        const r = unchecked(resolved[w]);
        for (let i = 0; i < r.length; i++) {
          const x = unchecked(r[i]);
          if (unchecked(nfa.kind[x]) != S_SET) continue;
          const from = unchecked(classStart[x]), to = unchecked(classStart[x + 1]);
          for (let k = from; k < to; k++) {
            const c = unchecked(classList[k]);
            // Only the classes of this kind of next byte (word / non-word) read resolved[w].
            if (isWordByte(unchecked(rep[c])) == (w == 1)) unchecked(steps[c]).push(unchecked(nfa.out[x]));
          }
          this.budget -= to - from;
        }
      }
      this.budget -= nc;
      for (let c = 0; c < nc; c++) {
        const b = unchecked(rep[c]);
        if (s == 0 || b < 0) { dfa.trans.push(0); continue; }
        const w = isWordByte(b);
        const stepped = unchecked(steps[c]);
        if (implicit) {
          const t = unchecked(this.startStep[((prevWord != w) ? nc : 0) + c]);
          for (let i = 0; i < t.length; i++) stepped.push(unchecked(t[i]));
        }
        next.length = 0;
        this.closure(stepped, -1, next);
        let id = 0;
        if (implicit) {
          key.length = 0;
          key.push(-1);
          for (let i = 0; i < next.length; i++) { const x = unchecked(next[i]); if (!unchecked(this.inStart[x])) key.push(x); }
          id = this.intern(key, w);
        } else if (next.length > 0) id = this.intern(next, w);
        if (id < 0) {
          dfa.error = this.setLen.length >= this.maxStates ? patternErrorMessage(PatternError.TOO_MANY_STATES) + decimal(this.maxStates) + " states"
            : patternErrorMessage(PatternError.TOO_MANY_ENTRIES) + decimal(MAX_CORE_ENTRIES) + " state entries";
          return;
        }
        dfa.trans.push(id);
      }
    }
    if (this.budget < 0) { dfa.error = patternErrorMessage(PatternError.OVER_BUDGET) + decimal(DEFAULT_COMPILE_BUDGET) + " steps"; return; }
    dfa.numStates = this.setLen.length;
  }
}

/** Sorts an int array in place: Shell sort (gaps shrinking by 2.2, the last pass an insertion
 *  sort; short arrays get only that), so no module pulls in the standard library's generic sort. */
function sortInts(a: Array<i32>): void {
  const n = a.length;
  let gap = n > 32 ? n >> 1 : 1;
  while (gap > 0) {
    for (let i = gap; i < n; i++) {
      const x = unchecked(a[i]);
      let j = i;
      while (j >= gap && unchecked(a[j - gap]) > x) { unchecked((a[j] = a[j - gap])); j -= gap; }
      unchecked((a[j] = x));
    }
    gap = gap <= 2 ? gap - 1 : <i32>(<f64>gap / 2.2);
  }
}

export function buildDfa(nfa: Nfa, classSource: Array<Nfa>, unanchored: bool, maxStates: i32, budget: i32 = DEFAULT_COMPILE_BUDGET): Dfa {
  const dfa = new Dfa();
  computeClasses(classSource, dfa);
  const b = new Builder(nfa, dfa, unanchored, maxStates, budget);
  b.build();
  return dfa;
}
