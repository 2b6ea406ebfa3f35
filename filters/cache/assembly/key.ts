// The cache key: SHA-256 of one canonical text of everything that changes the answer.
//
// The prompt texts and their roles come from the one span reader every filter that reads prompts
// uses (common/assembly/llm/spans.ts: pii-mask, prompt-guard, quota), decoded straight into the
// key, so what the key hashes is what those filters see (Anthropic `thinking` blocks included,
// which the neutral form drops). The structure comes from the dialect-neutral chat form
// (common/assembly/llm), so an OpenAI chat request and an Anthropic messages request asking the
// same thing give the same key: model, message roles and parts (a text part as the number of its
// span, images, tool calls with their arguments, tool-result ids), tools, sampling fields, and the
// byte length of each system text and tool result. The neutral texts are proven to be span texts,
// request by request: a text part is the span at its source bytes (else its text is hashed itself,
// e.g. an OpenAI `refusal` part), and the system texts and tool results, joined, are byte for byte
// the system- and tool-role span texts (else the body keys on itself, below). So the neutral texts
// follow from the key, which tells apart whatever it told apart when it hashed them.
// Members the neutral form does not carry (seed, penalties, logit_bias, reasoning_effort,
// Anthropic's thinking, ...) are added as canonical JSON, so a request differing in one of them
// never reads another's answer. Fields that do not change the answer are left out: `stream` and
// `stream_options` (a streamed request may be answered from a JSON one and the other way round),
// `user` and `metadata` (end-user ids; the scope decides who shares answers).
// A body the neutral form cannot carry whole (a content part no other dialect has) gets a key of
// its own dialect: the whole body, canonical, minus the members above.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { appendCanonicalFlat, appendCanonicalFlatExcept, appendCanonicalText } from "../../common/assembly/json/canonical-flat";
import { FlatJson, JK } from "../../common/assembly/llm/flat";
import { ChatRequest, Part, PartKind } from "../../common/assembly/llm/chat";
import { LlmScan, LlmScanner, TextKind, TextSpan, Role as SpanRole, isTextKind } from "../../common/assembly/llm/spans";
import { decodeJsonString } from "../../common/assembly/json/string";
import { readOpenAIChat } from "../../common/assembly/llm/openai";
import { readAnthropicMessages } from "../../common/assembly/llm/anthropic";
import { sha256 } from "../../common/assembly/crypto/sha2";
import { Dialect } from "./model";

/** Top-level members the neutral form carries (or that never change the answer). */
const OPENAI_KNOWN: StaticArray<string> = [
  "model", "messages", "tools", "functions", "tool_choice", "parallel_tool_calls", "max_tokens", "max_completion_tokens",
  "temperature", "top_p", "stop", "response_format", "stream", "stream_options", "user", "n",
];
const ANTHROPIC_KNOWN: StaticArray<string> = [
  "model", "system", "messages", "tools", "tool_choice", "max_tokens", "temperature", "top_p", "top_k",
  "stop_sequences", "stream", "metadata",
];
/** Members of one message the neutral form carries. */
const OPENAI_MESSAGE_KNOWN: StaticArray<string> = ["role", "content", "tool_calls", "tool_call_id", "function_call", "refusal"];
const ANTHROPIC_MESSAGE_KNOWN: StaticArray<string> = ["role", "content"];
/** What a whole-body key leaves out. */
const NEVER_IN_KEY: StaticArray<string> = ["stream", "stream_options", "user", "metadata"];

/** Key material version: bump when the canonical text changes, so old entries stop matching. */
const VERSION = "aigw-cache-key-3";

/** The span reader, text spans only (one per VM: callbacks of one VM never interleave). */
const SCANNER = new LlmScanner();
/** A span's decoded text, before it goes into the key as a netstring. */
const TEXT = new ByteBuilder(256);

