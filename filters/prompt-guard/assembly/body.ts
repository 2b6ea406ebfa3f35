// What a request body carries to the model, for every dialect at once, as common/llm/spans.ts reads
// it (the reader pii-mask and quota use too, so the guard scores exactly the strings they see, with
// the same roles): every string value of the JSON document, with the role of its message (system,
// developer, user, assistant, tool; spans.ts says how each dialect's shape decides it: tool results
// -> tool, tool-call arguments -> assistant, top-level `system`/`instructions` -> system, tool
// definitions -> developer, everything else -> user). This file adds only the guard's own choices:
//   - values under keys that never carry prose (SKIP_KEYS: ids, model names, media URLs...) are not
//     scored, unless the reader calls them model text (a tool input's `name`); an escaped key never
//     skips (an escape cannot hide a text);
//   - binary media (long base64 under `data` / `image_url` / `file_data`) is not scored unless it
//     decodes to text (a text file the model reads: indirect injection);
//   - the positions the prompt policy needs: the top-level messages array, system, instructions,
//     template and variables (the last of duplicated keys, as upstreams read them), the request's
//     messages and its client system texts.
import { LlmScanner, RootMember, Role, TextKind, TextSpan, isTextKind } from "../../common/assembly/llm/spans";
import { Tok, JsonError } from "../../common/assembly/json/tokenizer";
import { decodeJsonString } from "../../common/assembly/json/string";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { decodeBase64 } from "./detector";

/** A text the guard reads: the reader's span (start, end, role, hasEscape), handed over as it is. */
export type TextItem = TextSpan;

/** A text that is not a JSON string (a body that is not JSON): read as it is, as the user's. */
export function plainText(start: i32, end: i32): TextItem { return new TextSpan(start, end, TextKind.OTHER, Role.USER, false); }

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

// What a value's key says to the guard.
const K_OTHER = 0;
const K_SKIP = 1;
const K_DATA = 2;
// Root members the policy needs.
const K_MESSAGES = 3;
const K_SYSTEM = 4;
const K_INSTRUCTIONS = 5;
const K_TEMPLATE = 6;
const K_VARIABLES = 7;

const SKIP_KEYS: StaticArray<string> = [
  "model", "id", "tool_call_id", "tool_use_id", "call_id", "object", "media_type", "mime_type", "detail", "format",
  "encoding_format", "service_tier", "reasoning_effort", "voice", "url", "file_id", "finish_reason",
  "status", "name", "user", "stop", "signature", "cache_control", "previous_response_id", "truncation",
  "tool_choice", "parallel_tool_calls", "modalities", "audio", "metadata", "store", "seed",
];

class KeyEntry { constructor(public bytes: Uint8Array, public id: i32) {} }
const MAX_KEY: i32 = 24;
/** KEY_TABLE[n]: the entries of n bytes (a value's key is looked up once per value: keep it short). */
const KEY_TABLE: Array<Array<KeyEntry>> = buildKeys();
function buildKeys(): Array<Array<KeyEntry>> {
  const t = new Array<Array<KeyEntry>>();
  for (let n = 0; n <= MAX_KEY; n++) t.push(new Array<KeyEntry>());
  for (let i = 0; i < SKIP_KEYS.length; i++) addKey(t, SKIP_KEYS[i], K_SKIP);
  const named: StaticArray<string> = ["data", "image_url", "file_data", "messages", "system", "instructions", "template", "variables"];
  const ids: StaticArray<i32> = [K_DATA, K_DATA, K_DATA, K_MESSAGES, K_SYSTEM, K_INSTRUCTIONS, K_TEMPLATE, K_VARIABLES];
  for (let i = 0; i < named.length; i++) addKey(t, named[i], ids[i]);
  return t;
}
function addKey(t: Array<Array<KeyEntry>>, name: string, id: i32): void {
  const b = Uint8Array.wrap(String.UTF8.encode(name));
  t[b.length].push(new KeyEntry(b, id));
}

