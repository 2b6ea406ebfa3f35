// The one reader of what each string of an LLM body is, for the filters that inspect prompts and
// answers (pii-mask, prompt-guard, quota; sse/llm.ts for streams): one pass of the JSON tokenizer,
// no tree, every string reported with its byte span (rewritable in place), its kind and the role
// of the message it belongs to. The translating readers (openai.ts, anthropic.ts, ...) read the
// same bodies into the neutral chat form; llm/__tests__ pins that both see the same texts and roles.
//
// Scanned (decided here, see README "LLM body scanner"):
//   requests  OpenAI chat       messages[*].content (string, or parts with type text/input_text/
//                               output_text -> .text), messages[*].tool_calls[*].function.arguments,
//                               messages[*].function_call.arguments (legacy)
//             OpenAI completions prompt (string or array of strings; token arrays are ignored)
//             OpenAI embeddings input (string or array of strings); Responses-style input items
//                               (objects in `input`) are read like messages
//             Anthropic messages system (string or text blocks), messages[*].content (string or
//                               blocks): text blocks -> .text, tool_use blocks -> every string
//                               value inside .input (tool arguments the model wrote), tool_result
//                               blocks -> .content (string or text blocks)
//   responses OpenAI            choices[*].message.content, choices[*].text,
//                               choices[*].message.tool_calls[*].function.arguments
//             Anthropic         content[*].text (text blocks), tool_use .input strings
//   stream chunks (the JSON of one SSE event)
//             OpenAI            choices[*].delta.content (also .refusal, .reasoning, .reasoning_content),
//                               choices[*].delta.tool_calls[*].function.arguments,
//                               choices[*].text
//             Anthropic         delta.text (text_delta), delta.partial_json (input_json_delta),
//                               content_block.text (content_block_start)
//             OpenAI Responses  `instructions` (SYSTEM), `input` string or items: messages like chat,
//                               function_call `arguments` (TOOL_ARGUMENTS), function_call_output
//                               `output` (TOOL_RESULT)
// Roles (every span, allStrings ones too): the `role` of the innermost object that has one, else the
// role its `type` implies (tool_result, function_call_output, ... -> TOOL; tool_use, function_call,
// ... -> ASSISTANT), else the container's: top-level `system`/`instructions` -> SYSTEM, `tools`/
// `functions` (tool definitions) -> DEVELOPER, `tool_calls`/`function_call` -> ASSISTANT; what is
// still open when the document ends: answer text and tool arguments -> ASSISTANT, tool results ->
// TOOL, anything else (completions prompt, embeddings input, unknown fields) -> USER. `role` may come
// after `content` (JSON objects are unordered), so roles are stamped when the object closes.
// Object keys, ids, names, roles, URLs and base64 image data are never reported. A block's `type`
// may come after its `text` (JSON objects are unordered), so block strings are decided when the
// block closes. Spans are reported in document order.
import { ByteBuilder } from "../bytes/builder";
import { encodeWordsAt } from "../bytes/words";
import { KEY_NAMES_UTF8, KEY_NAMES_UTF8_LENGTH, TYPE_NAMES_UTF8, TYPE_NAMES_UTF8_LENGTH, ROLE_NAMES_UTF8, ROLE_NAMES_UTF8_LENGTH, TYPE_ROLE_NAMES_UTF8, TYPE_ROLE_NAMES_UTF8_LENGTH } from "../generated/words";
import { JsonTokenizer, Tok, JsonError, DEFAULT_MAX_DEPTH } from "../json/tokenizer";
import { decodeJsonString, jsonStringToString } from "../json/string";
import { structuralKeyId, isStructuralValue } from "../json/structural";

/** What a text span is. */
export namespace TextKind {
  export const MESSAGE = 1; // a chat/messages request message (content string or text part)
  export const PROMPT = 2; // completions `prompt`
  export const INPUT = 3; // embeddings `input`
  export const SYSTEM = 4; // Anthropic top-level `system`
  export const COMPLETION = 5; // model output: choices message/text/delta, Anthropic content/delta
  export const TOOL_ARGUMENTS = 6; // function-call arguments (a JSON document inside a string)
  export const TOOL_INPUT = 7; // a string value inside an Anthropic tool_use `input`
  export const TOOL_RESULT = 8; // Anthropic tool_result content
  /** Any other string value (allStrings mode): names, descriptions, metadata, instructions, ids, ... */
  export const OTHER = 9;
  /** An object key (allStrings mode): keys of metadata, tool parameters and inputs carry data too. */
  export const KEY = 10;
}

/** Whether a span's text is model text carried across stream deltas (not OTHER or KEY). */
export function isTextKind(kind: i32): bool { return kind > 0 && kind < TextKind.OTHER; }

/** Whether a span is what the model wrote in an answer: its text, tool-call arguments and tool
 *  inputs (what answer moderation checks and output estimates count). */