export class KeyResult {
  /** 32-byte digest, or null when the body is not a chat request (the error says why). */
  digest: Uint8Array | null = null;
  error: string = "";
  req: ChatRequest = new ChatRequest();
  /** Request as written: temperature > 0 and no seed (its answers are meant to vary). */
  nondeterministic: bool = false;
  /** More than one choice asked for (`n` > 1): the dialect readers keep only the first. */
  multipleChoices: bool = false;
  /** The neutral form holds every text of the body (its texts proven against the span reader's):
   *  only then may a semantic lookup embed and bucket it (it reads the neutral form). */
  neutral: bool = false;
}

/** A string as a netstring of its UTF-8 bytes (`<length>:<bytes>,`): unambiguous, and for the
 *  mostly-ASCII text of prompts half the bytes of UTF-16 to hash (JSON escaping each character
 *  cost more than hashing it). Lone surrogates become U+FFFD, as in the JSON the provider gets. */
function str(out: ByteBuilder, s: string): void {
  const b = String.UTF8.encode(s);
  const n = b.byteLength;
  out.appendI32(n).appendByte(0x3a);
  out.appendSlice(Uint8Array.wrap(b), 0, n);
  out.appendByte(0x2c);
}
function num(out: ByteBuilder, v: f64): void { if (isNaN(v)) out.appendString("null"); else out.appendF64(v == 0 ? 0 : v); out.appendByte(0x2c); }
function int(out: ByteBuilder, v: i64): void { out.appendI64(v); out.appendByte(0x2c); }

/** An image or tool-call part's fields; false for other kinds. */
function appendImageOrCall(out: ByteBuilder, p: Part): bool {
  if (p.kind == PartKind.IMAGE) { str(out, p.url); str(out, p.mediaType); str(out, p.data); return true; }
  if (p.kind == PartKind.TOOL_CALL) { str(out, p.id); str(out, p.name); str(out, p.arguments); return true; }
  return false;
}

/** The neutral request as canonical text: a fixed order of fields, every string escaped. */
function appendNeutral(out: ByteBuilder, req: ChatRequest): void {
  str(out, req.model);
  out.appendString("[");
  for (let i = 0; i < req.system.length; i++) str(out, req.system[i]);
  out.appendString("],[");
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i];
    out.appendString("[");
    str(out, m.role);
    for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j];
      // Empty text carries nothing (OpenAI readers drop it, Anthropic ones keep it).
      // str(): a request's text may still be its raw JSON source; the key needs the decoded text
      // (`\u0041` and `A` are one prompt).
      if (p.kind == PartKind.TEXT && p.str().length == 0) continue;
      out.appendString("[");
      int(out, p.kind);
      if (p.kind == PartKind.TEXT) str(out, p.str());
      else if (!appendImageOrCall(out, p)) { str(out, p.id); str(out, p.str()); int(out, p.isError ? 1 : 0); }
      out.appendString("],");
    }
    out.appendString("],");
  }
  out.appendString("],[");
  appendSettings(out, req);
}

/** Tools, tool choice and the sampling fields of the neutral request (after its messages). */
function appendSettings(out: ByteBuilder, req: ChatRequest): void {
  for (let i = 0; i < req.tools.length; i++) {
    const t = req.tools[i];
    str(out, t.name);
    str(out, t.description);
    appendCanonicalText(out, t.parameters);
    out.appendByte(0x2c);
  }
  out.appendString("],");
  int(out, req.toolChoice);
  str(out, req.toolChoiceName);
  int(out, req.parallelToolCalls ? 1 : 0);
  int(out, req.maxTokens);
  num(out, req.temperature);
  num(out, req.topP);
  int(out, req.topK);
  out.appendString("[");
  for (let i = 0; i < req.stop.length; i++) str(out, req.stop[i]);
  out.appendString("],");
  int(out, req.responseFormat);
  str(out, req.schemaName);
  appendCanonicalText(out, req.schema);
  out.appendByte(0x2c);
  int(out, req.n);
}

/** Whether a span is prompt text the key takes from the span reader: every text kind but tool-call
 *  arguments and inputs, which the neutral tool-call part carries whole (Anthropic's `input` as
 *  an object: the span reader reports only its strings). */
function isPromptSpan(kind: i32): bool {
  return isTextKind(kind) && kind != TextKind.TOOL_ARGUMENTS && kind != TextKind.TOOL_INPUT;
}

