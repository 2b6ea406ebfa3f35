// Answer moderation: the route's response rules (deny phrases/patterns with direction response or
// both) over what the model says, on its normalised text.
//   JSON answers: every completion text (common/llm/spans.ts spans) is checked; on a block hit each
//     completion text is replaced by a notice (the answer keeps its shape and its 200 status,
//     which was sent before the body).
//   Streamed answers (SSE): text deltas are joined (a match may straddle two events: the last
//     WINDOW bytes stay in view), data that is not JSON with them (a client joins it too), and
//     after an event over max_body_bytes the rest is checked as text; on a block hit the event holding it is dropped, a final error event
//     is written (OpenAI: `data: {"error":…}` then `data: [DONE]`; Anthropic: `event: error`) and
//     every later byte is dropped. A Wasm filter cannot stop the upstream without resetting the
//     stream, so the provider keeps generating (and billing) until it finishes.
//   Plain text answers: checked as a stream; on a hit the rest is replaced by the notice.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { LlmScanner, TextKind, isAnswerText, isTextKind } from "../../common/assembly/llm/spans";
import { Replacement, rewriteSpans } from "../../common/assembly/json/rewrite";
import { decodeJsonString } from "../../common/assembly/json/string";
import { JsonError, DEFAULT_MAX_DEPTH } from "../../common/assembly/json/tokenizer";
import { appendAnthropicStreamError, appendOpenAIStreamError } from "../../common/assembly/sse/error-event";
import { OpenAIErrorType } from "../../common/assembly/errors/openai";
import { SseParser, SseEvent, SseError } from "../../common/assembly/sse/parser";
import { isDone, scanEventText } from "../../common/assembly/sse/llm";
import { Detector, ROLE_ASSISTANT } from "./detector";
import { GuardConfig, Route, Rule, ACTION_NONE, ACTION_BLOCK } from "./config";
import { Engine } from "./engine";
import { messageText, MSG_ANSWER_STOPPED_BY_RULE_FIRST, MSG_ANSWER_WITHHELD_FIRST } from "./model/patterns";

/** Bytes of normalised answer text kept in view across events (the pattern engine's default
 *  longest match, and the phrase dictionary's longest word). */
export const WINDOW: i32 = 256;

function withheldNotice(): string { return messageText(MSG_ANSWER_WITHHELD_FIRST); }

export class AnswerVerdict {
  action: i32 = ACTION_NONE;
  rule: string = "";
}

/** Checks normalised text against the route's response rules; records the strongest hit. */
export function checkAnswer(cfg: GuardConfig, route: Route, text: ByteBuilder, v: AnswerVerdict): void {
  for (let k = 0; k < cfg.rules.length; k++) {
    const rule: Rule = cfg.rules[k];
    if (!rule.deny || !Engine.applies(rule, route.name, ROLE_ASSISTANT, true)) continue;
    if (rule.action > v.action && Engine.matches(rule, text)) { v.action = rule.action; v.rule = rule.name; }
  }
}

/** Shared scratch for answer checks (callbacks run one at a time). */
export class AnswerScratch {
  detector: Detector = new Detector(false);
  /** Every string of an answer (allStrings): a refusal, a Responses output_text, a Gemini part,
   *  a reasoning text are shown to the user as much as the completion text is. */
  scanner: LlmScanner = new LlmScanner(DEFAULT_MAX_DEPTH, true);
  text: ByteBuilder = new ByteBuilder(1024);
}

