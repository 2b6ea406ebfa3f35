// OpenAI Chat Completions (https://platform.openai.com/docs/api-reference/chat) ⇄ chat.ts.
// Request: messages (system/developer/user/assistant/tool/function), tools, tool_choice,
// response_format, sampling. Response: choices[0]; usage with prompt_tokens_details.cached_tokens.
// Stream: chat.completion.chunk events, `data: [DONE]` at the end.
import { ByteBuilder } from "../bytes/builder";
import { JsonWriter } from "./writer";
import { FlatJson, JK } from "./flat";
import {
  ChatRequest, ChatResponse, EventKind, Finish, Message, Part, PartKind, ReadError, ResponseFormat, Role,
  StreamEvent, ToolChoice, ToolDef, Usage,
} from "./chat";
import { decimal } from "../bytes/decimal";

/** Where message `i`'s content is, for error messages only (built when an error is reported). */
function contentPath(msgIndex: i32): string { return msgIndex < 0 ? "content" : "messages[" + decimal(msgIndex) + "].content"; }

function contentText(d: FlatJson, c: i32, msgIndex: i32, out: Array<Part>, req: ChatRequest | null = null): ReadError | null {
  const k = d.kind(c);
  if (c < 0 || k == JK.NULL) return null;
  if (k == JK.STRING) { if (d.end(c) > d.start(c)) out.push(req !== null ? req.sourcePart(d.src, d.start(c), d.end(c)) : Part.source(d.src, d.start(c), d.end(c))); return null; }
  if (k != JK.ARRAY) { const path = contentPath(msgIndex); return new ReadError("`" + path + "` must be a string or an array of content parts", path); }
  let i = 0;
  for (let p = d.first(c); p >= 0; p = d.next(p), i++) {
    if (d.kind(p) != JK.OBJECT) { const pp = contentPath(msgIndex) + "[" + decimal(i) + "]"; return new ReadError("`" + pp + "` must be an object", pp); }
    const t = d.getStr(p, "type");
    if (t == "text" || t == "input_text" || t == "output_text") out.push(sourcePart(d, d.get(p, "text")));
    else if (t == "image_url") {
      const iu = d.get(p, "image_url");
      const part = new Part();
      part.kind = PartKind.IMAGE;
      if (d.kind(iu) == JK.STRING) part.url = d.str(iu);
      else part.url = d.getStr(iu, "url");
      if (part.url.length == 0) { const pp = contentPath(msgIndex) + "[" + decimal(i) + "]"; return new ReadError("`" + pp + ".image_url.url` is required", pp); }
      splitDataUrl(part);
      out.push(part);
    } else if (t == "refusal") out.push(sourcePart(d, d.get(p, "refusal")));
    else { const pp = contentPath(msgIndex) + "[" + decimal(i) + "]"; return new ReadError("content part type `" + t + "` at `" + pp + "` cannot be translated for this provider", pp); }
  }
  return null;
}

/** A TEXT part over a string node's source bytes ("" for anything else). */
export function sourcePart(d: FlatJson, n: i32): Part {
  return d.kind(n) == JK.STRING ? Part.source(d.src, d.start(n), d.end(n)) : Part.text("");
}

/** data:<media type>;base64,<data> → mediaType + data (the form other dialects want). */
export function splitDataUrl(p: Part): void {
  const u = p.url;
  if (!u.startsWith("data:")) return;
  const semi = u.indexOf(";base64,");
  if (semi < 0) return;
  p.mediaType = u.substring(5, semi);
  p.data = u.substring(semi + 8);
}

function msgPath(i: i32): string { return "messages[" + decimal(i) + "]"; }

/** Reads an OpenAI chat request (root node `v` of `d`). Parts no other dialect can carry give a
 *  ReadError only when `strict` (a request going to another dialect); an OpenAI upstream gets the
 *  body as sent. */
