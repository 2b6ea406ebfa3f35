// Streamed answers (text/event-stream). Events are framed by the shared WHATWG parser
// (common/sse/parser.ts: any split point, bounded buffering) and written back by its writer; the
// text of delta events (OpenAI choices[].delta.content / tool-call arguments, Anthropic text_delta /
// input_json_delta; common/llm/spans.ts finds it) is carried across events in one TextStream, so an
// entity or a placeholder cut between two deltas is still found.
//
// The events of one network chunk form a run: their text is added, scanned once, and each delta
// event goes out with the decided part of the text that arrived up to it (an entity goes with the
// event that completes it; the undecided tail (usually the last word, see text-stream.ts) waits for the next
// chunk). Before the first event without text (finish chunk, content_block_stop, [DONE]) and at the
// end of the stream everything is decided; held text with no delta event of its own in the run
// goes out in a copy of the last delta event. Text never waits longer than the engine requires.
//
// Data that is not JSON (`data: mail alice@exa`, then `data: mple.com now`) is text a client
// joins the same way: it is carried across events like the deltas, and each such event gets its
// decided part as its new data (unescaped). A switch between JSON deltas and plain data settles
// the carried text first (plain data cannot carry a CR a JSON string may decode to).
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { LlmScan, LlmScanner, TextSpan, TextKind, isTextKind } from "../../common/assembly/llm/spans";
import { SpanEditor, SpanScratch, rewriteSpansWith, EDIT_ESCAPED } from "../../common/assembly/json/rewrite";
import { escapeInPlace } from "../../common/assembly/json/escape";
import { BodySink } from "./body-sink";
import { SseParser, SseEvent, SseError, SseField } from "../../common/assembly/sse/parser";
import { writeEvent, writeEventSlice } from "../../common/assembly/sse/writer";
import { DeltaScanner, StandaloneCheck, rewriteEventTextWith, isDone } from "../../common/assembly/sse/llm";
import { decodeJsonString, jsonEscapeBoundary } from "../../common/assembly/json/string";
import { JsonError } from "../../common/assembly/json/tokenizer";
import { Match } from "./detect";
import { Engine } from "./engine";
import { StreamScope } from "./actions";
import { TextStream, pushWindowed, TEXT_WINDOW, FLUSH_AT } from "./text-stream";

/** Per-plugin scratch of the SSE rewriter (stream callbacks run one at a time). */
export class SseShared {
  scanner: LlmScanner = new LlmScanner(128, true);
  check: CleanCheck = new CleanCheck();
  scratch: SpanScratch = new SpanScratch();
  data: ByteBuilder = new ByteBuilder(512);
  copy: ByteBuilder = new ByteBuilder(512);
  editor: EventEditor = new EventEditor();
  matches: Array<Match> = new Array<Match>();
  event: ByteBuilder = new ByteBuilder(512);
  big: BigEventEditor = new BigEventEditor();
  /** Where output may be handed on during a callback (stream.ts sets it; inactive: held whole). */
  sink: BodySink = new BodySink();
}

/**
 * Events whose data is larger than this are written as they are read (SseRewriter.writeBig), and a
 * run whose text grows past it is settled before the next event: what the engine scans at once,
 * and what a stream holds beyond the event itself, stays about this size.
 */
const BIG_EVENT: i32 = 64 * 1024;

/**
 * Writes one large delta event straight into the output (appends, escaped there): its streamed
 * text passes through the stream's TextStream in windows, decoded piece by piece, each piece's
 * decided part written at once (the undecided tail goes with the next event, as at a chunk end);
 * its other strings are scanned on their own.
 */
class BigEventEditor extends SpanEditor {
  engine: Engine | null = null;
  st: StreamScope = new StreamScope();
  text: TextStream = new TextStream();
  spans: Array<TextSpan> = new Array<TextSpan>();
  private dec: ByteBuilder = new ByteBuilder(64);
  constructor() { super(); this.appends = true; this.rawSpans = true; }

