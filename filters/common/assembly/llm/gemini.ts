// Google Gemini generateContent / streamGenerateContent?alt=sse (Gemini API and Vertex AI share
// the body: https://ai.google.dev/api/generate-content) from chat.ts, and its answers back.
// Request: contents of user/model turns with parts (text, inlineData, fileData, functionCall,
// functionResponse), systemInstruction, tools.functionDeclarations (parametersJsonSchema: full
// JSON Schema), toolConfig.functionCallingConfig, generationConfig.
// Answer: candidates[0].content.parts, finishReason, usageMetadata. A stream is a series of such
// answers, each with the new parts, and simply ends (no end event).
import { ByteBuilder } from "../bytes/builder";
import { JsonWriter } from "./writer";
import { FlatJson, JK, isJsonObjectText } from "./flat";
import { ChatRequest, ChatResponse, EventKind, Finish, Part, PartKind, ResponseFormat, Role, StreamEvent, ToolChoice, Usage } from "./chat";
import { decimal } from "../bytes/decimal";

function writeArgs(w: JsonWriter, args: string): void {
  if (isJsonObjectText(args)) w.raw(args);
  else w.beginObject().endObject();
}

export function writeGeminiRequest(req: ChatRequest, out: ByteBuilder): void {
  const w = new JsonWriter(out);
  w.beginObject();
  // functionResponse needs the function's name; tool results carry only the call id.
  const callIds = new Array<string>();
  const callNames = new Array<string>();
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i];
    for (let j = 0; j < m.parts.length; j++) if (m.parts[j].kind == PartKind.TOOL_CALL) { callIds.push(m.parts[j].id); callNames.push(m.parts[j].name); }
  }
  w.key("contents").beginArray();
  let open = "";
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i];
    if (m.parts.length == 0) continue;
    const role = m.role == Role.ASSISTANT ? "model" : "user";
    if (role != open) {
      if (open.length) w.endArray().endObject();
      w.beginObject().kstr("role", role).key("parts").beginArray();
      open = role;
    }
    for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j];
      if (p.kind == PartKind.TEXT) {
        if (p.byteLength) w.beginObject().key("text").part(p).endObject();
      } else if (p.kind == PartKind.IMAGE) {
        if (p.data.length) w.beginObject().key("inlineData").beginObject().kstr("mimeType", p.mediaType).kstr("data", p.data).endObject().endObject();
        else w.beginObject().key("fileData").beginObject().kstr("mimeType", guessMime(p.url)).kstr("fileUri", p.url).endObject().endObject();
      } else if (p.kind == PartKind.TOOL_CALL) {
        w.beginObject().key("functionCall").beginObject().kstr("name", p.name).key("args");
        writeArgs(w, p.arguments);
        w.endObject().endObject();
      } else if (p.kind == PartKind.TOOL_RESULT) {
        let name = p.name;
        if (name.length == 0) { const k = callIds.indexOf(p.id); name = k >= 0 ? callNames[k] : p.id; }
        w.beginObject().key("functionResponse").beginObject().kstr("name", name).key("response").beginObject();
        if (isJsonObjectText(p.text)) w.key("content").raw(p.text); else w.kstr("content", p.text);
        if (p.isError) w.kbool("is_error", true);
        w.endObject().endObject().endObject();
      }
    }
  }
  if (open.length) w.endArray().endObject();
  w.endArray();
  if (req.system.length) {
    w.key("systemInstruction").beginObject().key("parts").beginArray();
    for (let i = 0; i < req.system.length; i++) w.beginObject().kstr("text", req.system[i]).endObject();
    w.endArray().endObject();
  }
  if (req.tools.length) {
    w.key("tools").beginArray().beginObject().key("functionDeclarations").beginArray();
    for (let i = 0; i < req.tools.length; i++) {
      const t = req.tools[i];
      w.beginObject().kstr("name", t.name);
      if (t.description.length) w.kstr("description", t.description);
      if (t.parameters.length) w.key("parametersJsonSchema").raw(t.parameters);
      w.endObject();
    }
    w.endArray().endObject().endArray();
    if (req.toolChoice != ToolChoice.DEFAULT) {
      w.key("toolConfig").beginObject().key("functionCallingConfig").beginObject();
      if (req.toolChoice == ToolChoice.NONE) w.kstr("mode", "NONE");
      else if (req.toolChoice == ToolChoice.AUTO) w.kstr("mode", "AUTO");
      else {
        w.kstr("mode", "ANY");
        if (req.toolChoice == ToolChoice.TOOL) w.key("allowedFunctionNames").beginArray().str(req.toolChoiceName).endArray();
      }
      w.endObject().endObject();
    }
  }
  w.key("generationConfig").beginObject();
  if (req.maxTokens >= 0) w.kint("maxOutputTokens", req.maxTokens);
  if (!isNaN(req.temperature)) w.key("temperature").num(req.temperature);
  if (!isNaN(req.topP)) w.key("topP").num(req.topP);
  if (req.topK >= 0) w.kint("topK", req.topK);
  if (req.stop.length) {
    w.key("stopSequences").beginArray();
    for (let i = 0; i < req.stop.length; i++) w.str(req.stop[i]);
    w.endArray();
  }
  if (req.responseFormat != ResponseFormat.TEXT) {
    w.kstr("responseMimeType", "application/json");
    if (req.responseFormat == ResponseFormat.JSON_SCHEMA && req.schema.length) w.key("responseJsonSchema").raw(req.schema);
  }
  w.endObject();
  w.endObject();
}