export function readOpenAIChat(d: FlatJson, v: i32, req: ChatRequest, strict: bool): ReadError | null {
  if (d.kind(v) != JK.OBJECT) return new ReadError("the request body must be a JSON object");
  req.model = d.getStr(v, "model");
  const msgs = d.getArr(v, "messages");
  if (msgs < 0) return new ReadError("`messages` is required and must be an array", "messages");
  let i = 0;
  for (let m = d.first(msgs); m >= 0; m = d.next(m), i++) {
    if (d.kind(m) != JK.OBJECT) return new ReadError("`" + msgPath(i) + "` must be an object", msgPath(i));
    const role = d.getStr(m, "role");
    if (role == "system" || role == "developer") {
      const parts = new Array<Part>();
      const e = contentText(d, d.get(m, "content"), i, parts, req);
      if (e !== null && req.note(e, strict) !== null) return e;
      let s = "";
      for (let j = 0; j < parts.length; j++) s += parts[j].str();
      req.system.push(s);
    } else if (role == "user") {
      const msg = req.message(Role.USER);
      const e = contentText(d, d.get(m, "content"), i, msg.parts, req);
      if (e !== null && req.note(e, strict) !== null) return e;
      req.messages.push(msg);
    } else if (role == "assistant") {
      const msg = req.message(Role.ASSISTANT);
      const e = contentText(d, d.get(m, "content"), i, msg.parts, req);
      if (e !== null && req.note(e, strict) !== null) return e;
      const calls = d.getArr(m, "tool_calls");
      for (let c = d.first(calls); c >= 0; c = d.next(c)) {
        const f = d.getObj(c, "function");
        msg.parts.push(Part.toolCall(d.getStr(c, "id"), d.getStr(f, "name"), d.getStr(f, "arguments", "{}")));
      }
      const fc = d.getObj(m, "function_call");
      if (fc >= 0) msg.parts.push(Part.toolCall(d.getStr(fc, "name"), d.getStr(fc, "name"), d.getStr(fc, "arguments", "{}")));
      req.messages.push(msg);
    } else if (role == "tool" || role == "function") {
      const parts = new Array<Part>();
      const e = contentText(d, d.get(m, "content"), i, parts, req);
      if (e !== null && req.note(e, strict) !== null) return e;
      const r = new Part();
      r.kind = PartKind.TOOL_RESULT;
      r.id = role == "tool" ? d.getStr(m, "tool_call_id") : d.getStr(m, "name");
      r.name = d.getStr(m, "name");
      for (let j = 0; j < parts.length; j++) r.text += parts[j].str();
      // Consecutive tool answers belong to one user turn (Anthropic's and Gemini's shape).
      const n = req.messages.length;
      if (n > 0 && req.messages[n - 1].role == Role.USER && req.messages[n - 1].has(PartKind.TOOL_RESULT) && !req.messages[n - 1].has(PartKind.TEXT)) {
        req.messages[n - 1].parts.push(r);
      } else {
        const msg = req.message(Role.USER);
        msg.parts.push(r);
        req.messages.push(msg);
      }
    } else {
      return new ReadError("`" + msgPath(i) + ".role` must be one of system, developer, user, assistant, tool", msgPath(i) + ".role");
    }
  }
  const tools = d.getArr(v, "tools");
  i = 0;
  for (let t = d.first(tools); t >= 0; t = d.next(t), i++) {
    const f = d.getObj(t, "function");
    if (f < 0) { const e = new ReadError("`tools[" + decimal(i) + "]` must be a function tool", "tools"); if (req.note(e, strict) !== null) return e; continue; }
    const def = new ToolDef(d.getStr(f, "name"));
    def.description = d.getStr(f, "description");
    const params = d.getObj(f, "parameters");
    if (params >= 0) def.parameters = d.text(params);
    req.tools.push(def);
  }
  const fns = d.getArr(v, "functions");
  for (let f = d.first(fns); f >= 0; f = d.next(f)) {
    const def = new ToolDef(d.getStr(f, "name"));
    def.description = d.getStr(f, "description");
    const params = d.getObj(f, "parameters");
    if (params >= 0) def.parameters = d.text(params);
    req.tools.push(def);
  }
  const tc = d.get(v, "tool_choice");
  if (d.kind(tc) == JK.STRING) {
    const c = d.str(tc);
    if (c == "auto") req.toolChoice = ToolChoice.AUTO;
    else if (c == "none") req.toolChoice = ToolChoice.NONE;
    else if (c == "required") req.toolChoice = ToolChoice.REQUIRED;
  } else if (d.kind(tc) == JK.OBJECT) {
    req.toolChoice = ToolChoice.TOOL;
    req.toolChoiceName = d.getStr(d.getObj(tc, "function"), "name");
  }
  req.parallelToolCalls = d.getBool(v, "parallel_tool_calls", true);
  let mt = d.getInt(v, "max_completion_tokens");
  if (mt < 0) mt = d.getInt(v, "max_tokens");
  req.maxTokens = mt;
  req.temperature = d.getNum(v, "temperature");
  req.topP = d.getNum(v, "top_p");
  const stop = d.get(v, "stop");
  if (d.kind(stop) == JK.STRING) req.stop.push(d.str(stop));
  else for (let x = d.first(d.kind(stop) == JK.ARRAY ? stop : -1); x >= 0; x = d.next(x)) if (d.kind(x) == JK.STRING) req.stop.push(d.str(x));
  req.stream = d.getBool(v, "stream");
  req.includeUsage = d.getBool(d.getObj(v, "stream_options"), "include_usage");
  const rf = d.getObj(v, "response_format");
  if (rf >= 0) {
    const t = d.getStr(rf, "type");
    if (t == "json_object") req.responseFormat = ResponseFormat.JSON_OBJECT;
    else if (t == "json_schema") {
      req.responseFormat = ResponseFormat.JSON_SCHEMA;
      const js = d.getObj(rf, "json_schema");
      req.schemaName = d.getStr(js, "name");
      const sc = d.getObj(js, "schema");
      if (sc >= 0) req.schema = d.text(sc);
    }
  }
  req.user = d.getStr(v, "user");
  const n = d.getInt(v, "n", 1);
  req.n = n;
  if (n > 1) { const e = new ReadError("`n` greater than 1 cannot be translated for this provider", "n"); if (req.note(e, strict) !== null) return e; }
  return null;
}

