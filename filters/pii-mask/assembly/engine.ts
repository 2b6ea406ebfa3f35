// The compiled plan of one plugin: the detector (built-ins + custom patterns/dictionaries, from
// detect/), the action per entity, the digester. Built once in on_configure, shared by every
// stream, never changed afterwards. `emitUntil` is the one place where text is rewritten.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { compilePattern, Dictionary as Dict } from "../../common/assembly/pattern";
import { Detector, Match, BUILTIN_COUNT, MAX_ENTITY_LENGTH, CONTEXT_BYTES } from "./detect";
import { A_TOKENIZE, DetectorRule, PiiConfig } from "./config";
import { LlmScanner, TextSpan, TextKind } from "../../common/assembly/llm/spans";
import { decodeJsonString, jsonEscapeBoundary } from "../../common/assembly/json/string";
import { JsonError } from "../../common/assembly/json/tokenizer";
import { SpanEditor, SpanScratch, rewriteSpansWith } from "../../common/assembly/json/rewrite";
import { Digester } from "./digest";
import { StreamScope, applyAction } from "./actions";
import { Restore, findPlaceholders } from "./placeholders";
import { TextStream } from "./text-stream";
import { looksBinary } from "./content";
import { base64DecodeInto, base64EncodeInto } from "../../common/assembly/bytes/base64";

/** Texts longer than this are rewritten in windows of WINDOW bytes (Engine.rewriteWindowed). */
const WINDOWED_ABOVE: i32 = 256 * 1024;
const WINDOW: i32 = 16 * 1024;
/** Most text a stream holds back between windows (Detector.scanStream: one entity plus context). */
const MAX_HELD: i32 = MAX_ENTITY_LENGTH + CONTEXT_BYTES;

export class EngineResult {
  constructor(public engine: Engine | null, public error: string) {}
}

export class Engine {
  detector: Detector;
  digester: Digester;
  // Scratch lists reused by emit callers (a stream context runs to completion before another).
  matches: Array<Match> = new Array<Match>();

  constructor(public config: PiiConfig) {
    let mask: u32 = 0;
    for (let i = 0; i < BUILTIN_COUNT; i++) if (config.rules[i].enabled) mask |= (<u32>1) << i;
    this.detector = new Detector(mask);
    this.digester = new Digester(config.secret, config.tokenLength);
  }

  /** The text stream of rewriteWindowed (not re-entered: a window holds no nested rewrite). */
  private windows: TextStream = new TextStream();

  /** Compiles the configuration's custom detectors; the error names the config field. */
  static build(config: PiiConfig): EngineResult {
    const e = new Engine(config);
    let k = BUILTIN_COUNT;
    for (let i = 0; i < config.patterns.length; i++, k++) {
      const r = compilePattern(config.patterns[i].pattern);
      if (r.pattern === null) return new EngineResult(null, "field `custom_patterns[" + i.toString() + "].pattern` (" + config.patterns[i].name + "): " + r.error);
      const rule = config.rules[k];
      if (rule.enabled) e.detector.addPattern(r.pattern!, rule.id);
    }
    for (let i = 0; i < config.dictionaries.length; i++, k++) {
      const d = new Dict();
      const terms = config.dictionaries[i].terms;
      for (let t = 0; t < terms.length; t++) {
        if (!d.add(terms[t])) return new EngineResult(null, "field `dictionaries[" + i.toString() + "].terms[" + t.toString() + "]`: " + d.error);
      }
      const rule = config.rules[k];
      if (rule.enabled) e.detector.addDictionary(d, rule.id);
    }
    return new EngineResult(e, "");
  }

  /** The streaming session (TextStream.decide / SSE events) and the one-shot one (rewrite), kept
   *  apart so a whole string can be rewritten while a stream's range is half written. */
  session: Emitter = new Emitter(this);
  private once: Emitter = new Emitter(this);

