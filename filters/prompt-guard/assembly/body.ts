// What a request body carries to the model, for every dialect at once, as common/llm/spans.ts reads
// it (the reader pii-mask and quota use too, so the guard scores exactly the strings they see, with
// the same roles): every string value of the JSON document, with the role of its message (system,
// developer, user, assistant, tool; spans.ts says how each dialect's shape decides it: tool results
// -> tool, tool-call arguments -> assistant, top-level `system`/`instructions` -> system, tool
// definitions -> developer, everything else -> user). This file adds only the guard's own choices:
//   - values under keys that never carry prose (SKIP_KEYS: ids, model names, media URLs...) are not
//     scored, unless the reader calls them model text (a tool input's `name`); an escaped key never
//     skips (an escape cannot hide a text);
//   - `name` values (a message's participant name, a function's name) are identifiers the model
//     still reads: they go to `names`, which only the phrase checks read (a model score would block
//     a tool called `bypass_cache`; "ignore_all_previous_instructions" as a user's name is read);
//   - binary media (long base64 under `data` / `image_url` / `file_data`) is not scored unless it
//     decodes to text (a text file the model reads: indirect injection);
//   - the positions the prompt policy needs: the top-level messages array, system, instructions,
//     template and variables (the last of duplicated keys, as upstreams read them), the request's
//     messages and its client system texts.
import { LlmScanner, RootMember, Role, TextKind, TextSpan, isTextKind } from "../../common/assembly/llm/spans";
import { encodeWordsAt } from "../../common/assembly/bytes/words";
import { patternBytes, patternByteLength, LIST_SKIP_KEYS_FIRST, LIST_NAMED_KEYS_FIRST } from "./model/patterns";
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
  /** Media the guard does not read (binary images, audio, PDF or Office files; an image or file by
   *  http(s) URL or file id), and the role of the first: the route's `unscanned_media` action. */
  media: i32 = 0;
  mediaRole: i32 = Role.USER;
  /** `name` values (identifiers: only the phrase checks read them). */
  names: Array<TextItem> = new Array<TextItem>();
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
const K_NAME = 8;
/** Longest `name` value read as an identifier (OpenAI allows 64 characters); a longer one is prose. */
const MAX_NAME_BYTES: i32 = 256;
/** `url`, `file_url`: not prose, but an http(s) URL there is media the provider fetches and the
 *  guard does not read; so is an uploaded file by `file_id` (OpenAI, Anthropic) or `file_uri` /
 *  `fileUri` (Gemini's `file_data`, a gs:// or https:// URI). */
const K_REF = 9;
const K_FILE_ID = 10;

// The key lists are in patterns/keys.ts (SKIP_KEYS, and NAMED_KEYS in the order of `ids` below).