function hasText(m: Message): bool {
  for (let i = 0; i < m.parts.length; i++) if (m.parts[i].kind == PartKind.TEXT && m.parts[i].byteLength > 0) return true;
  return false;
}

/** Writes an OpenAI chat request for `model`. With `forceUsage`, asks for the usage chunk. */
export function writeOpenAIChat(req: ChatRequest, model: string, forceUsage: bool, out: ByteBuilder): void {
  const w = new JsonWriter(out);
  w.beginObject().kstr("model", model);
  w.key("messages").beginArray();
  for (let i = 0; i < req.system.length; i++) w.beginObject().kstr("role", "system").kstr("content", req.system[i]).endObject();
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i];
    if (m.role == Role.ASSISTANT) {
      w.beginObject().kstr("role", "assistant");
      if (hasText(m) || !m.has(PartKind.TOOL_CALL)) w.key("content").joinedText(m.parts);
      else w.key("content").null_();
      if (m.has(PartKind.TOOL_CALL)) {
        w.key("tool_calls").beginArray();
        for (let j = 0; j < m.parts.length; j++) {
          const p = m.parts[j];
          if (p.kind != PartKind.TOOL_CALL) continue;
          w.beginObject().kstr("id", p.id).kstr("type", "function").key("function").beginObject()
            .kstr("name", p.name).kstr("arguments", p.arguments).endObject().endObject();
        }
        w.endArray();
      }
      w.endObject();
      continue;
    }
    // A user turn: tool answers first (each its own `tool` message), then the rest.
    for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j];
      if (p.kind != PartKind.TOOL_RESULT) continue;
      w.beginObject().kstr("role", "tool").kstr("tool_call_id", p.id).kstr("content", p.isError && !p.text.startsWith("Error") ? "Error: " + p.text : p.text).endObject();
    }
    let rest = 0, images = 0;
    for (let j = 0; j < m.parts.length; j++) {
      const k = m.parts[j].kind;
      if (k == PartKind.TEXT || k == PartKind.IMAGE) rest++;
      if (k == PartKind.IMAGE) images++;
    }
    if (rest == 0) continue;
    w.beginObject().kstr("role", "user");
    if (images == 0) w.key("content").joinedText(m.parts);
    else {
      w.key("content").beginArray();
      for (let j = 0; j < m.parts.length; j++) {
        const p = m.parts[j];
        if (p.kind == PartKind.TEXT) w.beginObject().kstr("type", "text").key("text").part(p).endObject();
        else if (p.kind == PartKind.IMAGE) {
          const url = p.url.length ? p.url : "data:" + p.mediaType + ";base64," + p.data;
          w.beginObject().kstr("type", "image_url").key("image_url").beginObject().kstr("url", url).endObject().endObject();
        }
      }
      w.endArray();
    }
    w.endObject();
  }
  w.endArray();
  if (req.tools.length) {
    w.key("tools").beginArray();
    for (let i = 0; i < req.tools.length; i++) {
      const t = req.tools[i];
      w.beginObject().kstr("type", "function").key("function").beginObject().kstr("name", t.name);
      if (t.description.length) w.kstr("description", t.description);
      if (t.parameters.length) w.key("parameters").raw(t.parameters);
      w.endObject().endObject();
    }
    w.endArray();
    if (!req.parallelToolCalls) w.kbool("parallel_tool_calls", false);
  }
  if (req.toolChoice == ToolChoice.AUTO) w.kstr("tool_choice", "auto");
  else if (req.toolChoice == ToolChoice.NONE) w.kstr("tool_choice", "none");
  else if (req.toolChoice == ToolChoice.REQUIRED) w.kstr("tool_choice", "required");
  else if (req.toolChoice == ToolChoice.TOOL) {
    w.key("tool_choice").beginObject().kstr("type", "function").key("function").beginObject().kstr("name", req.toolChoiceName).endObject().endObject();
  }
  if (req.maxTokens >= 0) w.kint("max_tokens", req.maxTokens);
  if (!isNaN(req.temperature)) w.key("temperature").num(req.temperature);
  if (!isNaN(req.topP)) w.key("top_p").num(req.topP);
  if (req.stop.length) {
    w.key("stop").beginArray();
    for (let i = 0; i < req.stop.length; i++) w.str(req.stop[i]);
    w.endArray();
  }
  if (req.responseFormat == ResponseFormat.JSON_OBJECT) w.key("response_format").beginObject().kstr("type", "json_object").endObject();
  else if (req.responseFormat == ResponseFormat.JSON_SCHEMA) {
    w.key("response_format").beginObject().kstr("type", "json_schema").key("json_schema").beginObject()
      .kstr("name", req.schemaName.length ? req.schemaName : "response");
    if (req.schema.length) w.key("schema").raw(req.schema);
    w.endObject().endObject();
  }
  if (req.user.length) w.kstr("user", req.user);
  if (req.stream) {
    w.kbool("stream", true);
    if (req.includeUsage || forceUsage) w.key("stream_options").beginObject().kbool("include_usage", true).endObject();
  }
  w.endObject();
}