  edit(index: i32, text: Uint8Array, start: i32, end: i32, out: ByteBuilder): i32 {
    const engine = this.engine!;
    const sp = unchecked(this.spans[index]);
    if (!isTextKind(sp.kind)) {
      let src = text, a = start, b = end;
      if (sp.hasEscape) {
        const d = this.dec;
        d.reset();
        if (decodeJsonString(text, start, end, d) != JsonError.NONE) return 0;
        src = d.raw(); a = 0; b = d.length;
      }
      return engine.rewrite(src, a, b, this.st, true, out) > 0 ? 1 : 0;
    }
    const ts = this.text;
    let pos = start;
    while (pos < end) {
      let e = min(end, pos + TEXT_WINDOW);
      if (sp.hasEscape) {
        e = jsonEscapeBoundary(text, pos, e, end);
        ts.addJsonString(text, pos, e);
      } else ts.add(text, pos, e);
      const cut = ts.decide(engine, this.st, false, true);
      const mark = out.length;
      engine.emitUntil(cut, out);
      escapeInPlace(out, mark);
      ts.advance(cut);
      // Written and escaped: handed on once there is enough of it (the output stays small).
      if (out.length >= FLUSH_AT) this.sink.flush(out);
      pos = e;
    }
    return EDIT_ESCAPED;
  }
  sink: BodySink = new BodySink();
}

/** Gives each text span of an event its part of the decided text (see SseRewriter.settle). */
class EventEditor extends SpanEditor {
  engine: Engine | null = null;
  /** Text-stream offset where each span's text ends (index = span), and the cut. */
  ends: Array<i32> = new Array<i32>();
  cut: i32 = 0;
  /** The span that takes everything up to the cut (-1: none in this event). */
  lastSpan: i32 = -1;
  /** Template mode: span templateSpan gets the text up to the cut, the other streamed spans nothing. */
  template: bool = false;
  templateSpan: i32 = 0;

  /** A span whose text is not streamed text (ends[i] == STANDALONE: ids, names, keys, done texts). */
  st: StreamScope = new StreamScope();

  edit(index: i32, text: Uint8Array, start: i32, end: i32, out: ByteBuilder): i32 {
    const engine = this.engine!;
    const mark = index < this.ends.length ? unchecked(this.ends[index]) : STANDALONE;
    // Strings that are not streamed text are scanned on their own, whole.
    if (mark == STANDALONE) return engine.rewrite(text, start, end, this.st, true, out) > 0 ? 1 : 0;
    let x: i32;
    if (this.template) x = index == this.templateSpan ? this.cut : -1;
    else if (index == this.lastSpan) x = this.cut;
    else x = engine.boundary(min(mark, this.cut));
    if (x >= 0) engine.emitUntil(x, out);
    // Unchanged text keeps the event's exact bytes.
    if (out.length == end - start && memory.compare(out.dataStart, text.dataStart + <usize>start, <usize>(end - start)) == 0) {
      out.reset();
      return 0;
    }
    return 1;
  }
}

/** ends[] mark of a span scanned on its own. */
const STANDALONE: i32 = -2;

/**
 * Whether an event's standalone strings (id, model, keys, ...) need no rewrite: then the delta
 * scanner may answer the next events of the same shape from memory (their bytes outside the
 * streamed string are the same, so they are clean too).
 */
class CleanCheck extends StandaloneCheck {
  engine: Engine | null = null;
  st: StreamScope = new StreamScope();
  private m: Array<Match> = new Array<Match>();
  private dec: ByteBuilder = new ByteBuilder(64);
  clean(data: Uint8Array, spans: Array<TextSpan>): bool {
    const engine = this.engine;
    if (engine === null) return false;
    const restoring = engine.config.anyTokenize && this.st.vault.size > 0;
    for (let k = 0; k < spans.length; k++) {
      const sp = unchecked(spans[k]);
      if (isTextKind(sp.kind)) continue;
      if (restoring) return false;
      let src = data;
      let a = sp.start;
      let b = sp.end;
      if (sp.hasEscape) {
        const d = this.dec;
        d.reset();
        if (decodeJsonString(data, a, b, d) != JsonError.NONE) return false;
        src = d.raw(); a = 0; b = d.length;
      }
      const m = this.m;
      m.length = 0;
      engine.detector.scan(src, a, b, m);
      if (m.length > 0) return false;
    }
    return true;
  }
}

const E_PASS: i32 = 0; // written as it is (comment, no data)
const E_TEXT: i32 = 1; // delta event: its spans carry text
const E_TEXT_LINES: i32 = 2; // plain data event whose other lines hold something: written, then scanned whole

