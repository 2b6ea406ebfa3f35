// Incremental text/event-stream parser (WHATWG HTML "Server-sent events", section 9.2.6
// "Interpreting an event stream") for a proxy: every input byte ends up in exactly one
// SseEvent.raw, so writing the raws back reproduces the stream byte for byte, and an event whose
// data is rewritten is re-framed with its own line endings and field order.
import { ByteBuilder } from "../bytes/builder";
import { indexOfLineBreak } from "../bytes/util";

export namespace SseError {
  export const NONE = 0;
  export const EVENT_TOO_LARGE = 1; // one event (all its lines) exceeds maxEventSize
}

/** Line kinds in SseEvent.lines. */
export namespace SseField {
  export const BLANK = 0; // the empty line ending the event
  export const DATA = 1;
  export const EVENT = 2;
  export const ID = 3;
  export const RETRY = 4;
  export const COMMENT = 5; // starts with ':'
  export const OTHER = 6; // unknown field name: ignored by clients
}

const LINE_STRIDE = 5;
/** Capacity of the pending buffer kept while it is mostly empty (bytes). */
const LARGE_PENDING: i32 = 64 * 1024;

export class SseEvent {
  /** The event's bytes exactly as received (lines, terminators, the final blank line); for a large
   *  event a view of the buffer it was read into (read its own bytes, not its .buffer). */
  raw: Uint8Array;
  /**
   * Per line, LINE_STRIDE i32s: start, contentEnd, terminatorEnd, field, valueStart (offsets in
   * raw). Bytes of raw outside all lines are a lone LF completing a CR that ended the previous
   * event at a chunk boundary.
   */
  lines: Array<i32>;
  /** Data lines' values joined with LF (WHATWG "data buffer" without its final LF). */
  data: Uint8Array;
  /** Value of the last `event:` field, null if none (clients then use "message"). */
  type: Uint8Array | null = null;
  /** Value of the last valid `id:` field of this event, null if none. */
  id: Uint8Array | null = null;
  /** `retry:` value if present and valid, else -1. */
  retry: i64 = -1;
  /** Whether a client would dispatch it: at least one data line (WHATWG). */
  dispatch: bool = false;
  /** False only for the unterminated tail returned by finish(). */
  complete: bool = true;

  constructor(raw: Uint8Array, lines: Array<i32>, data: Uint8Array) {
    this.raw = raw;
    this.lines = lines;
    this.data = data;
  }

  get lineCount(): i32 { return this.lines.length / LINE_STRIDE; }
  lineStart(i: i32): i32 { return this.lines[i * LINE_STRIDE]; }
  lineEnd(i: i32): i32 { return this.lines[i * LINE_STRIDE + 1]; }
  lineTerminatorEnd(i: i32): i32 { return this.lines[i * LINE_STRIDE + 2]; }
  lineField(i: i32): i32 { return this.lines[i * LINE_STRIDE + 3]; }
  lineValueStart(i: i32): i32 { return this.lines[i * LINE_STRIDE + 4]; }

  /** True if the event type equals `name` (an absent type equals "message"). */
  typeIs(name: string): bool {
    const t = this.type;
    if (t === null || t.length == 0) return name == "message";
    return String.UTF8.decode(t.buffer) == name;
  }
  // data may be a view into raw (one data line), so decode the view, not its buffer.
  dataString(): string { return String.UTF8.decodeUnsafe(this.data.dataStart, <usize>this.data.length); }
}

/** The line records of every event of a parser that records none (never written to). */
const NO_LINES = new Array<i32>(0);

function sliceOf(b: ByteBuilder, s: i32, e: i32): Uint8Array { return b.slice(s, e); }

export class SseParser {
  readonly maxEventSize: i32;
  error: i32 = SseError.NONE;
  /** Completed events not yet taken; drain with takeEvents(). */
  events: Array<SseEvent> = new Array<SseEvent>();
  /** WHATWG "last event ID buffer": persists across events. */
  lastEventId: Uint8Array = new Uint8Array(0);