function guessMime(url: string): string {
  const u = url.toLowerCase();
  if (u.endsWith(".png")) return "image/png";
  if (u.endsWith(".gif")) return "image/gif";
  if (u.endsWith(".webp")) return "image/webp";
  return "image/jpeg";
}

export function geminiFinish(reason: string, hasCalls: bool): string {
  if (hasCalls) return Finish.TOOL_CALLS;
  if (reason == "MAX_TOKENS") return Finish.LENGTH;
  if (reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" || reason == "PROHIBITED_CONTENT" || reason == "SPII" || reason == "IMAGE_SAFETY") return Finish.CONTENT_FILTER;
  return Finish.STOP;
}

export function readGeminiUsage(d: FlatJson, u: i32, out: Usage): void {
  if (d.kind(u) != JK.OBJECT) return;
  const i = d.getInt(u, "promptTokenCount");
  if (i >= 0) out.input = i;
  // Thinking tokens are billed as output.
  const o = d.getInt(u, "candidatesTokenCount", 0) + d.getInt(u, "thoughtsTokenCount", 0);
  if (i >= 0 || o > 0) out.output = o;
  const c = d.getInt(u, "cachedContentTokenCount", 0);
  if (c > 0) out.cached = c;
}

/** Reads one GenerateContentResponse; `callBase` numbers the calls (Gemini may give no ids). */
export function readGeminiResponse(d: FlatJson, v: i32, r: ChatResponse, callBase: i32 = 0): i32 {
  r.id = d.getStr(v, "responseId");
  r.model = d.getStr(v, "modelVersion");
  readGeminiUsage(d, d.getObj(v, "usageMetadata"), r.usage);
  const c = d.first(d.getArr(v, "candidates"));
  const parts = d.getArr(d.getObj(c, "content"), "parts");
  let calls = 0;
  for (let p = d.first(parts); p >= 0; p = d.next(p)) {
    if (d.kind(p) != JK.OBJECT) continue;
    const fc = d.getObj(p, "functionCall");
    if (fc >= 0) {
      const args = d.get(fc, "args");
      let id = d.getStr(fc, "id");
      if (id.length == 0) id = "call_" + decimal(callBase + calls);
      r.parts.push(Part.toolCall(id, d.getStr(fc, "name"), args >= 0 ? d.text(args) : "{}"));
      calls++;
    } else {
      const text = d.getStr(p, "text");
      if (text.length == 0 || d.getBool(p, "thought")) continue; // thought summaries are not the answer
      r.parts.push(Part.text(text));
    }
  }
  const fr = d.getStr(c, "finishReason");
  r.finish = fr.length ? geminiFinish(fr, calls > 0) : "";
  if (r.finish.length == 0 && calls > 0) r.finish = Finish.TOOL_CALLS;
  return calls;
}

/** Gemini stream chunks → neutral events. The stream's end is the body's end (`finishSeen`). */
export class GeminiStreamReader {
  started: bool = false;
  finishSeen: bool = false;
  private calls: i32 = 0;

  read(d: FlatJson, v: i32, out: Array<StreamEvent>): void {
    if (d.kind(v) != JK.OBJECT) return;
    const err = d.getObj(v, "error");
    if (err >= 0) {
      const e = new StreamEvent(EventKind.ERROR);
      e.text = d.getStr(err, "message", "provider error");
      e.name = "server_error";
      out.push(e);
      return;
    }
    const r = new ChatResponse();
    const n = readGeminiResponse(d, v, r, this.calls);
    if (!this.started) {
      this.started = true;
      const s = new StreamEvent(EventKind.START);
      s.id = r.id;
      s.model = r.model;
      // Gemini counts the prompt in every chunk's usageMetadata: the first one gives message_start
      // a real input count (output is counted as it grows, by the USAGE events below).
      if (r.usage.input >= 0) s.usage.input = r.usage.input;
      out.push(s);
    }
    for (let i = 0; i < r.parts.length; i++) {
      const p = r.parts[i];
      if (p.kind == PartKind.TEXT) { const e = new StreamEvent(EventKind.TEXT); e.text = p.text; out.push(e); }
      else {
        const s = new StreamEvent(EventKind.TOOL_START);
        s.index = this.calls + countCallsBefore(r, i);
        s.id = p.id; s.name = p.name;
        out.push(s);
        const a = new StreamEvent(EventKind.TOOL_ARGS);
        a.index = s.index; a.text = p.arguments;
        out.push(a);
      }
    }
    this.calls += n;
    if (r.usage.known) { const u = new StreamEvent(EventKind.USAGE); u.usage = r.usage; out.push(u); }
    if (r.finish.length && !this.finishSeen) {
      // Reported once; a later chunk may still carry usage. The end is the body's end.
      this.finishSeen = true;
      const e = new StreamEvent(EventKind.FINISH); e.finish = this.calls > 0 ? Finish.TOOL_CALLS : r.finish; out.push(e);
    }
  }
}

function countCallsBefore(r: ChatResponse, i: i32): i32 {
  let n = 0;
  for (let j = 0; j < i; j++) if (r.parts[j].kind == PartKind.TOOL_CALL) n++;
  return n;
}