/**
 * The client's OpenAI body for an OpenAI-speaking upstream: every member as sent (its exact
 * bytes), `model` replaced, and with `forceUsage` stream_options.include_usage set (the filter then
 * strips the extra usage chunk the client did not ask for).
 */
export function rewriteOpenAIBody(d: FlatJson, v: i32, model: string, forceUsage: bool, out: ByteBuilder): void {
  const w = new JsonWriter(out);
  w.beginObject();
  let sawModel = false;
  for (let c = d.first(v); c >= 0; c = d.next(c)) {
    const k = d.key(c);
    if (k == "model") { if (!sawModel) w.kstr("model", model); sawModel = true; continue; }
    if (k == "stream_options" && forceUsage) continue;
    w.key(k);
    copyValue(d, c, w);
  }
  if (!sawModel) w.kstr("model", model);
  if (forceUsage) {
    w.key("stream_options").beginObject();
    const so = d.getObj(v, "stream_options");
    for (let c = d.first(so); c >= 0; c = d.next(c)) {
      const k = d.key(c);
      if (k != "include_usage") { w.key(k); copyValue(d, c, w); }
    }
    w.kbool("include_usage", true).endObject();
  }
  w.endObject();
}

/** Writes a value as its exact source text. */
export function copyValue(d: FlatJson, n: i32, w: JsonWriter): void {
  let s = d.start(n), e = d.end(n);
  if (d.kind(n) == JK.STRING) { s--; e++; }
  w.rawBytes(d.src, s, e);
}

