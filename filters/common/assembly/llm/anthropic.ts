// Anthropic Messages (https://docs.anthropic.com/en/api/messages) ⇄ chat.ts.
// Request: top-level `system`, alternating user/assistant turns of content blocks (text, image,
// tool_use, tool_result), tools with input_schema, tool_choice, required max_tokens.
// Response: content blocks, stop_reason, usage (cache_read/cache_creation separate from input).
// Stream: message_start, content_block_start/delta/stop, message_delta, message_stop, ping, error.
import { ByteBuilder } from "../bytes/builder";
import { JsonWriter } from "./writer";
import { FlatJson, JK, isJsonObjectText } from "./flat";
import { sourcePart } from "./openai";
import {
  ChatRequest, ChatResponse, EventKind, Finish, Message, Part, PartKind, ReadError, ResponseFormat, Role,
  StreamEvent, ToolChoice, ToolDef, Usage,
} from "./chat";
import { decimal } from "../bytes/decimal";

/** Anthropic's API version header value the filter sends when it writes a Messages request. */
export const ANTHROPIC_VERSION = "2023-06-01";

function contentPath(msgIndex: i32): string { return "messages[" + decimal(msgIndex) + "].content"; }

function blocks(d: FlatJson, c: i32, msgIndex: i32, msg: Message, req: ChatRequest, strict: bool): ReadError | null {
  const k = d.kind(c);
  if (c < 0 || k == JK.NULL) return null;
  if (k == JK.STRING) { msg.parts.push(Part.source(d.src, d.start(c), d.end(c))); return null; }
  if (k != JK.ARRAY) return new ReadError("`" + contentPath(msgIndex) + "` must be a string or an array of content blocks", contentPath(msgIndex));
  let i = 0;
  for (let b = d.first(c); b >= 0; b = d.next(b), i++) {
    if (d.kind(b) != JK.OBJECT) { const bp = contentPath(msgIndex) + "[" + decimal(i) + "]"; return new ReadError("`" + bp + "` must be an object", bp); }
    const t = d.getStr(b, "type");
    if (t == "text") msg.parts.push(sourcePart(d, d.get(b, "text")));
    else if (t == "image") {
      const src = d.getObj(b, "source");
      const p = new Part();
      p.kind = PartKind.IMAGE;
      if (d.getStr(src, "type") == "url") p.url = d.getStr(src, "url");
      else { p.mediaType = d.getStr(src, "media_type"); p.data = d.getStr(src, "data"); }
      msg.parts.push(p);
    } else if (t == "tool_use") {
      const input = d.get(b, "input");
      msg.parts.push(Part.toolCall(d.getStr(b, "id"), d.getStr(b, "name"), input >= 0 ? d.text(input) : "{}"));
    } else if (t == "tool_result") {
      const p = new Part();
      p.kind = PartKind.TOOL_RESULT;
      p.id = d.getStr(b, "tool_use_id");
      p.isError = d.getBool(b, "is_error");
      const rc = d.get(b, "content");
      if (d.kind(rc) == JK.STRING) p.text = d.str(rc);
      else if (d.kind(rc) == JK.ARRAY) {
        for (let x = d.first(rc); x >= 0; x = d.next(x)) {
          const rt = d.getStr(x, "type");
          if (rt == "text") p.text += d.getStr(x, "text");
          else {
            const bp = contentPath(msgIndex) + "[" + decimal(i) + "]";
            const e = new ReadError("tool_result content of type `" + rt + "` at `" + bp + "` cannot be translated for this provider", bp);
            if (req.note(e, strict) !== null) return e;
          }
        }
      }
      msg.parts.push(p);
    } else if (t == "thinking" || t == "redacted_thinking") {
      // Extended-thinking blocks are Anthropic's own; other providers cannot take them back.
      continue;
    } else {
      const bp = contentPath(msgIndex) + "[" + decimal(i) + "]";
      const e = new ReadError("content block type `" + t + "` at `" + bp + "` cannot be translated for this provider", bp);
      if (req.note(e, strict) !== null) return e;
    }
  }
  return null;
}