export class SseRewriter {
  private parser: SseParser;
  private deltas: DeltaScanner;
  private text: TextStream = new TextStream();
  /** Events of the current run, their kind and scan; span text ends (flat, per TEXT event from spanBase). */
  private run: Array<SseEvent> = new Array<SseEvent>();
  private kinds: Array<i32> = new Array<i32>();
  private scans: Array<LlmScan> = new Array<LlmScan>();
  private spanBase: Array<i32> = new Array<i32>();
  private ends: Array<i32> = new Array<i32>();
  private textEvents: i32 = 0;
  // The last delta event, to carry held text when no delta event of the run can.
  private tmpl: SseEvent | null = null;
  /** Whether the template's other lines must be scanned (E_TEXT_LINES). */
  private tmplLines: bool = false;
  /** The last delta event's scan, copied out of the pool (the pool is reused by the next run). */
  private tmplScan: LlmScan = new LlmScan();
  /**
   * Scans reused for the delta events of a run: pool[0, pooled) are held by this run's events.
   * Counted apart from the run's length, which also counts events without data (comments): the
   * k-th event of a run may be its first delta, and pool[k] read unchecked past the array's end
   * was a stray pointer that scanInto then wrote through (fuzz finding of 2026-12-05).
   */
  private pool: Array<LlmScan> = new Array<LlmScan>();
  private pooled: i32 = 0;
  /**
   * Whether the last event written ended with a CR whose LF (CRLF split between chunks) starts
   * the next event's bytes: a copy inserted in between writes that LF itself.
   */
  private lastCR: bool = false;
  /** After an event too large to frame, the rest of the answer is scanned as plain text. */
  private raw: TextStream | null = null;
  /** Whether the carried text comes from plain (non-JSON) data events. */
  private plain: bool = false;

  /** The engine and shared scratch of the current callback (extraOf). */
  private engine: Engine | null = null;
  private sh: SseShared;

  constructor(maxEvent: i32, sh: SseShared) {
    this.sh = sh;
    const parser = new SseParser(maxEvent);
    // Each chunk is a fresh copy from the host (stream.ts), never reused: a large event's parts
    // are kept as views of them until it ends.
    parser.keepChunks = true;
    this.parser = parser;
    this.deltas = new DeltaScanner(sh.scanner);
    this.deltas.check = sh.check;
  }

  /** Adds src[start, end) of the answer and appends what can go out now to `out`. */
  push(engine: Engine, st: StreamScope, sh: SseShared, src: Uint8Array, start: i32, end: i32, last: bool, out: ByteBuilder): void {
    if (this.raw !== null) {
      pushWindowed(this.raw!, engine, st, sh.sink, src, start, end, last, out);
      return;
    }
    const p = this.parser;
    const err = p.feed(src, start, end);
    this.take(engine, st, sh, out);
    if (err != SseError.NONE) {
      // An event larger than the limit without an end: not an LLM stream; scan the rest as text.
      this.settle(engine, st, sh, true, out);
      const rest = p.takeBuffered();
      const t = new TextStream();
      this.raw = t;
      pushWindowed(t, engine, st, sh.sink, rest, 0, rest.length, last, out);
      return;
    }
    if (last) {
      p.finish();
      // An unterminated tail (clients discard it) is still scanned, as text, after the held text.
      const tail = p.takeEvents();
      this.settle(engine, st, sh, true, out);
      for (let i = 0; i < tail.length; i++) this.asText(engine, st, unchecked(tail[i]), out);
      return;
    }
    this.settle(engine, st, sh, false, out);
  }

  private take(engine: Engine, st: StreamScope, sh: SseShared, out: ByteBuilder): void {
    const evs = this.parser.takeEvents();
    this.engine = engine;
    this.sh = sh;
    sh.check.engine = engine;
    sh.check.st = st;
    sh.editor.st = st;
    for (let i = 0; i < evs.length; i++) {
      const ev = unchecked(evs[i]);
      if (!ev.dispatch) { this.queue(ev, E_PASS, null); continue; }
      const k = this.pooled;
      if (k == this.pool.length) this.pool.push(new LlmScan());
      const reuse = unchecked(this.pool[k]);
      const scan = this.deltas.scanInto(ev, reuse);
      // Only an event answered from the remembered shape fills the pooled scan (others get a new one).
      if (scan === reuse) this.pooled = k + 1;
      if (scan.ok && scan.jsonData && hasTextSpan(scan)) {
        if (this.plain && (this.textEvents > 0 || this.text.pending > 0)) this.settle(engine, st, sh, true, out);
        this.plain = false;
        if (ev.data.length > BIG_EVENT && this.writeBig(engine, st, sh, ev, scan, out)) continue;
        this.queue(ev, E_TEXT, scan);
        if (this.text.pending > BIG_EVENT) this.settle(engine, st, sh, false, out);
        continue;
      }
      const json = scan.ok && scan.jsonData;
      if (!json && !isDone(ev)) {
        // Data that is not JSON (or not valid JSON): plain text, carried like the deltas. Its
        // other lines (event:, id:, comments) are scanned when it is written (E_TEXT_LINES).
        if (!this.plain && (this.textEvents > 0 || this.text.pending > 0)) this.settle(engine, st, sh, true, out);
        this.plain = true;
        const ts = new LlmScan();
        ts.jsonData = false;
        ts.spans.push(new TextSpan(0, ev.data.length, TextKind.COMPLETION, 0, false));
        this.queue(ev, otherLinesClean(engine, sh, ev) ? E_TEXT : E_TEXT_LINES, ts);
        if (this.text.pending > BIG_EVENT) this.settle(engine, st, sh, false, out);
        continue;
      }
      // No delta text ([DONE], finish chunk, *_stop, message_start, ping, response.completed): held
      // text goes first; the event's own strings are scanned on their own.
      this.settle(engine, st, sh, true, out);
      if (json) this.writeStandalone(engine, st, sh, ev, scan, out);
      else this.writeRaw(ev, out);
    }
  }

