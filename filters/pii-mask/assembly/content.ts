// Which bodies are scanned, and how, from content-type / content-encoding.
export const BODY_NONE: i32 = 0; // binary or unknown: untouched
export const BODY_JSON: i32 = 1; // application/json, application/*+json: JSON-aware, buffered
export const BODY_TEXT: i32 = 2; // text/*, x-www-form-urlencoded, ndjson: plain text, streamed
export const BODY_SSE: i32 = 3; // text/event-stream: streamed, event-aware

/** The body mode for a content-type header value (null = absent: treated as text only if it looks
 *  like nothing else, i.e. not scanned; LLM APIs always send a content-type). */
export function classify(ct: string | null): i32 {
  if (ct === null) return BODY_NONE;
  let t = ct.toLowerCase();
  const semi = t.indexOf(";");
  if (semi >= 0) t = t.substring(0, semi);
  t = t.trim();
  if (t == "application/json" || (t.startsWith("application/") && t.endsWith("+json"))) return BODY_JSON;
  if (t == "text/event-stream") return BODY_SSE;
  if (t.startsWith("text/") || t == "application/x-www-form-urlencoded" || t == "application/x-ndjson" ||
    t == "application/jsonl" || t == "application/xml") return BODY_TEXT;
  return BODY_NONE;
}

/** Whether a content-encoding header value means the bytes are not text (anything but identity). */
export function isCompressed(enc: string | null): bool {
  if (enc === null) return false;
  const e = enc.trim().toLowerCase();
  return e.length > 0 && e != "identity";
}
