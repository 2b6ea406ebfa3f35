// Bodies between the client's dialect and the provider's: the request once, the answer as JSON
// (whole) or as a stream, event by event (only the event being read is buffered, by the SSE
// parser). Usage is read from every answer, translated or not.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { FlatJson, JK } from "../../common/assembly/llm/flat";
import { SseParser, SseEvent } from "../../common/assembly/sse/parser";
import { isDone } from "../../common/assembly/sse/llm";
import { ChatRequest, ChatResponse, EventKind, ReadError, StreamEvent, Usage } from "../../common/assembly/llm/chat";
import {
  OpenAIStreamReader, OpenAIStreamWriter, readOpenAIChat, readOpenAIError, readOpenAIResponse, readOpenAIUsage,
  rewriteOpenAIBody, writeOpenAIChat, writeOpenAIResponse,
} from "../../common/assembly/llm/openai";
import {
  AnthropicStreamReader, AnthropicStreamWriter, readAnthropicMessages, readAnthropicResponse,
  readAnthropicUsage, writeAnthropicMessages, writeAnthropicResponse,
} from "../../common/assembly/llm/anthropic";
import { BedrockStreamReader, readBedrockResponse, writeBedrockConverse } from "../../common/assembly/llm/bedrock";
import { EventStreamDecoder } from "./eventstream";
import { GeminiStreamReader, readGeminiResponse, writeGeminiRequest } from "../../common/assembly/llm/gemini";
import { JsonWriter } from "../../common/assembly/llm/writer";
import { copyValue } from "../../common/assembly/llm/openai";
import { Dialect } from "./model";
import { addWork } from "../../common/sdk";
import { errorBody } from "./reply";

/** Reads a chat request of the client's dialect (root node 0 of `d`) into `req`. */
export function readChat(dialect: i32, d: FlatJson, req: ChatRequest, strict: bool): ReadError | null {
  if (dialect == Dialect.ANTHROPIC) return readAnthropicMessages(d, 0, req, strict);
  return readOpenAIChat(d, 0, req, strict);
}

/** The body as the client sent it (exact member bytes) with `model` replaced (same dialect). */
export function rewriteModel(d: FlatJson, model: string, out: ByteBuilder): void {
  const w = new JsonWriter(out);
  w.beginObject();
  let saw = false;
  for (let c = d.first(0); c >= 0; c = d.next(c)) {
    const k = d.key(c);
    if (k == "model") { if (!saw) w.kstr("model", model); saw = true; continue; }
    w.key(k);
    copyValue(d, c, w);
  }
  if (!saw) w.kstr("model", model);
  w.endObject();
}

/**
 * The provider's request body. Same dialect: the client's body with the model replaced (and for
 * OpenAI streams the usage chunk asked for). Otherwise `req` (read strictly) written anew.
 */
export function writeRequest(client: i32, provider: i32, d: FlatJson, req: ChatRequest, model: string, forceUsage: bool, defaultMaxTokens: i64, out: ByteBuilder): void {
  if (client == provider) {
    if (provider == Dialect.OPENAI) rewriteOpenAIBody(d, 0, model, forceUsage, out);
    else rewriteModel(d, model, out);
    return;
  }
  if (provider == Dialect.OPENAI) writeOpenAIChat(req, model, forceUsage, out);
  else if (provider == Dialect.ANTHROPIC) writeAnthropicMessages(req, model, defaultMaxTokens, out);
  else if (provider == Dialect.GEMINI) writeGeminiRequest(req, out); // the model is in the path
  else if (provider == Dialect.BEDROCK) writeBedrockConverse(req, defaultMaxTokens, out);
}

/** Message of a provider's error body in any dialect (OpenAI, Anthropic, Gemini, Bedrock). */
export function providerErrorMessage(d: FlatJson, body: Uint8Array, status: u32): string {
  if (d.parse(body, 0, body.length, 64, false)) {
    // OpenAI's, Gemini's and Anthropic's error bodies all carry error.message and error.type.
    const e = readOpenAIError(d, 0);
    if (e !== null && e.text.length) return e.text;
    const m = d.getStr(0, "message"); // Bedrock
    if (m.length) return m;
  } else if (body.length > 0 && body.length <= 512 && !hasMarkup(body)) {
    // Envoy's own replies are short text ("upstream connect error ...", "upstream request timeout").
    // A page (HTML/XML from a load balancer or proxy on the way) is not echoed: it names hosts,
    // addresses and software the client has no business seeing.
    const t = String.UTF8.decodeUnsafe(body.dataStart, body.length).trim();
    if (t.length) return "provider unavailable: " + t;
  }
  return "the provider answered with status " + status.toString();
}

