// Literal dictionary (customer names, project code names): ASCII case-insensitive Aho-Corasick with
// word boundaries, leftmost-longest, non-overlapping. Linear in input + matches.
import { isWordByte } from "./parse";
import { START_ANYWHERE, START_AFTER_NON_WORD } from "./pattern";
import { decimal } from "../bytes/decimal";

export const MAX_WORD_LENGTH: i32 = 256;
export const MAX_DICT_NODES: i32 = 1 << 20;

@inline function fold(b: u32): u32 { return b - 0x41 < 26 ? b | 0x20 : b; }

export class Dictionary {
  // Trie: children as sibling lists (byte, child, next sibling); goto is resolved with fail links.
  private first: Array<i32> = new Array<i32>();
  private sibling: Array<i32> = new Array<i32>();
  private label: Array<u8> = new Array<u8>();
  private fail: Array<i32> = new Array<i32>();
  /** Length of the word ending at this node (0 = none). */
  private wordLen: Array<i32> = new Array<i32>();
  /** Nearest node on the fail chain (excluding self) that ends a word, or -1. */
  private outLink: Array<i32> = new Array<i32>();
  private built: bool = false;
  private cs: Array<i32> = new Array<i32>();
  private ce: Array<i32> = new Array<i32>();
  private ms: Array<i32> = new Array<i32>();
  private me: Array<i32> = new Array<i32>();
  error: string = "";
  maxWordLength: i32 = 0;

  constructor() { this.newNode(0); }

  private newNode(b: u8): i32 {
    this.first.push(-1); this.sibling.push(-1); this.label.push(b); this.fail.push(0);
    this.wordLen.push(0); this.outLink.push(-1);
    return this.first.length - 1;
  }

  private child(n: i32, b: u8): i32 {
    // Node ids come from newNode, so they index every per-node array.
    let c = unchecked(this.first[n]);
    while (c >= 0) { if (unchecked(this.label[c]) == b) return c; c = unchecked(this.sibling[c]); }
    return -1;
  }

  /** Adds a word (UTF-8 of `w`); returns false with `error` set if it is empty or too long. */
  add(w: string): bool {
    const bytes = Uint8Array.wrap(String.UTF8.encode(w));
    const n = bytes.length;
    if (n == 0) { this.error = "empty dictionary word"; return false; }
    if (n > MAX_WORD_LENGTH) { this.error = "dictionary word longer than " + decimal(MAX_WORD_LENGTH) + " bytes"; return false; }
    if (this.first.length + n > MAX_DICT_NODES) { this.error = "dictionary too large"; return false; }
    let node = 0;
    for (let i = 0; i < n; i++) {
      const b = <u8>fold(bytes[i]);
      let c = this.child(node, b);
      if (c < 0) {
        c = this.newNode(b);
        this.sibling[c] = this.first[node];
        this.first[node] = c;
      }
      node = c;
    }
    this.wordLen[node] = n;
    if (n > this.maxWordLength) this.maxWordLength = n;
    this.built = false;
    return true;
  }

  private build(): void {
    const queue = new Array<i32>();
    let c = this.first[0];
    while (c >= 0) { this.fail[c] = 0; queue.push(c); c = this.sibling[c]; }
    let h = 0;
    while (h < queue.length) {
      const r = queue[h++];
      c = this.first[r];
      while (c >= 0) {
        const b = this.label[c];
        let f = this.fail[r];
        let g = this.child(f, b);
        while (g < 0 && f != 0) { f = this.fail[f]; g = this.child(f, b); }
        this.fail[c] = g >= 0 && g != c ? g : 0;
        const fc = this.fail[c];
        this.outLink[c] = this.wordLen[fc] > 0 ? fc : this.outLink[fc];
        queue.push(c);
        c = this.sibling[c];
      }
    }
    this.built = true;
  }

  /**
   * Where a word can begin, per byte (both ASCII cases): START_AFTER_NON_WORD for word bytes (whole
   * words), START_ANYWHERE for words that begin with another byte.
   */
  firstBytes(): StaticArray<u8> {
    const set = new StaticArray<u8>(256);
    let c = this.first[0];
    while (c >= 0) {
      const b = <i32>this.label[c];
      const how = isWordByte(b) ? START_AFTER_NON_WORD : START_ANYWHERE;
      set[b] = how;
      if (<u32>(b - 0x61) < 26) set[b - 0x20] = how;
      c = this.sibling[c];
    }
    return set;
  }

