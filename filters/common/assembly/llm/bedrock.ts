// Amazon Bedrock Converse / ConverseStream (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html)
// from chat.ts, and its answers back. Request: messages of content blocks (text, image bytes,
// toolUse, toolResult), system blocks, inferenceConfig, toolConfig (toolSpec with inputSchema.json,
// toolChoice auto/any/tool). Answer: output.message.content, stopReason, usage. Stream events
// (one per event-stream message, named by its :event-type header): messageStart,
// contentBlockStart, contentBlockDelta, contentBlockStop, messageStop, metadata.
import { ByteBuilder } from "../bytes/builder";
import { JsonWriter } from "./writer";
import { FlatJson, JK, isJsonObjectText } from "./flat";
import { readUsageCachedApart } from "./anthropic";
import { ChatRequest, ChatResponse, EventKind, Finish, Part, PartKind, ResponseFormat, Role, StreamEvent, ToolChoice, Usage } from "./chat";

/** Why `req` cannot go to Bedrock (a ReadError message), or "". */
export function bedrockUnsupported(req: ChatRequest): string {
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i];
    for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j];
      if (p.kind == PartKind.IMAGE && p.data.length == 0) return "images by URL cannot be sent to Bedrock; send them inline (data: URL or base64)";
      if (p.kind == PartKind.IMAGE && imageFormat(p.mediaType).length == 0) return "image type `" + p.mediaType + "` is not one Bedrock takes (png, jpeg, gif, webp)";
    }
  }
  return "";
}

function imageFormat(mediaType: string): string {
  if (mediaType == "image/png") return "png";
  if (mediaType == "image/jpeg" || mediaType == "image/jpg") return "jpeg";
  if (mediaType == "image/gif") return "gif";
  if (mediaType == "image/webp") return "webp";
  return "";
}

export function writeBedrockConverse(req: ChatRequest, defaultMaxTokens: i64, out: ByteBuilder): void {
  const w = new JsonWriter(out);
  w.beginObject().key("messages").beginArray();
  let open = "";
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i];
    if (m.parts.length == 0) continue;
    if (m.role != open) {
      if (open.length) w.endArray().endObject();
      w.beginObject().kstr("role", m.role == Role.ASSISTANT ? "assistant" : "user").key("content").beginArray();
      open = m.role;
    }
    for (let pass = 0; pass < 2; pass++) for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j];
      if ((p.kind == PartKind.TOOL_RESULT) != (pass == 0)) continue;
      if (p.kind == PartKind.TEXT) { if (p.byteLength) w.beginObject().key("text").part(p).endObject(); }
      else if (p.kind == PartKind.IMAGE) {
        w.beginObject().key("image").beginObject().kstr("format", imageFormat(p.mediaType)).key("source").beginObject().kstr("bytes", p.data).endObject().endObject().endObject();
      } else if (p.kind == PartKind.TOOL_CALL) {
        w.beginObject().key("toolUse").beginObject().kstr("toolUseId", p.id).kstr("name", p.name).key("input");
        if (isJsonObjectText(p.arguments)) w.raw(p.arguments); else w.beginObject().endObject();
        w.endObject().endObject();
      } else if (p.kind == PartKind.TOOL_RESULT) {
        w.beginObject().key("toolResult").beginObject().kstr("toolUseId", p.id).key("content").beginArray();
        if (isJsonObjectText(p.text)) w.beginObject().key("json").raw(p.text).endObject();
        else w.beginObject().kstr("text", p.text).endObject();
        w.endArray();
        if (p.isError) w.kstr("status", "error");
        w.endObject().endObject();
      }
    }
  }
  if (open.length) w.endArray().endObject();
  w.endArray();
  if (req.system.length) {
    w.key("system").beginArray();
    for (let i = 0; i < req.system.length; i++) w.beginObject().kstr("text", req.system[i]).endObject();
    w.endArray();
  }
  w.key("inferenceConfig").beginObject().kint("maxTokens", req.maxTokens >= 0 ? req.maxTokens : defaultMaxTokens);
  if (!isNaN(req.temperature)) w.key("temperature").num(req.temperature);
  if (!isNaN(req.topP)) w.key("topP").num(req.topP);
  if (req.stop.length) {
    w.key("stopSequences").beginArray();
    for (let i = 0; i < req.stop.length; i++) w.str(req.stop[i]);
    w.endArray();
  }
  w.endObject();
  if (req.responseFormat != ResponseFormat.TEXT) {
    // Structured output: the schema travels as a JSON string (outputConfig.textFormat).
    w.key("outputConfig").beginObject().key("textFormat").beginObject().kstr("type", "json_schema")
      .key("structure").beginObject().key("jsonSchema").beginObject()
      .kstr("schema", req.responseFormat == ResponseFormat.JSON_SCHEMA && req.schema.length ? req.schema : "{\"type\":\"object\"}")
      .kstr("name", req.schemaName.length ? req.schemaName : "response")
      .endObject().endObject().endObject().endObject();
  }
  if (req.tools.length) {
    w.key("toolConfig").beginObject().key("tools").beginArray();
    for (let i = 0; i < req.tools.length; i++) {
      const t = req.tools[i];
      w.beginObject().key("toolSpec").beginObject().kstr("name", t.name);
      if (t.description.length) w.kstr("description", t.description);
      w.key("inputSchema").beginObject().key("json");
      if (t.parameters.length) w.raw(t.parameters); else w.beginObject().kstr("type", "object").endObject();
      w.endObject().endObject().endObject();
    }
    w.endArray();
    // Converse has no "none": the tools stay declared (earlier toolUse blocks need them).
    if (req.toolChoice == ToolChoice.AUTO) w.key("toolChoice").beginObject().key("auto").beginObject().endObject().endObject();
    else if (req.toolChoice == ToolChoice.REQUIRED) w.key("toolChoice").beginObject().key("any").beginObject().endObject().endObject();
    else if (req.toolChoice == ToolChoice.TOOL) w.key("toolChoice").beginObject().key("tool").beginObject().kstr("name", req.toolChoiceName).endObject().endObject();
    w.endObject();
  }
  w.endObject();
}

