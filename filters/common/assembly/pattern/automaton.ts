// Thompson NFA -> eagerly built DFA (subset construction with a state cap), and a leftmost-longest
// matcher that runs in time linear in the input: one reverse DFA pass marks every position where a
// match starts, then an anchored forward DFA from each chosen start finds the longest match (bounded by
// maxLength), and scanning resumes after it. No backtracking anywhere.
//
// Word boundaries (\b, \B) need the bytes on both sides. A DFA state therefore carries the word-ness of
// the previous byte, and assertions are resolved when the next byte is known: on a transition, or, for
// accepting, with the byte after the match (two accept flags per state).
import { Node, ByteSet, N_SET, N_CAT, N_ALT, N_REP, N_EMPTY, N_WB, N_NWB, setHas, isWordByte } from "./parse";

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
  for (let f = 0; f < nfas.length; f++) {
    const nfa = nfas[f];
    for (let s = 0; s < nfa.size; s++) {
      if (nfa.kind[s] != S_SET) continue;
      const set = nfa.set[s]!;
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

class Builder {
  nfa: Nfa;
  dfa: Dfa;
  unanchored: bool;
  maxStates: i32;
  keys: Map<string, i32> = new Map<string, i32>();
  sets: Array<Array<i32>> = new Array<Array<i32>>();
  flags: Array<bool> = new Array<bool>();
  mark: StaticArray<i32>;
  gen: i32 = 0;
  stack: Array<i32> = new Array<i32>();
  startCore: Array<i32> = new Array<i32>();

  constructor(nfa: Nfa, dfa: Dfa, unanchored: bool, maxStates: i32) {
    this.nfa = nfa; this.dfa = dfa; this.unanchored = unanchored; this.maxStates = maxStates;
    this.mark = new StaticArray<i32>(nfa.size);
  }

  /**
   * Epsilon closure of `seeds`. With resolve < 0 assertions are kept unexpanded (the next byte is not
   * known yet); with resolve 0/1 they are decided: 1 = at a word boundary.
   */
  closure(seeds: Array<i32>, resolve: i32, out: Array<i32>): void {
    this.gen++;
    const g = this.gen;
    const nfa = this.nfa;
    const st = this.stack;
    st.length = 0;
    for (let i = 0; i < seeds.length; i++) st.push(seeds[i]);
    while (st.length > 0) {
      const s = st.pop();
      if (s < 0 || unchecked(this.mark[s]) == g) continue;
      unchecked(this.mark[s] = g);
      const k = nfa.kind[s];
      if (k == S_SPLIT) { st.push(nfa.out2[s]); st.push(nfa.out[s]); continue; }
      if (k == S_EPS) { st.push(nfa.out[s]); continue; }
      if (k == S_WB || k == S_NWB) {
        if (resolve >= 0) {
          if ((k == S_WB) == (resolve == 1)) st.push(nfa.out[s]);
          continue;
        }
      }
      out.push(s);
    }
    out.sort((a: i32, b: i32): i32 => a - b);
  }

  intern(core: Array<i32>, prevWord: bool): i32 {
    let key = prevWord ? "w" : "n";
    for (let i = 0; i < core.length; i++) key += core[i].toString() + ",";
    if (this.keys.has(key)) return this.keys.get(key);
    if (this.sets.length >= this.maxStates) return -1;
    const id = this.sets.length;
    this.keys.set(key, id);
    this.sets.push(core);
    this.flags.push(prevWord);
    return id;
  }

  build(): void {
    const dfa = this.dfa;
    const nfa = this.nfa;
    // State 0: dead (empty set).
    this.intern(new Array<i32>(), false);
    const seed = new Array<i32>(); seed.push(nfa.start);
    this.closure(seed, -1, this.startCore);
    dfa.startNW = this.intern(this.startCore, false);
    dfa.startW = this.intern(this.startCore, true);
    const nc = dfa.numClasses;
    // Representative byte per class.
    const rep = new StaticArray<i32>(256);
    for (let c = 0; c < 256; c++) unchecked(rep[c] = -1);
    for (let b = 255; b >= 0; b--) unchecked(rep[dfa.classOf[b]] = b);
    const resolved = new Array<i32>();
    const stepped = new Array<i32>();
    for (let s = 0; s < this.sets.length; s++) {
      const core = this.sets[s];
      const prevWord = this.flags[s];
      // Accept flags for the two kinds of next byte.
      for (let nw = 0; nw < 2; nw++) {
        resolved.length = 0;
        this.closure(core, (prevWord != (nw == 1)) ? 1 : 0, resolved);
        let acc = false;
        for (let i = 0; i < resolved.length; i++) if (nfa.kind[resolved[i]] == S_MATCH) { acc = true; break; }
        dfa.accept.push(acc);
      }
      for (let c = 0; c < nc; c++) {
        const b = unchecked(rep[c]);
        if (s == 0 || b < 0) { dfa.trans.push(0); continue; }
        const w = isWordByte(b);
        resolved.length = 0;
        this.closure(core, (prevWord != w) ? 1 : 0, resolved);
        stepped.length = 0;
        for (let i = 0; i < resolved.length; i++) {
          const x = resolved[i];
          if (nfa.kind[x] == S_SET && setHas(nfa.set[x]!, b)) stepped.push(nfa.out[x]);
        }
        if (this.unanchored) stepped.push(nfa.start);
        const next = new Array<i32>();
        this.closure(stepped, -1, next);
        const id = next.length == 0 ? 0 : this.intern(next, w);
        if (id < 0) { dfa.error = "pattern too complex: automaton exceeds " + this.maxStates.toString() + " states"; return; }
        dfa.trans.push(id);
      }
    }
    dfa.numStates = this.sets.length;
  }
}

export function buildDfa(nfa: Nfa, classSource: Array<Nfa>, unanchored: bool, maxStates: i32): Dfa {
  const dfa = new Dfa();
  computeClasses(classSource, dfa);
  const b = new Builder(nfa, dfa, unanchored, maxStates);
  b.build();
  return dfa;
}