  private queue(ev: SseEvent, kind: i32, scan: LlmScan | null): void {
    this.run.push(ev);
    this.kinds.push(kind);
    this.spanBase.push(this.ends.length);
    if (kind != E_PASS) {
      const spans = scan!.spans;
      const data = ev.data;
      for (let k = 0; k < spans.length; k++) {
        const sp = unchecked(spans[k]);
        if (!isTextKind(sp.kind)) { this.ends.push(STANDALONE); continue; }
        if (sp.hasEscape) this.text.addJsonString(data, sp.start, sp.end);
        else {
          if (!scan!.jsonData) this.extraOf(data, sp.start, sp.end);
          this.text.add(data, sp.start, sp.end);
        }
        this.ends.push(this.text.end);
      }
      this.textEvents++;
      this.scans.push(scan!);
    } else this.scans.push(new LlmScan());
  }

  /** Plain data, as a client shows it on its own: its entities are masked whatever its neighbours hold. */
  private extraOf(data: Uint8Array, start: i32, end: i32): void {
    const engine = this.engine;
    if (engine === null) return;
    const m = this.sh.matches;
    m.length = 0;
    engine.detector.scan(data, start, end, m);
    const base = this.text.end - start;
    for (let k = 0; k < m.length; k++) { const x = unchecked(m[k]); this.text.addExtra(x.type, base + x.start, base + x.end); }
  }

  /** Writes the run with the decided text (all of it when `final`), then empties the run. */
  private settle(engine: Engine, st: StreamScope, sh: SseShared, final: bool, out: ByteBuilder): void {
    const run = this.run;
    const text = this.text;
    const needText = this.textEvents > 0 || (final && text.pending > 0);
    let cut = 0;
    const ed = sh.editor;
    if (needText) {
      cut = text.decide(engine, st, final, true);
      ed.engine = engine;
      ed.cut = cut;
    }
    let lastText = -1;
    for (let i = run.length - 1; i >= 0; i--) if (unchecked(this.kinds[i]) != E_PASS) { lastText = i; break; }
    // The run goes out at about its size: grow the output once (a large event would otherwise be
    // doubled into, leaving as much again as garbage).
    let total = 0;
    for (let i = 0; i < run.length; i++) total += unchecked(run[i]).raw.length;
    out.reserve(total + 64);
    for (let i = 0; i < run.length; i++) {
      const ev = unchecked(run[i]);
      const kind = unchecked(this.kinds[i]);
      if (kind == E_PASS) { this.writeRaw(ev, out); continue; }
      const scan = unchecked(this.scans[i]);
      const base = unchecked(this.spanBase[i]);
      const n = scan.spans.length;
      const ends = ed.ends;
      ends.length = n;
      for (let k = 0; k < n; k++) unchecked((ends[k] = this.ends[base + k]));
      ed.template = false;
      ed.lastSpan = -1;
      if (i == lastText) for (let k = n - 1; k >= 0; k--) if (unchecked(ends[k]) != STANDALONE) { ed.lastSpan = k; break; }
      if (kind == E_TEXT) writeTextEvent(ev, scan, ed, sh, out);
      else {
        const w = sh.event;
        w.reset();
        writeTextEvent(ev, scan, ed, sh, w);
        if (engine.rewrite(w.raw(), 0, w.length, st, true, out) == 0) out.appendBuilder(w);
      }
      this.lastCR = endsWithCR(ev.raw);
      this.tmpl = ev;
      this.tmplLines = kind == E_TEXT_LINES;
      if (i == lastText) copyScan(scan, this.tmplScan);
    }
    if (needText && lastText < 0 && this.tmpl !== null) {
      // Held text from earlier chunks and no delta event to carry it: a copy of the last one.
      ed.template = true;
      const ts = this.tmplScan.spans;
      const ends = ed.ends;
      ends.length = ts.length;
      ed.templateSpan = -1;
      for (let k = 0; k < ts.length; k++) {
        const txt = isTextKind(unchecked(ts[k]).kind);
        unchecked((ends[k] = txt ? 0 : STANDALONE));
        if (txt && ed.templateSpan < 0) ed.templateSpan = k;
      }
      const t = this.tmpl!;
      const copy = sh.copy;
      copy.reset();
      writeTextEvent(t, this.tmplScan, ed, sh, copy);
      if (this.tmplLines) {
        // Its other lines held something: the copy is scanned whole, as the event was.
        const w = sh.event;
        w.reset();
        if (engine.rewrite(copy.raw(), 0, copy.length, st, true, w) > 0) { copy.reset(); copy.appendBuilder(w); }
      }
      // The copy starts where the template's first line did (not with an LF that completed the
      // event before it), after the LF a CR-ended previous event still waits for.
      if (this.lastCR) out.appendByte(0x0a);
      out.appendSlice(copy.raw(), t.lineCount > 0 ? min(t.lineStart(0), copy.length) : 0, copy.length);
      this.lastCR = endsWithCR(t.raw);
    }
    if (needText) text.advance(cut);
    run.length = 0;
    this.kinds.length = 0;
    this.scans.length = 0;
    this.spanBase.length = 0;
    this.ends.length = 0;
    this.textEvents = 0;
    this.pooled = 0;
  }