export function readOpenAIUsage(d: FlatJson, u: i32, out: Usage): void {
  if (d.kind(u) != JK.OBJECT) return;
  // Chat: prompt/completion tokens; Responses and embeddings-style: input/output tokens.
  let i = d.getInt(u, "prompt_tokens");
  if (i < 0) i = d.getInt(u, "input_tokens");
  let o = d.getInt(u, "completion_tokens");
  if (o < 0) o = d.getInt(u, "output_tokens");
  if (i >= 0) out.input = i;
  if (o >= 0) out.output = o;
  else if (i >= 0 && out.output < 0) out.output = 0;
  let det = d.getObj(u, "prompt_tokens_details");
  if (det < 0) det = d.getObj(u, "input_tokens_details");
  const c = d.getInt(det, "cached_tokens", 0);
  if (c > 0) out.cached = c;
}

export function readOpenAIResponse(d: FlatJson, v: i32, r: ChatResponse): void {
  r.id = d.getStr(v, "id");
  r.model = d.getStr(v, "model");
  r.created = d.getInt(v, "created", 0);
  readOpenAIUsage(d, d.getObj(v, "usage"), r.usage);
  const c = d.first(d.getArr(v, "choices"));
  const m = d.getObj(c, "message");
  if (m >= 0) {
    const content = d.get(m, "content");
    if (d.kind(content) == JK.STRING) { const t = d.str(content); if (t.length) r.parts.push(Part.text(t)); }
    else if (d.kind(content) == JK.ARRAY) contentText(d, content, -1, r.parts);
    const refusal = d.getStr(m, "refusal");
    if (refusal.length) r.parts.push(Part.text(refusal));
    const calls = d.getArr(m, "tool_calls");
    for (let tc = d.first(calls); tc >= 0; tc = d.next(tc)) {
      const f = d.getObj(tc, "function");
      r.parts.push(Part.toolCall(d.getStr(tc, "id"), d.getStr(f, "name"), d.getStr(f, "arguments", "{}")));
    }
  }
  const fr = d.getStr(c, "finish_reason", Finish.STOP);
  r.finish = fr == "function_call" ? Finish.TOOL_CALLS : fr;
}

function writeUsage(w: JsonWriter, u: Usage): void {
  const i = u.input < 0 ? 0 : u.input, o = u.output < 0 ? 0 : u.output;
  w.key("usage").beginObject().kint("prompt_tokens", i).kint("completion_tokens", o).kint("total_tokens", i + o);
  w.key("prompt_tokens_details").beginObject().kint("cached_tokens", u.cached).endObject();
  w.endObject();
}

export function writeOpenAIResponse(r: ChatResponse, model: string, created: i64, out: ByteBuilder): void {
  const w = new JsonWriter(out);
  w.beginObject().kstr("id", r.id.startsWith("chatcmpl") ? r.id : "chatcmpl-" + r.id).kstr("object", "chat.completion")
    .kint("created", r.created > 0 ? r.created : created).kstr("model", model);
  w.key("choices").beginArray().beginObject().kint("index", 0).key("message").beginObject().kstr("role", "assistant");
  let text = "", calls = 0;
  for (let i = 0; i < r.parts.length; i++) {
    if (r.parts[i].kind == PartKind.TEXT) text += r.parts[i].text;
    else if (r.parts[i].kind == PartKind.TOOL_CALL) calls++;
  }
  if (text.length || calls == 0) w.kstr("content", text);
  else w.key("content").null_();
  w.key("refusal").null_();
  if (calls > 0) {
    w.key("tool_calls").beginArray();
    for (let i = 0; i < r.parts.length; i++) {
      const p = r.parts[i];
      if (p.kind != PartKind.TOOL_CALL) continue;
      w.beginObject().kstr("id", p.id).kstr("type", "function").key("function").beginObject()
        .kstr("name", p.name).kstr("arguments", p.arguments).endObject().endObject();
    }
    w.endArray();
  }
  w.endObject().key("logprobs").null_().kstr("finish_reason", r.finish).endObject().endArray();
  writeUsage(w, r.usage);
  w.endObject();
}

/** OpenAI chunk → neutral events (appended to `out`). Tool events carry the call's `index`. */
export class OpenAIStreamReader {
  started: bool = false;
  /** Whether the chunk was only the usage chunk (`choices: []` with `usage`). */
  lastWasUsageOnly: bool = false;

