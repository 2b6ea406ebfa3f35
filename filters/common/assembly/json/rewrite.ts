// Decoding scanned text spans and rewriting them in place, keeping the JSON valid.
import { ByteBuilder } from "../bytes/builder";
import { JsonError } from "./tokenizer";
import { decodeJsonString, OffsetMap } from "./string";
import { appendJsonEscaped, escapeInPlace } from "./escape";
import { TextSpan } from "../llm/spans";

/** Replace decoded bytes [start, end) of spans[span] by `text` (UTF-8; start == end inserts). */
export class Replacement {
  constructor(public span: i32, public start: i32, public end: i32, public text: Uint8Array) {}
}

export namespace RewriteError {
  export const NONE = 0;
  export const BAD_SPAN = 1; // span index out of range, or spans not sorted / overlapping / outside the body
  export const BAD_RANGE = 2; // start > end, negative, or beyond the decoded length
  export const OVERLAP = 3; // two replacements of one span overlap (or are the same insertion point)
  export const DECODE = 4; // a span is not a valid JSON string content
}

/** Decodes a span's text into `out` (appending); see decodeJsonString. */
export function decodeSpan(body: Uint8Array, span: TextSpan, out: ByteBuilder, map: OffsetMap | null = null): i32 {
  return decodeJsonString(body, span.start, span.end, out, map);
}

function byPosition(a: Replacement, b: Replacement): i32 {
  if (a.span != b.span) return a.span - b.span;
  if (a.start != b.start) return a.start - b.start;
  return a.end - b.end;
}

/**
 * Rewrites `body` into `out` (appending), applying `reps` (any order) to the decoded text of
 * `spans` (as returned by the scanner: sorted, non-overlapping). Bytes outside replaced ranges are
 * copied unchanged, including the original escapes of untouched text wherever the replacement
 * boundaries fall on escape and UTF-8 character boundaries; elsewhere the untouched text is
 * re-escaped, and replacement text is escaped (malformed UTF-8 in it becomes \ufffd). So the
 * result is valid JSON and, with no replacements, identical to `body`.
 * On error `out` is truncated back to its length at the call.
 */
export function rewriteSpans(body: Uint8Array, spans: Array<TextSpan>, reps: Array<Replacement>, out: ByteBuilder): i32 {
  const base = out.length;
  const sorted = reps.slice(0);
  sorted.sort(byPosition);
  for (let i = 0; i < sorted.length; i++) {
    const r = unchecked(sorted[i]);
    if (r.span < 0 || r.span >= spans.length) return RewriteError.BAD_SPAN;
    if (r.start < 0 || r.end < r.start) return RewriteError.BAD_RANGE;
    if (i > 0) {
      const p = unchecked(sorted[i - 1]);
      if (p.span == r.span && (r.start < p.end || (r.start == p.start && r.end == p.end))) return RewriteError.OVERLAP;
    }
  }
  const decoded = new ByteBuilder(64);
  const map = new OffsetMap();
  let pos = 0; // next body byte to copy
  let i = 0;
  while (i < sorted.length) {
    const si = unchecked(sorted[i]).span;
    const sp = unchecked(spans[si]);
    if (sp.start < pos || sp.end < sp.start || sp.end > body.length) { out.truncate(base); return RewriteError.BAD_SPAN; }
    out.appendSlice(body, pos, sp.start);
    decoded.reset();
    if (decodeJsonString(body, sp.start, sp.end, decoded, map) != JsonError.NONE) { out.truncate(base); return RewriteError.DECODE; }
    const dec = decoded.raw();
    const len = decoded.length;
    let d = 0;
    while (i < sorted.length && unchecked(sorted[i]).span == si) {
      const r = unchecked(sorted[i]);
      if (r.end > len) { out.truncate(base); return RewriteError.BAD_RANGE; }
      emitGap(out, body, dec, len, map, d, r.start);
      appendJsonEscaped(out, r.text, 0, r.text.length);
      d = r.end;
      i++;
    }
    emitGap(out, body, dec, len, map, d, len);
    pos = sp.end;
  }
  out.appendSlice(body, pos, body.length);
  return RewriteError.NONE;
}

@inline function clean(dec: Uint8Array, len: i32, map: OffsetMap, d: i32): bool {
  return map.isEscapeBoundary(d) && (d >= len || (unchecked(dec[d]) & 0xc0) != 0x80);
}

// Untouched decoded text [d0, d1): the original raw bytes when both ends are clean boundaries,
// else re-escaped decoded bytes.
function emitGap(out: ByteBuilder, body: Uint8Array, dec: Uint8Array, len: i32, map: OffsetMap, d0: i32, d1: i32): void {
  if (d1 <= d0) return;
  if (clean(dec, len, map, d0) && clean(dec, len, map, d1)) out.appendSlice(body, map.toRaw(d0), map.toRaw(d1));
  else appendJsonEscaped(out, dec, d0, d1);
}

