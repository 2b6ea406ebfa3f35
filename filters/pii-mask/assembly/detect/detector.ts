// Detector: the configured set of detectors (built-ins + custom patterns/dictionaries) behind one scan().
import { BuiltinScanner, secretLabelKind } from "./builtin";
import { highEntropySecret, isAlnum } from "./validators";
import { Candidates } from "./candidates";
import { CustomDetectors } from "./custom";
import { Match, MAX_ENTITY_LENGTH, CONTEXT_BYTES, CUSTOM_BASE, GENERIC_SECRET, AWS_ACCESS_KEY, AWS_SECRET_KEY, PRIVATE_KEY } from "./types";

/** Key, token, JWT and PEM types (AWS_ACCESS_KEY..PRIVATE_KEY). */
@inline function isTypedSecret(t: i32): bool { return t >= AWS_ACCESS_KEY && t <= PRIVATE_KEY; }
import { builtinOpenFrom } from "./tail";
import { Pattern, Dictionary } from "../../../common/assembly/pattern";
import { FoldMap, partialFoldStart } from "../../../common/assembly/unicode/fold";

const PRIO_CUSTOM: i32 = 1;

/**
 * Match objects a stream reuses from one scan to the next (scanStream): a large text rewritten in
 * windows would otherwise leave one object per entity as garbage, thousands per window, faster
 * than the incremental collector frees them. A scan with a pool hands out its objects, valid until
 * the next scan with the same pool.
 */
export class MatchPool {
  private items: Array<Match> = new Array<Match>();
  private used: i32 = 0;
  reset(): void { this.used = 0; }
  take(type: i32, start: i32, end: i32): Match {
    const k = this.used++;
    if (k < this.items.length) {
      const m = unchecked(this.items[k]);
      m.type = type; m.start = start; m.end = end;
      return m;
    }
    const m = new Match(type, start, end);
    this.items.push(m);
    return m;
  }
}
/**
 * Farthest a built-in detector other than PEM and JWT reads past the start of a match it reports (the
 * longest: an sk-proj- key, up to 412 bytes; an email, up to ~384 from its first byte; a key/value
 * secret, 270 from its value), with a margin. The trailing token of a stream buffer is held back at
 * most this far (a PEM block or JWT still open is held from its start).
 */
const SHORT_REACH: i32 = 512;
/** Passes over the candidates when pulling the cut before the ones it would split (then: cut = from). */
const CUT_PASSES: i32 = 32;

export class Detector {
  private builtin: BuiltinScanner = new BuiltinScanner();
  private cands: Candidates = new Candidates();
  private order: StaticArray<i32> = new StaticArray<i32>(64);
  private scratch: StaticArray<i32> = new StaticArray<i32>(64);
  private custom: CustomDetectors = new CustomDetectors();

  /** `enabledMask`: bit i enables built-in type i (see types.ts); default all. */
  constructor(enabledMask: u32 = 0xffffffff) {
    this.builtin.enabled = enabledMask;
  }

  set enabled(mask: u32) { this.builtin.enabled = mask; }
  get enabled(): u32 { return this.builtin.enabled; }