export function isAnswerText(kind: i32): bool {
  return kind == TextKind.COMPLETION || kind == TextKind.TOOL_ARGUMENTS || kind == TextKind.TOOL_INPUT;
}

/** Role of the message a span belongs to (file comment: how it is decided). NONE only while scanning. */
export namespace Role {
  export const NONE = 0;
  export const SYSTEM = 1;
  export const DEVELOPER = 2;
  export const USER = 3;
  export const ASSISTANT = 4;
  /** Tool and function results (OpenAI `tool`/`function` messages, Anthropic tool_result blocks,
   *  Responses function_call_output items). */
  export const TOOL = 5;
}

/** "system", "developer", "user", "assistant", "tool" ("" for NONE). */
export function roleName(role: i32): string {
  switch (role) {
    case Role.SYSTEM: return "system";
    case Role.DEVELOPER: return "developer";
    case Role.USER: return "user";
    case Role.ASSISTANT: return "assistant";
    case Role.TOOL: return "tool";
  }
  return "";
}

/** A JSON string value carrying text: [start, end) is the raw content between the quotes. */
export class TextSpan {
  constructor(
    public start: i32,
    public end: i32,
    public kind: i32,
    public role: i32,
    public hasEscape: bool,
  ) {}
  /** Raw content of the key this value sits under (its member's key; for an array element, the
   *  array's key), or -1 (a root value, an element of a root array, a KEY span). */
  keyStart: i32 = -1;
  keyEnd: i32 = -1;
  /** A document's or file's data (`data`, `file_data`…), as a reader that knows the keys marks it
   *  (prompt-guard's BodyWalker); the scanner leaves it false. */
  data: bool = false;
  // Scanner bookkeeping: 0 once decided, else the block-type condition still to check.
  cand: i32 = 0;
  owner: i32 = 0;
}

/** A member of the root object (scanner.recordRoot): key and value spans (strings: between the
 *  quotes, containers: brackets included). Duplicated keys are all listed, in document order. */
export class RootMember {
  constructor(
    public keyStart: i32,
    public keyEnd: i32,
    public keyHasEscape: bool,
    public start: i32,
    public end: i32,
    /** Tok.STRING, Tok.OBJ_START, Tok.ARR_START, or another scalar's token. */
    public tok: i32,
    public hasEscape: bool,
  ) {}
}

/** `model` and `stream` of a request (readModelAndStream), and the common part of a full scan. */
export class ModelAndStream {
  error: i32 = JsonError.NONE;
  errorOffset: i32 = -1;
  /** Raw span of the top-level `model` string (-1 if absent or not a string). */
  modelStart: i32 = -1;
  modelEnd: i32 = -1;
  modelHasEscape: bool = false;
  /** Top-level `stream`: -1 absent (or not a boolean), 0 false, 1 true. */
  stream: i32 = -1;
  get ok(): bool { return this.error == JsonError.NONE; }
  /** The decoded model name ("" if absent). */
  model(body: Uint8Array): string {
    return this.modelStart < 0 ? "" : jsonStringToString(body, this.modelStart, this.modelEnd, this.modelHasEscape);
  }
}

/** Positions a request policy needs (LlmScanner.recordRoot). */
export class RequestFacts {
  /** Spans ([start, end) pairs) of the `role` values "system"/"developer" of request messages. */
  systemRoles: Array<i32> = new Array<i32>();
  /** Members of the root object, in document order (duplicated keys all listed). */
  members: Array<RootMember> = new Array<RootMember>();
}

/** Result of scanLlmBody: model and stream, plus the text-carrying strings. */
export class LlmScan extends ModelAndStream {
  spans: Array<TextSpan> = new Array<TextSpan>();
  /** Request messages: objects directly in the top-level `messages` or `input` array. */
  messages: i32 = 0;
  /** What a scanner with recordRoot set also records (null otherwise: stream events pay nothing). */
  facts: RequestFacts | null = null;
  /** Whether the scanned bytes were JSON (an SSE event's data may be plain text: sse/llm.ts). */
  jsonData: bool = true;
}

// ---- keys ------------------------------------------------------------------------------------
const K_OTHER = 0;
const K_MESSAGES = 1;
const K_CONTENT = 2;
const K_TEXT = 3;
const K_TOOL_CALLS = 4;
const K_FUNCTION = 5;
const K_FUNCTION_CALL = 6;
const K_ARGUMENTS = 7;
const K_PROMPT = 8;
const K_INPUT = 9;
const K_SYSTEM = 10;
const K_CHOICES = 11;
const K_MESSAGE = 12;
const K_DELTA = 13;
const K_TYPE = 14;
const K_ROLE = 15;
const K_MODEL = 16;
const K_STREAM = 17;
const K_PARTIAL_JSON = 18;
const K_CONTENT_BLOCK = 19;
const K_THINKING = 20;
const K_INSTRUCTIONS = 21;
const K_TOOLS = 22;
const K_FUNCTIONS = 23;
const K_OUTPUT = 24;
const K_REFUSAL = 25;
const K_REASONING = 26;
const K_REASONING_CONTENT = 27;
const K_CANDIDATES = 28;
const K_PARTS = 29;

