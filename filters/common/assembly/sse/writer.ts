// Writing events back: unchanged events byte for byte, events with new data re-framed in place.
import { ByteBuilder } from "../bytes/builder";
import { indexOfLineBreak } from "../bytes/util";
import { SseEvent, SseField } from "./parser";

/**
 * Appends `ev` to `out`. With `newData` null the original bytes are written. Otherwise the data
 * lines are replaced, at the position of the last one, by one `data:` line per line of newData
 * (split at LF, CRLF or CR, since a raw CR/LF inside a field would end it), using the original
 * data line's "data:"/"data: " style and line terminator; every other line (event, id, retry,
 * comments, the blank line) is kept as it was. An event without data lines gets them just before
 * its blank line. An unterminated tail (complete = false) is always written unchanged.
 */
export function writeEvent(ev: SseEvent, newData: Uint8Array | null, out: ByteBuilder): void {
  if (newData === null) { out.appendBytes(ev.raw); return; }
  writeEventSlice(ev, newData, 0, newData.length, out);
}

/** writeEvent with the new data given as data[start, end) (e.g. a reused builder's bytes). */
export function writeEventSlice(ev: SseEvent, data: Uint8Array, start: i32, end: i32, out: ByteBuilder): void {
  const raw = ev.raw;
  // An unterminated tail is never dispatched by clients: keep it as it is.
  if (!ev.complete) { out.appendBytes(raw); return; }
  if (start < 0) start = 0;
  if (end > data.length) end = data.length;
  if (end < start) end = start;
  const n = ev.lineCount;
  // Style from the data lines. Inner new lines end like the first data line; the last one like
  // the last data line, since that terminator is known to combine correctly with what follows
  // (a bare CR followed by an LF would otherwise merge into one CRLF and swallow a blank line).
  let space = true;
  let firstS = -1, firstE = -1, lastS = -1, lastE = -1;
  for (let i = 0; i < n; i++) {
    if (ev.lineField(i) != SseField.DATA) continue;
    if (firstS < 0) {
      const v = ev.lineValueStart(i);
      space = v - 2 >= ev.lineStart(i) && raw[v - 1] == 0x20 && raw[v - 2] == 0x3a;
      firstS = ev.lineEnd(i);
      firstE = ev.lineTerminatorEnd(i);
    }
    lastS = ev.lineEnd(i);
    lastE = ev.lineTerminatorEnd(i);
  }
  if (firstS < 0) {
    // No data lines: insert before the blank line, ending like the line before it (if any).
    for (let i = 0; i < n; i++) {
      if (ev.lineField(i) == SseField.BLANK && i > 0) {
        lastS = firstS = ev.lineEnd(i - 1);
        lastE = firstE = ev.lineTerminatorEnd(i - 1);
      }
    }
  }
  // The new lines go where the last data line was (earlier data lines are dropped): the bytes
  // around that spot are known to frame a line correctly, while dropping a line before other
  // content is always safe (content never starts with CR or LF).
  let at = -1;
  for (let i = 0; i < n; i++) if (ev.lineField(i) == SseField.DATA) at = i;
  if (at < 0) for (let i = 0; i < n; i++) if (ev.lineField(i) == SseField.BLANK) { at = i; break; }
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const f = ev.lineField(i);
    if (f != SseField.DATA && i != at) continue;
    const ls = ev.lineStart(i);
    out.appendSlice(raw, pos, ls); // lines before, and a carried-over LF
    pos = ev.lineTerminatorEnd(i);
    if (i == at) {
      writeDataLines(out, data, start, end, space, raw, firstS, firstE, lastS, lastE);
      if (f == SseField.BLANK) pos = ls; // keep the blank line itself
    }
  }
  out.appendSlice(raw, pos, raw.length);
}

const DATA_SPACE: StaticArray<u8> = [0x64, 0x61, 0x74, 0x61, 0x3a, 0x20]; // "data: "
const DATA_COLON: StaticArray<u8> = [0x64, 0x61, 0x74, 0x61, 0x3a]; // "data:"

function writeDataLines(out: ByteBuilder, data: Uint8Array, from: i32, n: i32, space: bool, raw: Uint8Array, firstS: i32, firstE: i32, lastS: i32, lastE: i32): void {
  let s = from;
  while (true) {
    const e = indexOfLineBreak(data, s, n);
    // Clients strip one leading space from a value: a line starting with one needs "data: ".
    if (space || (e > s && unchecked(data[s]) == 0x20)) out.appendStatic(DATA_SPACE);
    else out.appendStatic(DATA_COLON);
    out.appendSlice(data, s, e);
    const last = e >= n;
    const ts = last ? lastS : firstS;
    const te = last ? lastE : firstE;
    if (ts >= 0 && te > ts) out.appendSlice(raw, ts, te);
    else out.appendByte(0x0a);
    if (last) break;
    s = e + 1;
    if (data[e] == 0x0d && s < n && data[s] == 0x0a) s++;
  }
}

/** Appends a new event framed with LF: optional `event:` and `id:` lines, data lines, blank line. */
export function writeNewEvent(out: ByteBuilder, data: Uint8Array, type: string | null = null, id: string | null = null): void {
  if (type !== null) out.appendString("event: ").appendString(type).appendByte(0x0a);
  if (id !== null) out.appendString("id: ").appendString(id).appendByte(0x0a);
  writeDataLines(out, data, 0, data.length, true, data, -1, -1, -1, -1);
  out.appendByte(0x0a);
}