  begin(src: Uint8Array, from: i32, cut: i32, matches: Array<Match>, st: StreamScope, response: bool): void { this.session.begin(src, from, cut, matches, st, response); }
  boundary(x: i32): i32 { return this.session.boundary(x); }
  emitUntil(x: i32, out: ByteBuilder): bool { return this.session.emitUntil(x, out); }
  emit(src: Uint8Array, from: i32, cut: i32, matches: Array<Match>, st: StreamScope, response: bool, out: ByteBuilder): bool {
    return this.session.emit(src, from, cut, matches, st, response, out);
  }

  /**
   * Scans and rewrites the whole text src[start, end) into `out`. Returns 1 when something
   * changed, 0 when nothing did (`out` is then left as it was), -1 when a block rule fired.
   */
  rewrite(src: Uint8Array, start: i32, end: i32, st: StreamScope, response: bool, out: ByteBuilder,
    label: Uint8Array | null = null, ls: i32 = 0, le: i32 = 0): i32 {
    if (end - start > WINDOWED_ABOVE) return this.rewriteWindowed(src, start, end, st, response, out);
    const m = this.matches;
    m.length = 0;
    this.detector.scan(src, start, end, m);
    // A JSON value under a secret-looking key (`"password": "…"`): see Detector.scanLabelled.
    if (label !== null) this.detector.scanLabelled(label, ls, le, src, start, end, m, 0);
    if (m.length == 0 && !(response && this.config.anyTokenize && st.vault.size > 0)) return 0;
    const mark = out.length;
    // The output is about as long as the text: one allocation, not a doubling series into it.
    out.reserve(end - start);
    const restoredBefore = st.findings.restored;
    const changedBefore = st.findings.changed;
    st.findings.changed = false;
    if (!this.once.emit(src, start, end, m, st, response, out)) return -1;
    const changed = st.findings.changed || st.findings.restored != restoredBefore;
    st.findings.changed = changed || changedBefore;
    if (!changed) out.truncate(mark);
    return changed ? 1 : 0;
  }

  /**
   * rewrite() of a very large text in windows through a TextStream (the streaming cut decides
   * what is final, so the result is the buffered one: see test/detect-stream.test.ts), so that
   * per-entity bookkeeping (candidates, match records) is held for one window at a time, not for
   * the whole text.
   */
  /**
   * rewrite() of the raw content of a JSON string with escapes, src[start, end): decoded window by
   * window (cut between escapes) as it is rewritten, so the decoded text is never held whole.
   * Returns as rewrite() does; the text written is decoded (the caller escapes it).
   */
  rewriteEscaped(src: Uint8Array, start: i32, end: i32, st: StreamScope, response: bool, out: ByteBuilder): i32 {
    return this.rewriteWindowed(src, start, end, st, response, out, true);
  }

  private rewriteWindowed(src: Uint8Array, start: i32, end: i32, st: StreamScope, response: bool, out: ByteBuilder, escaped: bool = false): i32 {
    const mark = out.length;
    const restoredBefore = st.findings.restored;
    const changedBefore = st.findings.changed;
    st.findings.changed = false;
    out.reserve(end - start);
    // One TextStream for all windowed rewrites: its buffer and match objects are reused.
    const ts = this.windows;
    ts.clear();
    // What one window holds: the window, the context kept before it and the undecided tail.
    ts.reserve(WINDOW + 2 * MAX_HELD);
    ts.emitter = this.once;
    for (let pos = start; pos < end;) {
      let e = min(end, pos + WINDOW);
      if (escaped) e = jsonEscapeBoundary(src, pos, e, end);
      if (!ts.push(this, st, src, pos, e, e == end, response, out, escaped)) return -1;
      pos = e;
    }
    const changed = st.findings.changed || st.findings.restored != restoredBefore;
    st.findings.changed = changed || changedBefore;
    if (!changed) out.truncate(mark);
    return changed ? 1 : 0;
  }
}