// The key names, block types and roles are data in filters/common/lists.ts, in the order of the
// K_* ids and of TYPE_IDS, ROLE_IDS and TYPE_ROLE_IDS below. Index 0 of the keys ("-") is K_OTHER.
const KEYS: Array<Uint8Array> = encodeWordsAt(KEY_NAMES_UTF8, KEY_NAMES_UTF8_LENGTH);

function matchKey(src: Uint8Array, start: i32, end: i32): i32 {
  const n = end - start;
  if (n < 4 || n > 17) return K_OTHER;
  for (let k = 1; k < KEYS.length; k++) {
    const key = unchecked(KEYS[k]);
    if (key.length == n && unchecked(key[0]) == unchecked(src[start]) && memory.compare(src.dataStart + <usize>start, key.dataStart, <usize>n) == 0) return k;
  }
  return K_OTHER;
}

// ---- block types and roles -------------------------------------------------------------------
const T_UNKNOWN = 0;
const T_TEXT = 1; // text, text_delta, input_text, output_text
const T_TOOL_USE = 2;
const T_TOOL_RESULT = 3;
const T_INPUT_JSON_DELTA = 4;
const T_THINKING = 6; // thinking (content block) and thinking_delta
const T_OTHER = 5;
const TYPE_IDS: i32[] = [T_TEXT, T_TEXT, T_TEXT, T_TEXT, T_TOOL_USE, T_TOOL_RESULT, T_INPUT_JSON_DELTA, T_THINKING, T_THINKING];
// `model` is Gemini's assistant, `ipython` Llama's tool; any other role is untrusted text (USER).
const ROLE_IDS: i32[] = [Role.SYSTEM, Role.DEVELOPER, Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.ASSISTANT, Role.TOOL];
// Roles implied by an item's or block's `type` (OpenAI Responses items, Anthropic blocks).
const TYPE_ROLE_IDS: i32[] = [
  Role.TOOL, Role.TOOL, Role.TOOL, Role.TOOL, Role.TOOL, Role.TOOL,
  Role.ASSISTANT, Role.ASSISTANT, Role.ASSISTANT, Role.ASSISTANT, Role.ASSISTANT, Role.ASSISTANT,
];
const TYPE_ROLES: Array<Uint8Array> = encodeWordsAt(TYPE_ROLE_NAMES_UTF8, TYPE_ROLE_NAMES_UTF8_LENGTH);
const TYPES: Array<Uint8Array> = encodeWordsAt(TYPE_NAMES_UTF8, TYPE_NAMES_UTF8_LENGTH);
const ROLES: Array<Uint8Array> = encodeWordsAt(ROLE_NAMES_UTF8, ROLE_NAMES_UTF8_LENGTH);
function lookup(src: Uint8Array, start: i32, end: i32, table: Array<Uint8Array>, ids: i32[], other: i32): i32 {
  const n = end - start;
  for (let k = 0; k < table.length; k++) {
    const w = unchecked(table[k]);
    if (w.length == n && memory.compare(src.dataStart + <usize>start, w.dataStart, <usize>n) == 0) return unchecked(ids[k]);
  }
  return other;
}

// Candidate conditions (TextSpan.cand): which block type makes the string text.
const CAND_TEXT = 1;
const CAND_TOOL_INPUT = 2;
const CAND_RESULT = 3;
const CAND_PARTIAL = 4;
const CAND_THINKING = 5;

// ---- container contexts ----------------------------------------------------------------------
const C_IGNORE = 0;
const C_ROOT = 1;
const C_MESSAGES = 2;
const C_MSG = 3;
const C_PARTS = 4;
const C_PART = 5;
const C_TOOL_CALLS = 6;
const C_TOOL_CALL = 7;
const C_FUNCTION = 8;
const C_STRINGS = 9; // prompt/input arrays
const C_CHOICES = 10;
const C_CHOICE = 11;
const C_TOOL_INPUT = 12;
// Gemini answers: candidates[*].content.parts (C_GPARTS), each part (C_GPART) with a `text` and no `type`.
const C_GPARTS = 13;
const C_GPART = 14;