/** Convenience: replace the whole decoded text of spans[span] by `text`. */
export function replaceSpanText(body: Uint8Array, spans: Array<TextSpan>, span: i32, text: Uint8Array, out: ByteBuilder): i32 {
  if (span < 0 || span >= spans.length) return RewriteError.BAD_SPAN;
  const sp = spans[span];
  // A decoded string is never longer than its raw content, so raw length bounds the range.
  const tmp = new ByteBuilder(sp.end - sp.start);
  if (decodeJsonString(body, sp.start, sp.end, tmp) != JsonError.NONE) return RewriteError.DECODE;
  const reps = new Array<Replacement>();
  reps.push(new Replacement(span, 0, tmp.length, text));
  return rewriteSpans(body, spans, reps, out);
}

/**
 * Supplies the new text of the spans rewriteSpansWith visits (for callers whose replacement is
 * computed from the whole text, e.g. a scanner that masks entities, rather than known ranges).
 */
export abstract class SpanEditor {
  /**
   * `text[start, end)` is the decoded text of `spans[index]`. To replace it, append the new text
   * (UTF-8, not escaped) to `out` and return 1; return 0 to keep the span as it was (and leave
   * `out` alone); a negative value stops the rewrite and is returned by rewriteSpansWith.
   */
  abstract edit(index: i32, text: Uint8Array, start: i32, end: i32, out: ByteBuilder): i32;
  /**
   * Whether edit() appends to `out` as it finds it (and, returning 0, leaves it at its length):
   * then rewriteSpansWith lets it write into the output itself and escapes there, instead of
   * through a scratch copy of the span's new text (a large string is not held twice).
   */
  appends: bool = false;
  /**
   * Whether edit() takes a span with escapes as its raw JSON content (spans[index].hasEscape says
   * so) rather than decoded into a scratch copy: an editor that decodes a large string piece by
   * piece itself.
   */
  rawSpans: bool = false;
}

/**
 * An appending editor's result for a span it wrote already JSON-escaped (and may have handed on in
 * part: `out` then no longer holds the start of its text).
 */
export const EDIT_ESCAPED: i32 = 2;

/** Reusable buffers of rewriteSpansWith (one per plugin: callbacks run one at a time). */
export class SpanScratch {
  decoded: ByteBuilder = new ByteBuilder(256);
  edited: ByteBuilder = new ByteBuilder(256);
}

/**
 * Rewrites body[start, end) into `out` (appending), asking `editor` for each span's new text.
 * A span without escapes is handed over as its raw bytes (no copy); one with escapes decoded.
 * Changed spans are written JSON-escaped (malformed UTF-8 becomes \ufffd); every other byte,
 * including spans the editor keeps, is copied as it was, so with no change the output equals the
 * input. Spans that are not sorted, overlap or fall outside [start, end), or do not decode, are
 * kept. Returns the number of spans changed, or the editor's negative result (then `out` is
 * truncated back to its length at the call).
 */
export function rewriteSpansWith(body: Uint8Array, start: i32, end: i32, spans: Array<TextSpan>, editor: SpanEditor, out: ByteBuilder, scratch: SpanScratch | null = null): i32 {
  if (start < 0) start = 0;
  if (end > body.length) end = body.length;
  const base = out.length;
  const sc = scratch !== null ? scratch : new SpanScratch();
  const dec = sc.decoded;
  const ed = sc.edited;
  let pos = start;
  let changed = 0;
  for (let i = 0; i < spans.length; i++) {
    const sp = unchecked(spans[i]);
    if (sp.start < pos || sp.end < sp.start || sp.end > end) continue;
    let text = body;
    let ts = sp.start;
    let te = sp.end;
    if (sp.hasEscape && !editor.rawSpans) {
      dec.reset();
      if (decodeJsonString(body, sp.start, sp.end, dec) != JsonError.NONE) continue;
      text = dec.raw();
      ts = 0;
      te = dec.length;
    }
    if (editor.appends) {
      out.appendSlice(body, pos, sp.start);
      const mark = out.length;
      const r = editor.edit(i, text, ts, te, out);
      if (r < 0) { out.truncate(base); return r; }
      if (r == 0) { out.truncate(mark); out.appendSlice(body, sp.start, sp.end); }
      else { if (r != EDIT_ESCAPED) escapeInPlace(out, mark); changed++; }
      pos = sp.end;
      continue;
    }
    ed.reset();
    const r = editor.edit(i, text, ts, te, ed);
    if (r < 0) { out.truncate(base); return r; }
    if (r == 0) continue;
    out.appendSlice(body, pos, sp.start);
    appendJsonEscaped(out, ed.raw(), 0, ed.length);
    pos = sp.end;
    changed++;
  }
  out.appendSlice(body, pos, end);
  return changed;
}
