// What a request body carries to the model, for every dialect at once. Instead of a list of fields
// per API (which a new field or a duplicated key would slip past), every string value in the JSON
// document is a text the guard reads, except under keys that never carry prose (SKIP_KEYS: ids,
// roles, model names, media URLs). Each text gets the role of its message:
//   - the `role` of the innermost object that has one (OpenAI chat and Responses items, Anthropic
//     messages), stamped when that object closes since `role` may come after `content`;
//   - `type: tool_result` (Anthropic) and `type: function_call_output` (Responses) → tool;
//     `type: tool_use` / `function_call` and `tool_calls` / `function_call` → assistant (arguments
//     the model produced earlier, replayed by the client);
//   - top-level `system` (Anthropic) and `instructions` (Responses) → system; `tools` / `functions`
//     (tool definitions) → developer; anything else (completions `prompt`, embeddings `input`,
//     unknown fields) → user.
// Duplicate keys are all read (an upstream may take either). Positions the prompt policy needs
// (the top-level messages array, system, instructions, template, variables) are recorded.
import { JsonTokenizer, Tok, JsonError } from "../../common/assembly/json/tokenizer";
import { decodeJsonString } from "../../common/assembly/json/string";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { decodeBase64 } from "./detector";
import { ROLE_NONE, ROLE_SYSTEM, ROLE_DEVELOPER, ROLE_USER, ROLE_ASSISTANT, ROLE_TOOL } from "./detector";

export class TextItem {
  constructor(public start: i32, public end: i32, public hasEscape: bool, public role: i32) {}
}

/** Position of a top-level value: [start, end) of its bytes (strings: between the quotes). */
export class ValueSpan {
  start: i32 = -1;
  end: i32 = -1;
  isString: bool = false;
  hasEscape: bool = false;
  get present(): bool { return this.start >= 0; }
}

export class BodyScan {
  error: i32 = JsonError.NONE;
  errorOffset: i32 = -1;
  items: Array<TextItem> = new Array<TextItem>();
  /** Objects in the top-level `messages` array, or in an `input` array (Responses). */
  messages: i32 = 0;
  /** Messages with role system or developer, plus a top-level system / instructions. */
  clientSystem: i32 = 0;
  /** `role` string values "system"/"developer" inside messages ([start, end) of the string content). */
  systemRoles: Array<i32> = new Array<i32>();
  messagesArray: ValueSpan = new ValueSpan(); // '[' .. ']' inclusive
  system: ValueSpan = new ValueSpan();
  instructions: ValueSpan = new ValueSpan();
  template: ValueSpan = new ValueSpan();
  variables: ValueSpan = new ValueSpan();
  get ok(): bool { return this.error == JsonError.NONE; }
}

// Key ids.
const K_OTHER = 0;
const K_SKIP = 1;
const K_ROLE = 2;
const K_TYPE = 3;
const K_MESSAGES = 4;
const K_INPUT = 5;
const K_SYSTEM = 6;
const K_INSTRUCTIONS = 7;
const K_TOOLS = 8;
const K_TOOL_CALLS = 9;
const K_TEMPLATE = 10;
const K_VARIABLES = 11;
const K_DATA = 12;

const SKIP_KEYS: StaticArray<string> = [
  "model", "id", "tool_call_id", "call_id", "object", "media_type", "mime_type", "detail", "format",
  "encoding_format", "service_tier", "reasoning_effort", "voice", "url", "file_id", "finish_reason",
  "status", "name", "user", "stop", "signature", "cache_control", "previous_response_id", "truncation",
  "tool_choice", "parallel_tool_calls", "modalities", "audio", "metadata", "store", "seed",
];

