// Streamed answers (text/event-stream): events are framed per the HTML Living Standard "Server-sent
// events" (an event ends at an empty line; lines end with CRLF, LF or CR). The text of delta events
// (OpenAI choices[].delta.content / tool-call arguments, Anthropic text_delta / input_json_delta;
// common/json/llm.ts finds it) is carried across events in one TextStream, so an entity or a
// placeholder cut between two deltas is still found. Each delta event is re-emitted with the part
// of the text that is decided (possibly empty); before the first event without text (finish chunk,
// content_block_stop, message_stop, [DONE]) and at the end of the stream, the held text goes out in
// a copy of the last delta event. Incomplete events wait for the next chunk; framing stays valid.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { appendJsonEscaped } from "../../common/assembly/json/escape";
import { decodeJsonString } from "../../common/assembly/json/string";
import { JsonError } from "../../common/assembly/json/tokenizer";
import { Engine } from "./engine";
import { StreamScope } from "./actions";
import { JsonRewriter } from "./json-body";
import { TextStream } from "./text-stream";

const DATA: StaticArray<u8> = [0x64, 0x61, 0x74, 0x61, 0x3a]; // "data:"

export class SseRewriter {
  private pending: ByteBuilder = new ByteBuilder(1024);
  /** Where the event search resumes in `pending`, and the start of the line being read. */
  private scanned: i32 = 0;
  private lineStart: i32 = 0;
  private text: TextStream;
  private decided: ByteBuilder = new ByteBuilder(256);
  private dec: ByteBuilder = new ByteBuilder(256);
  // The last delta event: bytes, and the raw span of its first text string.
  private tmpl: Uint8Array = new Uint8Array(0);
  private tmplStart: i32 = -1;
  private tmplEnd: i32 = -1;

  constructor(window: i32, batch: i32, private maxEvent: i32) {
    this.text = new TextStream(window, batch);
  }

  /** Adds src[start, end) of the answer and appends the events that can go out now to `out`. */
  push(engine: Engine, st: StreamScope, json: JsonRewriter, src: Uint8Array, start: i32, end: i32, last: bool, out: ByteBuilder): void {
    const p = this.pending;
    p.appendSlice(src, start, end);
    let evStart = 0;
    let i = this.scanned;
    let ls = this.lineStart;
    const data = p.raw();
    const n = p.length;
    while (i < n) {
      const c = unchecked(data[i]);
      if (c != 0x0a && c != 0x0d) { i++; continue; }
      // A CR at the end of what we have may be the first half of CRLF: wait (unless last).
      if (c == 0x0d && i + 1 == n && !last) break;
      const term = c == 0x0d && i + 1 < n && unchecked(data[i + 1]) == 0x0a ? 2 : 1;
      const empty = i == ls;
      i += term;
      ls = i;
      if (empty) {
        this.event(engine, st, json, data, evStart, i, out);
        evStart = i;
      }
    }
    // An event larger than maxEvent without an end: give up on framing it, scan it as text.
    if (!last && n - evStart > this.maxEvent) {
      this.flush(engine, st, out);
      engine.rewrite(data, evStart, n, st, true, out);
      evStart = n;
      i = n;
      ls = n;
    }
    if (last) {
      if (evStart < n) this.event(engine, st, json, data, evStart, n, out);
      this.flush(engine, st, out);
      p.reset();
      this.scanned = 0;
      this.lineStart = 0;
      return;
    }
    if (evStart > 0) {
      const rest = p.slice(evStart, n);
      p.reset();
      p.appendBytes(rest);
    }
    this.scanned = i - evStart;
    this.lineStart = ls - evStart;
  }

