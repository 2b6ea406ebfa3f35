// What the request body says about its size: model, prompt tokens (estimated), max tokens.
// About 4 bytes of text per token, the figure llm-route uses for its estimates; the reservation
// is settled with the provider's real usage when the answer ends.
//
// The strings are those common/llm/spans.ts reports (the reader pii-mask and prompt-guard use, so
// quota counts what they see): every string value of the body, in every dialect, decoded, except
// the structural words it leaves out (roles, block types) and values under keys that are not text
// billed per token (SKIPPED_KEYS). Object keys other than the APIs' own member names count too
// (a tool's JSON Schema property names, the keys of a tool_use input are text the model reads),
// and so does every number in an array (token-array prompts: one token each).
import { LlmScanner, TextKind } from "../../common/assembly/llm/spans";
import { Tok } from "../../common/assembly/json/tokenizer";
import { decodeJsonString } from "../../common/assembly/json/string";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { JsonKind, parseJson } from "../../common/assembly/json/value";

export class BodyFacts {
  model: string = "";
  textBytes: i64 = 0;
  /** max_tokens / max_completion_tokens / max_output_tokens, or -1. */
  maxTokens: i64 = -1;
  /** Completions generated per request: `n`, or legacy completions' `best_of` when larger
   *  (each is billed); at least 1. */
  choices: i64 = 1;
  stream: bool = false;
  json: bool = false;
  get inTokens(): i64 { return this.textBytes / 4 + 1; }
}

// Values that are not text the model reads as tokens priced per token (image bytes and URLs are
// billed per image by providers; counting their characters would reserve thousands of tokens).
// An escaped key is never skipped. `data` is skipped only when it is base64 (media): Anthropic's
// plain-text document source carries its text there (`"source":{"type":"text","data":"…"}`).
const SKIPPED_KEYS: StaticArray<string> = ["url", "data", "image_url", "model", "role", "type"];
const DATA_KEY = 1;

function sameWord(body: Uint8Array, s: i32, e: i32, w: string): bool {
  const n = e - s;
  if (w.length != n) return false;
  for (let i = 0; i < n; i++) if (<i32>unchecked(body[s + i]) != w.charCodeAt(i)) return false;
  return true;
}

/** Index in SKIPPED_KEYS of the key body[s, e), or -1. */
function skippedKey(body: Uint8Array, s: i32, e: i32): i32 {
  if (s < 0) return -1;
  for (let k = 0; k < SKIPPED_KEYS.length; k++) if (sameWord(body, s, e, unchecked(SKIPPED_KEYS[k]))) return k;
  return -1;
}

/** Whether bytes[s, e) are base64 (RFC 4648 either alphabet, padding, MIME line breaks). */
export function isBase64(b: Uint8Array, s: i32, e: i32): bool {
  for (let i = s; i < e; i++) {
    const c = <i32>unchecked(b[i]);
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
      c == 0x2b || c == 0x2f || c == 0x3d || c == 0x2d || c == 0x5f || c == 0x0a || c == 0x0d;
    if (!ok) return false;
  }
  return true;
}

// Member names of the OpenAI (chat, completions, embeddings, Responses), Anthropic Messages and
// Gemini generateContent request bodies and their messages and parts: structure, not text the model is billed for. Any
// other key is counted (JSON Schema property names, tool inputs, metadata: never less).
const API_MEMBERS: StaticArray<string> = [
  "model", "messages", "role", "content", "type", "text", "name", "id", "max_tokens", "max_completion_tokens",
  "max_output_tokens", "stream", "stream_options", "include_usage", "temperature", "top_p", "top_k", "n",
  "best_of", "stop", "stop_sequences", "seed", "presence_penalty", "frequency_penalty", "logit_bias",
  "logprobs", "top_logprobs", "user", "metadata", "tools", "tool_choice", "parallel_tool_calls", "function",
  "functions", "function_call", "tool_calls", "tool_call_id", "arguments", "parameters", "description",
  "response_format", "json_schema", "schema", "strict", "image_url", "url", "detail", "input_audio", "data",
  "format", "system", "source", "media_type", "tool_use_id", "input", "is_error", "cache_control", "thinking",
  "budget_tokens", "prompt", "suffix", "echo", "encoding_format", "dimensions", "instructions", "reasoning",
  "effort", "store", "service_tier", "modalities", "audio", "voice", "call_id", "output", "properties",
  "required", "items", "enum", "additionalProperties", "signature", "title", "citations", "file", "file_id",
  "file_data", "filename", "reasoning_effort", "previous_response_id", "truncation", "include",
  // Gemini generateContent
  "contents", "parts", "generationConfig", "maxOutputTokens", "candidateCount", "systemInstruction",
  "safetySettings", "toolConfig", "functionDeclarations", "inlineData", "mimeType", "fileData", "fileUri",
  "functionCall", "functionResponse", "response", "args", "stopSequences", "topP", "topK",
  "responseMimeType", "responseSchema", "thinkingConfig", "thinkingBudget", "category", "threshold",
];

export function apiMember(body: Uint8Array, s: i32, e: i32): bool {
  const n = e - s;
  if (n > 21) return false;
  for (let k = 0; k < API_MEMBERS.length; k++) if (sameWord(body, s, e, unchecked(API_MEMBERS[k]))) return true;
  return false;
}

/** Numbers that are array elements (a valid JSON document: after `[` or `,` outside an object's
 *  key position, a number is an element): token-array prompts and inputs, one token each. */