class KeyEntry { constructor(public bytes: Uint8Array, public id: i32) {} }
const KEY_TABLE: Array<KeyEntry> = buildKeys();
function buildKeys(): Array<KeyEntry> {
  const t = new Array<KeyEntry>();
  for (let i = 0; i < SKIP_KEYS.length; i++) t.push(new KeyEntry(Uint8Array.wrap(String.UTF8.encode(SKIP_KEYS[i])), K_SKIP));
  const named: StaticArray<string> = ["role", "type", "messages", "input", "system", "instructions", "tools", "tool_calls", "template", "variables", "data", "functions", "function_call", "image_url", "file_data"];
  const ids: StaticArray<i32> = [K_ROLE, K_TYPE, K_MESSAGES, K_INPUT, K_SYSTEM, K_INSTRUCTIONS, K_TOOLS, K_TOOL_CALLS, K_TEMPLATE, K_VARIABLES, K_DATA, K_TOOLS, K_TOOL_CALLS, K_DATA, K_DATA];
  for (let i = 0; i < named.length; i++) t.push(new KeyEntry(Uint8Array.wrap(String.UTF8.encode(named[i])), ids[i]));
  return t;
}

function keyId(src: Uint8Array, s: i32, e: i32): i32 {
  const n = e - s;
  if (n < 2 || n > 24) return K_OTHER;
  for (let i = 0; i < KEY_TABLE.length; i++) {
    const k = unchecked(KEY_TABLE[i]);
    if (k.bytes.length == n && memory.compare(src.dataStart + <usize>s, k.bytes.dataStart, <usize>n) == 0) return k.id;
  }
  return K_OTHER;
}

function equalsAscii(src: Uint8Array, s: i32, e: i32, lit: string): bool {
  if (e - s != lit.length) return false;
  for (let i = 0; i < lit.length; i++) if (<i32>src[s + i] != lit.charCodeAt(i)) return false;
  return true;
}

function roleId(src: Uint8Array, s: i32, e: i32): i32 {
  if (equalsAscii(src, s, e, "system")) return ROLE_SYSTEM;
  if (equalsAscii(src, s, e, "developer")) return ROLE_DEVELOPER;
  if (equalsAscii(src, s, e, "user")) return ROLE_USER;
  if (equalsAscii(src, s, e, "assistant") || equalsAscii(src, s, e, "model")) return ROLE_ASSISTANT;
  if (equalsAscii(src, s, e, "tool") || equalsAscii(src, s, e, "function") || equalsAscii(src, s, e, "ipython")) return ROLE_TOOL;
  return ROLE_USER; // an unknown role is untrusted text
}

/** Role implied by an object's `type` (0 = none). */
function typeRole(src: Uint8Array, s: i32, e: i32): i32 {
  if (equalsAscii(src, s, e, "tool_result") || equalsAscii(src, s, e, "function_call_output") || equalsAscii(src, s, e, "web_search_tool_result") ||
      equalsAscii(src, s, e, "mcp_tool_result") || equalsAscii(src, s, e, "computer_call_output")) return ROLE_TOOL;
  if (equalsAscii(src, s, e, "tool_use") || equalsAscii(src, s, e, "function_call") || equalsAscii(src, s, e, "server_tool_use")) return ROLE_ASSISTANT;
  return ROLE_NONE;
}

/** Frames of the walk (index = depth - 1). */
class Frame {
  isObj: bool = false;
  key: i32 = K_OTHER; // current key (objects); the key this container sits under (arrays)
  ownKey: i32 = K_OTHER; // the key this container sits under
  role: i32 = ROLE_NONE;
  typeRole: i32 = ROLE_NONE;
  /** Role inherited by strings inside when nothing closer decides (system, tools...). */
  baseRole: i32 = ROLE_NONE;
  firstItem: i32 = 0;
  isMessage: bool = false;
}

export class BodyWalker {
  private frames: Array<Frame> = new Array<Frame>();
  private scratch: ByteBuilder = new ByteBuilder(32);