  read(d: FlatJson, v: i32, out: Array<StreamEvent>): void {
    this.lastWasUsageOnly = false;
    if (d.kind(v) != JK.OBJECT) return;
    const err = d.getObj(v, "error");
    if (err >= 0) {
      const e = new StreamEvent(EventKind.ERROR);
      e.text = d.getStr(err, "message", "provider error");
      e.name = d.getStr(err, "type", "server_error");
      out.push(e);
      return;
    }
    if (!this.started) {
      this.started = true;
      const s = new StreamEvent(EventKind.START);
      s.id = d.getStr(v, "id");
      s.model = d.getStr(v, "model");
      out.push(s);
    }
    const choices = d.getArr(v, "choices");
    const u = d.getObj(v, "usage");
    if (u >= 0) {
      const e = new StreamEvent(EventKind.USAGE);
      readOpenAIUsage(d, u, e.usage);
      out.push(e);
      this.lastWasUsageOnly = d.length(choices) == 0;
    }
    const c = d.first(choices);
    if (c < 0) return;
    const delta = d.getObj(c, "delta");
    if (delta >= 0) {
      const content = d.getStr(delta, "content");
      if (content.length) { const e = new StreamEvent(EventKind.TEXT); e.text = content; out.push(e); }
      const refusal = d.getStr(delta, "refusal");
      if (refusal.length) { const e = new StreamEvent(EventKind.TEXT); e.text = refusal; out.push(e); }
      const calls = d.getArr(delta, "tool_calls");
      let i = 0;
      for (let tc = d.first(calls); tc >= 0; tc = d.next(tc), i++) {
        const idx = <i32>d.getInt(tc, "index", i);
        const f = d.getObj(tc, "function");
        const id = d.getStr(tc, "id");
        if (id.length) {
          const e = new StreamEvent(EventKind.TOOL_START);
          e.index = idx; e.id = id; e.name = d.getStr(f, "name");
          out.push(e);
        }
        const args = d.getStr(f, "arguments");
        if (args.length) { const e = new StreamEvent(EventKind.TOOL_ARGS); e.index = idx; e.text = args; out.push(e); }
      }
    }
    const fr = d.getStr(c, "finish_reason");
    if (fr.length) { const e = new StreamEvent(EventKind.FINISH); e.finish = fr == "function_call" ? Finish.TOOL_CALLS : fr; out.push(e); }
  }
}

/** Neutral events → OpenAI chunks (SSE `data:` events; `[DONE]` after END). */
/** The end of a chunk without a finish reason: delta, logprobs, finish_reason, choice, choices, object. */
const CHUNK_TAIL: StaticArray<u8> = [
  0x7d, 0x2c, 0x22, 0x6c, 0x6f, 0x67, 0x70, 0x72, 0x6f, 0x62, 0x73, 0x22, 0x3a, 0x6e, 0x75, 0x6c, 0x6c, // },"logprobs":null
  0x2c, 0x22, 0x66, 0x69, 0x6e, 0x69, 0x73, 0x68, 0x5f, 0x72, 0x65, 0x61, 0x73, 0x6f, 0x6e, 0x22, 0x3a, // ,"finish_reason":
  0x6e, 0x75, 0x6c, 0x6c, 0x7d, 0x5d, 0x7d, 0x0a, 0x0a, // null}]}\n\n
];

export class OpenAIStreamWriter {
  id: string = "chatcmpl-gw";
  created: i64 = 0;
  usage: Usage = new Usage();
  finished: bool = false;
  private w: JsonWriter = new JsonWriter(new ByteBuilder(0));
  /** Every chunk's bytes up to the inside of `delta` (id, created and model are fixed for a
   *  stream): written once, copied per chunk. Rebuilt if one of the three changes. */
  private head: ByteBuilder = new ByteBuilder(160);
  private headId: string = "";
  private headModel: string = "";
  private headCreated: i64 = -1;

  constructor(public model: string, public includeUsage: bool) {}

  private begin(out: ByteBuilder): JsonWriter {
    out.appendString("data: ");
    const w = this.w.reset(out);
    w.beginObject().kstr("id", this.id).kstr("object", "chat.completion.chunk").kint("created", this.created).kstr("model", this.model);
    return w;
  }