/** A whole JSON answer: returns the verdict; on block, the rewritten body is in `out`. */
export function moderateJson(cfg: GuardConfig, route: Route, body: Uint8Array, sc: AnswerScratch, out: ByteBuilder): AnswerVerdict {
  const v = new AnswerVerdict();
  const scan = sc.scanner.scan(body, 0, body.length);
  if (!scan.ok) {
    // An event stream labelled JSON (a server that mislabels its stream): a client's SSE reader
    // joins its deltas whatever the type says, so it is read as one, deltas joined.
    if (looksLikeSse(body)) {
      const a = new AnswerStream(true, cfg.maxBodyBytes);
      out.reset();
      a.push(cfg, route, sc, body, true, out);
      v.action = a.verdict.action;
      v.rule = a.verdict.rule;
      return v;
    }
    // Not JSON: read it as text.
    sc.detector.normalizeOnly(body, 0, body.length);
    checkAnswer(cfg, route, sc.detector.normalized, v);
    if (v.action == ACTION_BLOCK) { out.reset(); out.appendString(withheldNotice()); }
    return v;
  }
  // Every string is checked on its own; a block replaces the completion texts and any other
  // string that holds a hit itself.
  const hits = new Array<bool>(scan.spans.length);
  for (let i = 0; i < scan.spans.length; i++) {
    const sp = scan.spans[i];
    const t = sc.text;
    t.reset();
    if (decodeJsonString(body, sp.start, sp.end, t) != JsonError.NONE) continue;
    sc.detector.normalizeOnly(t.raw(), 0, t.length);
    const one = new AnswerVerdict();
    checkAnswer(cfg, route, sc.detector.normalized, one);
    if (one.action == ACTION_BLOCK) hits[i] = true;
    if (one.action > v.action) { v.action = one.action; v.rule = one.rule; }
  }
  if (v.action == ACTION_BLOCK) {
    const reps = new Array<Replacement>();
    const notice = Uint8Array.wrap(String.UTF8.encode(withheldNotice()));
    for (let i = 0; i < scan.spans.length; i++) {
      const sp = scan.spans[i];
      if (!isAnswerText(sp.kind) && !hits[i]) continue;
      const t = sc.text;
      t.reset();
      if (decodeJsonString(body, sp.start, sp.end, t) != JsonError.NONE) continue;
      reps.push(new Replacement(i, 0, t.length, notice));
    }
    out.reset();
    if (rewriteSpans(body, scan.spans, reps, out) != 0) { out.reset(); out.appendString(withheldNotice()); }
  }
  return v;
}

/** Per-stream state of a streamed (SSE or text) answer. */
export class AnswerStream {
  private parser: SseParser;
  private window: ByteBuilder = new ByteBuilder(1024);
  /** A block fired: everything after is dropped. */
  blocked: bool = false;
  /** The SSE parser gave up (an event over its limit): the rest is checked as plain text. */
  private rawText: bool = false;
  anthropic: bool = false;
  verdict: AnswerVerdict = new AnswerVerdict();

  /** Newline-delimited JSON (Ollama's native streams, JSON Lines): each line is read as JSON. */
  ndjson: bool = false;
  private line: ByteBuilder = new ByteBuilder(256);
  private maxLine: i32;

  constructor(public sse: bool, maxEventBytes: i32) { this.parser = new SseParser(maxEventBytes); this.maxLine = maxEventBytes; }