  /** Whether a base64 payload (bare or in a `data:…;base64,` URL) starts with text, not media. */
  private encodedText(body: Uint8Array, s: i32, e: i32): bool {
    let p = s;
    if (e - s > 5 && body[s] == 0x64 && body[s + 1] == 0x61 && body[s + 2] == 0x74 && body[s + 3] == 0x61 && body[s + 4] == 0x3a) {
      p = -1;
      const lim = min(e, s + 256);
      for (let i = s + 5; i < lim; i++) if (body[i] == 0x2c) { p = i + 1; break; }
      if (p < 0) return false;
    }
    const n = min(e - p, 344) & ~3;
    const d = this.scratch;
    d.reset();
    for (let i = p; i < p + n; i++) {
      const c = <u32>body[i];
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2b || c == 0x2f || c == 0x2d || c == 0x5f || c == 0x3d)) return false;
    }
    let m = n;
    while (m > 0 && body[p + m - 1] == 0x3d) m--;
    if (!decodeBase64(body, p, p + m, d) || d.length < 12) return false;
    const raw = d.raw();
    // A PDF starts as text but is a binary container the model does not read as its bytes.
    if (raw[0] == 0x25 && raw[1] == 0x50 && raw[2] == 0x44 && raw[3] == 0x46) return false;
    let printable = 0, spaces = 0;
    for (let i = 0; i < d.length; i++) {
      const b = <u32>raw[i];
      if (b == 0x20) spaces++;
      if ((b >= 0x20 && b < 0x7f) || b == 0x0a || b == 0x0d || b == 0x09 || b >= 0x80) printable++;
    }
    return printable * 10 >= d.length * 9 && spaces > 0;
  }

  /** Decodes a short escaped JSON string (a key, role or type) into `scratch`; false if too long or bad. */
  private decoded(body: Uint8Array, s: i32, e: i32): bool {
    if (e - s > 96) return false;
    this.scratch.reset();
    return decodeJsonString(body, s, e, this.scratch) == JsonError.NONE;
  }

  constructor(public maxDepth: i32 = 64) {}

  walk(body: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE): BodyScan {
    const res = new BodyScan();
    const items = res.items;
    const t = new JsonTokenizer(body, start, end, this.maxDepth);
    let depth = 0;
    while (true) {
      const tok = t.next();
      if (tok == Tok.ERROR) {
        res.error = t.error;
        res.errorOffset = t.errorOffset;
        return res;
      }
      if (tok == Tok.END) break;
      const parent: Frame | null = depth > 0 ? unchecked(this.frames[depth - 1]) : null;
      if (tok == Tok.KEY) {
        // An escaped key is read decoded (`"\u0072ole"` is `role` to the provider's parser, so a
        // system message or `system` field cannot hide behind it), but never as a skipped key, so
        // an escape cannot hide a text either.
        if (!t.hasEscape) parent!.key = keyId(body, t.tokStart, t.tokEnd);
        else {
          const id = this.decoded(body, t.tokStart, t.tokEnd) ? keyId(this.scratch.raw(), 0, this.scratch.length) : K_OTHER;
          parent!.key = id == K_SKIP ? K_OTHER : id;
        }
        continue;
      }
      if (tok == Tok.OBJ_END || tok == Tok.ARR_END) {
        const f = unchecked(this.frames[depth - 1]);
        const stamp = f.role != ROLE_NONE ? f.role : f.typeRole;
        if (stamp != ROLE_NONE) {
          for (let i = f.firstItem; i < items.length; i++) {
            const it = unchecked(items[i]);
            if (it.role == ROLE_NONE) it.role = stamp;
          }
        }
        if (depth == 2) {
          if (!f.isObj && f.ownKey == K_MESSAGES && res.messagesArray.end < 0) res.messagesArray.end = t.tokEnd;
          if (f.ownKey == K_SYSTEM && !res.system.isString) res.system.end = t.tokEnd;
          if (f.ownKey == K_VARIABLES && f.isObj) res.variables.end = t.tokEnd;
        }
        depth--;
        if (depth == 0) {
          // Whatever is still undecided is the user's (top-level prompt, input, unknown fields).
          for (let i = 0; i < items.length; i++) if (unchecked(items[i]).role == ROLE_NONE) unchecked(items[i]).role = ROLE_USER;
        }
        continue;
      }
      // A value: its key is the parent's current key (objects) or the array's own key.
      const key = parent === null ? K_OTHER : parent.isObj ? parent.key : parent.ownKey;
      const atRoot = depth == 1 && parent !== null && parent!.isObj;
      if (tok == Tok.OBJ_START || tok == Tok.ARR_START) {
        if (this.frames.length <= depth) this.frames.push(new Frame());
        const f = unchecked(this.frames[depth]);
        f.isObj = tok == Tok.OBJ_START;
        f.key = K_OTHER;
        f.ownKey = key;
        f.role = ROLE_NONE;
        f.typeRole = ROLE_NONE;
        f.firstItem = items.length;
        f.baseRole = parent === null ? ROLE_NONE : parent.baseRole;
        f.isMessage = false;
        if (atRoot) {
          if (key == K_SYSTEM || key == K_INSTRUCTIONS) f.baseRole = ROLE_SYSTEM;
          else if (key == K_TOOLS) f.baseRole = ROLE_DEVELOPER;
          if (key == K_MESSAGES && !f.isObj) { res.messagesArray.start = t.tokStart; res.messagesArray.end = -1; }
          if (key == K_SYSTEM) { res.system.start = t.tokStart; res.system.isString = false; res.clientSystem++; }
          if (key == K_VARIABLES && f.isObj) res.variables.start = t.tokStart;
        }
        if (key == K_TOOL_CALLS) f.baseRole = ROLE_ASSISTANT;
        // Objects directly in messages / input arrays are messages.
        if (f.isObj && parent !== null && !parent.isObj && depth == 2 && (parent.ownKey == K_MESSAGES || parent.ownKey == K_INPUT)) {
          f.isMessage = true;
          res.messages++;
        }
        depth++;
        continue;
      }
      if (parent === null) {
        // A bare top-level string is read as text (a scalar body).
        if (tok == Tok.STRING) items.push(new TextItem(t.tokStart, t.tokEnd, t.hasEscape, ROLE_USER));
        continue;
      }
      if (tok != Tok.STRING) continue;
      const s = t.tokStart, e = t.tokEnd, esc = t.hasEscape;
      if (parent.isObj && key == K_ROLE) {
        const r = !esc ? roleId(body, s, e) : this.decoded(body, s, e) ? roleId(this.scratch.raw(), 0, this.scratch.length) : ROLE_USER;
        parent.role = r;
        if (parent.isMessage && (r == ROLE_SYSTEM || r == ROLE_DEVELOPER)) { res.clientSystem++; res.systemRoles.push(s); res.systemRoles.push(e); }
        continue;
      }
      if (parent.isObj && key == K_TYPE) {
        const tr = !esc ? typeRole(body, s, e) : this.decoded(body, s, e) ? typeRole(this.scratch.raw(), 0, this.scratch.length) : ROLE_NONE;
        if (tr != ROLE_NONE) parent.typeRole = tr;
        continue;
      }
      if (atRoot) {
        if (key == K_TEMPLATE) { res.template.start = s; res.template.end = e; res.template.isString = true; res.template.hasEscape = esc; continue; }
        if (key == K_SYSTEM) { res.system.start = s; res.system.end = e; res.system.isString = true; res.system.hasEscape = esc; res.clientSystem++; }
        if (key == K_INSTRUCTIONS) { res.instructions.start = s; res.instructions.end = e; res.instructions.isString = true; res.instructions.hasEscape = esc; res.clientSystem++; }
      }
      if (key == K_SKIP) continue;
      // Binary media (base64 `data`, Responses `image_url` / `file_data` strings): long and without a
      // space near the start. Text with spaces under these keys is still read, and so is a base64
      // document that decodes to text (a text/plain file the model reads: indirect injection).
      if (key == K_DATA && e - s > 256 && !hasSpace(body, s, min(e, s + 256)) && !this.encodedText(body, s, e)) continue;
      let role = parent.baseRole;
      if (atRoot && (key == K_SYSTEM || key == K_INSTRUCTIONS)) role = ROLE_SYSTEM;
      items.push(new TextItem(s, e, esc, role));
    }
    return res;
  }
}

function hasSpace(src: Uint8Array, s: i32, e: i32): bool {
  for (let i = s; i < e; i++) if (src[i] == 0x20) return true;
  return false;
}