  /**
   * Where a word can begin, per pair of bytes (index: first | second << 8, both ASCII cases; second = 0
   * also stands for "no byte after it"): see firstBytes.
   */
  firstPairs(): StaticArray<u8> {
    const set = new StaticArray<u8>(65536);
    let c = this.first[0];
    while (c >= 0) {
      const b0 = <i32>this.label[c];
      const how = isWordByte(b0) ? START_AFTER_NON_WORD : START_ANYWHERE;
      const up0 = <u32>(b0 - 0x61) < 26 ? b0 - 0x20 : b0;
      if (this.wordLen[c] > 0) {
        // A one-byte word: any byte may follow.
        for (let b1 = 0; b1 < 256; b1++) { set[b0 | (b1 << 8)] = how; set[up0 | (b1 << 8)] = how; }
      } else {
        set[b0] = how; set[up0] = how;
        let d = this.first[c];
        while (d >= 0) {
          const b1 = <i32>this.label[d];
          const up1 = <u32>(b1 - 0x61) < 26 ? b1 - 0x20 : b1;
          set[b0 | (b1 << 8)] = how; set[up0 | (b1 << 8)] = how;
          set[b0 | (up1 << 8)] = how; set[up0 | (up1 << 8)] = how;
          d = this.sibling[d];
        }
      }
      c = this.sibling[c];
    }
    return set;
  }

  /**
   * Trie steps taken by the last matchAt (callers budget them to stay linear). `s + lastSteps - 1 == hi`:
   * the walk ran into `hi` inside the trie, so more bytes could still make or lengthen a word at `s`.
   */
  lastSteps: i32 = 0;

  /**
   * Longest whole word starting at `s` within [lo, hi) (bytes before `s` from lo are context for the
   * word boundary): its end, or -1.
   */
  matchAt(p: usize, lo: i32, hi: i32, s: i32): i32 {
    if (!this.built) this.build();
    this.lastSteps = 1;
    if (s > lo && isWordByte(<i32>load<u8>(p + <usize>s)) && isWordByte(<i32>load<u8>(p + <usize>(s - 1)))) return -1;
    let node = 0;
    let best = -1;
    let j = s;
    while (j < hi) {
      node = this.child(node, <u8>fold(<u32>load<u8>(p + <usize>j)));
      if (node < 0) break;
      j++;
      if (unchecked(this.wordLen[node]) > 0) {
        if (j >= hi || !isWordByte(<i32>load<u8>(p + <usize>(j - 1))) || !isWordByte(<i32>load<u8>(p + <usize>j))) best = j;
      }
    }
    this.lastSteps = j - s + 1;
    return best;
  }

  get matchCount(): i32 { return this.ms.length; }
  matchStart(i: i32): i32 { return this.ms[i]; }
  matchEnd(i: i32): i32 { return this.me[i]; }

  /**
   * All leftmost-longest whole-word matches in [p+lo, p+hi) that start at or after `from` (bytes
   * before it are context: a stream rescan's already-decided part).
   */
  findAll(p: usize, lo: i32, hi: i32, from: i32 = i32.MIN_VALUE): void {
    if (!this.built) this.build();
    this.ms.length = 0; this.me.length = 0;
    const cs = this.cs, ce = this.ce;
    cs.length = 0; ce.length = 0;
    let node = 0;
    for (let i = lo; i < hi; i++) {
      const b = <u8>fold(<u32>load<u8>(p + <usize>i));
      let g = this.child(node, b);
      while (g < 0 && node != 0) { node = this.fail[node]; g = this.child(node, b); }
      node = g < 0 ? 0 : g;
      // Only ends at a word boundary can end a whole-word match.
      const e = i + 1;
      if (e < hi && isWordByte(<i32>load<u8>(p + <usize>(i))) && isWordByte(<i32>load<u8>(p + <usize>e))) continue;
      let o = this.wordLen[node] > 0 ? node : this.outLink[node];
      while (o >= 0) {
        const s = e - this.wordLen[o];
        const startOk = s <= lo || !isWordByte(<i32>load<u8>(p + <usize>s)) || !isWordByte(<i32>load<u8>(p + <usize>(s - 1)));
        if (startOk) { if (s >= from) { cs.push(s); ce.push(e); } break; } // longest valid word ending here
        o = this.outLink[o];
      }
    }
    // Candidates are sorted by end; pick leftmost-longest non-overlapping (a later end may start earlier).
    const n = cs.length;
    let k = 0;
    while (k < n) {
      // Among candidates overlapping the window that starts at the earliest pending start, take the
      // leftmost start, then the longest.
      let bs = cs[k], be = ce[k], m = k + 1;
      while (m < n && cs[m] < be) {
        if (cs[m] < bs || (cs[m] == bs && ce[m] > be)) { bs = cs[m]; be = ce[m]; }
        m++;
      }
      this.ms.push(bs); this.me.push(be);
      // Skip candidates that overlap the chosen one.
      k = m;
      while (k < n && cs[k] < be) k++;
    }
  }
}