function keyId(src: Uint8Array, s: i32, e: i32): i32 {
  const n = e - s;
  if (n < 2 || n > MAX_KEY) return K_OTHER;
  const row = unchecked(KEY_TABLE[n]);
  const c = unchecked(src[s]);
  for (let i = 0; i < row.length; i++) {
    const k = unchecked(row[i]);
    if (unchecked(k.bytes[0]) == c && memory.compare(src.dataStart + <usize>s, k.bytes.dataStart, <usize>n) == 0) return k.id;
  }
  return K_OTHER;
}

function hasBackslash(src: Uint8Array, s: i32, e: i32): bool {
  for (let i = s; i < e; i++) if (unchecked(src[i]) == 0x5c) return true;
  return false;
}

export class BodyWalker {
  private scanner: LlmScanner;
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

  constructor(public maxDepth: i32 = 64) {
    this.scanner = new LlmScanner(maxDepth, true);
    this.scanner.recordRoot = true;
    this.scanner.keys = false;
  }

  /** The key id of a span's key (K_OTHER without one); escaped keys decoded, never K_SKIP. */
  private keyOf(body: Uint8Array, s: i32, e: i32): i32 {
    if (s < 0) return K_OTHER;
    if (!hasBackslash(body, s, e)) return keyId(body, s, e);
    const id = this.decoded(body, s, e) ? keyId(this.scratch.raw(), 0, this.scratch.length) : K_OTHER;
    return id == K_SKIP ? K_OTHER : id;
  }

  walk(body: Uint8Array, start: i32 = 0, end: i32 = i32.MAX_VALUE): BodyScan {
    const res = new BodyScan();
    const scan = this.scanner.scan(body, start, end);
    if (!scan.ok) {
      res.error = scan.error;
      res.errorOffset = scan.errorOffset;
      return res;
    }
    const items = res.items;
    const spans = scan.spans;
    // Array elements share their key: look it up once.
    let lastKey = -2, lastId = K_OTHER;
    for (let i = 0; i < spans.length; i++) {
      const sp = unchecked(spans[i]);
      if (sp.kind == TextKind.KEY) continue;
      if (sp.keyStart != lastKey) { lastKey = sp.keyStart; lastId = this.keyOf(body, sp.keyStart, sp.keyEnd); }
      const k = lastId;
      // A skip key never hides what the reader calls model text (a tool input's {"name": ...}).
      if (k == K_SKIP && !isTextKind(sp.kind)) continue;
      // Binary media (base64 `data`, Responses `image_url` / `file_data` strings): long and without a
      // space near the start. Text with spaces under these keys is still read, and so is a base64
      // document that decodes to text (a text/plain file the model reads: indirect injection).
      const s = sp.start, e = sp.end;
      if (k == K_DATA && e - s > 256 && !hasSpace(body, s, min(e, s + 256)) && !this.encodedText(body, s, e)) continue;
      items.push(sp);
    }
    res.messages = scan.messages;
    const facts = scan.facts!;
    res.systemRoles = facts.systemRoles;
    res.clientSystem = facts.systemRoles.length / 2;
    const members = facts.members;
    for (let i = 0; i < members.length; i++) {
      const m = unchecked(members[i]);
      const k = this.keyOf(body, m.keyStart, m.keyEnd);
      const str = m.tok == Tok.STRING;
      const container = m.tok == Tok.OBJ_START || m.tok == Tok.ARR_START;
      if (k == K_MESSAGES && m.tok == Tok.ARR_START) setSpan(res.messagesArray, m);
      else if (k == K_SYSTEM && (str || container)) { setSpan(res.system, m); res.clientSystem++; }
      else if (k == K_INSTRUCTIONS && str) { setSpan(res.instructions, m); res.clientSystem++; }
      else if (k == K_TEMPLATE && str) setSpan(res.template, m);
      else if (k == K_VARIABLES && m.tok == Tok.OBJ_START) setSpan(res.variables, m);
    }
    return res;
  }
}

function setSpan(v: ValueSpan, m: RootMember): void {
  v.start = m.start;
  v.end = m.end;
  v.isString = m.tok == Tok.STRING;
  v.hasEscape = m.hasEscape;
}

function hasSpace(src: Uint8Array, s: i32, e: i32): bool {
  for (let i = s; i < e; i++) if (src[i] == 0x20) return true;
  return false;
}