  private pending: ByteBuilder = new ByteBuilder(256); // raw bytes of the event being read
  private lineStart: i32 = 0;
  private lines: Array<i32> = new Array<i32>();
  private dataBuf: ByteBuilder = new ByteBuilder(128);
  private hasData: bool = false;
  private dataLines: i32 = 0;
  // Value of the last data line in pending (with one data line, data is a view of raw there).
  private dataStart: i32 = 0;
  private dataEnd: i32 = 0;
  private type: Uint8Array | null = null;
  private lastType: Uint8Array | null = null;
  private id: Uint8Array | null = null;
  private retry: i64 = -1;
  private afterCR: bool = false; // the last byte seen was a CR ending a line
  private firstLine: bool = true; // for the optional BOM

  /**
   * With keepChunks (the caller never reuses a chunk's memory), the unterminated part of a long
   * line (a large event's data) is kept as views of the chunks and copied once, at its size, when
   * the line ends: no buffer grown step by step through the event, no copies of its halves.
   */
  keepChunks: bool = false;
  /**
   * False: events carry no line records (`lines` empty, lineCount 0), for a caller that reads
   * only raw, data, type and dispatch (llm-route's translator): two objects and a copy fewer per
   * event. Re-framing an event (sse/writer.ts) needs them.
   */
  recordLines: bool = true;
  private segs: Array<Uint8Array> = new Array<Uint8Array>();
  private segBytes: i32 = 0;

  /** Copies the kept chunk parts into pending, with room for `more` bytes after them. */
  private assemble(more: i32): void {
    if (this.segs.length == 0) return;
    const p = this.pending;
    p.reserveExact(this.segBytes + more);
    for (let k = 0; k < this.segs.length; k++) p.appendBytes(unchecked(this.segs[k]));
    this.segs = new Array<Uint8Array>();
    this.segBytes = 0;
  }

  /** `maxEventSize` bounds the bytes buffered for one event (default 1 MiB). */
  constructor(maxEventSize: i32 = 1 << 20) { this.maxEventSize = maxEventSize < 16 ? 16 : maxEventSize; }

  /** Number of bytes buffered for the event in progress. */
  get buffered(): i32 { return this.pending.length + this.segBytes; }

  /** Returns and forgets the completed events. */
  takeEvents(): Array<SseEvent> {
    const e = this.events;
    this.events = new Array<SseEvent>();
    return e;
  }