export function readAnthropicMessages(d: FlatJson, v: i32, req: ChatRequest, strict: bool): ReadError | null {
  if (d.kind(v) != JK.OBJECT) return new ReadError("the request body must be a JSON object");
  req.model = d.getStr(v, "model");
  const sys = d.get(v, "system");
  if (d.kind(sys) == JK.STRING) req.system.push(d.str(sys));
  else if (d.kind(sys) == JK.ARRAY) {
    let s = "";
    for (let x = d.first(sys); x >= 0; x = d.next(x)) s += d.getStr(x, "text");
    req.system.push(s);
  } else if (sys >= 0 && d.kind(sys) != JK.NULL) return new ReadError("`system` must be a string or an array of text blocks", "system");
  const msgs = d.getArr(v, "messages");
  if (msgs < 0) return new ReadError("`messages` is required and must be an array", "messages");
  let i = 0;
  for (let m = d.first(msgs); m >= 0; m = d.next(m), i++) {
    if (d.kind(m) != JK.OBJECT) { const path = "messages[" + decimal(i) + "]"; return new ReadError("`" + path + "` must be an object", path); }
    const role = d.getStr(m, "role");
    if (role != "user" && role != "assistant") { const path = "messages[" + decimal(i) + "]"; return new ReadError("`" + path + ".role` must be user or assistant", path + ".role"); }
    const msg = new Message(role);
    const e = blocks(d, d.get(m, "content"), i, msg, req, strict);
    if (e !== null) return e;
    req.messages.push(msg);
  }
  const tools = d.getArr(v, "tools");
  i = 0;
  for (let t = d.first(tools); t >= 0; t = d.next(t), i++) {
    const tt = d.getStr(t, "type");
    if (tt.length && tt != "custom") {
      const e = new ReadError("server tool `" + tt + "` at `tools[" + decimal(i) + "]` cannot be translated for this provider", "tools");
      if (req.note(e, strict) !== null) return e;
      continue;
    }
    const def = new ToolDef(d.getStr(t, "name"));
    def.description = d.getStr(t, "description");
    const sc = d.getObj(t, "input_schema");
    if (sc >= 0) def.parameters = d.text(sc);
    req.tools.push(def);
  }
  const tc = d.getObj(v, "tool_choice");
  if (tc >= 0) {
    const t = d.getStr(tc, "type");
    if (t == "auto") req.toolChoice = ToolChoice.AUTO;
    else if (t == "any") req.toolChoice = ToolChoice.REQUIRED;
    else if (t == "none") req.toolChoice = ToolChoice.NONE;
    else if (t == "tool") { req.toolChoice = ToolChoice.TOOL; req.toolChoiceName = d.getStr(tc, "name"); }
    if (d.getBool(tc, "disable_parallel_tool_use")) req.parallelToolCalls = false;
  }
  req.maxTokens = d.getInt(v, "max_tokens");
  req.temperature = d.getNum(v, "temperature");
  req.topP = d.getNum(v, "top_p");
  req.topK = d.getInt(v, "top_k");
  const outFormat = d.getObj(d.getObj(v, "output_config"), "format");
  if (outFormat >= 0 && d.getStr(outFormat, "type") == "json_schema") {
    req.responseFormat = ResponseFormat.JSON_SCHEMA;
    const sc = d.getObj(outFormat, "schema");
    if (sc >= 0) req.schema = d.text(sc);
  }
  const stop = d.getArr(v, "stop_sequences");
  for (let x = d.first(stop); x >= 0; x = d.next(x)) if (d.kind(x) == JK.STRING) req.stop.push(d.str(x));
  req.stream = d.getBool(v, "stream");
  req.user = d.getStr(d.getObj(v, "metadata"), "user_id");
  return null;
}

/** Tool-call arguments as an `input` object: the model's JSON text when it is an object, else {}. */
function writeArgs(w: JsonWriter, args: string): void {
  if (isJsonObjectText(args)) w.raw(args);
  else w.beginObject().endObject();
}