/** A span role as one byte; developer is system, as in the neutral form (OpenAI's developer
 *  messages are its system messages, Anthropic has only `system`). */
function roleByte(role: i32): u8 { return <u8>(0x30 + (role == SpanRole.DEVELOPER ? SpanRole.SYSTEM : role)); }

/** Scratch of one key (one per VM: callbacks of one VM never interleave): the system- and
 *  tool-role span texts as the spans give them, the neutral form's as it has them, and each
 *  span's place in the key (-1: not in it). */
const SPAN_SYSTEM = new ByteBuilder(256);
const SPAN_TOOL = new ByteBuilder(64);
const NEUTRAL = new ByteBuilder(256);
const ORDINAL = new Array<i32>();

/**
 * The prompt texts as the span reader sees them, role and decoded text each: first those outside
 * the `messages` array (Anthropic's `system`, wherever the member sits in the object), then the
 * messages' in document order. Numbers them (ORDINAL) and keeps the system- and tool-role texts
 * (SPAN_SYSTEM, SPAN_TOOL) for appendStructure.
 */
function appendSpanTexts(out: ByteBuilder, body: Uint8Array, scan: LlmScan, msgStart: i32, msgEnd: i32): void {
  const spans = scan.spans;
  SPAN_SYSTEM.reset();
  SPAN_TOOL.reset();
  ORDINAL.length = spans.length;
  for (let i = 0; i < spans.length; i++) unchecked((ORDINAL[i] = -1));
  let ordinal = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < spans.length; i++) {
      const sp = unchecked(spans[i]);
      if (!isPromptSpan(sp.kind)) continue;
      const inside = sp.start >= msgStart && sp.end <= msgEnd;
      if (inside != (pass == 1)) continue;
      unchecked((ORDINAL[i] = ordinal++));
      TEXT.reset();
      if (sp.hasEscape) decodeJsonString(body, sp.start, sp.end, TEXT);
      else TEXT.appendSlice(body, sp.start, sp.end);
      const n = TEXT.length;
      if (sp.role == SpanRole.SYSTEM || sp.role == SpanRole.DEVELOPER) SPAN_SYSTEM.appendSlice(TEXT.raw(), 0, n);
      else if (sp.role == SpanRole.TOOL) SPAN_TOOL.appendSlice(TEXT.raw(), 0, n);
      out.appendByte(roleByte(sp.role));
      out.appendI32(n).appendByte(0x3a);
      out.appendSlice(TEXT.raw(), 0, n);
      out.appendByte(0x2c);
    }
  }
}

/** Index of the span starting at byte `at` (spans are in document order: binary search), or -1. */
function spanAt(spans: Array<TextSpan>, at: i32): i32 {
  let lo = 0, hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = unchecked(spans[mid]).start;
    if (s == at) return mid;
    if (s < at) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

function sameBytes(a: ByteBuilder, b: ByteBuilder): bool {
  return a.length == b.length && memory.compare(a.dataStart, b.dataStart, <usize>a.length) == 0;
}

/**
 * The neutral request with its texts pointing into the span texts: a text part read from the
 * body is the number of the span at its bytes (else its own text, e.g. an OpenAI `refusal`
 * part); the system texts and tool results are their UTF-8 lengths, and false is returned unless
 * they are, joined, exactly the system- and tool-role span texts. So the neutral texts follow
 * from the key (no two requests the neutral form tells apart share one). The rest as appendNeutral.
 */
function appendStructure(out: ByteBuilder, req: ChatRequest, spans: Array<TextSpan>): bool {
  str(out, req.model);
  out.appendString("[");
  NEUTRAL.reset();
  for (let i = 0; i < req.system.length; i++) {
    const mark = NEUTRAL.length;
    NEUTRAL.appendString(req.system[i]);
    int(out, NEUTRAL.length - mark);
  }
  if (!sameBytes(NEUTRAL, SPAN_SYSTEM)) return false;
  NEUTRAL.reset();
  out.appendString("],[");
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i];
    out.appendString("[");
    str(out, m.role);
    for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j];
      if (p.kind == PartKind.TEXT) {
        // A part read from a string of the body (srcEnd > srcStart, kept after str() decoded it).
        const at = p.srcEnd > p.srcStart ? spanAt(spans, p.srcStart) : -1;
        const n = at >= 0 ? unchecked(ORDINAL[at]) : -1;
        if (n >= 0) { out.appendString("[t"); int(out, n); out.appendString("],"); continue; }
        if (p.str().length == 0) continue; // empty text carries nothing
        out.appendString("[0,");
        str(out, p.str());
        out.appendString("],");
        continue;
      }
      out.appendString("[");
      int(out, p.kind);
      if (!appendImageOrCall(out, p)) {
        const mark = NEUTRAL.length;
        NEUTRAL.appendString(p.text);
        str(out, p.id); int(out, NEUTRAL.length - mark); int(out, p.isError ? 1 : 0);
      }
      out.appendString("],");
    }
    out.appendString("],");
  }
  if (!sameBytes(NEUTRAL, SPAN_TOOL)) return false;
  out.appendString("],[");
  appendSettings(out, req);
  return true;
}