const ANSWER_DOC = new FlatJson();
/** Garbage of one stream event besides its bytes (its objects, the client's event), for the
 *  at-rest collector's budget: an upper estimate; with it a stream of 16 KiB chunks of 340 tiny
 *  events peaks at 0.5 MiB of linear memory (test/memory.test.ts). */
const EVENT_WORK: u32 = 1024;

/** Anthropic's event names, so that the usual ones are not decoded into a new string per event. */
const EVENT_NAMES: StaticArray<string> = [
  "content_block_delta", "content_block_start", "content_block_stop", "message_start", "message_delta", "message_stop", "ping", "error",
];

function eventName(t: Uint8Array): string {
  const n = t.length;
  for (let i = 0; i < EVENT_NAMES.length; i++) {
    const k = unchecked(EVENT_NAMES[i]);
    if (k.length != n) continue;
    let same = true;
    const p = t.dataStart, q = changetype<usize>(k);
    for (let j = 0; j < n; j++) if (<u16>load<u8>(p + <usize>j) != load<u16>(q + (<usize>j << 1))) { same = false; break; }
    if (same) return k;
  }
  return String.UTF8.decodeUnsafe(t.dataStart, n);
}

export const JSON_OK = 0;
export const JSON_INVALID = -1;

/** Translates answers of one stream (JSON or SSE) and collects usage. */
export class ResponseTranslator {
  usage: Usage = new Usage();
  responseModel: string = "";
  /** A text or tool-call event was seen (time to first token). */
  firstContent: bool = false;
  /** The provider's stream reached its end event. */
  ended: bool = false;
  errored: bool = false;
  /** UTF-8 bytes of answer text and tool arguments (the usage estimate when none is reported). */
  outputTextBytes: i64 = 0;
  private parser: SseParser | null = null;
  private oaiReader: OpenAIStreamReader | null = null;
  private antReader: AnthropicStreamReader | null = null;
  private gemReader: GeminiStreamReader | null = null;
  private brReader: BedrockStreamReader | null = null;
  private es: EventStreamDecoder | null = null;
  private oaiWriter: OpenAIStreamWriter | null = null;
  private antWriter: AnthropicStreamWriter | null = null;
  private events: Array<StreamEvent> = new Array<StreamEvent>();
  /** Parsed answer or current event: one per VM, shared by its streams (each parse is read in
   *  the callback that made it; callbacks of one VM never interleave). */
  doc: FlatJson = ANSWER_DOC;
  /** Unix seconds for `created`, and an id for answers whose provider gives none (Bedrock). */
  created: i64 = 0;
  /** What the fallback id is made of (the request's time in ms and the stream's id), and the
   *  id, made only when an answer needs it. */
  idTime: i64 = 0;
  idStream: u32 = 0;
  private fid: string = "";
  get fallbackId(): string {
    if (this.fid.length == 0) this.fid = "gw" + (<u64>this.idTime).toString(16) + this.idStream.toString(16);
    return this.fid;
  }
  /** The request's estimated prompt tokens (the routing estimate), shown in an Anthropic client's
   *  message_start when the provider reports usage only at the end; -1 for none. */
  estimatedInput: i64 = -1;
  /** OpenAI Responses API: its streams end with `response.completed` (no `[DONE]`), usage inside. */
  responsesApi: bool = false;

  constructor(public client: i32, public provider: i32, public clientUsage: bool, public forcedUsage: bool, public model: string) {}

  get translating(): bool { return this.client != this.provider; }

