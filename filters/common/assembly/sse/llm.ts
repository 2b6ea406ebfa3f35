// OpenAI and Anthropic streaming helpers: find the text deltas inside one SSE event's data and
// rewrite them.
//   OpenAI     data: {"choices":[{"index":0,"delta":{"content":"..."}}]}   ...   data: [DONE]
//   Anthropic  event: content_block_delta
//              data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"..."}}
// The JSON is scanned with the LLM body scanner (json/llm.ts), which knows these chunk shapes.
import { ByteBuilder } from "../bytes/builder";
import { LlmScanner, LlmScan } from "../json/llm";
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
  while (k < d.length && (d[k] == 0x20 || d[k] == 0x09 || d[k] == 0x0a)) k++;
  if (!ev.dispatch || k == d.length || d[k] != 0x7b) return new LlmScan();
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
  const r = rewriteSpansWith(ev.data, 0, ev.data.length, scan.spans, editor, data, scratch);
  if (r < 0) return r;
  if (r == 0) writeEvent(ev, null, out);
  else writeEventSlice(ev, data.raw(), 0, data.length, out);
  return r;
}
