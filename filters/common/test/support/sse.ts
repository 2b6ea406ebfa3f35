// Server-sent events as text, for the filters' Node tests: build a stream from events and read
// the events back out of what the client received. Tests only; the filters' own SSE parser is
// filters/common/assembly/sse (WHATWG HTML 9.2.6).

/** SSE text from events: each `[type, data]` (type null = no event line; data not a string = JSON). */
export function sse(events: Array<[string | null, unknown]>): string {
  return events.map(([t, d]) => (t ? `event: ${t}\n` : "") + `data: ${typeof d === "string" ? d : JSON.stringify(d)}\n\n`).join("");
}

/** Parses an SSE body into `{ event, data }`, data JSON-parsed where it is JSON (not `[DONE]`). */
export function parseSse(text: string): Array<{ event: string | null; data: any }> {
  const out: Array<{ event: string | null; data: any }> = [];
  for (const block of text.split("\n\n")) {
    if (!block.trim()) continue;
    let event: string | null = null;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    const d = data.join("\n");
    let parsed: any = d;
    try { parsed = JSON.parse(d); } catch { /* [DONE] */ }
    out.push({ event, data: parsed });
  }
  return out;
}

/** Splits a string into pieces of `n` bytes (to cut events at every place). */
export function pieces(text: string, n: number): Uint8Array[] {
  const b = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += n) out.push(b.subarray(i, i + n));
  return out;
}