/** A reusable scanner (keeps its frame arrays between calls). */
export class LlmScanner {
  maxDepth: i32;
  // Per open container (index = depth - 1).
  private ctx: Array<i32> = new Array<i32>();
  private key: Array<i32> = new Array<i32>();
  private kind: Array<i32> = new Array<i32>(); // text kind for strings found under this frame
  private ptype: Array<i32> = new Array<i32>(); // PART: block type seen
  private role: Array<i32> = new Array<i32>(); // objects: role seen (`role`)
  private trole: Array<i32> = new Array<i32>(); // objects: role implied by `type`
  private base: Array<i32> = new Array<i32>(); // role of strings inside unless an object closer decides
  private pstart: Array<i32> = new Array<i32>(); // pending index when the frame opened
  private owner: Array<i32> = new Array<i32>(); // depth of the nearest PART (0 = none)
  private rawKey: Array<i32> = new Array<i32>(); // structural key id of the current key (-1: none)
  private ks: Array<i32> = new Array<i32>(); // objects: current key span; arrays: the array's key span
  private ke: Array<i32> = new Array<i32>();
  private tmp: ByteBuilder = new ByteBuilder(32);
  /**
   * Report every string (object keys and values) too, not only the text-carrying ones: those
   * come as TextKind.OTHER / KEY spans, except structural values (json/structural.ts: a `role`,
   * `type`, `object`, ... whose value is a word of the APIs' fixed vocabulary). pii-mask and
   * prompt-guard read these; text-only callers (answers, stream estimates) leave it off.
   */
  allStrings: bool = false;
  /** Fill LlmScan.facts: the root object's members and the system-role spans (prompt-guard's
   *  policy positions). */
  recordRoot: bool = false;
  /** With allStrings: report object keys as KEY spans too (pii-mask scans keys; prompt-guard and
   *  quota read values only). */
  keys: bool = true;

  constructor(maxDepth: i32 = DEFAULT_MAX_DEPTH, allStrings: bool = false) { this.maxDepth = maxDepth; this.allStrings = allStrings; }

