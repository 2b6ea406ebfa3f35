// What the request body says about its size: model, prompt tokens (estimated), max tokens.
// About 4 bytes of text per token, the figure llm-route uses for its estimates; the reservation
// is settled with the provider's real usage when the answer ends.
import { JsonKind, JsonValue, parseJson } from "../../common/assembly/json/value";

export class BodyFacts {
  model: string = "";
  textBytes: i64 = 0;
  /** max_tokens / max_completion_tokens / max_output_tokens, or -1. */
  maxTokens: i64 = -1;
  stream: bool = false;
  json: bool = false;
  get inTokens(): i64 { return this.textBytes / 4 + 1; }
}

// Values that are not text the model reads as tokens priced per token (image bytes and URLs are
// billed per image by providers; counting their characters would reserve thousands of tokens).
function skipped(key: string): bool {
  return key == "url" || key == "data" || key == "image_url" || key == "model" || key == "role" || key == "type";
}

function textBytes(v: JsonValue, depth: i32): i64 {
  if (depth > 64) return 0;
  if (v.kind == JsonKind.STRING) return <i64>String.UTF8.byteLength(v.str);
  let n: i64 = 0;
  if (v.kind == JsonKind.ARRAY) {
    for (let i = 0; i < v.items.length; i++) n += textBytes(v.items[i], depth + 1);
  } else if (v.kind == JsonKind.OBJECT) {
    for (let i = 0; i < v.items.length; i++) if (!skipped(v.keys[i])) n += textBytes(v.items[i], depth + 1);
  }
  return n;
}

function intField(v: JsonValue, key: string): i64 {
  const f = v.get(key);
  if (f === null || f.kind != JsonKind.NUMBER || !(f.num >= 0)) return -1;
  return f.num > 1e12 ? <i64>1e12 : <i64>f.num;
}

export function readBody(body: Uint8Array): BodyFacts {
  const r = new BodyFacts();
  const p = parseJson(body, 0, body.length, 64, false);
  const v = p.value;
  if (v === null || v.kind != JsonKind.OBJECT) {
    // Not a JSON object (llm-route refuses it): every byte counts as text, never less.
    r.textBytes = body.length;
    return r;
  }
  r.json = true;
  const m = v.get("model");
  if (m !== null && m.kind == JsonKind.STRING) r.model = m.str.length > 200 ? m.str.substring(0, 200) : m.str;
  const s = v.get("stream");
  r.stream = s !== null && s.kind == JsonKind.BOOL && s.bool;
  r.maxTokens = intField(v, "max_completion_tokens");
  if (r.maxTokens < 0) r.maxTokens = intField(v, "max_tokens");
  if (r.maxTokens < 0) r.maxTokens = intField(v, "max_output_tokens");
  r.textBytes = textBytes(v, 0);
  return r;
}