class KeyEntry { constructor(public bytes: Uint8Array, public id: i32) {} }
const MAX_KEY: i32 = 24;
/** KEY_TABLE[n]: the entries of n bytes (a value's key is looked up once per value: keep it short). */
const KEY_TABLE: Array<Array<KeyEntry>> = buildKeys();
function buildKeys(): Array<Array<KeyEntry>> {
  const t = new Array<Array<KeyEntry>>();
  for (let n = 0; n <= MAX_KEY; n++) t.push(new Array<KeyEntry>());
  const skip = encodeWordsAt(patternBytes(LIST_SKIP_KEYS_FIRST), patternByteLength(LIST_SKIP_KEYS_FIRST));
  for (let i = 0; i < skip.length; i++) addKey(t, skip[i], K_SKIP);
  const named = encodeWordsAt(patternBytes(LIST_NAMED_KEYS_FIRST), patternByteLength(LIST_NAMED_KEYS_FIRST));
  const ids: StaticArray<i32> = [K_DATA, K_DATA, K_DATA, K_DATA, K_MESSAGES, K_SYSTEM, K_INSTRUCTIONS, K_TEMPLATE, K_VARIABLES, K_NAME, K_REF, K_REF, K_FILE_ID, K_FILE_ID, K_FILE_ID];
  for (let i = 0; i < named.length; i++) addKey(t, named[i], ids[i]);
  return t;
}
function addKey(t: Array<Array<KeyEntry>>, b: Uint8Array, id: i32): void {
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

  /** Whether a `data` / `image_url` / `file_data` string is binary media the model does not read as
   *  text: the whole string is base64 (bare or a `data:…;base64,` URL) and its first bytes decode to a
   *  media file's signature (image, audio, video, PDF, archive) followed by bytes that are not text.
   *  Anything else is read: a `text` document source is plain text (a Chinese, tab- or
   *  newline-separated or dash-led one has no space near its start), and a base64 text/plain file
   *  may start with any bytes the provider still decodes as text (NULs, a BOM). */
  private binaryMedia(body: Uint8Array, s: i32, e: i32): bool {
    let p = s;
    if (isDataUrl(body, s, e)) {
      p = -1;
      const lim = min(e, s + 256);
      for (let i = s + 5; i < lim; i++) if (body[i] == 0x2c) { p = i + 1; break; }
      if (p < 0) return false;
    }
    // Every byte, not a prefix: text after a media-looking start is still text.
    let m = e;
    while (m > p && body[m - 1] == 0x3d) m--;
    for (let i = p; i < m; i++) {
      const c = <u32>unchecked(body[i]);
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2b || c == 0x2f || c == 0x2d || c == 0x5f)) return false;
    }
    const n = min(m - p, 344) & ~3;
    const d = this.scratch;
    d.reset();
    if (n < 16 || !decodeBase64(body, p, p + n, d)) return false;
    const raw = d.raw();
    return mediaSignature(raw, d.length) && !utf8Text(raw, d.length);
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

  /** The key id of a span's key (K_OTHER without one); escaped keys decoded, never one that reads
   *  less (K_SKIP, K_REF, K_FILE_ID, K_NAME). */
  private keyOf(body: Uint8Array, s: i32, e: i32): i32 {
    if (s < 0) return K_OTHER;
    if (!hasBackslash(body, s, e)) return keyId(body, s, e);
    const id = this.decoded(body, s, e) ? keyId(this.scratch.raw(), 0, this.scratch.length) : K_OTHER;
    // An escape cannot make a text read less: keys that skip a value or read it with the phrase
    // checks alone count as any key when escaped.
    return id == K_SKIP || id == K_REF || id == K_FILE_ID || id == K_NAME ? K_OTHER : id;
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
      let k = lastId;
      // A skip key never hides what the reader calls model text (a tool input's {"name": ...}).
      if (k == K_SKIP && !isTextKind(sp.kind)) continue;
      // A `name` longer than any identifier is prose: read like any text.
      if (k == K_NAME && !isTextKind(sp.kind) && sp.end - sp.start <= MAX_NAME_BYTES) { res.names.push(sp); continue; }
      const s = sp.start, e = sp.end;
      if (k == K_FILE_ID && !isTextKind(sp.kind)) { if (e > s) noteMedia(res, sp.role); continue; }
      if (k == K_REF && !isTextKind(sp.kind)) {
        if (!isDataUrl(body, s, e)) {
          if (isHttpUrl(body, s, e)) noteMedia(res, sp.role);
          continue;
        }
        k = K_DATA; // a `data:` URL (OpenAI's image_url.url) is its payload, read as the data keys are
      }
      // Binary media (base64 `data`, Responses `image_url` / `file_data` strings) is not prose; any
      // other string under these keys is read (a text document, a base64 text file: indirect injection).
      if (k == K_DATA && e - s > 256 && this.binaryMedia(body, s, e)) { noteMedia(res, sp.role); continue; }
      if (k == K_DATA && isHttpUrl(body, s, e)) noteMedia(res, sp.role); // Responses `image_url`: read, and counted
      sp.data = k == K_DATA;
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

function noteMedia(res: BodyScan, role: i32): void {
  if (res.media++ == 0) res.mediaRole = role;
}

/** URL schemes are case-insensitive: "HTTPS://", "Data:" count too. */
@inline function lower(b: u8): u32 { return <u32>b | 0x20; }

function isHttpUrl(b: Uint8Array, s: i32, e: i32): bool {
  if (e - s < 8 || lower(b[s]) != 0x68 || lower(b[s + 1]) != 0x74 || lower(b[s + 2]) != 0x74 || lower(b[s + 3]) != 0x70) return false;
  const i = lower(b[s + 4]) == 0x73 ? s + 5 : s + 4;
  return b[i] == 0x3a && b[i + 1] == 0x2f && b[i + 2] == 0x2f;
}

function isDataUrl(b: Uint8Array, s: i32, e: i32): bool {
  return e - s > 5 && lower(b[s]) == 0x64 && lower(b[s + 1]) == 0x61 && lower(b[s + 2]) == 0x74 && lower(b[s + 3]) == 0x61 && b[s + 4] == 0x3a;
}

function setSpan(v: ValueSpan, m: RootMember): void {
  v.start = m.start;
  v.end = m.end;
  v.isString = m.tok == Tok.STRING;
  v.hasEscape = m.hasEscape;
}

@inline function at(raw: usize, i: i32, b: u32): bool { return <u32>load<u8>(raw + <usize>i) == b; }

/** Whether decoded bytes start with the signature of a media or container format the providers take
 *  as images, audio, video or documents (PNG, JPEG, GIF, RIFF (WebP/WAV), ISO BMFF (MP4/HEIC/MOV
 *  `ftyp`), Matroska/WebM, Ogg, FLAC, MP3 (ID3 or frame sync), AIFF, BMP, TIFF, PDF, ZIP (docx), OLE (doc)). */
function mediaSignature(raw: Uint8Array, n: i32): bool {
  if (n < 12) return false;
  const r = raw.dataStart;
  const b0 = <u32>load<u8>(r), b1 = <u32>load<u8>(r, 1);
  if (b0 == 0x89 && at(r, 1, 0x50) && at(r, 2, 0x4e) && at(r, 3, 0x47)) return true; // PNG
  if (b0 == 0xff && (b1 == 0xd8 || (b1 & 0xe0) == 0xe0)) return true; // JPEG, MP3/AAC frame sync
  if (b0 == 0x47 && at(r, 1, 0x49) && at(r, 2, 0x46) && at(r, 3, 0x38)) return true; // GIF8
  if (b0 == 0x52 && at(r, 1, 0x49) && at(r, 2, 0x46) && at(r, 3, 0x46)) return true; // RIFF
  if (at(r, 4, 0x66) && at(r, 5, 0x74) && at(r, 6, 0x79) && at(r, 7, 0x70)) return true; // ftyp
  if (b0 == 0x1a && b1 == 0x45 && at(r, 2, 0xdf) && at(r, 3, 0xa3)) return true; // EBML
  if (b0 == 0x4f && b1 == 0x67 && at(r, 2, 0x67) && at(r, 3, 0x53)) return true; // OggS
  if (b0 == 0x66 && b1 == 0x4c && at(r, 2, 0x61) && at(r, 3, 0x43)) return true; // fLaC
  if (b0 == 0x49 && b1 == 0x44 && at(r, 2, 0x33)) return true; // ID3
  if (b0 == 0x46 && b1 == 0x4f && at(r, 2, 0x52) && at(r, 3, 0x4d)) return true; // FORM (AIFF)
  if (b0 == 0x42 && b1 == 0x4d) return true; // BMP
  if ((b0 == 0x49 && b1 == 0x49 && at(r, 2, 0x2a)) || (b0 == 0x4d && b1 == 0x4d && at(r, 3, 0x2a))) return true; // TIFF
  if (b0 == 0x25 && b1 == 0x50 && at(r, 2, 0x44) && at(r, 3, 0x46)) return true; // %PDF
  if (b0 == 0x50 && b1 == 0x4b && at(r, 2, 0x03) && at(r, 3, 0x04)) return true; // ZIP
  if (b0 == 0xd0 && b1 == 0xcf && at(r, 2, 0x11) && at(r, 3, 0xe0)) return true; // OLE (doc, xls)
  return false;
}

/** Whether bytes read as text: valid UTF-8 without control bytes other than tab, LF, FF, CR (a
 *  sequence cut by the end of the prefix counts as valid). A media file after its signature is not. */
function utf8Text(raw: Uint8Array, n: i32): bool {
  let i = 0;
  while (i < n) {
    const b = <u32>unchecked(raw[i]);
    if (b < 0x80) {
      if (b < 0x20 && b != 0x09 && b != 0x0a && b != 0x0c && b != 0x0d) return false;
      if (b == 0x7f) return false;
      i++;
      continue;
    }
    let len = 0;
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) len = 3;
    else if (b >= 0xf0 && b <= 0xf4) len = 4;
    else return false;
    for (let k = 1; k < len; k++) {
      if (i + k >= n) return true;
      if ((<u32>unchecked(raw[i + k]) & 0xc0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}