/** One rewriting session over a decided range (see Engine.begin). */
export class Emitter {
  constructor(private engine: Engine) {}
  restores: Array<Restore> = new Array<Restore>();
  // begin() prepares one decided range; emitUntil(x) writes it in pieces (a streamed answer hands
  // each SSE event its own part), boundary(x) says where a piece may end. One range at a time.
  private src: Uint8Array = new Uint8Array(0);
  private pos: i32 = 0;
  private cut: i32 = 0;
  private mi: i32 = 0;
  private ri: i32 = 0;
  private ms: Array<Match> = new Array<Match>();
  private st: StreamScope = new StreamScope();
  private response: bool = false;

  /**
   * Prepares writing src[from, cut) with `matches` (sorted, non-overlapping, byte offsets in src;
   * those outside [from, cut) are ignored) replaced by their action and, in answers, this stream's
   * placeholders restored.
   */
  begin(src: Uint8Array, from: i32, cut: i32, matches: Array<Match>, st: StreamScope, response: bool): void {
    this.src = src;
    this.pos = from;
    this.cut = cut;
    this.ms = matches;
    this.st = st;
    this.response = response;
    this.mi = 0;
    this.ri = 0;
    const restores = this.restores;
    restores.length = 0;
    const cfg = this.engine.config;
    if (response && cfg.anyTokenize) findPlaceholders(src, from, cut, cfg.tokenLength, st.vault, restores);
  }

  /** The largest offset <= x (and >= the current position) that cuts no match and no placeholder. */
  boundary(x: i32): i32 {
    if (x >= this.cut) return this.cut;
    const ms = this.ms;
    for (let k = this.mi; k < ms.length; k++) {
      const m = unchecked(ms[k]);
      if (m.start >= x) break;
      if (m.end > x && m.start >= this.pos) { x = m.start; break; }
    }
    const rs = this.restores;
    for (let k = this.ri; k < rs.length; k++) {
      const r = unchecked(rs[k]);
      if (r.start >= x) break;
      if (r.end > x) { x = r.start; break; }
    }
    return max(x, this.pos);
  }

  /**
   * Writes the prepared range up to x (a boundary()) to `out`. Returns false when a block rule
   * fired on a request (out is then incomplete and the caller refuses the request).
   */
  emitUntil(x: i32, out: ByteBuilder): bool {
    const cfg = this.engine.config;
    const src = this.src;
    const st = this.st;
    const response = this.response;
    const ms = this.ms;
    const rs = this.restores;
    if (x > this.cut) x = this.cut;
    let pos = this.pos;
    let mi = this.mi;
    let ri = this.ri;
    while (true) {
      // Next match to apply: within [pos, x), enabled, and in answers not of a tokenize type (a
      // client's own tokenized data comes back restored; values of a tokenize type the model
      // writes on its own pass, the provider already has them).
      let m: Match | null = null;
      let rule: DetectorRule | null = null;
      while (mi < ms.length) {
        const c = unchecked(ms[mi]);
        if (c.start < pos) { mi++; continue; }
        if (c.end > x) break;
        const r = cfg.rule(c.type);
        if (r === null || !r.enabled || (response && r.action == A_TOKENIZE)) { mi++; continue; }
        m = c;
        rule = r;
        break;
      }
      let rst: Restore | null = null;
      if (ri < rs.length) {
        const r = unchecked(rs[ri]);
        if (r.end <= x) rst = r;
      }
      if (m === null && rst === null) break;
      if (m !== null && rst !== null && rst.start < m.end && m.start < rst.end) {
        // A match inside (or across) a placeholder: the placeholder wins.
        mi++;
        continue;
      }
      if (m !== null && (rst === null || m.start < rst.start)) {
        if (response) st.findings.response.add(rule!.name);
        else st.findings.request.add(rule!.name);
        out.appendSlice(src, pos, m.start);
        if (!applyAction(out, rule!, src, m.start, m.end, this.engine.digester, st, response)) {
          this.pos = pos;
          this.mi = mi;
          this.ri = ri;
          return false;
        }
        pos = m.end;
        mi++;
      } else {
        const r = rst!;
        out.appendSlice(src, pos, r.start).appendBytes(r.value);
        st.findings.restored++;
        st.findings.changed = true;
        pos = r.end;
        ri++;
      }
    }
    if (x > pos) out.appendSlice(src, pos, x);
    this.pos = max(pos, x);
    this.mi = mi;
    this.ri = ri;
    return true;
  }

