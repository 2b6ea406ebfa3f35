// Writing events back: unchanged events byte for byte, events with new data re-framed in place.
import { ByteBuilder } from "../bytes/builder";
import { SseEvent, SseField } from "./parser";

/**
 * Appends `ev` to `out`. With `newData` null the original bytes are written. Otherwise the data
 * lines are replaced, at the position of the first one, by one `data:` line per line of newData
 * (split at LF, CRLF or CR, since a raw CR/LF inside a field would end it), using the original
 * data line's "data:"/"data: " style and line terminator; every other line (event, id, retry,
 * comments, the blank line) is kept as it was. An event without data lines gets them just before
 * its blank line (or at its end if it is unterminated).
 */
export function writeEvent(ev: SseEvent, newData: Uint8Array | null, out: ByteBuilder): void {
  const raw = ev.raw;
  if (newData === null) { out.appendBytes(raw); return; }
  const n = ev.lineCount;
  // Style from the first data line, else from the first line, else "data: " + LF.
  let space = true;
  let termS = -1;
  let termE = -1;
  for (let i = 0; i < n; i++) {
    if (ev.lineField(i) == SseField.DATA) {
      const v = ev.lineValueStart(i);
      space = v - 2 >= ev.lineStart(i) && raw[v - 1] == 0x20 && raw[v - 2] == 0x3a;
      termS = ev.lineEnd(i);
      termE = ev.lineTerminatorEnd(i);
      break;
    }
  }
  if (termS < 0 && n > 0) { termS = ev.lineEnd(0); termE = ev.lineTerminatorEnd(0); }
  let written = false;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const f = ev.lineField(i);
    const ls = ev.lineStart(i);
    if (f == SseField.DATA || (f == SseField.BLANK && !written)) {
      out.appendSlice(raw, pos, ls); // bytes before the line (a carried-over LF)
      if (!written) {
        writeDataLines(out, newData, space, raw, termS, termE);
        written = true;
      }
      if (f == SseField.BLANK) out.appendSlice(raw, ls, ev.lineTerminatorEnd(i));
      pos = ev.lineTerminatorEnd(i);
    }
  }
  out.appendSlice(raw, pos, raw.length);
  if (!written) writeDataLines(out, newData, space, raw, termS, termE);
}

function writeDataLines(out: ByteBuilder, data: Uint8Array, space: bool, raw: Uint8Array, termS: i32, termE: i32): void {
  let s = 0;
  const n = data.length;
  while (true) {
    let e = s;
    while (e < n && data[e] != 0x0a && data[e] != 0x0d) e++;
    out.appendString(space ? "data: " : "data:");
    out.appendSlice(data, s, e);
    if (termS >= 0 && termE > termS) out.appendSlice(raw, termS, termE);
    else out.appendByte(0x0a);
    if (e >= n) break;
    s = e + 1;
    if (data[e] == 0x0d && s < n && data[s] == 0x0a) s++;
  }
}

/** Appends a new event framed with LF: optional `event:` and `id:` lines, data lines, blank line. */
export function writeNewEvent(out: ByteBuilder, data: Uint8Array, type: string | null = null, id: string | null = null): void {
  if (type !== null) out.appendString("event: ").appendString(type).appendByte(0x0a);
  if (id !== null) out.appendString("id: ").appendString(id).appendByte(0x0a);
  writeDataLines(out, data, true, data, -1, -1);
  out.appendByte(0x0a);
}