  /** A whole JSON answer; writes the client's body into `out` when translating. */
  json(body: Uint8Array, out: ByteBuilder): i32 {
    const d = this.doc;
    if (!d.parse(body, 0, body.length, 64, false) || d.kind(0) != JK.OBJECT) return JSON_INVALID;
    const r = new ChatResponse();
    if (this.provider == Dialect.ANTHROPIC) readAnthropicResponse(d, 0, r);
    else if (this.provider == Dialect.GEMINI) { readGeminiResponse(d, 0, r); if (r.finish.length == 0) r.finish = "stop"; }
    else if (this.provider == Dialect.BEDROCK) readBedrockResponse(d, 0, r);
    else readOpenAIResponse(d, 0, r);
    this.usage.merge(r.usage);
    this.responseModel = r.model;
    for (let i = 0; i < r.parts.length; i++) this.outputTextBytes += String.UTF8.byteLength(r.parts[i].text) + String.UTF8.byteLength(r.parts[i].arguments);
    this.firstContent = true;
    this.ended = true;
    if (!this.translating) return JSON_OK;
    if (r.id.length == 0) r.id = this.fallbackId;
    const model = r.model.length ? r.model : this.model;
    if (this.client == Dialect.ANTHROPIC) writeAnthropicResponse(r, model, out);
    else writeOpenAIResponse(r, model, this.created, out);
    return JSON_OK;
  }

  private setupStream(): void {
    this.parser = new SseParser(1 << 20);
    this.parser!.recordLines = false; // events are read (raw, data, type), never re-framed
    if (this.provider == Dialect.ANTHROPIC) this.antReader = new AnthropicStreamReader();
    else if (this.provider == Dialect.GEMINI) this.gemReader = new GeminiStreamReader();
    else this.oaiReader = new OpenAIStreamReader();
    if (this.translating) this.writers();
  }

  /** One chunk of an SSE answer; the client's bytes for it go to `out`. */
  sse(chunk: Uint8Array, s: i32, e: i32, eos: bool, out: ByteBuilder): void {
    if (this.parser === null) this.setupStream();
    const p = this.parser!;
    if (p.error != 0) { out.appendSlice(chunk, s, e); return; }
    if (p.feed(chunk, s, e) != 0) {
      // One event larger than 1 MiB: nothing sensible to translate; end the stream with an error.
      this.fail("the provider sent a stream event larger than 1 MiB", out);
      return;
    }
    // The parser's own array, emptied after (takeEvents would make a new one per chunk).
    const evs = p.events;
    for (let i = 0; i < evs.length; i++) this.event(evs[i], out);
    // What an event leaves for the collector besides its bytes (common/sdk/rest.ts).
    addWork(<u32>evs.length * EVENT_WORK);
    evs.length = 0;
    if (eos) {
      p.finish();
      const tail = p.takeEvents();
      for (let i = 0; i < tail.length; i++) if (tail[i].dispatch) this.event(tail[i], out);
      // Gemini streams have no end event: a finish reason followed by the body's end is complete.
      if (this.gemReader !== null && this.gemReader!.finishSeen && !this.errored) this.emit(new StreamEvent(EventKind.END), out);
      if (!this.ended && !this.errored) this.fail("the provider's stream ended before it was complete", out);
    }
  }

  private writers(): void {
    if (this.antWriter !== null || this.oaiWriter !== null) return;
    if (this.client == Dialect.ANTHROPIC) {
      const w = new AnthropicStreamWriter(this.model);
      w.id = "msg_" + this.fallbackId;
      w.estimatedInput = this.estimatedInput;
      this.antWriter = w;
    }
    else {
      const w = new OpenAIStreamWriter(this.model, this.clientUsage);
      w.created = this.created;
      w.id = "chatcmpl-" + this.fallbackId;
      this.oaiWriter = w;
    }
  }