/** Members of each message the neutral form does not carry, with the message's index. */
function appendMessageExtras(out: ByteBuilder, d: FlatJson, v: i32, known: StaticArray<string>): void {
  const msgs = d.getArr(v, "messages");
  let i = 0;
  for (let m = d.first(msgs); m >= 0; m = d.next(m), i++) {
    if (!d.isObject(m)) continue;
    let extra = false;
    for (let c = d.first(m); c >= 0; c = d.next(c)) if (!known.includes(d.key(c))) { extra = true; break; }
    if (!extra) continue;
    out.appendI32(i).appendByte(0x3a);
    appendCanonicalFlatExcept(out, d, m, known);
    out.appendByte(0x2c);
  }
}

/** Anthropic content blocks the neutral form skips (`thinking`, `redacted_thinking`: the model
 *  reads them back, signature and opaque data included), as canonical JSON with their place. */
function appendSkippedBlocks(out: ByteBuilder, d: FlatJson, v: i32): void {
  const msgs = d.getArr(v, "messages");
  let i = 0;
  for (let m = d.first(msgs); m >= 0; m = d.next(m), i++) {
    const c = d.getArr(m, "content");
    let j = 0;
    for (let b = d.first(c); b >= 0; b = d.next(b), j++) {
      const t = d.getStr(b, "type");
      if (t != "thinking" && t != "redacted_thinking") continue;
      out.appendI32(i).appendByte(0x2e).appendI32(j).appendByte(0x3a);
      appendCanonicalFlat(out, d, b);
      out.appendByte(0x2c);
    }
  }
}

/** Members of content parts, tool calls and tools the neutral form does not carry (an image's
 *  `detail`, a function's `strict`, a block's `cache_control`, ...), as canonical JSON with their
 *  place: two requests differing only there must not share an answer. Lists per dialect. */
const OPENAI_PART_KNOWN: StaticArray<string> = ["type", "text", "image_url"];
const OPENAI_IMAGE_KNOWN: StaticArray<string> = ["url"];
const OPENAI_CALL_KNOWN: StaticArray<string> = ["id", "type", "function"];
const OPENAI_CALL_FUNCTION_KNOWN: StaticArray<string> = ["name", "arguments"];
const OPENAI_TOOL_KNOWN: StaticArray<string> = ["type", "function"];
const OPENAI_FUNCTION_KNOWN: StaticArray<string> = ["name", "description", "parameters"];
// thinking/redacted_thinking blocks are keyed whole (appendSkippedBlocks): their members are known here.
const ANTHROPIC_BLOCK_KNOWN: StaticArray<string> = [
  "type", "text", "source", "id", "name", "input", "tool_use_id", "content", "is_error", "thinking", "signature", "data",
];
const ANTHROPIC_SOURCE_KNOWN: StaticArray<string> = ["type", "url", "media_type", "data"];
const ANTHROPIC_TOOL_KNOWN: StaticArray<string> = ["name", "description", "input_schema"];
const NOTHING: StaticArray<string> = [];