  /** A chunk of an NDJSON answer: every string of each complete line (escapes decoded) is checked,
   *  joined with the lines before as the deltas of an SSE stream are; a line that is not JSON is
   *  checked as text. On a hit an error line ends the answer. */
  private pushLines(cfg: GuardConfig, route: Route, sc: AnswerScratch, chunk: Uint8Array, last: bool, out: ByteBuilder): void {
    const ln = this.line;
    let from = 0;
    for (let i = 0; i <= chunk.length; i++) {
      const end = i == chunk.length;
      if (!end && chunk[i] != 0x0a) continue;
      ln.appendSlice(chunk, from, i);
      from = i + 1;
      if (end && !last) break;
      if (ln.length > 0 || !end) {
        const raw = ln.raw();
        const scan = sc.scanner.scan(raw, 0, ln.length);
        let hit = false;
        if (!scan.ok) hit = this.check(cfg, route, sc, raw, 0, ln.length);
        for (let k = 0; k < scan.spans.length && !hit; k++) {
          const sp = scan.spans[k];
          if (sp.kind == TextKind.KEY) continue;
          const t = sc.text;
          t.reset();
          if (decodeJsonString(raw, sp.start, sp.end, t) != JsonError.NONE) continue;
          // Streamed text (Ollama's message.content / response / thinking) is joined across
          // lines; any other string (the model name, ...) is checked on its own.
          if (isTextKind(sp.kind) || streamedKey(raw, sp.keyStart, sp.keyEnd)) hit = this.check(cfg, route, sc, t.raw(), 0, t.length);
          else hit = this.checkAlone(cfg, route, sc, t.raw(), t.length);
        }
        if (hit) {
          this.blocked = true;
          out.appendString('{"error":"' + messageText(MSG_ANSWER_STOPPED_BY_RULE_FIRST) + this.verdict.rule + ')."}\n');
          return;
        }
        out.appendSlice(raw, 0, ln.length);
        if (!end) out.appendByte(0x0a);
        ln.reset();
      }
    }
    if (ln.length > this.maxLine) {
      // A line over max_body_bytes: what is held and the rest are checked as text from here.
      this.rawText = true;
      const held = ln.toBytes();
      ln.reset();
      this.pushText(cfg, route, sc, held, out);
    }
  }

  /** Adds normalised text to the window and checks it; true when a block rule fired. */
  private check(cfg: GuardConfig, route: Route, sc: AnswerScratch, src: Uint8Array, s: i32, e: i32): bool {
    sc.detector.normalizeOnly(src, s, e);
    const n = sc.detector.normalized;
    const w = this.window;
    w.appendSlice(n.raw(), 0, n.length);
    checkAnswer(cfg, route, w, this.verdict);
    // Keep the last WINDOW bytes, from a character start.
    if (w.length > WINDOW) {
      let from = w.length - WINDOW;
      const raw = w.raw();
      while (from < w.length && (raw[from] & 0xc0) == 0x80) from++;
      const keep = w.slice(from, w.length);
      w.reset();
      w.appendBytes(keep);
    }
    return this.verdict.action == ACTION_BLOCK;
  }

  /** Checks one string on its own (not joined to the streamed text); true when a block rule fired. */
  private checkAlone(cfg: GuardConfig, route: Route, sc: AnswerScratch, src: Uint8Array, n: i32): bool {
    sc.detector.normalizeOnly(src, 0, n);
    checkAnswer(cfg, route, sc.detector.normalized, this.verdict);
    return this.verdict.action == ACTION_BLOCK;
  }

  /** A chunk of an SSE answer read as text (after an oversized event): checked, then written or stopped. */
  private pushText(cfg: GuardConfig, route: Route, sc: AnswerScratch, chunk: Uint8Array, out: ByteBuilder): void {
    if (this.check(cfg, route, sc, chunk, 0, chunk.length)) {
      this.blocked = true;
      // The client may be mid-event: end it before the error event.
      out.appendString("\n\n");
      this.writeStop(out);
      return;
    }
    out.appendBytes(chunk);
  }

  /** Appends the final error event(s) to `out`. */
  private writeStop(out: ByteBuilder): void {
    const msg = messageText(MSG_ANSWER_STOPPED_BY_RULE_FIRST) + this.verdict.rule + ").";
    if (this.anthropic) appendAnthropicStreamError(out, msg, OpenAIErrorType.INVALID_REQUEST);
    else appendOpenAIStreamError(out, msg, OpenAIErrorType.INVALID_REQUEST, "answer_blocked");
  }