  private chunk(out: ByteBuilder): JsonWriter {
    if (this.headCreated != this.created || this.headId != this.id || this.headModel != this.model) {
      const h = this.head;
      h.reset();
      this.begin(h).key("choices").beginArray().beginObject().kint("index", 0).key("delta").beginObject();
      this.headId = this.id; this.headModel = this.model; this.headCreated = this.created;
    }
    out.appendBuilder(this.head);
    // The writer continues inside the four containers the head opened (object, choices, the
    // choice, delta); only delta is still empty.
    return this.w.reset(out).resumeInside(true).resumeInside(true).resumeInside(true).resumeInside(false);
  }

  private end(w: JsonWriter, finish: string | null, out: ByteBuilder): void {
    if (finish === null) { out.appendStatic(CHUNK_TAIL); return; }
    w.endObject().key("logprobs").null_();
    w.kstr("finish_reason", finish);
    w.endObject().endArray().endObject();
    out.appendString("\n\n");
  }

  /** What write() writes for a TEXT event whose text is string node `n` of `d` (d.str(n)), without
   *  decoding it when it has no escapes. */
  textFrom(d: FlatJson, n: i32, out: ByteBuilder): void {
    const w = this.chunk(out);
    w.key("content").strFrom(d, n);
    this.end(w, null, out);
  }

  write(e: StreamEvent, out: ByteBuilder): void {
    switch (e.kind) {
      case EventKind.START: {
        if (e.id.length) this.id = e.id.startsWith("chatcmpl") ? e.id : "chatcmpl-" + e.id;
        if (e.usage.known) this.usage.merge(e.usage);
        const w = this.chunk(out);
        w.kstr("role", "assistant").kstr("content", "");
        this.end(w, null, out);
        return;
      }
      case EventKind.TEXT: {
        const w = this.chunk(out);
        w.kstr("content", e.text);
        this.end(w, null, out);
        return;
      }
      case EventKind.TOOL_START: {
        const w = this.chunk(out);
        w.key("tool_calls").beginArray().beginObject().kint("index", e.index).kstr("id", e.id).kstr("type", "function")
          .key("function").beginObject().kstr("name", e.name).kstr("arguments", "").endObject().endObject().endArray();
        this.end(w, null, out);
        return;
      }
      case EventKind.TOOL_ARGS: {
        const w = this.chunk(out);
        w.key("tool_calls").beginArray().beginObject().kint("index", e.index)
          .key("function").beginObject().kstr("arguments", e.text).endObject().endObject().endArray();
        this.end(w, null, out);
        return;
      }
      case EventKind.FINISH: {
        if (this.finished) return;
        this.finished = true;
        const w = this.chunk(out);
        this.end(w, e.finish, out);
        return;
      }
      case EventKind.USAGE: { this.usage.merge(e.usage); return; }
      case EventKind.END: {
        if (!this.finished) { this.finished = true; const w = this.chunk(out); this.end(w, Finish.STOP, out); }
        if (this.includeUsage) {
          const w = this.begin(out);
          w.key("choices").beginArray().endArray();
          writeUsage(w, this.usage);
          w.endObject();
          out.appendString("\n\n");
        }
        out.appendString("data: [DONE]\n\n");
        return;
      }
      case EventKind.ERROR: {
        // What OpenAI sends when a stream fails after it started: an event with `error`, which
        // the SDKs raise as an APIError; no [DONE] follows.
        out.appendString("data: ");
        const w = this.w.reset(out);
        w.beginObject().key("error").beginObject().kstr("message", e.text).kstr("type", e.name.length ? e.name : "server_error")
          .key("param").null_().key("code").null_().endObject().endObject();
        out.appendString("\n\n");
        return;
      }
    }
  }
}

/** Message and type of an error body shaped {"error":{"message","type"}}: OpenAI's, Gemini's and
 *  Anthropic's ({"type":"error","error":{...}}), or null. */
export function readOpenAIError(d: FlatJson, v: i32): StreamEvent | null {
  const err = d.getObj(v, "error");
  if (err < 0) return null;
  const e = new StreamEvent(EventKind.ERROR);
  e.text = d.getStr(err, "message");
  e.name = d.getStr(err, "type");
  return e;
}

