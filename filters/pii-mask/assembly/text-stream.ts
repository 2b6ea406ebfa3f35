// Incremental rewriting of a text stream (a plain-text body, or the text carried across SSE delta
// events). Each call sees carried tail + new bytes; it emits only the part that is decided and
// keeps the rest:
//   - the last `window` bytes may still be the beginning of an entity that the next bytes complete,
//     so they are held (a match that straddles that line is complete and is emitted whole);
//   - in answers, a '[' that may still grow into a tokenize placeholder is held;
//   - a UTF-8 character is never cut (SSE re-encodes text as JSON, which needs whole characters).
// CONTEXT_BYTES already emitted are kept before the undecided part so that detectors looking left
// (labels such as `password=`) still see them. Small steps are batched: nothing is scanned until
// at least `batch` undecided bytes beyond the window are pending, so each byte is scanned a bounded
// number of times however small the chunks are.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { CONTEXT_BYTES, Match } from "./detect";
import { Engine } from "./engine";
import { StreamScope } from "./actions";
import { placeholderHold } from "./placeholders";

export class TextStream {
  private buf: ByteBuilder = new ByteBuilder(1024);
  /** Offset in buf of the first byte not yet emitted (before it: context only). */
  private from: i32 = 0;
  private matches: Array<Match> = new Array<Match>();

  constructor(public window: i32, public batch: i32) {}

  /** Bytes held back (not emitted yet). */
  get pending(): i32 { return this.buf.length - this.from; }

  /**
   * Adds src[start, end) and writes what is decided to `out` (everything when `last`).
   * Returns false when a block rule fired (requests only).
   */
  push(engine: Engine, st: StreamScope, src: Uint8Array, start: i32, end: i32, last: bool, response: bool, out: ByteBuilder): bool {
    const b = this.buf;
    b.appendSlice(src, start, end);
    const len = b.length;
    if (!last && len - this.from < this.window + this.batch) return true;
    const data = b.raw();
    const m = this.matches;
    m.length = 0;
    engine.detector.scan(data, 0, len, m);
    let cut = last ? len : max(this.from, len - this.window);
    if (!last) {
      // Settle the cut: extend over a straddling (complete) match, then pull it back before a
      // possible placeholder and onto a character boundary; repeat until nothing moves it.
      for (let k = 0; k < m.length; k++) {
        const x = unchecked(m[k]);
        if (x.start < cut && x.end > cut && x.start >= this.from) cut = x.end;
      }
      for (let guard = 0; guard < 8; guard++) {
        let c = cut;
        if (response && st.vault.size > 0) c = placeholderHold(data, this.from, c);
        while (c > this.from && c < len && (unchecked(data[c]) & 0xc0) == 0x80) c--;
        for (let k = 0; k < m.length; k++) {
          const x = unchecked(m[k]);
          if (x.start < c && x.end > c) c = max(this.from, x.start);
        }
        if (c == cut) break;
        cut = c;
      }
    }
    if (!engine.emit(data, this.from, cut, m, st, response, out)) return false;
    // Keep context + undecided bytes.
    const keepFrom = max(0, cut - CONTEXT_BYTES);
    if (keepFrom > 0) {
      const rest = b.slice(keepFrom, len);
      b.reset();
      b.appendBytes(rest);
    }
    this.from = cut - keepFrom;
    return true;
  }
}
