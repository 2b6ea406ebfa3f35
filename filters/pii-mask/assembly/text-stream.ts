// Incremental rewriting of a text stream (a plain-text body, or the text carried across SSE delta
// events). Each step sees carried tail + new bytes and emits the part that is decided:
//   - the detection engine's Detector.scanStream says where that part ends (docs/detectors.md:
//     it holds back only text an entity could still start in: the trailing word or digit groups, an
//     unfinished PEM header, an open PEM block or JWT, never more than 8320 bytes plus one entity);
//     a match that straddles its cut is complete and goes out whole;
//   - in answers with tokenized values, a trailing '[' that may still grow into a placeholder is
//     held too (at most one placeholder, placeholders.ts MAX_PLACEHOLDER bytes);
//   - a UTF-8 character is never cut (SSE re-encodes text as JSON, which needs whole characters).
// CONTEXT_BYTES already emitted stay before the undecided part so that detectors looking left
// (labels such as `password=`) still see them.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { decodeJsonString } from "../../common/assembly/json/string";
import { JsonError } from "../../common/assembly/json/tokenizer";
import { CONTEXT_BYTES, Match, MatchPool } from "./detect";
import { Engine, Emitter } from "./engine";
import { StreamScope } from "./actions";
import { placeholderHold } from "./placeholders";
import { BodySink } from "./body-sink";

/** Piece of a large text added to a stream at a time (pushWindowed). */
export const TEXT_WINDOW: i32 = 16 * 1024;
/** Output held before it is handed on while a large text is written (pushWindowed). */
export const FLUSH_AT: i32 = 64 * 1024;

/**
 * TextStream.push of src[start, end) (an answer's bytes) in windows of TEXT_WINDOW, the output
 * handed on once it passes FLUSH_AT when the callback allows it (sink): a large chunk is never
 * scanned or held whole.
 */
export function pushWindowed(t: TextStream, engine: Engine, st: StreamScope, sink: BodySink, src: Uint8Array, start: i32, end: i32, last: bool, out: ByteBuilder): void {
  let pos = start;
  do {
    const e = min(end, pos + TEXT_WINDOW);
    t.push(engine, st, src, pos, e, last && e == end, true, out);
    if (out.length >= FLUSH_AT) sink.flush(out);
    pos = e;
  } while (pos < end);
}

export class TextStream {
  private buf: ByteBuilder = new ByteBuilder(1024);
  /** Offset in buf of the first byte not yet emitted (before it: context only). */
  private from: i32 = 0;
  private matches: Array<Match> = new Array<Match>();
  private pool: MatchPool = new MatchPool();
  /** The emitting session this stream uses (null: the engine's streaming session). */
  emitter: Emitter | null = null;

  /** Bytes held back (not emitted yet). */
  get pending(): i32 { return this.buf.length - this.from; }
  /** End of the text added so far (offsets stay valid until advance()). */
  get end(): i32 { return this.buf.length; }

  /** Forgets everything (to rewrite another text with the same buffers). */
  clear(): void {
    this.buf.reset();
    this.from = 0;
    this.extra.length = 0;
  }

  /** Makes room for n more bytes at once (a caller that knows its window size: no doubling series). */
  reserve(n: i32): void { this.buf.reserve(n); }

  /** Adds text bytes src[start, end). */
  add(src: Uint8Array, start: i32, end: i32): void { this.buf.appendSlice(src, start, end); }

  /**
   * Matches found in a piece of the text on its own (offsets in this stream, sorted, added in
   * order): masked too unless the joined text's scan covers them (an SSE event's plain data may be
   * shown on its own or joined to its neighbours: `now` + `4111111111111111` hides the card
   * from the joined scan only).
   */
  private extra: Array<Match> = new Array<Match>();
  private merged: Array<Match> = new Array<Match>();
  addExtra(type: i32, start: i32, end: i32): void { this.extra.push(new Match(type, start, end)); }

  /** Adds the decoded text of a JSON string's raw content src[start, end) (invalid content adds nothing). */
  addJsonString(src: Uint8Array, start: i32, end: i32): void {
    const b = this.buf;
    const mark = b.length;
    b.reserve(end - start); // decoded text is never longer than its raw content: grow once
    if (decodeJsonString(src, start, end, b) != JsonError.NONE) b.truncate(mark);
  }