  /** Handles one chunk: writes what the client gets to `out`. */
  push(cfg: GuardConfig, route: Route, sc: AnswerScratch, chunk: Uint8Array, last: bool, out: ByteBuilder): void {
    if (this.blocked) return;
    if (this.rawText) { this.pushText(cfg, route, sc, chunk, out); return; }
    if (this.ndjson) { this.pushLines(cfg, route, sc, chunk, last, out); return; }
    if (!this.sse) {
      if (this.check(cfg, route, sc, chunk, 0, chunk.length)) { this.blocked = true; out.appendString(withheldNotice()); return; }
      out.appendBytes(chunk);
      return;
    }
    const p = this.parser;
    if (p.feed(chunk, 0, chunk.length) == SseError.EVENT_TOO_LARGE) {
      this.emitEvents(cfg, route, sc, out);
      if (this.blocked) return;
      // Not an LLM stream any more (an event over max_body_bytes): the rest is still what the
      // client reads, so it is checked as text (letting it pass unchecked was a way around).
      this.rawText = true;
      this.pushText(cfg, route, sc, p.takeBuffered(), out);
      return;
    }
    if (last) p.finish();
    this.emitEvents(cfg, route, sc, out);
  }

  private emitEvents(cfg: GuardConfig, route: Route, sc: AnswerScratch, out: ByteBuilder): void {
    const evs = this.parser.takeEvents();
    for (let i = 0; i < evs.length; i++) {
      const ev: SseEvent = evs[i];
      if (ev.type !== null) this.anthropic = true;
      if (!isDone(ev)) {
        const scan = scanEventText(ev, sc.scanner);
        let hit = false;
        // Data that is not (valid) JSON is text a client shows and joins to its neighbours
        // (`data: the blue`, `data: bird`): checked whole, in the same window as the deltas.
        if (ev.dispatch && !(scan.ok && scan.jsonData)) hit = this.check(cfg, route, sc, ev.data, 0, ev.data.length);
        for (let k = 0; k < scan.spans.length && !hit; k++) {
          const sp = scan.spans[k];
          const t = sc.text;
          t.reset();
          if (decodeJsonString(ev.data, sp.start, sp.end, t) != JsonError.NONE) continue;
          // Streamed text is joined across events; any other string (a refusal, a done event's
          // whole text, a Gemini part) is checked on its own.
          if (isTextKind(sp.kind)) hit = this.check(cfg, route, sc, t.raw(), 0, t.length);
          else hit = this.checkAlone(cfg, route, sc, t.raw(), t.length);
        }
        if (hit) {
          this.blocked = true;
          this.writeStop(out);
          return;
        }
      }
      out.appendBytes(ev.raw);
    }
  }
}

/** Whether a body starts (after blank lines and spaces) with an SSE field: `data:`, `event:`,
 *  `id:`, `retry:` or a `:` comment. */
function looksLikeSse(b: Uint8Array): bool {
  let i = 0;
  const n = b.length;
  while (i < n && (b[i] == 0x20 || b[i] == 0x0a || b[i] == 0x0d || b[i] == 0x09)) i++;
  if (i >= n) return false;
  if (b[i] == 0x3a) return true;
  const fields: StaticArray<string> = ["data:", "event:", "id:", "retry:"];
  for (let f = 0; f < fields.length; f++) {
    const name = fields[f];
    if (i + name.length > n) continue;
    let same = true;
    for (let k = 0; k < name.length && same; k++) if (<u32>b[i + k] != <u32>name.charCodeAt(k)) same = false;
    if (same) return true;
  }
  return false;
}

const STREAMED_KEYS: StaticArray<string> = ["content", "response", "text", "thinking"];

/** Whether a key is one NDJSON streams carry text deltas under. */
function streamedKey(b: Uint8Array, s: i32, e: i32): bool {
  if (s < 0) return false;
  for (let k = 0; k < STREAMED_KEYS.length; k++) {
    const name = STREAMED_KEYS[k];
    if (e - s != name.length) continue;
    let same = true;
    for (let i = 0; i < name.length && same; i++) if (<u32>b[s + i] != <u32>name.charCodeAt(i)) same = false;
    if (same) return true;
  }
  return false;
}