  /**
   * A delta event larger than BIG_EVENT with one data line: the run before it is settled (as at a
   * chunk end), then the event is written as it is read (BigEventEditor), into an output grown
   * once to its size. False (nothing written) for other shapes, which go the usual way.
   */
  private writeBig(engine: Engine, st: StreamScope, sh: SseShared, ev: SseEvent, scan: LlmScan, out: ByteBuilder): bool {
    if (!ev.complete) return false;
    let line = -1;
    for (let i = 0; i < ev.lineCount; i++) {
      if (ev.lineField(i) != SseField.DATA) continue;
      if (line >= 0) return false;
      line = i;
    }
    if (line < 0) return false;
    this.settle(engine, st, sh, false, out);
    const raw = ev.raw;
    // Handed on in pieces when the callback allows it, else written whole: grown once to its size.
    if (!sh.sink.active) out.reserve(raw.length + (raw.length >> 4) + 64);
    out.appendSlice(raw, 0, ev.lineValueStart(line));
    const ed = sh.big;
    ed.sink = sh.sink;
    ed.engine = engine;
    ed.st = st;
    ed.text = this.text;
    ed.spans = scan.spans;
    rewriteSpansWith(ev.data, 0, ev.data.length, scan.spans, ed, out, sh.scratch);
    out.appendSlice(raw, ev.lineEnd(line), raw.length);
    this.lastCR = endsWithCR(raw);
    // The template for held text is the event without its streamed text (not a copy of its size).
    copyScan(scan, this.tmplScan);
    this.tmpl = withoutText(ev, ev.lineValueStart(line), this.tmplScan);
    this.tmplLines = false;
    return true;
  }

  private writeRaw(ev: SseEvent, out: ByteBuilder): void {
    out.appendBytes(ev.raw);
    this.lastCR = endsWithCR(ev.raw);
  }

  /** An event without streamed text: each of its strings is scanned on its own. */
  private writeStandalone(engine: Engine, st: StreamScope, sh: SseShared, ev: SseEvent, scan: LlmScan, out: ByteBuilder): void {
    if (scan.spans.length == 0) { this.writeRaw(ev, out); return; }
    const ed = sh.editor;
    ed.engine = engine;
    ed.template = false;
    ed.lastSpan = -1;
    const ends = ed.ends;
    ends.length = scan.spans.length;
    for (let k = 0; k < ends.length; k++) unchecked((ends[k] = STANDALONE));
    rewriteEventTextWith(ev, scan, ed, sh.data, out, sh.scratch);
    this.lastCR = endsWithCR(ev.raw);
  }