  /** begin + emitUntil(cut). */
  emit(src: Uint8Array, from: i32, cut: i32, matches: Array<Match>, st: StreamScope, response: bool, out: ByteBuilder): bool {
    this.begin(src, from, cut, matches, st, response);
    return this.emitUntil(cut, out);
  }

}

/** Rewrites the text spans of a JSON body through the engine (see common/json/rewrite.ts). */
export class EngineEditor extends SpanEditor {
  engine: Engine;
  st: StreamScope = new StreamScope();
  response: bool = false;
  /** The body and spans being rewritten (to find the key of a value). */
  body: Uint8Array = new Uint8Array(0);
  spans: Array<TextSpan> = new Array<TextSpan>();
  private key: ByteBuilder = new ByteBuilder(64);
  constructor(engine: Engine) { super(); this.engine = engine; this.appends = true; this.rawSpans = true; }

  private unescaped: ByteBuilder = new ByteBuilder(256);

  edit(index: i32, text: Uint8Array, start: i32, end: i32, out: ByteBuilder): i32 {
    const spans = this.spans;
    // Spans come raw (rawSpans): a large string with escapes is decoded window by window as it is
    // rewritten, never whole (a data: URL or a `data` value, maybe base64, is decoded whole below).
    if (index >= 0 && index < spans.length && unchecked(spans[index]).hasEscape) {
      if (end - start > WINDOWED_ABOVE && !startsWithData(text, start, end) && !(index > 0 && isDataKeySpan(this.body, unchecked(spans[index - 1])))) {
        return this.engine.rewriteEscaped(text, start, end, this.st, this.response, out);
      }
      const d = this.unescaped;
      d.reset();
      if (decodeJsonString(text, start, end, d) != JsonError.NONE) return 0;
      text = d.raw(); start = 0; end = d.length;
    }
    // A string value right after a key span is that key's value (spans are in document order).
    if (index > 0 && index < spans.length && unchecked(spans[index]).kind != TextKind.KEY) {
      const k = unchecked(spans[index - 1]);
      if (k.kind == TextKind.KEY && k.end - k.start <= 256) {
        const key = this.key;
        key.reset();
        if (!k.hasEscape) key.appendSlice(this.body, k.start, k.end);
        else if (decodeJsonString(this.body, k.start, k.end, key) != JsonError.NONE) key.reset();
        const encoded = this.editEncoded(text, start, end, key.length == 4 && isDataKey(key.raw()), out);
        if (encoded != NOT_ENCODED) return encoded;
        if (key.length > 0) return this.engine.rewrite(text, start, end, this.st, this.response, out, key.raw(), 0, key.length);
      }
    }
    const encoded = this.editEncoded(text, start, end, false, out);
    if (encoded != NOT_ENCODED) return encoded;
    return this.engine.rewrite(text, start, end, this.st, this.response, out);
  }

  private decoded: ByteBuilder = new ByteBuilder(64);
  private masked: ByteBuilder = new ByteBuilder(64);