  /** Scans body[start, end). The whole body is validated; on error no spans are returned. */
  scan(body: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE): LlmScan {
    const res = new LlmScan();
    const spans = res.spans;
    const facts = this.recordRoot ? new RequestFacts() : null;
    res.facts = facts;
    const t = new JsonTokenizer(body, start, end, this.maxDepth);
    let depth = 0;
    let rootKs = -1, rootKe = -1, rootKesc = false;
    while (true) {
      const tok = t.next();
      if (tok == Tok.ERROR) {
        res.error = t.error;
        res.errorOffset = t.errorOffset;
        res.spans.length = 0;
        res.modelStart = res.modelEnd = -1;
        res.stream = -1;
        res.messages = 0;
        res.facts = null;
        return res;
      }
      if (tok == Tok.END) break;
      if (tok == Tok.KEY) {
        let k = K_OTHER;
        if (!t.hasEscape) k = matchKey(body, t.tokStart, t.tokEnd);
        else {
          // Escaped keys are rare but legal ("m\u0065ssages"); decode before matching.
          const tmp = this.tmp;
          tmp.reset();
          if (t.tokEnd - t.tokStart <= 96 && decodeJsonString(body, t.tokStart, t.tokEnd, tmp) == JsonError.NONE) k = matchKey(tmp.raw(), 0, tmp.length);
        }
        unchecked((this.key[depth - 1] = k));
        unchecked((this.ks[depth - 1] = t.tokStart));
        unchecked((this.ke[depth - 1] = t.tokEnd));
        if (depth == 1) { rootKs = t.tokStart; rootKe = t.tokEnd; rootKesc = t.hasEscape; }
        if (this.allStrings) {
          if (this.keys) spans.push(new TextSpan(t.tokStart, t.tokEnd, TextKind.KEY, Role.NONE, t.hasEscape));
          unchecked((this.rawKey[depth - 1] = structuralKeyId(body, t.tokStart, t.tokEnd, t.hasEscape)));
        }
        continue;
      }
      if (tok == Tok.OBJ_END || tok == Tok.ARR_END) {
        this.close(depth, spans);
        if (depth == 2 && facts !== null && unchecked(this.ctx[0]) == C_ROOT) {
          const m = facts.members;
          if (m.length > 0) unchecked(m[m.length - 1]).end = t.tokEnd;
        }
        depth--;
        continue;
      }
      // A value. Its meaning depends on the parent frame and key.
      const pctx = depth == 0 ? -1 : unchecked(this.ctx[depth - 1]);
      // Arrays never see KEY tokens, so their key slot stays K_OTHER.
      const pkey = depth == 0 ? K_OTHER : unchecked(this.key[depth - 1]);
      if (pctx == C_ROOT && facts !== null) {
        facts.members.push(new RootMember(rootKs, rootKe, rootKesc, t.tokStart, t.tokEnd, tok, t.hasEscape));
      }
      if (tok == Tok.OBJ_START || tok == Tok.ARR_START) {
        const isObj = tok == Tok.OBJ_START;
        let c = C_IGNORE;
        let kind = 0;
        const pkind = depth == 0 ? 0 : unchecked(this.kind[depth - 1]);
        let base = depth == 0 ? Role.NONE : unchecked(this.base[depth - 1]);
        if (pctx == -1) c = isObj ? C_ROOT : C_IGNORE;
        else if (pctx == C_ROOT) {
          if (pkey == K_SYSTEM || pkey == K_INSTRUCTIONS) base = Role.SYSTEM;
          else if (pkey == K_TOOLS || pkey == K_FUNCTIONS) base = Role.DEVELOPER;
          if (isObj) {
            if (pkey == K_DELTA || pkey == K_CONTENT_BLOCK) { c = C_PART; kind = TextKind.COMPLETION; }
          } else if (pkey == K_MESSAGES) c = C_MESSAGES;
          else if (pkey == K_PROMPT) { c = C_STRINGS; kind = TextKind.PROMPT; }
          else if (pkey == K_INPUT) { c = C_STRINGS; kind = TextKind.INPUT; }
          else if (pkey == K_SYSTEM) { c = C_PARTS; kind = TextKind.SYSTEM; }
          else if (pkey == K_CONTENT) { c = C_PARTS; kind = TextKind.COMPLETION; }
          else if (pkey == K_CHOICES || pkey == K_CANDIDATES) c = C_CHOICES;
        } else if (pctx == C_MESSAGES) {
          if (isObj) { c = C_MSG; kind = TextKind.MESSAGE; res.messages++; }
        } else if (pctx == C_MSG) {
          if (!isObj && pkey == K_CONTENT) { c = C_PARTS; kind = pkind; }
          else if (!isObj && pkey == K_TOOL_CALLS) c = C_TOOL_CALLS;
          else if (isObj && pkey == K_FUNCTION_CALL) c = C_FUNCTION;
          else if (!isObj && pkey == K_PARTS && pkind == TextKind.COMPLETION) { c = C_GPARTS; kind = pkind; }
        } else if (pctx == C_PARTS) {
          if (isObj) { c = C_PART; kind = pkind; }
        } else if (pctx == C_PART) {
          if (pkey == K_INPUT) c = C_TOOL_INPUT;
          else if (!isObj && pkey == K_CONTENT) { c = C_PARTS; kind = TextKind.TOOL_RESULT; }
        } else if (pctx == C_TOOL_INPUT) c = C_TOOL_INPUT;
        else if (pctx == C_TOOL_CALLS) { if (isObj) c = C_TOOL_CALL; }
        else if (pctx == C_TOOL_CALL) { if (isObj && pkey == K_FUNCTION) c = C_FUNCTION; }
        else if (pctx == C_STRINGS) {
          // Responses-style input items: {"role":"user","content":...}
          if (isObj && pkind == TextKind.INPUT) { c = C_MSG; kind = TextKind.MESSAGE; res.messages++; }
        } else if (pctx == C_CHOICES) { if (isObj) c = C_CHOICE; }
        else if (pctx == C_CHOICE) {
          if (isObj && (pkey == K_MESSAGE || pkey == K_DELTA || pkey == K_CONTENT)) { c = C_MSG; kind = TextKind.COMPLETION; }
        } else if (pctx == C_GPARTS) {
          if (isObj) { c = C_GPART; kind = pkind; }
        }
        // Tool calls the model made (replayed by the client, or in an answer) are the assistant's.
        if (pkey == K_TOOL_CALLS || pkey == K_FUNCTION_CALL) base = Role.ASSISTANT;
        this.push(depth, c, kind, spans.length, base, isObj);
        depth++;
        continue;
      }
      // Scalars at the root carry no model text (allStrings: a root string is scanned all the same).
      if (depth == 0) {
        if (this.allStrings && tok == Tok.STRING) spans.push(new TextSpan(t.tokStart, t.tokEnd, TextKind.OTHER, Role.NONE, t.hasEscape));
        continue;
      }
      if (tok != Tok.STRING) {
        if (pctx == C_ROOT && pkey == K_STREAM && (tok == Tok.TRUE || tok == Tok.FALSE)) res.stream = tok == Tok.TRUE ? 1 : 0;
        continue;
      }
      const s = t.tokStart;
      const e = t.tokEnd;
      const esc = t.hasEscape;
      const pkind = unchecked(this.kind[depth - 1]);
      const base = unchecked(this.base[depth - 1]);
      const before = spans.length;
      // Any object's `role` and `type` decide the role of the strings inside it.
      if (pkey == K_ROLE) {
        // Only a message's `role` says who wrote it. Anywhere else (a content block, a tool's
        // input, metadata) any role, not only system, would let a route that scores user texts
        // skip text the model reads as the user's: those strings are the user's; at the root the
        // kind decides (defaultRole: a completions `prompt` is the user's, an answer's `content`
        // the model's).
        let r = this.roleOf(body, s, e, esc);
        if (pctx == C_MSG) {
          if (r == Role.SYSTEM || r == Role.DEVELOPER) {
            // Only a request message is the system's (an answer's message cannot be trusted text).
            if (pkind == TextKind.MESSAGE) { if (facts !== null) { facts.systemRoles.push(s); facts.systemRoles.push(e); } }
            else r = Role.USER;
          }
          unchecked((this.role[depth - 1] = r));
        } else if (pctx != C_ROOT) unchecked((this.role[depth - 1] = Role.USER));
      } else if (pkey == K_TYPE) {
        // A `type` implies a role only on a Responses item (C_MSG) or a content block (C_PART),
        // and the last `type` decides, as it does the block's kind (ptype) and as JSON parsers
        // that keep the last duplicate read it: `{"type":"tool_result","type":"text",...}` is text.
        const r = pctx == C_MSG || pctx == C_PART ? this.typeRoleOf(body, s, e, esc) : Role.NONE;
        unchecked((this.trole[depth - 1] = r));
      }
      switch (pctx) {
        case C_ROOT: {
          if (pkey == K_PROMPT) spans.push(new TextSpan(s, e, TextKind.PROMPT, base, esc));
          else if (pkey == K_INPUT) spans.push(new TextSpan(s, e, TextKind.INPUT, base, esc));
          else if (pkey == K_SYSTEM || pkey == K_INSTRUCTIONS) spans.push(new TextSpan(s, e, TextKind.SYSTEM, Role.SYSTEM, esc));
          else if (pkey == K_MODEL) { res.modelStart = s; res.modelEnd = e; res.modelHasEscape = esc; }
          break;
        }
        case C_MSG: {
          if (pkey == K_CONTENT) spans.push(new TextSpan(s, e, pkind, base, esc));
          // Responses items: function_call arguments, function_call_output output.
          else if (pkey == K_ARGUMENTS && pkind == TextKind.MESSAGE) spans.push(new TextSpan(s, e, TextKind.TOOL_ARGUMENTS, base, esc));
          else if (pkey == K_OUTPUT && pkind == TextKind.MESSAGE) spans.push(new TextSpan(s, e, TextKind.TOOL_RESULT, base, esc));
          // An answer's refusal (OpenAI) and reasoning text (`reasoning_content`: DeepSeek, vLLM;
          // `reasoning`: OpenRouter, Ollama) are shown and streamed in deltas like the content:
          // text, joined across events (read on their own, an entity split between two deltas passed).
          else if (pkind == TextKind.COMPLETION && (pkey == K_REFUSAL || pkey == K_REASONING || pkey == K_REASONING_CONTENT)) spans.push(new TextSpan(s, e, TextKind.COMPLETION, base, esc));
          break;
        }
        case C_PART: {
          if (pkey == K_TYPE) unchecked((this.ptype[depth - 1] = this.typeOf(body, s, e, esc)));
          else if (pkey == K_TEXT) this.candidate(spans, s, e, pkind, base, esc, CAND_TEXT, depth);
          else if (pkey == K_INPUT) this.candidate(spans, s, e, TextKind.TOOL_INPUT, base, esc, CAND_TOOL_INPUT, depth);
          else if (pkey == K_CONTENT) this.candidate(spans, s, e, TextKind.TOOL_RESULT, base, esc, CAND_RESULT, depth);
          else if (pkey == K_PARTIAL_JSON) this.candidate(spans, s, e, TextKind.TOOL_ARGUMENTS, base, esc, CAND_PARTIAL, depth);
          break;
        }
        case C_TOOL_INPUT: {
          // Object keys never get here (they are KEY tokens); only values.
          const own = unchecked(this.owner[depth - 1]);
          if (own > 0) this.candidate(spans, s, e, TextKind.TOOL_INPUT, base, esc, CAND_TOOL_INPUT, own);
          break;
        }
        case C_FUNCTION: {
          if (pkey == K_ARGUMENTS) spans.push(new TextSpan(s, e, TextKind.TOOL_ARGUMENTS, base, esc));
          break;
        }
        case C_STRINGS: {
          spans.push(new TextSpan(s, e, pkind, base, esc));
          break;
        }
        case C_CHOICE: {
          if (pkey == K_TEXT) spans.push(new TextSpan(s, e, TextKind.COMPLETION, Role.ASSISTANT, esc));
          break;
        }
        case C_GPART: {
          // A Gemini answer's text part (streamed chunk by chunk: joined across events like a delta).
          if (pkey == K_TEXT) spans.push(new TextSpan(s, e, TextKind.COMPLETION, base, esc));
          break;
        }
      }
      // Responses API stream events: {"type":"response.output_text.delta","delta":"..."} (also
      // function_call_arguments / refusal / reasoning deltas): the root `delta` string is streamed text.
      if (pctx == C_ROOT && pkey == K_DELTA) spans.push(new TextSpan(s, e, TextKind.COMPLETION, Role.ASSISTANT, esc));
      // Anthropic thinking_delta: {"delta":{"type":"thinking_delta","thinking":"..."}}.
      else if (pctx == C_PART && pkey == K_THINKING) this.candidate(spans, s, e, TextKind.COMPLETION, base, esc, CAND_THINKING, depth);
      if (this.allStrings && spans.length == before) {
        const rawKey = unchecked(this.rawKey[depth - 1]);
        if (!(rawKey >= 0 && isStructuralValue(rawKey, body, s, e, esc))) spans.push(new TextSpan(s, e, TextKind.OTHER, base, esc));
      }
      if (spans.length > before) {
        const sp = unchecked(spans[spans.length - 1]);
        sp.keyStart = unchecked(this.ks[depth - 1]);
        sp.keyEnd = unchecked(this.ke[depth - 1]);
      }
    }
    // Anything still undecided (cannot happen after a complete document) is dropped; what no
    // object gave a role gets the role of its kind.
    let w = 0;
    for (let i = 0; i < spans.length; i++) {
      const sp = unchecked(spans[i]);
      if (sp.cand == 0) {
        if (sp.role == Role.NONE) sp.role = defaultRole(sp.kind);
        spans[w] = sp;
        w++;
      }
    }
    spans.length = w;
    return res;
  }