  private asText(engine: Engine, st: StreamScope, ev: SseEvent, out: ByteBuilder): void {
    const raw = ev.raw;
    if (engine.rewrite(raw, 0, raw.length, st, true, out) == 0) out.appendBytes(raw);
    this.lastCR = endsWithCR(raw);
  }
}

/** Writes a delta event with its part of the decided text: JSON strings re-encoded, plain data as it is. */
function writeTextEvent(ev: SseEvent, scan: LlmScan, ed: EventEditor, sh: SseShared, out: ByteBuilder): void {
  if (scan.jsonData) { rewriteEventTextWith(ev, scan, ed, sh.data, out, sh.scratch); return; }
  const d = sh.data;
  d.reset();
  if (ed.edit(0, ev.data, 0, ev.data.length, d) == 0) writeEvent(ev, null, out);
  else writeEventSlice(ev, d.raw(), 0, d.length, out);
}

/** Whether an event's lines other than data (event:, id:, comments, unknown fields) hold nothing a detector finds. */
function otherLinesClean(engine: Engine, sh: SseShared, ev: SseEvent): bool {
  const m = sh.matches;
  const raw = ev.raw;
  for (let i = 0; i < ev.lineCount; i++) {
    const f = ev.lineField(i);
    if (f == SseField.DATA || f == SseField.BLANK) continue;
    m.length = 0;
    engine.detector.scan(raw, ev.lineStart(i), ev.lineEnd(i), m);
    if (m.length > 0) return false;
  }
  return true;
}

function hasTextSpan(scan: LlmScan): bool {
  const sp = scan.spans;
  for (let k = 0; k < sp.length; k++) if (isTextKind(unchecked(sp[k]).kind)) return true;
  return false;
}

/** Copies a scan's spans (what rewriting an event needs) into `to`, reusing its span objects. */
function copyScan(from: LlmScan, to: LlmScan): void {
  to.error = from.error;
  to.errorOffset = from.errorOffset;
  to.stream = from.stream;
  to.jsonData = from.jsonData;
  const a = from.spans;
  const b = to.spans;
  const n = a.length;
  while (b.length < n) b.push(new TextSpan(0, 0, 0, 0, false));
  b.length = n;
  for (let k = 0; k < n; k++) {
    const x = unchecked(a[k]);
    const y = unchecked(b[k]);
    y.start = x.start;
    y.end = x.end;
    y.kind = x.kind;
    y.role = x.role;
    y.hasEscape = x.hasEscape;
  }
}

/**
 * A copy of an event with one data line (its value at raw offset `vs`) whose text spans are
 * empty; `scan` (a copy of the event's) is moved to the copy's offsets.
 */
function withoutText(ev: SseEvent, vs: i32, scan: LlmScan): SseEvent {
  const raw = ev.raw;
  const spans = scan.spans;
  let cut = 0;
  for (let k = 0; k < spans.length; k++) { const sp = unchecked(spans[k]); if (isTextKind(sp.kind)) cut += sp.end - sp.start; }
  const b = new ByteBuilder(raw.length - cut);
  let pos = 0; // raw offset copied up to
  let removed = 0;
  for (let k = 0; k < spans.length; k++) {
    const sp = unchecked(spans[k]);
    const a = vs + sp.start, e = vs + sp.end;
    sp.start -= removed;
    if (isTextKind(sp.kind)) {
      b.appendSlice(raw, pos, a);
      pos = e;
      removed += e - a;
    }
    sp.end -= removed;
  }
  b.appendSlice(raw, pos, raw.length);
  const lines = new Array<i32>(ev.lines.length);
  for (let i = 0; i < ev.lines.length; i++) {
    const v = unchecked(ev.lines[i]);
    // Offsets after the data value's start move back by the text removed (the field id stays).
    unchecked((lines[i] = i % 5 == 3 || v <= vs ? v : v - cut));
  }
  const nraw = b.raw().subarray(0, b.length);
  let de = vs;
  for (let i = 0; i < ev.lineCount; i++) if (ev.lineField(i) == SseField.DATA) de = unchecked(lines[i * 5 + 1]);
  const t = new SseEvent(nraw, lines, nraw.subarray(vs, de));
  t.type = ev.type;
  t.id = ev.id;
  t.retry = ev.retry;
  t.dispatch = ev.dispatch;
  t.complete = ev.complete;
  return t;
}

function endsWithCR(raw: Uint8Array): bool {
  return raw.length > 0 && unchecked(raw[raw.length - 1]) == 0x0d;
}
