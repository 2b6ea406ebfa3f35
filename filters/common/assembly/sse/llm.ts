// OpenAI and Anthropic streaming helpers: find the text deltas inside one SSE event's data and
// rewrite them.
//   OpenAI     data: {"choices":[{"index":0,"delta":{"content":"..."}}]}   ...   data: [DONE]
//   Anthropic  event: content_block_delta
//              data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"..."}}
// The JSON is scanned with the LLM body scanner (llm/spans.ts), which knows these chunk shapes.
import { ByteBuilder } from "../bytes/builder";
import { LlmScanner, LlmScan, TextSpan, isTextKind } from "../llm/spans";
import { jsonStringContentCheck } from "../json/tokenizer";
import { rewriteSpans, rewriteSpansWith, Replacement, RewriteError, SpanEditor, SpanScratch } from "../json/rewrite";
import { SseEvent } from "./parser";
import { writeEvent, writeEventSlice } from "./writer";

/** True for OpenAI's end-of-stream sentinel `data: [DONE]`. */
export function isDone(ev: SseEvent): bool {
  const d = ev.data;
  return d.length == 6 && d[0] == 0x5b && d[1] == 0x44 && d[2] == 0x4f && d[3] == 0x4e && d[4] == 0x45 && d[5] == 0x5d;
}

/**
 * Spans of text deltas in the event's data (offsets are into ev.data). Events without JSON data
 * (comments, pings without data, [DONE]) give an empty, error-free scan.
 */
export function scanEventText(ev: SseEvent, scanner: LlmScanner | null = null): LlmScan {
  const d = ev.data;
  let k = 0;
  while (k < d.length && (d[k] == 0x20 || d[k] == 0x09 || d[k] == 0x0a || d[k] == 0x0d)) k++;
  if (!ev.dispatch || k == d.length || (d[k] != 0x7b && d[k] != 0x5b) || isDone(ev)) {
    // Not JSON: no spans; jsonData tells a caller that scans everything to scan the data as text.
    const r = new LlmScan();
    r.jsonData = false;
    return r;
  }
  const s = scanner !== null ? scanner : new LlmScanner();
  return s.scan(d, 0, d.length);
}

/**
 * Applies replacements (span indexes from `scan`) to the event's data and appends the re-framed
 * event to `out`. With no replacements the original bytes are written. Returns a RewriteError.
 */
export function rewriteEventText(ev: SseEvent, scan: LlmScan, reps: Array<Replacement>, out: ByteBuilder): i32 {
  if (reps.length == 0) { writeEvent(ev, null, out); return RewriteError.NONE; }
  const data = new ByteBuilder(ev.data.length + 16);
  const err = rewriteSpans(ev.data, scan.spans, reps, data);
  if (err != RewriteError.NONE) return err;
  writeEvent(ev, data.toBytes(), out);
  return RewriteError.NONE;
}

/**
 * Like rewriteEventText, with the new span texts supplied by `editor` (see rewriteSpansWith):
 * appends the event to `out`, re-framed only when the editor changed a span (else its original
 * bytes). `data` is a reusable buffer for the rewritten data. Returns the number of spans changed,
 * or the editor's negative result (then nothing is appended).
 */
export function rewriteEventTextWith(ev: SseEvent, scan: LlmScan, editor: SpanEditor, data: ByteBuilder, out: ByteBuilder, scratch: SpanScratch | null = null): i32 {
  data.reset();
  data.reserve(ev.data.length); // the rewritten data is about as long: grow once, not by doubling
  const r = rewriteSpansWith(ev.data, 0, ev.data.length, scan.spans, editor, data, scratch);
  if (r < 0) return r;
  if (r == 0) writeEvent(ev, null, out);
  else writeEventSlice(ev, data.raw(), 0, data.length, out);
  return r;
}

/**
 * Says whether an event's strings other than its streamed text (TextKind.OTHER / KEY spans of an
 * allStrings scanner) are clean, i.e. need no rewrite. DeltaScanner remembers an event's shape only
 * then, because events answered from memory report the streamed string alone.
 */
export abstract class StandaloneCheck {
  abstract clean(data: Uint8Array, spans: Array<TextSpan>): bool;
}

/**
 * scanEventText for one stream, faster on the usual delta stream: it remembers the last event
 * with exactly one text span and, when the next event's data equals that one outside the string
 * (same bytes before its opening quote, same bytes from its closing quote on), only checks that
 * the new string content is valid (jsonStringContentCheck) and reuses the span's kind and role
 * instead of scanning the JSON again. The JSON tokenizer reads the unchanged bytes in the same
 * state, and the string ends at the first unescaped quote, which valid content does not hold, so
 * the result is the one scanEventText gives. Keep one per stream; `scanner` may be shared.
 */