  /** One chunk of a Bedrock ConverseStream answer (binary event stream) → the client's SSE. */
  eventStream(chunk: Uint8Array, eos: bool, out: ByteBuilder): void {
    if (this.es === null) { this.es = new EventStreamDecoder(1 << 20); this.brReader = new BedrockStreamReader(); this.writers(); }
    if (this.errored) return;
    const d = this.es!;
    if (d.feed(chunk, 0, chunk.length) != 0) { this.fail("the provider's event stream is corrupt (length or CRC check failed)", out); return; }
    const msgs = d.take();
    addWork(<u32>msgs.length * EVENT_WORK);
    const evs = this.events;
    for (let i = 0; i < msgs.length && !this.errored; i++) {
      const m = msgs[i];
      if (m.header(":message-type") == "exception" || m.header(":message-type") == "error") {
        const pd = this.doc;
        let msg = pd.parse(m.payload, 0, m.payload.length, 64, false) ? pd.getStr(0, "message") : "";
        if (msg.length == 0) msg = m.header(":error-message");
        const t = m.header(":exception-type") + m.header(":error-code");
        this.fail("provider error" + (t.length ? " (" + t + ")" : "") + (msg.length ? ": " + msg : ""), out);
        return;
      }
      if (!this.doc.parse(m.payload, 0, m.payload.length, 64, false)) continue;
      evs.length = 0;
      this.brReader!.read(m.header(":event-type"), this.doc, 0, evs);
      for (let k = 0; k < evs.length; k++) this.emit(evs[k], out);
    }
    if (eos && !this.errored) {
      if (this.brReader!.stopped && d.buffered == 0) this.emit(new StreamEvent(EventKind.END), out);
      else this.fail("the provider's stream ended before it was complete", out);
    }
  }

  private event(ev: SseEvent, out: ByteBuilder): void {
    if (this.errored) { if (!this.translating) out.appendBytes(ev.raw); return; }
    if (!ev.dispatch) { if (!this.translating) out.appendBytes(ev.raw); return; }
    const evs = this.events;
    evs.length = 0;
    let skip = false;
    if (isDone(ev)) {
      if (this.oaiReader !== null) { evs.push(new StreamEvent(EventKind.END)); }
    } else {
      const data = ev.data;
      const d = this.doc;
      if (!d.parse(data, 0, data.length, 64, false)) { if (!this.translating) out.appendBytes(ev.raw); return; }
      if (this.responsesApi) {
        const t = d.getStr(0, "type");
        if (t == "response.completed" || t == "response.incomplete" || t == "response.failed") {
          const u = new StreamEvent(EventKind.USAGE);
          readOpenAIUsage(d, d.getObj(d.getObj(0, "response"), "usage"), u.usage);
          evs.push(u);
          evs.push(new StreamEvent(EventKind.END));
        } else if (t == "response.output_text.delta") { const e = new StreamEvent(EventKind.TEXT); e.text = d.getStr(0, "delta"); evs.push(e); }
        else if (t == "error") { const e = new StreamEvent(EventKind.ERROR); e.text = d.getStr(0, "message"); evs.push(e); }
      } else if (this.gemReader !== null) this.gemReader!.read(d, 0, evs);
      else if (this.antReader !== null) {
        const t = ev.type;
        const name = t === null ? "" : eventName(t);
        if (name == "content_block_delta" && this.oaiWriter !== null && this.anthropicText(d, out)) return;
        this.antReader!.read(name, d, 0, evs);
      } else {
        if (this.oaiReader!.started && this.openaiText(d, out)) { if (!this.translating) out.appendBytes(ev.raw); return; }
        this.oaiReader!.read(d, 0, evs);
        // The usage chunk the filter asked for on the client's behalf is not the client's.
        if (this.forcedUsage && !this.clientUsage && this.oaiReader!.lastWasUsageOnly) skip = true;
      }
    }
    for (let i = 0; i < evs.length; i++) this.observe(evs[i]);
    if (!this.translating) { if (!skip) out.appendBytes(ev.raw); return; }
    for (let i = 0; i < evs.length; i++) {
      if (this.antWriter !== null) this.antWriter!.write(evs[i], out);
      else this.oaiWriter!.write(evs[i], out);
    }
  }

  // The two events most of a stream is made of, handled without a neutral event (no decoded text,
  // no objects): exactly what the reader, observe() and the writer make of them, which the
  // fast paths check first; anything else goes the neutral way. (filters/llm-route/bench/
  // same-output.ts compares the bytes with the neutral path's.)

  /** An Anthropic content_block_delta carrying a text_delta, for an OpenAI client. */
  private anthropicText(d: FlatJson, out: ByteBuilder): bool {
    if (d.kind(0) != JK.OBJECT) return false;
    const dl = d.getObj(0, "delta");
    if (!d.strIs(d.get(dl, "type"), "text_delta")) return false;
    const text = d.get(dl, "text"); // AnthropicStreamReader: TEXT with getStr(delta, "text")
    this.firstContent = true;
    this.outputTextBytes += d.strByteLength(text);
    this.oaiWriter!.textFrom(d, text, out);
    return true;
  }