  /**
   * Feeds chunk[start, end). Completed events are appended to `events`. Returns an SseError. On
   * EVENT_TOO_LARGE the rest of the chunk is kept unparsed in the buffer: take it with
   * takeBuffered() and pass it, and everything after, through unchanged; the parser stays failed.
   */
  feed(chunk: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE): i32 {
    if (start < 0) start = 0;
    if (end > chunk.length) end = chunk.length;
    if (this.error != SseError.NONE) {
      this.pending.appendSlice(chunk, start, end);
      return this.error;
    }
    let p = this.pending;
    let i = start;
    while (i < end) {
      const c = unchecked(chunk[i]);
      if (this.afterCR) {
        this.afterCR = false;
        if (c == 0x0a) {
          // LF of a CRLF: belongs to the line that the CR ended.
          const n = this.lines.length;
          if (n > 0 && unchecked(this.lines[n - LINE_STRIDE + 2]) == p.length) unchecked((this.lines[n - LINE_STRIDE + 2] = p.length + 1));
          p.appendByte(0x0a);
          if (p.length == this.lineStart + 1) this.lineStart = p.length;
          i++;
          continue;
        }
      }
      // Copy up to the next line terminator.
      const j = indexOfLineBreak(chunk, i, end);
      if (this.keepChunks && j == end && p.length + this.segBytes + (j - i) > LARGE_PENDING &&
        p.length + this.segBytes + (j - i) <= this.maxEventSize) {
        // A long line that goes on in the next chunk: kept as a view until it ends.
        this.segs.push(chunk.subarray(i, j));
        this.segBytes += j - i;
        break;
      }
      // The line ends here: its kept parts go into pending, with room for the rest of this chunk.
      if (this.segs.length > 0) this.assemble(end - i + 2);
      p.reserveGently(j - i + 2);
      p.appendSlice(chunk, i, j);
      if (p.length > this.maxEventSize) {
        this.error = SseError.EVENT_TOO_LARGE;
        p.appendSlice(chunk, j, end);
        return this.error;
      }
      if (j == end) break;
      const term = unchecked(chunk[j]);
      const contentEnd = p.length;
      p.appendByte(term);
      i = j + 1;
      if (term == 0x0d) {
        if (i < end) {
          if (unchecked(chunk[i]) == 0x0a) { p.appendByte(0x0a); i++; }
        } else this.afterCR = true;
      }
      this.line(contentEnd);
      p = this.pending; // a large event completed by this line took the buffer with it
    }
    // After a large event the buffer that held it is not kept for the small ones that follow: a
    // stream holds a large event's bytes once (in its raw), not again in an idle buffer. Offsets
    // into pending stay valid (the content is copied as it is).
    const cap = p.capacity;
    if (cap > LARGE_PENDING && cap > 4 * max(p.length, 4096)) {
      const q = new ByteBuilder(max(p.length * 2, 256));
      q.appendSlice(p.raw(), 0, p.length);
      this.pending = q;
    }
    return SseError.NONE;
  }

  // A line [lineStart, contentEnd) ended; its terminator runs to pending.length.
  private line(contentEnd: i32): void {
    const p = this.pending;
    const buf = p.raw();
    let s = this.lineStart;
    const termEnd = p.length;
    if (this.firstLine) {
      this.firstLine = false;
      // U+FEFF at the very start of the stream is skipped (WHATWG).
      if (contentEnd - s >= 3 && buf[s] == 0xef && buf[s + 1] == 0xbb && buf[s + 2] == 0xbf) s += 3;
    }
    let field = SseField.OTHER;
    let valueStart = contentEnd;
    if (s == contentEnd) field = SseField.BLANK;
    else if (buf[s] == 0x3a) field = SseField.COMMENT;
    else {
      let colon = s;
      while (colon < contentEnd && buf[colon] != 0x3a) colon++;
      valueStart = colon;
      if (colon < contentEnd) {
        valueStart = colon + 1;
        if (valueStart < contentEnd && buf[valueStart] == 0x20) valueStart++;
      }
      const n = colon - s;
      if (n == 4 && buf[s] == 0x64 && buf[s + 1] == 0x61 && buf[s + 2] == 0x74 && buf[s + 3] == 0x61) {
        field = SseField.DATA;
        // The data buffer is built from the second data line on: an event with one data line
        // (the usual one, however large) is its own data, a view of raw (see emit).
        if (this.dataLines == 1) this.dataBuf.appendSlice(buf, this.dataStart, this.dataEnd).appendByte(0x0a);
        if (this.dataLines >= 1) this.dataBuf.appendSlice(buf, valueStart, contentEnd).appendByte(0x0a);
        this.hasData = true;
        this.dataLines++;
        this.dataStart = valueStart;
        this.dataEnd = contentEnd;
      } else if (n == 5 && buf[s] == 0x65 && buf[s + 1] == 0x76 && buf[s + 2] == 0x65 && buf[s + 3] == 0x6e && buf[s + 4] == 0x74) {
        field = SseField.EVENT;
        // Streams repeat a few event names (Anthropic's content_block_delta on nearly every
        // event): the previous event's type array is shared when the name is the same (types are
        // read, never written).
        const last = this.lastType;
        const n = contentEnd - valueStart;
        if (last !== null && last.length == n && memory.compare(last.dataStart, buf.dataStart + <usize>valueStart, <usize>n) == 0) this.type = last;
        else this.type = this.lastType = sliceOf(p, valueStart, contentEnd);
      } else if (n == 2 && buf[s] == 0x69 && buf[s + 1] == 0x64) {
        field = SseField.ID;
        let nul = false;
        for (let k = valueStart; k < contentEnd; k++) if (buf[k] == 0) { nul = true; break; }
        if (!nul) {
          this.id = sliceOf(p, valueStart, contentEnd);
          this.lastEventId = this.id!;
        }
      } else if (n == 5 && buf[s] == 0x72 && buf[s + 1] == 0x65 && buf[s + 2] == 0x74 && buf[s + 3] == 0x72 && buf[s + 4] == 0x79) {
        field = SseField.RETRY;
        let v: i64 = 0;
        let ok = valueStart < contentEnd && contentEnd - valueStart <= 15;
        for (let k = valueStart; ok && k < contentEnd; k++) {
          const d = buf[k];
          if (d < 0x30 || d > 0x39) ok = false;
          else v = v * 10 + <i64>(d - 0x30);
        }
        if (ok) this.retry = v;
      }
    }
    this.lines.push(this.lineStart);
    this.lines.push(contentEnd);
    this.lines.push(termEnd);
    this.lines.push(field);
    this.lines.push(valueStart);
    this.lineStart = termEnd;
    if (field == SseField.BLANK) this.emit(true);
  }