  private candidate(spans: Array<TextSpan>, s: i32, e: i32, kind: i32, base: i32, esc: bool, cand: i32, ownerDepth: i32): void {
    const sp = new TextSpan(s, e, kind, kind == TextKind.SYSTEM ? Role.SYSTEM : base, esc);
    sp.cand = cand;
    sp.owner = ownerDepth;
    spans.push(sp);
  }

  private roleOf(body: Uint8Array, s: i32, e: i32, esc: bool): i32 {
    if (esc) {
      this.tmp.reset();
      if (e - s > 64 || decodeJsonString(body, s, e, this.tmp) != JsonError.NONE) return Role.USER;
      return lookup(this.tmp.raw(), 0, this.tmp.length, ROLES, ROLE_IDS, Role.USER);
    }
    return lookup(body, s, e, ROLES, ROLE_IDS, Role.USER);
  }

  private typeOf(body: Uint8Array, s: i32, e: i32, esc: bool): i32 {
    if (esc) {
      this.tmp.reset();
      if (e - s > 96 || decodeJsonString(body, s, e, this.tmp) != JsonError.NONE) return T_OTHER;
      return lookup(this.tmp.raw(), 0, this.tmp.length, TYPES, TYPE_IDS, T_OTHER);
    }
    return lookup(body, s, e, TYPES, TYPE_IDS, T_OTHER);
  }