  /** An OpenAI chunk after the first one with at most delta.content (no error, usage, refusal,
   *  tool calls or finish reason): usage scan only, or a text delta for an Anthropic client. */
  private openaiText(d: FlatJson, out: ByteBuilder): bool {
    if (d.kind(0) != JK.OBJECT || d.getObj(0, "error") >= 0 || d.getObj(0, "usage") >= 0) return false;
    const c = d.first(d.getArr(0, "choices"));
    const delta = d.getObj(c, "delta");
    if (delta < 0) return false;
    if (d.strByteLength(d.get(delta, "refusal")) > 0 || d.first(d.getArr(delta, "tool_calls")) >= 0) return false;
    if (d.strByteLength(d.get(c, "finish_reason")) > 0) return false;
    this.oaiReader!.lastWasUsageOnly = false;
    const content = d.get(delta, "content");
    const bytes = d.strByteLength(content);
    if (bytes == 0) return true; // OpenAIStreamReader: no event for an empty or absent content
    this.firstContent = true;
    this.outputTextBytes += bytes;
    if (this.translating) {
      if (this.antWriter !== null) this.antWriter!.textFrom(d, content, out);
      else this.oaiWriter!.textFrom(d, content, out);
    }
    return true;
  }

  private emit(e: StreamEvent, out: ByteBuilder): void {
    this.observe(e);
    if (!this.translating) return;
    if (this.antWriter !== null) this.antWriter!.write(e, out);
    else if (this.oaiWriter !== null) this.oaiWriter!.write(e, out);
  }

  private observe(e: StreamEvent): void {
    const k = e.kind;
    if (k == EventKind.START) { if (e.model.length) this.responseModel = e.model; if (e.usage.known) this.usage.merge(e.usage); }
    else if (k == EventKind.TEXT || k == EventKind.TOOL_START || k == EventKind.TOOL_ARGS) {
      this.firstContent = true;
      this.outputTextBytes += String.UTF8.byteLength(e.text);
    }
    else if (k == EventKind.USAGE) this.usage.merge(e.usage);
    else if (k == EventKind.END) this.ended = true;
    else if (k == EventKind.ERROR) this.errored = true;
  }

  /** Ends the client's stream with an error event in its dialect. */
  fail(message: string, out: ByteBuilder): void {
    this.errored = true;
    const e = new StreamEvent(EventKind.ERROR);
    e.text = message;
    if (this.client == Dialect.ANTHROPIC) {
      e.name = "api_error";
      if (this.antWriter === null) this.antWriter = new AnthropicStreamWriter(this.model);
      this.antWriter!.write(e, out);
    } else {
      e.name = "server_error";
      if (this.oaiWriter === null) this.oaiWriter = new OpenAIStreamWriter(this.model, false);
      this.oaiWriter!.write(e, out);
    }
  }
}

/** A provider's error answer as the client's dialect expects it. */
export function translateError(d: FlatJson, client: i32, status: u32, body: Uint8Array, out: ByteBuilder, secrets: Array<string> = []): void {
  let m = providerErrorMessage(d, body, status);
  // A provider that echoes the credential it was sent (a proxy, a self-hosted server's "invalid
  // key: ..." message) must not hand the gateway's key to the client.
  for (let i = 0; i < secrets.length; i++) m = m.replaceAll(secrets[i], "[redacted]");
  errorBody(client, status, m, null, null, out);
}

/** Whether a body holds one of `secrets` (the provider's configured credentials) as bytes. */
export function holdsSecret(body: Uint8Array, secrets: Array<string>): bool {
  for (let k = 0; k < secrets.length; k++) {
    const sec = Uint8Array.wrap(String.UTF8.encode(secrets[k]));
    const n = sec.length;
    if (n == 0) continue;
    const first = sec[0];
    for (let i = 0; i + n <= body.length; i++) {
      if (unchecked(body[i]) == first && memory.compare(body.dataStart + <usize>i, sec.dataStart, <usize>n) == 0) return true;
    }
  }
  return false;
}

function hasMarkup(body: Uint8Array): bool {
  for (let i = 0; i < body.length; i++) if (unchecked(body[i]) == 0x3c) return true;
  return false;
}