/**
 * OpenAI requests other than chat, read into the same neutral form so every filter sees their
 * model-visible text: completions (`prompt`: string or strings), embeddings (`input`: string or
 * strings; token arrays carry no text), and Responses (`instructions` → system; `input` string or
 * items: messages with `input_text`/`output_text`/`input_image` parts, `function_call`,
 * `function_call_output`; function `tools`; `max_output_tokens`, `temperature`, `top_p`, `stream`).
 * Texts stay source ranges (Part.source), as for chat.
 */
export function readOpenAIOther(d: FlatJson, v: i32, req: ChatRequest): ReadError | null {
  if (d.kind(v) != JK.OBJECT) return new ReadError("the request body must be a JSON object");
  req.model = d.getStr(v, "model");
  req.stream = d.getBool(v, "stream");
  req.temperature = d.getNum(v, "temperature");
  req.topP = d.getNum(v, "top_p");
  let mt = d.getInt(v, "max_output_tokens");
  if (mt < 0) mt = d.getInt(v, "max_tokens");
  req.maxTokens = mt;
  const instructions = d.get(v, "instructions");
  if (d.kind(instructions) == JK.STRING) req.system.push(d.str(instructions));
  const user = new Message(Role.USER);
  for (let f = 0; f < 2; f++) {
    const x = d.get(v, f == 0 ? "prompt" : "input");
    if (d.kind(x) == JK.STRING) user.parts.push(sourcePart(d, x));
    else if (d.kind(x) == JK.ARRAY) {
      for (let item = d.first(x); item >= 0; item = d.next(item)) {
        const k = d.kind(item);
        if (k == JK.STRING) user.parts.push(sourcePart(d, item));
        else if (k == JK.OBJECT) readResponsesItem(d, item, req);
      }
    }
  }
  if (user.parts.length) req.messages.unshift(user);
  const tools = d.getArr(v, "tools");
  for (let t = d.first(tools); t >= 0; t = d.next(t)) {
    if (d.getStr(t, "type") != "function") continue;
    const def = new ToolDef(d.getStr(t, "name"));
    def.description = d.getStr(t, "description");
    const params = d.getObj(t, "parameters");
    if (params >= 0) def.parameters = d.text(params);
    req.tools.push(def);
  }
  return null;
}

function readResponsesItem(d: FlatJson, item: i32, req: ChatRequest): void {
  const type = d.getStr(item, "type");
  if (type == "function_call") {
    const m = new Message(Role.ASSISTANT);
    m.parts.push(Part.toolCall(d.getStr(item, "call_id"), d.getStr(item, "name"), d.getStr(item, "arguments", "{}")));
    req.messages.push(m);
    return;
  }
  if (type == "function_call_output") {
    const r = new Part();
    r.kind = PartKind.TOOL_RESULT;
    r.id = d.getStr(item, "call_id");
    r.text = d.getStr(item, "output");
    const m = new Message(Role.USER);
    m.parts.push(r);
    req.messages.push(m);
    return;
  }
  const role = d.getStr(item, "role");
  if (role.length == 0) return;
  if (role == "system" || role == "developer") {
    const c = d.get(item, "content");
    if (d.kind(c) == JK.STRING) req.system.push(d.str(c));
    else for (let p = d.first(d.kind(c) == JK.ARRAY ? c : -1); p >= 0; p = d.next(p)) req.system.push(d.getStr(p, "text"));
    return;
  }
  const m = new Message(role == "assistant" ? Role.ASSISTANT : Role.USER);
  const c = d.get(item, "content");
  if (d.kind(c) == JK.STRING) m.parts.push(sourcePart(d, c));
  else for (let p = d.first(d.kind(c) == JK.ARRAY ? c : -1); p >= 0; p = d.next(p)) {
    const t = d.getStr(p, "type");
    if (t == "input_text" || t == "output_text" || t == "text") m.parts.push(sourcePart(d, d.get(p, "text")));
    else if (t == "input_image") {
      const img = new Part();
      img.kind = PartKind.IMAGE;
      img.url = d.getStr(p, "image_url");
      splitDataUrl(img);
      m.parts.push(img);
    }
  }
  req.messages.push(m);
}