  private typeRoleOf(body: Uint8Array, s: i32, e: i32, esc: bool): i32 {
    if (e - s < 7) return Role.NONE; // shorter than every TYPE_ROLE_NAMES entry, even escaped
    if (esc) {
      this.tmp.reset();
      if (e - s > 144 || decodeJsonString(body, s, e, this.tmp) != JsonError.NONE) return Role.NONE;
      return lookup(this.tmp.raw(), 0, this.tmp.length, TYPE_ROLES, TYPE_ROLE_IDS, Role.NONE);
    }
    return lookup(body, s, e, TYPE_ROLES, TYPE_ROLE_IDS, Role.NONE);
  }

  private push(depth: i32, c: i32, kind: i32, pending: i32, base: i32, isObj: bool): void {
    const own = c == C_PART ? depth + 1 : depth == 0 ? 0 : unchecked(this.owner[depth - 1]);
    // An array's elements sit under the array's key (objects get theirs from KEY tokens).
    const ks = isObj || depth == 0 ? -1 : unchecked(this.ks[depth - 1]);
    const ke = isObj || depth == 0 ? -1 : unchecked(this.ke[depth - 1]);
    if (this.ctx.length <= depth) {
      this.ctx.push(c); this.key.push(K_OTHER); this.kind.push(kind); this.ptype.push(T_UNKNOWN);
      this.role.push(Role.NONE); this.trole.push(Role.NONE); this.base.push(base); this.pstart.push(pending);
      this.owner.push(own); this.rawKey.push(-1); this.ks.push(ks); this.ke.push(ke);
    } else {
      unchecked((this.ctx[depth] = c)); unchecked((this.key[depth] = K_OTHER)); unchecked((this.kind[depth] = kind));
      unchecked((this.ptype[depth] = T_UNKNOWN)); unchecked((this.role[depth] = Role.NONE)); unchecked((this.trole[depth] = Role.NONE));
      unchecked((this.base[depth] = base)); unchecked((this.pstart[depth] = pending)); unchecked((this.owner[depth] = own));
      unchecked((this.rawKey[depth] = -1)); unchecked((this.ks[depth] = ks)); unchecked((this.ke[depth] = ke));
    }
  }