  /** One complete event data[s, e) (terminator included). */
  private event(engine: Engine, st: StreamScope, json: JsonRewriter, data: Uint8Array, s: i32, e: i32, out: ByteBuilder): void {
    // Find the data lines.
    let vs = -1;
    let ve = -1;
    let dataLines = 0;
    let ls = s;
    let i = s;
    while (i <= e) {
      const atEnd = i == e;
      const c = atEnd ? <u8>0x0a : unchecked(data[i]);
      if (c != 0x0a && c != 0x0d) { i++; continue; }
      if (i > ls && startsWithData(data, ls, i)) {
        dataLines++;
        vs = ls + 5;
        if (vs < i && unchecked(data[vs]) == 0x20) vs++;
        ve = i;
      }
      i += !atEnd && c == 0x0d && i + 1 < e && unchecked(data[i + 1]) == 0x0a ? 2 : 1;
      ls = i;
    }
    if (dataLines != 1) {
      // Comments, keep-alives, or multi-line data (not used by LLM APIs): flush, then scan as text.
      if (dataLines > 1) {
        this.flush(engine, st, out);
        engine.rewrite(data, s, e, st, true, out);
      } else out.appendSlice(data, s, e);
      return;
    }
    const scan = json.scanner.scan(data, vs, ve);
    if (!scan.ok || scan.spans.length == 0) {
      // No delta text ([DONE], finish chunk, *_stop, message_start...): the held text goes first.
      this.flush(engine, st, out);
      if (scan.ok) { out.appendSlice(data, s, e); return; }
      engine.rewrite(data, s, e, st, true, out);
      return;
    }
    const spans = scan.spans;
    let pos = s;
    for (let k = 0; k < spans.length; k++) {
      const sp = unchecked(spans[k]);
      let text = data;
      let ts = sp.start;
      let te = sp.end;
      if (sp.hasEscape) {
        this.dec.reset();
        if (decodeJsonString(data, sp.start, sp.end, this.dec) != JsonError.NONE) continue;
        text = this.dec.raw();
        ts = 0;
        te = this.dec.length;
      }
      const d = this.decided;
      d.reset();
      this.text.push(engine, st, text, ts, te, false, true, d);
      out.appendSlice(data, pos, sp.start);
      appendJsonEscaped(out, d.raw(), 0, d.length);
      pos = sp.end;
    }
    out.appendSlice(data, pos, e);
    // Remember this event as the template for flushing held text.
    const first = unchecked(spans[0]);
    this.tmpl = new Uint8Array(e - s);
    memory.copy(this.tmpl.dataStart, data.dataStart + <usize>s, <usize>(e - s));
    this.tmplStart = first.start - s;
    this.tmplEnd = first.end - s;
    // Other text spans of the template are emptied when it is reused.
    this.tmplOthers.length = 0;
    for (let k = 1; k < spans.length; k++) {
      this.tmplOthers.push(unchecked(spans[k]).start - s);
      this.tmplOthers.push(unchecked(spans[k]).end - s);
    }
  }

  private tmplOthers: Array<i32> = new Array<i32>();

  /** Emits the held text (if any) in a copy of the last delta event. */
  flush(engine: Engine, st: StreamScope, out: ByteBuilder): void {
    if (this.text.pending == 0) return;
    const d = this.decided;
    d.reset();
    this.text.push(engine, st, d.raw(), 0, 0, true, true, d);
    if (d.length == 0) return;
    const t = this.tmpl;
    if (this.tmplStart < 0) {
      // No delta event seen (cannot happen: text only comes from one). Emit as a bare data event.
      out.appendString("data: ");
      out.appendBuilder(d);
      out.appendString("\n\n");
      return;
    }
    out.appendSlice(t, 0, this.tmplStart);
    appendJsonEscaped(out, d.raw(), 0, d.length);
    let pos = this.tmplEnd;
    const o = this.tmplOthers;
    for (let k = 0; k + 1 < o.length; k += 2) {
      out.appendSlice(t, pos, o[k]);
      pos = o[k + 1];
    }
    out.appendSlice(t, pos, t.length);
  }
}

function startsWithData(data: Uint8Array, s: i32, e: i32): bool {
  if (e - s < 5) return false;
  for (let k = 0; k < 5; k++) if (unchecked(data[s + k]) != unchecked(DATA[k])) return false;
  return true;
}