  /**
   * Scans what is held and prepares the engine to emit the decided part [from, cut) (see
   * Engine.begin/boundary/emitUntil); returns cut. With `last` everything is decided.
   */
  decide(engine: Engine, st: StreamScope, last: bool, response: bool): i32 {
    const data = this.buf.raw();
    const len = this.buf.length;
    const from = this.from;
    const m = this.matches;
    m.length = 0;
    let cut = engine.detector.scanStream(data, 0, from, len, last, m, this.pool);
    if (!last) {
      // Pull the cut back before a possible placeholder and onto a character boundary, then before
      // any match it would split; repeat until nothing moves it.
      const restoring = response && st.vault.size > 0;
      for (let guard = 0; guard < 8; guard++) {
        let c = cut;
        if (restoring) c = placeholderHold(data, from, c);
        while (c > from && c < len && (unchecked(data[c]) & 0xc0) == 0x80) c--;
        for (let k = m.length - 1; k >= 0; k--) {
          const x = unchecked(m[k]);
          if (x.end <= c) break;
          if (x.start < c) c = max(from, x.start);
        }
        const ex = this.extra;
        for (let k = ex.length - 1; k >= 0; k--) {
          const x = unchecked(ex[k]);
          if (x.end <= c) break;
          if (x.start < c) c = max(from, x.start);
        }
        if (c == cut) break;
        cut = c;
      }
    }
    const all = this.extra.length > 0 ? this.mergeExtra(m, from, cut) : m;
    const em = this.emitter;
    if (em !== null) em.begin(data, from, cut, all, st, response);
    else engine.begin(data, from, cut, all, st, response);
    return cut;
  }

  /** m (sorted, non-overlapping) with the extra matches inside [from, cut) that overlap none of it. */
  private mergeExtra(m: Array<Match>, from: i32, cut: i32): Array<Match> {
    const out = this.merged;
    out.length = 0;
    const ex = this.extra;
    let i = 0;
    let lastEnd = i32.MIN_VALUE;
    for (let k = 0; k < ex.length; k++) {
      const x = unchecked(ex[k]);
      if (x.start < from || x.end > cut) continue;
      while (i < m.length && unchecked(m[i]).start < x.start) { const y = unchecked(m[i++]); out.push(y); lastEnd = y.end; }
      if (x.start < lastEnd || (i < m.length && unchecked(m[i]).start < x.end)) continue;
      out.push(x);
      lastEnd = x.end;
    }
    while (i < m.length) out.push(unchecked(m[i++]));
    return out;
  }

  /** After [from, cut) went out: keeps CONTEXT_BYTES before cut and the undecided rest. */
  advance(cut: i32): void {
    const b = this.buf;
    const len = b.length;
    const keepFrom = max(0, cut - CONTEXT_BYTES);
    if (keepFrom > 0) {
      memory.copy(b.dataStart, b.dataStart + <usize>keepFrom, <usize>(len - keepFrom));
      b.truncate(len - keepFrom);
      if (keepFrom == len) b.reset();
    }
    this.from = cut - keepFrom;
    const ex = this.extra;
    if (ex.length > 0) {
      // Decided extra matches are done; the others move with the kept bytes.
      let w = 0;
      for (let k = 0; k < ex.length; k++) {
        const x = unchecked(ex[k]);
        if (x.end <= cut) continue;
        unchecked((ex[w++] = new Match(x.type, x.start - keepFrom, x.end - keepFrom)));
      }
      ex.length = w;
    }
  }

  /**
   * Adds src[start, end) (raw JSON string content to decode with `jsonEscaped`) and writes what is
   * decided to `out` (everything when `last`).
   * Returns false when a block rule fired (requests only).
   */
  push(engine: Engine, st: StreamScope, src: Uint8Array, start: i32, end: i32, last: bool, response: bool, out: ByteBuilder, jsonEscaped: bool = false): bool {
    if (jsonEscaped) this.addJsonString(src, start, end);
    else this.add(src, start, end);
    const cut = this.decide(engine, st, last, response);
    const em = this.emitter;
    if (!(em !== null ? em.emitUntil(cut, out) : engine.emitUntil(cut, out))) return false;
    this.advance(cut);
    return true;
  }
}