export function writeAnthropicMessages(req: ChatRequest, model: string, defaultMaxTokens: i64, out: ByteBuilder): void {
  const w = new JsonWriter(out);
  w.beginObject().kstr("model", model);
  const maxTokens = req.maxTokens >= 0 ? req.maxTokens : defaultMaxTokens;
  w.kint("max_tokens", maxTokens);
  let system = "";
  for (let i = 0; i < req.system.length; i++) system += (i > 0 ? "\n\n" : "") + req.system[i];
  if (system.length) w.kstr("system", system);
  w.key("messages").beginArray();
  // Anthropic wants strictly alternating turns: consecutive messages of one role become one.
  let open = "";
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i];
    if (m.parts.length == 0) continue;
    if (m.role != open) {
      if (open.length) w.endArray().endObject();
      w.beginObject().kstr("role", m.role).key("content").beginArray();
      open = m.role;
    }
    // tool_result blocks must come first in their user turn.
    for (let pass = 0; pass < 2; pass++) for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j];
      if ((p.kind == PartKind.TOOL_RESULT) != (pass == 0)) continue;
      if (p.kind == PartKind.TEXT) {
        if (p.byteLength == 0) continue; // the API refuses empty text blocks
        w.beginObject().kstr("type", "text").key("text").part(p).endObject();
      } else if (p.kind == PartKind.IMAGE) {
        w.beginObject().kstr("type", "image").key("source").beginObject();
        if (p.data.length) w.kstr("type", "base64").kstr("media_type", p.mediaType).kstr("data", p.data);
        else w.kstr("type", "url").kstr("url", p.url);
        w.endObject().endObject();
      } else if (p.kind == PartKind.TOOL_CALL) {
        w.beginObject().kstr("type", "tool_use").kstr("id", p.id).kstr("name", p.name).key("input");
        writeArgs(w, p.arguments);
        w.endObject();
      } else if (p.kind == PartKind.TOOL_RESULT) {
        w.beginObject().kstr("type", "tool_result").kstr("tool_use_id", p.id).kstr("content", p.text);
        if (p.isError) w.kbool("is_error", true);
        w.endObject();
      }
    }
  }
  if (open.length) w.endArray().endObject();
  w.endArray();
  if (req.tools.length && req.toolChoice != ToolChoice.NONE) {
    w.key("tools").beginArray();
    for (let i = 0; i < req.tools.length; i++) {
      const t = req.tools[i];
      w.beginObject().kstr("name", t.name);
      if (t.description.length) w.kstr("description", t.description);
      w.key("input_schema");
      if (t.parameters.length) w.raw(t.parameters);
      else w.beginObject().kstr("type", "object").endObject();
      w.endObject();
    }
    w.endArray();
    if (req.toolChoice != ToolChoice.DEFAULT || !req.parallelToolCalls) {
      w.key("tool_choice").beginObject();
      if (req.toolChoice == ToolChoice.REQUIRED) w.kstr("type", "any");
      else if (req.toolChoice == ToolChoice.TOOL) w.kstr("type", "tool").kstr("name", req.toolChoiceName);
      else w.kstr("type", "auto");
      if (!req.parallelToolCalls) w.kbool("disable_parallel_tool_use", true);
      w.endObject();
    }
  }
  // No temperature / top_p / top_k: the Messages API of @anthropic-ai/sdk 1.17 has none (the
  // reference this follows); they are dropped, and the README says so.
  if (req.responseFormat != ResponseFormat.TEXT) {
    // Structured output (output_config.format): json_object is "any JSON object".
    w.key("output_config").beginObject().key("format").beginObject().kstr("type", "json_schema").key("schema");
    if (req.responseFormat == ResponseFormat.JSON_SCHEMA && req.schema.length) w.raw(req.schema);
    else w.beginObject().kstr("type", "object").endObject();
    w.endObject().endObject();
  }
  if (req.stop.length) {
    w.key("stop_sequences").beginArray();
    for (let i = 0; i < req.stop.length; i++) w.str(req.stop[i]);
    w.endArray();
  }
  if (req.user.length) w.key("metadata").beginObject().kstr("user_id", req.user).endObject();
  if (req.stream) w.kbool("stream", true);
  w.endObject();
}

export function anthropicStopToFinish(s: string): string {
  if (s == "max_tokens" || s == "model_context_window_exceeded") return Finish.LENGTH;
  if (s == "tool_use") return Finish.TOOL_CALLS;
  if (s == "refusal") return Finish.CONTENT_FILTER;
  return Finish.STOP; // end_turn, stop_sequence, pause_turn
}

export function finishToAnthropicStop(f: string): string {
  if (f == Finish.LENGTH) return "max_tokens";
  if (f == Finish.TOOL_CALLS) return "tool_use";
  if (f == Finish.CONTENT_FILTER) return "refusal";
  return "end_turn";
}