export function bedrockStopToFinish(s: string): string {
  if (s == "tool_use") return Finish.TOOL_CALLS;
  if (s == "max_tokens" || s == "model_context_window_exceeded") return Finish.LENGTH;
  if (s == "guardrail_intervened" || s == "content_filtered") return Finish.CONTENT_FILTER;
  return Finish.STOP;
}

export function readBedrockUsage(d: FlatJson, u: i32, out: Usage): void {
  readUsageCachedApart(d, u, out, "inputTokens", "cacheReadInputTokens", "cacheWriteInputTokens", "outputTokens");
}

export function readBedrockResponse(d: FlatJson, v: i32, r: ChatResponse): void {
  readBedrockUsage(d, d.getObj(v, "usage"), r.usage);
  const content = d.getArr(d.getObj(d.getObj(v, "output"), "message"), "content");
  for (let b = d.first(content); b >= 0; b = d.next(b)) {
    const tu = d.getObj(b, "toolUse");
    if (tu >= 0) {
      const input = d.get(tu, "input");
      r.parts.push(Part.toolCall(d.getStr(tu, "toolUseId"), d.getStr(tu, "name"), input >= 0 ? d.text(input) : "{}"));
    } else {
      const t = d.get(b, "text");
      if (d.kind(t) == JK.STRING) r.parts.push(Part.text(d.str(t)));
    }
  }
  r.finish = bedrockStopToFinish(d.getStr(v, "stopReason", "end_turn"));
}

/** ConverseStream events → neutral events. The end is the body's end after messageStop. */
export class BedrockStreamReader {
  stopped: bool = false;
  private blockTool: Array<i32> = new Array<i32>();
  private tools: i32 = 0;

  read(eventType: string, d: FlatJson, v: i32, out: Array<StreamEvent>): void {
    if (d.kind(v) != JK.OBJECT) return;
    if (eventType == "messageStart") {
      out.push(new StreamEvent(EventKind.START));
    } else if (eventType == "contentBlockStart") {
      const idx = <i32>d.getInt(v, "contentBlockIndex", 0);
      const tu = d.getObj(d.getObj(v, "start"), "toolUse");
      if (tu < 0 || idx > 4096) return;
      while (this.blockTool.length <= idx) this.blockTool.push(-1);
      const e = new StreamEvent(EventKind.TOOL_START);
      e.index = this.tools++;
      e.id = d.getStr(tu, "toolUseId");
      e.name = d.getStr(tu, "name");
      this.blockTool[idx] = e.index;
      out.push(e);
    } else if (eventType == "contentBlockDelta") {
      const idx = <i32>d.getInt(v, "contentBlockIndex", 0);
      const dl = d.getObj(v, "delta");
      const t = d.get(dl, "text");
      if (d.kind(t) == JK.STRING) { const e = new StreamEvent(EventKind.TEXT); e.text = d.str(t); out.push(e); return; }
      const tu = d.getObj(dl, "toolUse");
      if (tu >= 0) {
        const tool = idx >= 0 && idx < this.blockTool.length ? this.blockTool[idx] : -1;
        if (tool < 0) return;
        const e = new StreamEvent(EventKind.TOOL_ARGS); e.index = tool; e.text = d.getStr(tu, "input"); out.push(e);
      }
    } else if (eventType == "contentBlockStop") {
      const e = new StreamEvent(EventKind.BLOCK_STOP); e.index = <i32>d.getInt(v, "contentBlockIndex", 0); out.push(e);
    } else if (eventType == "messageStop") {
      this.stopped = true;
      const e = new StreamEvent(EventKind.FINISH); e.finish = bedrockStopToFinish(d.getStr(v, "stopReason", "end_turn")); out.push(e);
    } else if (eventType == "metadata") {
      const e = new StreamEvent(EventKind.USAGE); readBedrockUsage(d, d.getObj(v, "usage"), e.usage); out.push(e);
    }
  }
}
