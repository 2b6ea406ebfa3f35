// The call to an OpenAI-compatible embeddings endpoint (POST /v1/embeddings,
// https://platform.openai.com/docs/api-reference/embeddings): {"model","input"} in,
// {"data":[{"embedding":[...]}]} out. Any other answer is a failure (the caller makes it a miss).
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { JsonKind, parseJson } from "../../common/assembly/json/value";
import { JsonWriter } from "../../common/assembly/llm/writer";
import { HeaderPair } from "../../common/sdk";
import { SemanticConfig } from "./model";
import { MAX_DIMS } from "./quantise";
import { base64urlDecodeString } from "../../common/assembly/crypto/base64url";

/** Standard base64 (RFC 4648 section 4) of little-endian float32s → the vector, or null. */
function decodeFloats(s: string): Float64Array | null {
  let t = s;
  while (t.endsWith("=")) t = t.substring(0, t.length - 1);
  // The url-safe alphabet differs in two characters only; the decoder checks the rest.
  const b = base64urlDecodeString(t.replaceAll("+", "-").replaceAll("/", "_"));
  if (b === null || b.length == 0 || (b.length & 3) != 0 || (b.length >> 2) > MAX_DIMS) return null;
  const n = b.length >> 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = <f64>load<f32>(b.dataStart + <usize>(i << 2));
    if (!isFinite(x)) return null;
    out[i] = x;
  }
  return out;
}

export function embeddingRequest(s: SemanticConfig, text: string): ArrayBuffer {
  const b = new ByteBuilder(text.length + 64);
  const w = new JsonWriter(b).beginObject().kstr("model", s.model).kstr("input", text);
  if (s.base64) w.kstr("encoding_format", "base64");
  w.endObject();
  return b.raw().buffer.slice(0, b.length);
}

export function embeddingHeaders(s: SemanticConfig): Array<HeaderPair> {
  const h = new Array<HeaderPair>();
  h.push(new HeaderPair(":method", "POST"));
  h.push(new HeaderPair(":path", s.path));
  h.push(new HeaderPair(":authority", s.authority));
  h.push(new HeaderPair("content-type", "application/json"));
  if (s.apiKey.length) h.push(new HeaderPair("authorization", "Bearer " + s.apiKey));
  return h;
}

/** The first embedding of an answer (JSON numbers or base64), or null when the answer is not one. */
export function parseEmbedding(body: Uint8Array): Float64Array | null {
  const v = parseJson(body, 0, body.length, 16, false).value;
  if (v === null || v.kind != JsonKind.OBJECT) return null;
  const data = v.get("data");
  if (data === null || data.kind != JsonKind.ARRAY || data.items.length == 0) return null;
  const e = data.items[0].get("embedding");
  if (e !== null && e.kind == JsonKind.STRING) return decodeFloats(e.str);
  if (e === null || e.kind != JsonKind.ARRAY || e.items.length == 0 || e.items.length > MAX_DIMS) return null;
  const out = new Float64Array(e.items.length);
  for (let i = 0; i < e.items.length; i++) {
    const x = e.items[i];
    if (x.kind != JsonKind.NUMBER || !isFinite(x.num)) return null;
    out[i] = x.num;
  }
  return out;
}