  /** Adds a compiled custom pattern reported as entity `id` (>= CUSTOM_BASE). */
  addPattern(p: Pattern, id: i32): void { this.custom.addPattern(p, id); }
  /** Adds a compiled dictionary reported as entity `id` (>= CUSTOM_BASE). */
  addDictionary(d: Dictionary, id: i32): void { this.custom.addDictionary(d, id); }
  /** Custom detectors that ran their own pass in the last scan instead of the shared one (see custom.ts). */
  get customFallbacks(): i32 { return this.custom.fallbacks; }

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
    // Look-alike characters (Unicode spaces, dashes, full-width digits, zero-width characters,
    // %XX and \uXXXX escapes) are folded first; matches are mapped back to the original bytes. The
    // scan notices them itself (BuiltinScanner.foldCheck) and stops; only then is the text folded.
    const mark = out.length;
    const b = this.builtin;
    b.foldCheck = true;
    this.scanPtr(input.dataStart, start, end, out);
    b.foldCheck = false;
    if (!b.foldSeen) return;
    out.length = mark;
    const fm = this.fold;
    fm.fold(input, start, end, false, start);
    const fo = this.foldOut;
    fo.length = 0;
    this.scanPtr(fm.out.dataStart, 0, fm.out.length, fo);
    mapBack(fm, fo, out);
  }

  /**
   * A JSON string value whose object key is a secret label (`{"password": "…"}`, `{"aws_secret_access_key":
   * "…"}`), scanned on its own, has no label before it in its text: when nothing was found in
   * input[start, end), the whole value is judged by the key-value rules (AWS: exactly 40 characters
   * of its alphabet; generic: 14-256 printable bytes, 3 character classes, entropy >= 3 bits) and
   * added to `out` (sorted). `key[ks, ke)` is the decoded key.
   */
  scanLabelled(key: Uint8Array, ks: i32, ke: i32, input: Uint8Array, start: i32, end: i32, out: Array<Match>, base: i32): void {
    if (out.length > base || end - start < 14 || end - start > 256 || end > input.length || start < 0) return;
    const kind = secretLabelKind(key.dataStart, ks, ke);
    if (kind == 0) return;
    const p = input.dataStart;
    for (let i = start; i < end; i++) {
      const c = <u32>load<u8>(p + <usize>i);
      if (c <= 0x20 || c >= 0x7f) return; // values are printable ASCII without spaces
    }
    const on = this.builtin.enabled;
    if (kind == 2 && (on & (1 << AWS_SECRET_KEY)) != 0 && end - start == 40) {
      let ok = true;
      for (let i = start; i < end; i++) { const c = <u32>load<u8>(p + <usize>i); if (!(isAlnum(c) || c == 0x2f || c == 0x2b)) { ok = false; break; } }
      if (ok) { out.push(new Match(AWS_SECRET_KEY, start, end)); return; }
    }
    if ((on & (1 << GENERIC_SECRET)) != 0 && highEntropySecret(p, start, end)) out.push(new Match(GENERIC_SECRET, start, end));
  }

  private fold: FoldMap = new FoldMap();
  private foldOut: Array<Match> = new Array<Match>();

  /** Same as scan over raw memory [p+start, p+end). */
  scanPtr(p: usize, start: i32, end: i32, out: Array<Match>): void {
    if (start >= end) return;
    this.cands.barrier = i32.MIN_VALUE;
    this.collect(p, start, end, i32.MIN_VALUE);
    this.resolve(out, this.custom.count > 0);
  }

  /**
   * Candidates of [start, end) into this.cands. `from` > start: a stream rescan whose bytes before
   * `from` are decided (see scanStream); custom detectors start their chains there.
   */
  private collect(p: usize, start: i32, end: i32, from: i32): void {
    const c = this.cands;
    c.clear();
    const custom = this.custom;
    if (custom.count == 0) {
      this.builtin.scan(p, start, end, c, null);
      return;
    }
    // Built-ins and custom detectors in one pass (custom matches are collected per detector and added
    // after the built-ins, so the candidate order needs a full sort).
    custom.begin(start, end, from);
    this.builtin.scan(p, start, end, c, custom);
    custom.finish(p, start, end, c, PRIO_CUSTOM);
  }

  /**
   * Streaming helper. `buf[ctx, end)` = carried tail + new chunk, where bytes before `from` were already
   * emitted (they are only context). Appends the matches that start at or after `from` and are final,
   * and returns the cut: bytes [from, cut) may be emitted now (with those matches masked); carry
   * buf[max(0, cut - CONTEXT_BYTES), end) into the next call with `from` = its offset of `cut`.
   * When `last` is true the cut is `end`.
   *
   * The cut is the earliest position from which a detector could still produce or change a match
   * given more bytes (the trailing token or group cluster, an unfinished PEM header, an open PEM block
   * or JWT, a custom automaton still alive at `end`), pulled back before any candidate it would
   * split. So no match of the whole stream crosses it, and ordinary text is held back only as far as
   * its last word (docs/detectors.md, "Streaming").
   */
  scanStream(buf: Uint8Array, ctx: i32, from: i32, end: i32, last: bool, out: Array<Match>, pool: MatchPool | null = null): i32 {
    if (pool !== null) pool.reset();
    this.pool = pool;
    const cut = this.scanStreamPooled(buf, ctx, from, end, last, out);
    this.pool = null;
    return cut;
  }

  /** Where the matches of the current scan come from (see MatchPool). */
  private pool: MatchPool | null = null;
  @inline private mk(type: i32, start: i32, end: i32): Match {
    const p = this.pool;
    return p !== null ? p.take(type, start, end) : new Match(type, start, end);
  }

  private scanStreamPooled(buf: Uint8Array, ctx: i32, from: i32, end: i32, last: bool, out: Array<Match>): i32 {
    const n = buf.length;
    if (ctx < 0) ctx = 0;
    if (end > n) end = n;
    if (from < ctx) from = ctx;
    if (from > end) from = end;
    const mark = out.length;
    const b = this.builtin;
    // A character cut by `end` that may still fold (the first byte of a U+00A0 after a digit
    // group) is held back: the scan ends before it, so what precedes it stays undecided too.
    let scanEnd = end;
    if (!last) {
      const ps = partialFoldStart(buf.dataStart, max(ctx, from), end);
      if (ps >= 0) scanEnd = ps;
    }
    b.foldCheck = true;
    const cut = this.scanStreamRaw(buf, ctx, from, scanEnd, last, out);
    b.foldCheck = false;
    if (b.foldSeen) {
      // Folded (see scan); a character cut by `end` is left out, so the cut stays before it.
      out.length = mark;
      const fm = this.fold;
      fm.fold(buf, ctx, end, !last, from);
      const fo = this.foldOut;
      fo.length = 0;
      const fcut = this.scanStreamRaw(fm.out.raw(), 0, fm.markAt, fm.out.length, last, fo);
      mapBack(fm, fo, out);
      return last ? end : max(from, fm.toOrig(fcut));
    }
    return cut;
  }

  private scanStreamRaw(buf: Uint8Array, ctx: i32, from: i32, end: i32, last: bool, out: Array<Match>): i32 {
    const all = this.all;
    all.length = 0;
    if (ctx < end) {
      const p = buf.dataStart;
      const c = this.cands;
      // The previous cut: nothing of the whole stream crosses it (see Candidates.barrier).
      c.barrier = from > ctx ? from : i32.MIN_VALUE;
      this.collect(p, ctx, end, from);
      c.barrier = i32.MIN_VALUE;
      this.resolve(all, this.custom.count > 0);
    }
    let cut = end;
    if (!last && from < end) {
      const p = buf.dataStart;
      cut = builtinOpenFrom(p, ctx, from, end, max(SHORT_REACH, this.custom.maxReach));
      cut = min(cut, this.builtin.pendingFrom);
      if (this.custom.count > 0) cut = min(cut, this.custom.openFrom);
      if (cut < from) cut = from;
      // Decided candidates may still cross it (one ending after an open start): pull the cut back
      // to their starts until none does.
      cut = this.beforeCandidates(from, cut);
      // Hold at most MAX_ENTITY_LENGTH + CONTEXT_BYTES: then the cut is forced forward and a match
      // straddling it goes out whole (an entity longer than that is only found within one buffer).
      const floor = end - MAX_ENTITY_LENGTH - CONTEXT_BYTES;
      if (cut < floor) {
        cut = floor;
        for (let k = 0; k < all.length; k++) {
          const m = unchecked(all[k]);
          if (m.start < cut && m.end > cut) cut = m.end;
        }
      }
    }
    for (let k = 0; k < all.length; k++) {
      const m = unchecked(all[k]);
      if (m.start >= from && m.end <= cut) out.push(m);
    }
    return cut;
  }

  private all: Array<Match> = new Array<Match>();

  /** Largest c <= cut with no candidate starting before c and ending after it (from if none is found). */
  private beforeCandidates(from: i32, cut: i32): i32 {
    const c = this.cands;
    const n = c.length;
    for (let pass = 0; pass < CUT_PASSES; pass++) {
      let moved = false;
      for (let k = 0; k < n; k++) {
        const s = unchecked(c.start[k]);
        if (s < cut && unchecked(c.end[k]) > cut) { cut = max(from, s); moved = true; }
      }
      if (!moved) return cut;
    }
    return from;
  }

  /** Sort candidates by (start, priority desc, end desc), then keep non-overlapping ones greedily. */
  private resolve(out: Array<Match>, unordered: bool): void {
    const c = this.cands;
    const n = c.length;
    if (this.order.length < n) {
      this.order = new StaticArray<i32>(max(n, this.order.length << 1));
      this.scratch = new StaticArray<i32>(this.order.length);
    }
    const ord = this.order;
    for (let i = 0; i < n; i++) unchecked(ord[i] = i);
    if (unordered) this.mergeSort(0, n);
    else {
      // Insertion sort: built-in candidates arrive almost sorted (only look-back triggers, at most
      // 64 bytes back, are out of order).
      for (let i = 1; i < n; i++) {
        const x = unchecked(ord[i]);
        let j = i - 1;
        while (j >= 0 && this.before(x, unchecked(ord[j]))) { unchecked(ord[j + 1] = ord[j]); j--; }
        unchecked(ord[j + 1] = x);
      }
    }
    const base = out.length;
    let lastIdx = -1;
    let lastEnd = -1;
    for (let k = 0; k < n; k++) {
      const x = unchecked(ord[k]);
      const s = unchecked(c.start[x]), e = unchecked(c.end[x]);
      if (s >= lastEnd) {
        out.push(this.mk(unchecked(c.type[x]), s, e));
        lastIdx = x; lastEnd = e;
        continue;
      }
      // Overlap. Candidates with the same start come most specific first, so an equal span keeps the
      // specific type (a password value that is a JWT is a JWT). A longer candidate at the same start
      // covers the chosen one and replaces it (a password value with an '@' inside stays one secret).
      // Otherwise the earlier one stays.
      // A typed secret (key, token, JWT, PEM) keeps its span against a generic secret value that
      // runs on past it (`access_token=eyJ...&lang=de`): it ends where it ends.
      if (out.length > base && s == unchecked(c.start[lastIdx]) && e > lastEnd &&
        !(unchecked(c.type[x]) == GENERIC_SECRET && isTypedSecret(unchecked(c.type[lastIdx])))) {
        out[out.length - 1] = this.mk(unchecked(c.type[x]), s, e);
        lastIdx = x; lastEnd = e;
      }
    }
  }

  /** Stable merge sort of order[a, b); already ordered halves are not merged (sorted runs cost O(n)). */
  private mergeSort(a: i32, b: i32): void {
    const ord = this.order;
    if (b - a <= 16) {
      for (let i = a + 1; i < b; i++) {
        const x = unchecked(ord[i]);
        let j = i - 1;
        while (j >= a && this.before(x, unchecked(ord[j]))) { unchecked(ord[j + 1] = ord[j]); j--; }
        unchecked(ord[j + 1] = x);
      }
      return;
    }
    const m = a + ((b - a) >> 1);
    this.mergeSort(a, m);
    this.mergeSort(m, b);
    if (!this.before(unchecked(ord[m]), unchecked(ord[m - 1]))) return;
    const tmp = this.scratch;
    memory.copy(changetype<usize>(tmp) + (<usize>a << 2), changetype<usize>(ord) + (<usize>a << 2), <usize>(m - a) << 2);
    let i = a, j = m, k = a;
    while (i < m && j < b) {
      if (this.before(unchecked(ord[j]), unchecked(tmp[i]))) { unchecked(ord[k++] = ord[j++]); }
      else { unchecked(ord[k++] = tmp[i++]); }
    }
    while (i < m) unchecked(ord[k++] = tmp[i++]);
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

/** Folded matches in original offsets. */
function mapBack(fm: FoldMap, folded: Array<Match>, out: Array<Match>): void {
  for (let k = 0; k < folded.length; k++) {
    // Each match is in one list only: moved to the original offsets in place.
    const m = unchecked(folded[k]);
    m.start = fm.toOrig(m.start);
    m.end = fm.toOrig(m.end);
    out.push(m);
  }
}

export { CUSTOM_BASE };