export function arrayNumbers(b: Uint8Array): i64 {
  let n: i64 = 0;
  let prev = 0;
  const len = b.length;
  let i = 0;
  while (i < len) {
    const c = <i32>unchecked(b[i]);
    if (c == 0x22) {
      i++;
      while (i < len) {
        const d = <i32>unchecked(b[i]);
        if (d == 0x5c) { i += 2; continue; }
        i++;
        if (d == 0x22) break;
      }
      prev = 0x22;
      continue;
    }
    if (c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d) { i++; continue; }
    if ((c == 0x2d || (c >= 0x30 && c <= 0x39)) && (prev == 0x5b || prev == 0x2c)) n++;
    prev = c;
    i++;
  }
  return n;
}

const SCANNER = makeScanner();
function makeScanner(): LlmScanner {
  const s = new LlmScanner(64, true);
  s.recordRoot = true;
  s.keys = true;
  return s;
}
const SCRATCH = new ByteBuilder(256);

function rootIsObject(body: Uint8Array): bool {
  for (let i = 0; i < body.length; i++) {
    const c = unchecked(body[i]);
    if (c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d) continue;
    return c == 0x7b;
  }
  return false;
}

/** A non-negative number member's value (capped at 10^12), or -1. */
function intValue(body: Uint8Array, s: i32, e: i32): i64 {
  const v = parseFloat(String.UTF8.decodeUnsafe(body.dataStart + <usize>s, <usize>(e - s)));
  if (!(v >= 0)) return -1;
  return v > 1e12 ? <i64>1e12 : <i64>v;
}

export function readBody(body: Uint8Array): BodyFacts {
  const r = new BodyFacts();
  const scan = SCANNER.scan(body, 0, body.length);
  if (!scan.ok || !rootIsObject(body)) {
    // Not a JSON object (llm-route refuses it): every byte counts as text, never less.
    r.textBytes = body.length;
    return r;
  }
  r.json = true;
  const m = scan.model(body);
  r.model = m.length > 200 ? m.substring(0, 200) : m;
  r.stream = scan.stream == 1;
  // max_completion_tokens, max_tokens, max_output_tokens (Responses): the largest one sent (an
  // upstream that reads another member than the one quota preferred, e.g. an OpenAI-compatible
  // server that ignores max_completion_tokens, must not generate past the reservation); the last
  // of a duplicated key, as upstreams read it.
  let mct: i64 = -1, mt: i64 = -1, mot: i64 = -1, choices: i64 = -1, bestOf: i64 = -1;
  const members = scan.facts!.members;
  for (let i = 0; i < members.length; i++) {
    const mem = unchecked(members[i]);
    const ks = mem.keyStart, ke = mem.keyEnd;
    if (ks < 0 || mem.keyHasEscape) continue;
    const name = String.UTF8.decodeUnsafe(body.dataStart + <usize>ks, <usize>(ke - ks));
    const v = mem.tok == Tok.NUMBER ? intValue(body, mem.start, mem.end) : -1;
    if (name == "max_completion_tokens") mct = v;
    else if (name == "max_tokens") mt = v;
    else if (name == "max_output_tokens") mot = v;
    else if (name == "n") choices = v;
    else if (name == "best_of") bestOf = v;
    else if (name == "generationConfig" && mem.tok == Tok.OBJ_START) {
      // Gemini's generateContent: maxOutputTokens and candidateCount live one level down.
      const g = parseJson(body, mem.start, mem.end, 8, false).value;
      if (g !== null && g.kind == JsonKind.OBJECT) {
        const mo = g.get("maxOutputTokens");
        if (mo !== null && mo.kind == JsonKind.NUMBER && mo.num >= 0) mot = mo.num > 1e12 ? <i64>1e12 : <i64>mo.num;
        const cc = g.get("candidateCount");
        if (cc !== null && cc.kind == JsonKind.NUMBER && cc.num >= 1) choices = cc.num > 1e6 ? <i64>1e6 : <i64>cc.num;
      }
    }
  }
  r.maxTokens = max(mct, max(mt, mot));
  // Each choice is generated and billed (best_of: server-side candidates, billed too).
  let c = choices > bestOf ? choices : bestOf;
  r.choices = c < 1 ? 1 : c > 1000000 ? 1000000 : c;
  let n: i64 = 0;
  const spans = scan.spans;
  for (let i = 0; i < spans.length; i++) {
    const sp = unchecked(spans[i]);
    let skip = false;
    if (sp.kind == TextKind.KEY) skip = !sp.hasEscape && apiMember(body, sp.start, sp.end);
    else {
      const k = skippedKey(body, sp.keyStart, sp.keyEnd);
      // `data` is skipped when it is base64 (escaped slashes `\/` of some encoders decoded first).
      if (k == DATA_KEY) skip = sp.hasEscape ? false : isBase64(body, sp.start, sp.end);
      else skip = k >= 0;
      if (k == DATA_KEY && sp.hasEscape) {
        SCRATCH.reset();
        decodeJsonString(body, sp.start, sp.end, SCRATCH);
        if (isBase64(SCRATCH.raw(), 0, SCRATCH.length)) continue;
        n += SCRATCH.length;
        continue;
      }
    }
    if (skip) continue;
    if (!sp.hasEscape) { n += sp.end - sp.start; continue; }
    SCRATCH.reset();
    decodeJsonString(body, sp.start, sp.end, SCRATCH);
    n += SCRATCH.length;
  }
  // Token-array prompts: 4 bytes per token, as the text estimate.
  r.textBytes = n + arrayNumbers(body) * 4;
  return r;
}