export class DeltaScanner {
  private prefix: Uint8Array = new Uint8Array(0);
  private suffix: Uint8Array = new Uint8Array(0);
  private kind: i32 = 0;
  private role: i32 = 0;
  // The key span lies in the unchanged prefix, so its offsets hold for every event of the shape.
  private keyStart: i32 = -1;
  private keyEnd: i32 = -1;
  private stream: i32 = -1;
  private known: bool = false;
  private modelStart: i32 = -1;
  private modelEnd: i32 = -1;
  private modelHasEscape: bool = false;
  /** Events answered from the remembered shape (for tests and metrics). */
  hits: i32 = 0;
  /** With an allStrings scanner: decides whether an event's other strings allow remembering it. */
  check: StandaloneCheck | null = null;

  /** Forgets the remembered shape. */
  forget(): void { this.known = false; }

  constructor(public scanner: LlmScanner = new LlmScanner()) {}

  private span(s: i32, e: i32, esc: bool): TextSpan {
    const sp = new TextSpan(s, e, this.kind, this.role, esc);
    sp.keyStart = this.keyStart;
    sp.keyEnd = this.keyEnd;
    return sp;
  }

  scan(ev: SseEvent): LlmScan { return this.scanInto(ev, null); }

  /**
   * scan(), but an event answered from the remembered shape is written into `reuse` (its
   * previous content is replaced) instead of a new LlmScan, so a caller keeping a pool of scans
   * allocates nothing per delta event. Other events still get a new LlmScan.
   */
  scanInto(ev: SseEvent, reuse: LlmScan | null): LlmScan {
    const d = ev.data;
    const n = d.length;
    if (this.known && ev.dispatch) {
      const p = this.prefix.length;
      const q = this.suffix.length;
      if (n >= p + q && memory.compare(d.dataStart, this.prefix.dataStart, <usize>p) == 0 &&
        memory.compare(d.dataStart + <usize>(n - q), this.suffix.dataStart, <usize>q) == 0) {
        const esc = jsonStringContentCheck(d, p, n - q);
        if (esc >= 0) {
          let r: LlmScan;
          if (reuse !== null) {
            r = reuse;
            r.error = 0;
            r.errorOffset = -1;
            r.modelStart = this.modelStart;
            r.modelEnd = this.modelEnd;
            r.modelHasEscape = this.modelHasEscape;
            r.jsonData = true;
            const spans = r.spans;
            if (spans.length > 0) {
              spans.length = 1;
              const sp = unchecked(spans[0]);
              sp.start = p;
              sp.end = n - q;
              sp.kind = this.kind;
              sp.role = this.role;
              sp.hasEscape = esc == 1;
              sp.keyStart = this.keyStart;
              sp.keyEnd = this.keyEnd;
              sp.cand = 0;
              sp.owner = 0;
            } else spans.push(this.span(p, n - q, esc == 1));
          } else {
            r = new LlmScan();
            r.spans.push(this.span(p, n - q, esc == 1));
            r.modelStart = this.modelStart;
            r.modelEnd = this.modelEnd;
            r.modelHasEscape = this.modelHasEscape;
          }
          r.stream = this.stream;
          this.hits++;
          return r;
        }
      }
    }
    const r = scanEventText(ev, this.scanner);
    this.known = false;
    // Remember shapes with one streamed string only (the prefix ends with its opening quote, the
    // suffix starts with the closing one, so a string can never be mistaken for another part of
    // the document), and, when other strings are reported too, only if they are clean.
    if (r.ok && r.jsonData) {
      let one = -1;
      let count = 0;
      const spans = r.spans;
      for (let k = 0; k < spans.length; k++) if (isTextKind(unchecked(spans[k]).kind)) { one = k; count++; }
      const others = spans.length - count;
      const ck = this.check;
      if (count == 1 && (others == 0 || (ck !== null && ck.clean(d, spans)))) {
        const sp = unchecked(spans[one]);
        if (r.modelStart < 0 || r.modelEnd <= sp.start || r.modelStart >= sp.end) {
          this.prefix = d.slice(0, sp.start);
          this.suffix = d.slice(sp.end, n);
          this.kind = sp.kind;
          this.role = sp.role;
          this.keyStart = sp.keyStart;
          this.keyEnd = sp.keyEnd;
          this.stream = r.stream;
          this.modelStart = r.modelStart < sp.start ? r.modelStart : -1;
          this.modelEnd = r.modelStart < sp.start ? r.modelEnd : -1;
          this.modelHasEscape = r.modelHasEscape;
          this.known = this.modelStart >= 0 || r.modelStart < 0;
        }
      }
    }
    return r;
  }
}
