// External moderation (optional): the request's texts go to a configured Envoy cluster in the
// OpenAI moderation shape (POST {"input": "...", "model": "..."} → {"results": [{"flagged": bool,
// "category_scores": {...}}]}), with a timeout. Its verdict combines with the local score: the
// request's score is the larger of the two, where a flagged result counts at least as the block
// threshold. A failed call (no answer, timeout, non-2xx, unreadable body) follows `failure`:
// open (local verdict alone) or closed (503).
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { appendJsonEscaped } from "../../common/assembly/json/escape";
import { parseJson, JsonKind, JsonValue } from "../../common/assembly/json/value";
import { Moderation } from "./config";

/** Most bytes of text sent to the moderation service (it has its own input limits). */
export const MAX_MODERATION_INPUT: i32 = 65536;

export class ModerationResult {
  ok: bool = false;
  flagged: bool = false;
  /** Highest category score in [0, 1]. */
  score: f64 = 0;
  category: string = "";
}

/** The request body for the moderation call; `text` is UTF-8 (texts joined with blank lines). */
export function moderationRequest(m: Moderation, text: ByteBuilder): ArrayBuffer {
  const b = new ByteBuilder(text.length + 64);
  b.appendString("{\"input\":\"");
  appendJsonEscaped(b, text.raw(), 0, min(text.length, MAX_MODERATION_INPUT));
  b.appendByte(0x22);
  if (m.model.length > 0) {
    b.appendString(",\"model\":\"");
    const mb = Uint8Array.wrap(String.UTF8.encode(m.model));
    appendJsonEscaped(b, mb, 0, mb.length);
    b.appendByte(0x22);
  }
  b.appendByte(0x7d);
  return b.toBytes().buffer;
}

/** Reads a moderation answer; `ok` false when it is not the expected shape. */
export function parseModeration(status: u32, body: Uint8Array): ModerationResult {
  const r = new ModerationResult();
  if (status < 200 || status > 299) return r;
  const p = parseJson(body, 0, body.length, 32, false);
  if (p.value === null) return r;
  const results = p.value!.get("results");
  if (results === null || results.kind != JsonKind.ARRAY || results.items.length == 0) return r;
  for (let i = 0; i < results.items.length; i++) {
    const res: JsonValue = results.items[i];
    if (res.kind != JsonKind.OBJECT) return r;
    const f = res.get("flagged");
    if (f === null || f.kind != JsonKind.BOOL) return r;
    if (f.bool) r.flagged = true;
    const scores = res.get("category_scores");
    if (scores !== null && scores.kind == JsonKind.OBJECT) {
      for (let k = 0; k < scores.keys.length; k++) {
        const s = scores.items[k];
        if (s.kind == JsonKind.NUMBER && s.num > r.score && s.num <= 1) { r.score = s.num; r.category = scores.keys[k]; }
      }
    }
  }
  r.ok = true;
  return r;
}