  private emit(complete: bool): void {
    const p = this.pending;
    // A large event keeps the buffer it was read into (no copy of it); the next event starts a
    // new one. Small events are copied out, so the buffer is reused.
    let raw: Uint8Array;
    if (p.length > LARGE_PENDING) {
      raw = p.raw().subarray(0, p.length);
      this.pending = new ByteBuilder(256);
    } else raw = p.toBytes();
    let data: Uint8Array;
    // One data line (the usual event): its value inside raw is the data, no copy.
    if (this.dataLines == 1) data = raw.subarray(this.dataStart, this.dataEnd);
    else if (this.hasData) data = this.dataBuf.slice(0, this.dataBuf.length - 1);
    else data = new Uint8Array(0);
    // The line records are collected in a reused scratch array and copied out at their size.
    const scratch = this.lines;
    const n = this.recordLines ? scratch.length : 0;
    const lines = n ? new Array<i32>(n) : NO_LINES;
    if (n) memory.copy(lines.dataStart, scratch.dataStart, <usize>n << 2);
    scratch.length = 0;
    const ev = new SseEvent(raw, lines, data);
    ev.type = this.type;
    ev.id = this.id;
    ev.retry = this.retry;
    ev.dispatch = this.hasData && complete;
    ev.complete = complete;
    this.events.push(ev);
    this.pending.reset();
    this.lineStart = 0;
    this.dataBuf.reset();
    this.hasData = false;
    this.dataLines = 0;
    this.type = null;
    this.id = null;
    this.retry = -1;
  }

  /**
   * End of stream: an unterminated last event is emitted with complete = false and dispatch =
   * false (clients discard it, WHATWG) so its bytes can still be passed on. Returns the error state.
   */
  finish(): i32 {
    this.assemble(0);
    if (this.error == SseError.NONE && this.pending.length > 0) this.emit(false);
    return this.error;
  }

  /** After an error: the bytes buffered and not emitted as events (then forgotten; a large one is a
   *  view of a larger buffer: read its own bytes, not its .buffer). */
  takeBuffered(): Uint8Array {
    this.assemble(0);
    // A large buffer is handed over as it is (a view of its bytes, no copy) and the parser starts a
    // new one; a small one is copied out.
    const p = this.pending;
    let b: Uint8Array;
    if (p.length > LARGE_PENDING) {
      b = p.raw().subarray(0, p.length);
      this.pending = new ByteBuilder(256);
    } else {
      b = p.toBytes();
      p.reset();
    }
    this.lineStart = 0;
    this.lines.length = 0;
    return b;
  }
}