/** Appends `place:` and the members of object `o` not in `known` (and, for member `inner`, the
 *  members of that object not in `innerKnown`), when there are any. */
function appendObjectExtras(out: ByteBuilder, d: FlatJson, o: i32, place: string, known: StaticArray<string>, inner: string, innerKnown: StaticArray<string>): void {
  if (!d.isObject(o)) return;
  let extra = false;
  for (let c = d.first(o); c >= 0 && !extra; c = d.next(c)) if (!known.includes(d.key(c))) extra = true;
  if (extra) {
    out.appendString(place).appendByte(0x3a);
    appendCanonicalFlatExcept(out, d, o, known);
    out.appendByte(0x2c);
  }
  if (inner.length == 0) return;
  const io = d.getObj(o, inner);
  if (io >= 0) appendObjectExtras(out, d, io, place + "." + inner, innerKnown, "", NOTHING);
}

function appendNestedExtras(out: ByteBuilder, d: FlatJson, v: i32, anthropic: bool): void {
  const msgs = d.getArr(v, "messages");
  let i = 0;
  for (let m = d.first(msgs); m >= 0; m = d.next(m), i++) {
    const c = d.getArr(m, "content");
    let j = 0;
    for (let b = d.first(c); b >= 0; b = d.next(b), j++) {
      const place = i.toString() + "." + j.toString();
      if (anthropic) appendObjectExtras(out, d, b, place, ANTHROPIC_BLOCK_KNOWN, "source", ANTHROPIC_SOURCE_KNOWN);
      else appendObjectExtras(out, d, b, place, OPENAI_PART_KNOWN, "image_url", OPENAI_IMAGE_KNOWN);
    }
    if (anthropic) continue;
    const calls = d.getArr(m, "tool_calls");
    j = 0;
    for (let t = d.first(calls); t >= 0; t = d.next(t), j++) {
      appendObjectExtras(out, d, t, i.toString() + ".call" + j.toString(), OPENAI_CALL_KNOWN, "function", OPENAI_CALL_FUNCTION_KNOWN);
    }
  }
  const tools = d.getArr(v, "tools");
  let k = 0;
  for (let t = d.first(tools); t >= 0; t = d.next(t), k++) {
    const place = "tool" + k.toString();
    if (anthropic) appendObjectExtras(out, d, t, place, ANTHROPIC_TOOL_KNOWN, "", NOTHING);
    else appendObjectExtras(out, d, t, place, OPENAI_TOOL_KNOWN, "function", OPENAI_FUNCTION_KNOWN);
  }
}

function temperatureOf(d: FlatJson, v: i32): f64 {
  // Absent or not a number: the provider's default (1.0 for OpenAI and Anthropic), not 0 either.
  return d.num(d.get(v, "temperature"), 1.0);
}

/**
 * Computes the key of a parsed request body. `route` names the matched cache rule and route,
 * `scope` the identity whose answers may be read ("" for a global scope).
 */