  // Frame at `depth` (1-based) closes: decide its block candidates, stamp its role.
  private close(depth: i32, spans: Array<TextSpan>): void {
    const i = depth - 1;
    const c = unchecked(this.ctx[i]);
    const from = unchecked(this.pstart[i]);
    if (c == C_PART) {
      const ty = unchecked(this.ptype[i]);
      let w = from;
      for (let j = from; j < spans.length; j++) {
        const sp = unchecked(spans[j]);
        if (sp.cand != 0 && sp.owner == depth) {
          const want = sp.cand;
          const keep = (want == CAND_TEXT && ty == T_TEXT) || (want == CAND_TOOL_INPUT && ty == T_TOOL_USE) ||
            (want == CAND_RESULT && ty == T_TOOL_RESULT) || (want == CAND_PARTIAL && ty == T_INPUT_JSON_DELTA) ||
            (want == CAND_THINKING && ty == T_THINKING);
          if (!keep) {
            if (!this.allStrings) continue;
            // Not text of this block type, but still a string the model sees: scanned on its own.
            sp.kind = TextKind.OTHER;
          }
          sp.cand = 0;
        }
        spans[w] = sp;
        w++;
      }
      spans.length = w;
    }
    let r = unchecked(this.role[i]);
    if (r == Role.NONE) r = unchecked(this.trole[i]);
    if (r != Role.NONE) {
      for (let j = from; j < spans.length; j++) {
        const sp = unchecked(spans[j]);
        if (sp.role == Role.NONE) sp.role = r;
      }
    }
  }
}

/** Role of a string no object gave one: answer text and tool arguments are the model's, tool
 *  results the tool's, everything else (prompt, input, unknown fields) the user's. */
function defaultRole(kind: i32): i32 {
  if (kind == TextKind.COMPLETION || kind == TextKind.TOOL_ARGUMENTS || kind == TextKind.TOOL_INPUT) return Role.ASSISTANT;
  if (kind == TextKind.TOOL_RESULT) return Role.TOOL;
  if (kind == TextKind.SYSTEM) return Role.SYSTEM;
  return Role.USER;
}

/** Scans an LLM request/response body or one stream chunk's JSON (see the file comment). */
export function scanLlmBody(body: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE, maxDepth: i32 = DEFAULT_MAX_DEPTH): LlmScan {
  return new LlmScanner(maxDepth).scan(body, start, end);
}

/**
 * Reads top-level `model` (string) and `stream` (boolean). Duplicated keys resolve to the last
 * occurrence, as JSON.parse and most upstream servers do, so routing sees what the upstream sees.
 */
export function readModelAndStream(body: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE, maxDepth: i32 = DEFAULT_MAX_DEPTH): ModelAndStream {
  const r = new ModelAndStream();
  const t = new JsonTokenizer(body, start, end, maxDepth);
  let key = K_OTHER;
  let rootIsObject = false;
  while (true) {
    const tok = t.next();
    if (tok == Tok.ERROR) {
      r.error = t.error;
      r.errorOffset = t.errorOffset;
      r.modelStart = r.modelEnd = -1;
      r.stream = -1;
      return r;
    }
    if (tok == Tok.END) return r;
    if (t.depth == 1 && tok == Tok.OBJ_START) { rootIsObject = true; continue; }
    if (!rootIsObject) continue;
    if (tok == Tok.KEY) {
      if (t.depth == 1) key = t.hasEscape ? K_OTHER : matchKey(body, t.tokStart, t.tokEnd);
      if (t.depth == 1 && t.hasEscape) {
        const tmp = new ByteBuilder(16);
        if (decodeJsonString(body, t.tokStart, t.tokEnd, tmp) == JsonError.NONE) key = matchKey(tmp.raw(), 0, tmp.length);
      }
      continue;
    }
    // A value directly in the root object: depth 1 for scalars, 2 right after its '{' or '['.
    const atRoot = t.depth == 1 && tok != Tok.OBJ_END && tok != Tok.ARR_END;
    if (atRoot && key == K_MODEL) {
      if (tok == Tok.STRING) { r.modelStart = t.tokStart; r.modelEnd = t.tokEnd; r.modelHasEscape = t.hasEscape; }
      else { r.modelStart = r.modelEnd = -1; }
    } else if (atRoot && key == K_STREAM) {
      r.stream = tok == Tok.TRUE ? 1 : tok == Tok.FALSE ? 0 : -1;
    }
    // Skip nested containers in one go (still validated by the tokenizer).
    if ((tok == Tok.OBJ_START || tok == Tok.ARR_START) && t.depth == 2) {
      if (key == K_MODEL) r.modelStart = r.modelEnd = -1;
      if (key == K_STREAM) r.stream = -1;
      if (t.skipContainer() == Tok.ERROR) {
        r.error = t.error;
        r.errorOffset = t.errorOffset;
        r.modelStart = r.modelEnd = -1;
        r.stream = -1;
        return r;
      }
    }
  }
}