  /**
   * A document or file the model reads as text, carried base64-encoded (Anthropic's
   * `source: {type: base64, media_type: text/plain, data}`, OpenAI's `file_data` and Responses'
   * `input_file` data: URLs, Gemini's `inlineData.data`): a data: URL with `;base64,`, or a
   * base64 string under a `data` key, that decodes to text is scanned decoded and, when masked,
   * re-encoded. Binary payloads (images, PDFs) are left to the raw-string scan. NOT_ENCODED when
   * the string is not such a payload or nothing was found in it.
   */
  private editEncoded(text: Uint8Array, start: i32, end: i32, dataKey: bool, out: ByteBuilder): i32 {
    let p = start;
    if (end - start > 12 && text[start] == 0x64 && text[start + 1] == 0x61 && text[start + 2] == 0x74 && text[start + 3] == 0x61 && text[start + 4] == 0x3a) {
      // data:[<media type>][;params];base64,<payload> (RFC 2397)
      const lim = min(end - 7, start + 256);
      p = -1;
      for (let i = start + 5; i < lim; i++) {
        if (text[i] == 0x2c) break;
        if (text[i] == 0x3b && text[i + 1] == 0x62 && text[i + 2] == 0x61 && text[i + 3] == 0x73 && text[i + 4] == 0x65 &&
            text[i + 5] == 0x36 && text[i + 6] == 0x34 && text[i + 7] == 0x2c) { p = i + 8; break; }
      }
      if (p < 0) return NOT_ENCODED;
    } else if (!dataKey) return NOT_ENCODED;
    if (end - p < 8) return NOT_ENCODED;
    const dec = this.decoded;
    dec.reset();
    // The first bytes tell text from binary before the whole payload is decoded.
    const head = min(end, p + 344) - p;
    if (!base64DecodeInto(text, p, p + (head & ~3), dec) || looksBinary(dec.raw(), 0, dec.length, true)) return NOT_ENCODED;
    dec.reset();
    if (!base64DecodeInto(text, p, end, dec) || looksBinary(dec.raw(), 0, dec.length, false)) return NOT_ENCODED;
    const m = this.masked;
    m.reset();
    const r = this.engine.rewrite(dec.raw(), 0, dec.length, this.st, this.response, m);
    if (r == 0) return NOT_ENCODED;
    if (r < 0) return -1;
    out.appendSlice(text, start, p);
    base64EncodeInto(m.raw(), 0, m.length, out);
    return 1;
  }
}

const NOT_ENCODED: i32 = -3;

/** Whether src[start, end) begins with `data:`. */
function startsWithData(src: Uint8Array, start: i32, end: i32): bool {
  return end - start >= 5 && src[start] == 0x64 && src[start + 1] == 0x61 && src[start + 2] == 0x74 && src[start + 3] == 0x61 && src[start + 4] == 0x3a;
}

/** Whether a span is the key `data` (escapes in a key are rare: then it is taken for one). */
function isDataKeySpan(body: Uint8Array, k: TextSpan): bool {
  if (k.kind != TextKind.KEY) return false;
  if (k.hasEscape) return true;
  return k.end - k.start == 4 && isDataKey(body.subarray(k.start, k.end));
}

function isDataKey(k: Uint8Array): bool { return k[0] == 0x64 && k[1] == 0x61 && k[2] == 0x74 && k[3] == 0x61; }

export const JSON_INVALID: i32 = -2;
export const JSON_BLOCKED: i32 = -1;
export const JSON_UNCHANGED: i32 = 0;
export const JSON_CHANGED: i32 = 1;

/**
 * JSON-aware rewriting of a whole LLM body (a request or a non-streamed answer): only the strings
 * that carry text (common/llm/spans.ts decides which) are scanned, decoded first (`\u0040` is an
 * '@'); changed strings are re-encoded, every other byte is copied as it was.
 */
export class JsonBodies {
  scanner: LlmScanner = new LlmScanner(128, true);
  scratch: SpanScratch = new SpanScratch();
  editor: EngineEditor;
  constructor(engine: Engine) { this.editor = new EngineEditor(engine); }

  /** JSON_INVALID: not JSON (out untouched, caller decides); JSON_BLOCKED; JSON_UNCHANGED (out untouched); JSON_CHANGED. */
  rewrite(st: StreamScope, body: Uint8Array, start: i32, end: i32, response: bool, out: ByteBuilder): i32 {
    const scan = this.scanner.scan(body, start, end);
    if (!scan.ok) return JSON_INVALID;
    const ed = this.editor;
    ed.st = st;
    ed.response = response;
    ed.body = body;
    ed.spans = scan.spans;
    const mark = out.length;
    const r = rewriteSpansWith(body, start, end, scan.spans, ed, out, this.scratch);
    if (r < 0) return JSON_BLOCKED;
    if (r == 0) { out.truncate(mark); return JSON_UNCHANGED; }
    return JSON_CHANGED;
  }
}