export function readAnthropicUsage(d: FlatJson, u: i32, out: Usage): void {
  readUsageCachedApart(d, u, out, "input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "output_tokens");
}

/** A usage object that counts cache-read and cache-written tokens apart from its input tokens
 *  (Anthropic's, Bedrock Converse's), under the given field names; ours include them in `input`. */
export function readUsageCachedApart(d: FlatJson, u: i32, out: Usage, input: string, cacheRead: string, cacheWrite: string, output: string): void {
  if (d.kind(u) != JK.OBJECT) return;
  const i = d.getInt(u, input);
  const cr = d.getInt(u, cacheRead, 0);
  const cw = d.getInt(u, cacheWrite, 0);
  if (i >= 0) out.input = i + cr + cw;
  if (cr > 0) out.cached = cr;
  if (cw > 0) out.cacheWrite = cw;
  const o = d.getInt(u, output);
  if (o >= 0) out.output = o;
}

export function readAnthropicResponse(d: FlatJson, v: i32, r: ChatResponse): void {
  r.id = d.getStr(v, "id");
  r.model = d.getStr(v, "model");
  readAnthropicUsage(d, d.getObj(v, "usage"), r.usage);
  const content = d.getArr(v, "content");
  for (let b = d.first(content); b >= 0; b = d.next(b)) {
    const t = d.getStr(b, "type");
    if (t == "text") r.parts.push(Part.text(d.getStr(b, "text")));
    else if (t == "tool_use") {
      const input = d.get(b, "input");
      r.parts.push(Part.toolCall(d.getStr(b, "id"), d.getStr(b, "name"), input >= 0 ? d.text(input) : "{}"));
    }
  }
  r.finish = anthropicStopToFinish(d.getStr(v, "stop_reason", "end_turn"));
}

function writeAnthropicUsage(w: JsonWriter, u: Usage): void {
  const cached = u.cached, written = u.cacheWrite;
  let input = u.input < 0 ? 0 : u.input - cached - written;
  if (input < 0) input = 0;
  w.key("usage").beginObject().kint("input_tokens", input).kint("output_tokens", u.output < 0 ? 0 : u.output)
    .kint("cache_read_input_tokens", cached).kint("cache_creation_input_tokens", written).endObject();
}

export function writeAnthropicResponse(r: ChatResponse, model: string, out: ByteBuilder): void {
  const w = new JsonWriter(out);
  w.beginObject().kstr("id", r.id.startsWith("msg_") ? r.id : "msg_" + r.id).kstr("type", "message").kstr("role", "assistant").kstr("model", model);
  w.key("content").beginArray();
  for (let i = 0; i < r.parts.length; i++) {
    const p = r.parts[i];
    if (p.kind == PartKind.TEXT) w.beginObject().kstr("type", "text").key("text").part(p).endObject();
    else if (p.kind == PartKind.TOOL_CALL) {
      // `caller`: who made the call; a translated call is always the model's own (direct).
      w.beginObject().kstr("type", "tool_use").kstr("id", p.id).kstr("name", p.name).key("caller").beginObject().kstr("type", "direct").endObject().key("input");
      writeArgs(w, p.arguments);
      w.endObject();
    }
  }
  w.endArray().kstr("stop_reason", finishToAnthropicStop(r.finish)).key("stop_sequence").null_();
  writeAnthropicUsage(w, r.usage);
  w.endObject();
}

/** Anthropic stream events → neutral events. Tool events carry the tool's ordinal as `index`. */
export class AnthropicStreamReader {
  /** Per content block index: -1 text, -2 other, else the tool ordinal. */
  private blockTool: Array<i32> = new Array<i32>();
  private tools: i32 = 0;
  finished: bool = false;

  read(type: string, d: FlatJson, v: i32, out: Array<StreamEvent>): void {
    if (d.kind(v) != JK.OBJECT) return;
    const t = type.length ? type : d.getStr(v, "type");
    if (t == "message_start") {
      const m = d.getObj(v, "message");
      const e = new StreamEvent(EventKind.START);
      e.id = d.getStr(m, "id");
      e.model = d.getStr(m, "model");
      readAnthropicUsage(d, d.getObj(m, "usage"), e.usage);
      out.push(e);
      if (e.usage.known) { const u = new StreamEvent(EventKind.USAGE); u.usage = e.usage; out.push(u); }
    } else if (t == "content_block_start") {
      const idx = <i32>d.getInt(v, "index", 0);
      const b = d.getObj(v, "content_block");
      const bt = d.getStr(b, "type");
      while (this.blockTool.length <= idx && this.blockTool.length < 4096) this.blockTool.push(-2);
      if (idx >= this.blockTool.length) return;
      if (bt == "tool_use") {
        const e = new StreamEvent(EventKind.TOOL_START);
        e.index = this.tools++;
        e.id = d.getStr(b, "id");
        e.name = d.getStr(b, "name");
        this.blockTool[idx] = e.index;
        out.push(e);
      } else if (bt == "text") {
        this.blockTool[idx] = -1;
        const text = d.getStr(b, "text");
        if (text.length) { const e = new StreamEvent(EventKind.TEXT); e.text = text; out.push(e); }
      }
    } else if (t == "content_block_delta") {
      const idx = <i32>d.getInt(v, "index", 0);
      const dl = d.getObj(v, "delta");
      const dt = d.getStr(dl, "type");
      if (dt == "text_delta") {
        const e = new StreamEvent(EventKind.TEXT); e.text = d.getStr(dl, "text"); out.push(e);
      } else if (dt == "input_json_delta") {
        const tool = idx >= 0 && idx < this.blockTool.length ? this.blockTool[idx] : -2;
        if (tool < 0) return;
        const e = new StreamEvent(EventKind.TOOL_ARGS); e.index = tool; e.text = d.getStr(dl, "partial_json"); out.push(e);
      }
    } else if (t == "content_block_stop") {
      const e = new StreamEvent(EventKind.BLOCK_STOP); e.index = <i32>d.getInt(v, "index", 0); out.push(e);
    } else if (t == "message_delta") {
      const u = d.getObj(v, "usage");
      if (u >= 0) { const e = new StreamEvent(EventKind.USAGE); readAnthropicUsage(d, u, e.usage); out.push(e); }
      const stop = d.getStr(d.getObj(v, "delta"), "stop_reason");
      if (stop.length) { const e = new StreamEvent(EventKind.FINISH); e.finish = anthropicStopToFinish(stop); out.push(e); }
    } else if (t == "message_stop") {
      this.finished = true;
      out.push(new StreamEvent(EventKind.END));
    } else if (t == "error") {
      const err = d.getObj(v, "error");
      const e = new StreamEvent(EventKind.ERROR);
      e.text = d.getStr(err, "message", "provider error");
      e.name = d.getStr(err, "type", "api_error");
      out.push(e);
    }
  }
}

/** Neutral events → Anthropic SSE events, blocks opened and closed as the content changes kind. */
export class AnthropicStreamWriter {
  id: string = "msg_gw";
  usage: Usage = new Usage();
  /** Input tokens message_start shows when the provider has reported none by then (OpenAI and
   *  Bedrock report usage only at the end): the caller's estimate, -1 for none. message_delta
   *  always carries the provider's own figures. */
  estimatedInput: i64 = -1;
  started: bool = false;
  stopped: bool = false;
  private open: i32 = -1; // index of the open block, -1 none
  private openIsText: bool = false;
  private openTool: i32 = -1;
  private next: i32 = 0;
  private finish: string = "";
  private w: JsonWriter = new JsonWriter(new ByteBuilder(0));

  constructor(public model: string) {}

  private ev(type: string, out: ByteBuilder): JsonWriter {
    out.appendString("event: ").appendString(type).appendString("\ndata: ");
    const w = this.w.reset(out);
    w.beginObject().kstr("type", type);
    return w;
  }

  private done(w: JsonWriter, out: ByteBuilder): void { w.endObject(); out.appendString("\n\n"); }

  private start(out: ByteBuilder): void {
    if (this.started) return;
    this.started = true;
    const w = this.ev("message_start", out);
    w.key("message").beginObject().kstr("id", this.id).kstr("type", "message").kstr("role", "assistant")
      .kstr("model", this.model).key("content").beginArray().endArray().key("stop_reason").null_().key("stop_sequence").null_();
    if (this.usage.input < 0 && this.estimatedInput >= 0) {
      const u = new Usage();
      u.input = this.estimatedInput;
      u.output = this.usage.output;
      writeAnthropicUsage(w, u);
    } else writeAnthropicUsage(w, this.usage);
    w.endObject();
    this.done(w, out);
  }

  private close(out: ByteBuilder): void {
    if (this.open < 0) return;
    const w = this.ev("content_block_stop", out);
    w.kint("index", this.open);
    this.done(w, out);
    this.open = -1;
    this.openTool = -1;
  }

  /** The message started and a text block open (a new one if another kind is open). */
  private openText(out: ByteBuilder): void {
    this.start(out);
    if (this.open >= 0 && this.openIsText) return;
    this.close(out);
    this.open = this.next++;
    this.openIsText = true;
    const w = this.ev("content_block_start", out);
    w.kint("index", this.open).key("content_block").beginObject().kstr("type", "text").kstr("text", "").endObject();
    this.done(w, out);
  }

  /** What write() writes for a TEXT event whose text is string node `n` of `d` (d.str(n)), without
   *  decoding it when it has no escapes. */
  textFrom(d: FlatJson, n: i32, out: ByteBuilder): void {
    if (this.stopped) return;
    this.openText(out);
    const w = this.ev("content_block_delta", out);
    w.kint("index", this.open).key("delta").beginObject().kstr("type", "text_delta").key("text").strFrom(d, n).endObject();
    this.done(w, out);
  }

  write(e: StreamEvent, out: ByteBuilder): void {
    if (this.stopped) return;
    switch (e.kind) {
      case EventKind.START: {
        if (e.id.length) this.id = e.id.startsWith("msg_") ? e.id : "msg_" + e.id;
        if (e.usage.known) this.usage.merge(e.usage);
        this.start(out);
        return;
      }
      case EventKind.TEXT: {
        this.openText(out);
        const w = this.ev("content_block_delta", out);
        w.kint("index", this.open).key("delta").beginObject().kstr("type", "text_delta").kstr("text", e.text).endObject();
        this.done(w, out);
        return;
      }
      case EventKind.TOOL_START: {
        this.start(out);
        this.close(out);
        this.open = this.next++;
        this.openIsText = false;
        this.openTool = e.index;
        const w = this.ev("content_block_start", out);
        w.kint("index", this.open).key("content_block").beginObject().kstr("type", "tool_use").kstr("id", e.id)
          .kstr("name", e.name).key("caller").beginObject().kstr("type", "direct").endObject().key("input").beginObject().endObject().endObject();
        this.done(w, out);
        return;
      }
      case EventKind.TOOL_ARGS: {
        if (this.open < 0 || this.openIsText || this.openTool != e.index) return; // a fragment of no open call
        const w = this.ev("content_block_delta", out);
        w.kint("index", this.open).key("delta").beginObject().kstr("type", "input_json_delta").kstr("partial_json", e.text).endObject();
        this.done(w, out);
        return;
      }
      case EventKind.BLOCK_STOP: return; // blocks close when the next one opens or at the finish
      case EventKind.FINISH: { this.start(out); this.close(out); this.finish = e.finish; return; }
      case EventKind.USAGE: { this.usage.merge(e.usage); return; }
      case EventKind.END: {
        this.start(out);
        this.close(out);
        const w = this.ev("message_delta", out);
        w.key("delta").beginObject().kstr("stop_reason", finishToAnthropicStop(this.finish.length ? this.finish : Finish.STOP))
          .key("stop_sequence").null_().endObject();
        writeAnthropicUsage(w, this.usage);
        this.done(w, out);
        this.done(this.ev("message_stop", out), out);
        this.stopped = true;
        return;
      }
      case EventKind.ERROR: {
        const w = this.ev("error", out);
        w.key("error").beginObject().kstr("type", e.name.length ? e.name : "api_error").kstr("message", e.text).endObject();
        this.done(w, out);
        this.stopped = true;
        return;
      }
    }
  }
}

/** Anthropic's error `type` for an HTTP status (https://docs.anthropic.com/en/api/errors). */
export function anthropicErrorType(status: u32): string {
  if (status == 401) return "authentication_error";
  if (status == 403) return "permission_error";
  if (status == 404) return "not_found_error";
  if (status == 413) return "request_too_large";
  if (status == 429) return "rate_limit_error";
  if (status == 529 || status == 503) return "overloaded_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

export function writeAnthropicError(status: u32, message: string, out: ByteBuilder): void {
  const w = new JsonWriter(out);
  w.beginObject().kstr("type", "error").key("error").beginObject().kstr("type", anthropicErrorType(status)).kstr("message", message).endObject().endObject();
}