export function requestKey(dialect: i32, d: FlatJson, v: i32, route: string, scope: string, out: ByteBuilder): KeyResult {
  const r = new KeyResult();
  if (!d.isObject(v)) { r.error = "the body is not a JSON object"; return r; }
  if (!d.isArray(d.get(v, "messages"))) { r.error = "the body has no `messages` array"; return r; }
  const seed = d.get(v, "seed");
  r.nondeterministic = temperatureOf(d, v) > 0 && (seed < 0 || d.kind(seed) == JK.NULL);
  const n = d.get(v, "n");
  r.multipleChoices = d.kind(n) == JK.NUMBER && d.num(n) != 1;
  out.reset();
  str(out, VERSION);
  str(out, route);
  str(out, scope);
  const head = out.length;
  // Strict reading fails on parts that only this dialect has; such a body keys on itself. So does
  // one whose neutral system texts or tool results are not exactly its span texts (a `refusal`
  // part in a system message, a top-level `system` in an OpenAI body: appendStructure).
  const e = dialect == Dialect.ANTHROPIC ? readAnthropicMessages(d, v, r.req, true) : readOpenAIChat(d, v, r.req, true);
  let neutral = false;
  if (e === null) {
    const scan = SCANNER.scan(d.src, d.start(v), d.end(v));
    if (scan.ok) {
      const msgs = d.get(v, "messages");
      out.appendString("texts,");
      appendSpanTexts(out, d.src, scan, d.start(msgs), d.end(msgs));
      out.appendString(",neutral,");
      neutral = appendStructure(out, r.req, scan.spans);
    }
  }
  r.neutral = neutral;
  if (neutral) {
    out.appendString(",extra:");
    appendCanonicalFlatExcept(out, d, v, dialect == Dialect.ANTHROPIC ? ANTHROPIC_KNOWN : OPENAI_KNOWN);
    out.appendString(",messages:");
    appendMessageExtras(out, d, v, dialect == Dialect.ANTHROPIC ? ANTHROPIC_MESSAGE_KNOWN : OPENAI_MESSAGE_KNOWN);
    // Both dialects, so equal requests stay equal (an OpenAI body with such a part never gets here).
    out.appendString(",blocks:");
    appendSkippedBlocks(out, d, v);
    out.appendString(",nested:");
    appendNestedExtras(out, d, v, dialect == Dialect.ANTHROPIC);
  } else {
    out.truncate(head);
    // Re-read leniently for the stream flag and the rest the filter needs.
    r.req = new ChatRequest();
    if (dialect == Dialect.ANTHROPIC) readAnthropicMessages(d, v, r.req, false); else readOpenAIChat(d, v, r.req, false);
    out.appendString(dialect == Dialect.ANTHROPIC ? "anthropic-body," : "openai-body,");
    appendCanonicalFlatExcept(out, d, v, NEVER_IN_KEY);
  }
  r.digest = sha256(out.slice(0, out.length));
  return r;
}

/** Index of the first user message of the last `window` user messages (0 when fewer). */
function windowStart(req: ChatRequest, window: i32): i32 {
  let seen = 0;
  for (let i = req.messages.length - 1; i >= 0; i--) {
    if (req.messages[i].role != "user") continue;
    if (++seen == window) return i;
  }
  return 0;
}

/** Most UTF-16 units of prompt text sent to the embeddings endpoint (their inputs are bounded). */
export const MAX_PROMPT_CHARS = 16384;

/** The text a semantic lookup embeds: the last `window` user messages, one per line. */
export function promptText(req: ChatRequest, window: i32): string {
  let s = "";
  for (let i = windowStart(req, window); i < req.messages.length; i++) {
    const m = req.messages[i];
    if (m.role != "user") continue;
    const t = m.text();
    if (t.length == 0) continue;
    if (s.length) s += "\n";
    s += t;
  }
  return s.length > MAX_PROMPT_CHARS ? s.substring(s.length - MAX_PROMPT_CHARS) : s;
}

/**
 * What must be equal for a similar prompt to answer: route, scope, model, system text, tools,
 * sampling fields and every message before the embedded window (a short "yes, please" in two
 * different conversations must never match). 64 bits of SHA-256.
 */
export function semanticBucket(req: ChatRequest, route: string, scope: string, window: i32, out: ByteBuilder): u64 {
  const tail = new ChatRequest();
  tail.model = req.model; tail.system = req.system; tail.tools = req.tools; tail.toolChoice = req.toolChoice;
  tail.toolChoiceName = req.toolChoiceName; tail.parallelToolCalls = req.parallelToolCalls; tail.maxTokens = req.maxTokens;
  tail.temperature = req.temperature; tail.topP = req.topP; tail.topK = req.topK; tail.stop = req.stop;
  tail.responseFormat = req.responseFormat; tail.schemaName = req.schemaName; tail.schema = req.schema; tail.n = req.n;
  const start = windowStart(req, window);
  for (let i = 0; i < start; i++) tail.messages.push(req.messages[i]);
  out.reset();
  str(out, "aigw-cache-semantic-1");
  str(out, route);
  str(out, scope);
  appendNeutral(out, tail);
  const d = sha256(out.slice(0, out.length));
  return load<u64>(d.dataStart);
}
