// A stored answer as the client asked for it: the same body when the dialect and form match,
// otherwise read into the neutral form and written in the client's dialect — a JSON answer, or
// a stream of events that ends as the dialect's streams end (OpenAI `data: [DONE]`, Anthropic
// `message_stop`), parsed by the official SDKs like a provider's stream.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { FlatJson } from "../../common/assembly/llm/flat";
import { ChatResponse, EventKind, PartKind, StreamEvent } from "../../common/assembly/llm/chat";
import { OpenAIStreamWriter, readOpenAIResponse, writeOpenAIResponse } from "../../common/assembly/llm/openai";
import { AnthropicStreamWriter, readAnthropicResponse, writeAnthropicResponse } from "../../common/assembly/llm/anthropic";
import { Entry } from "./entry";
import { Dialect } from "./model";

/** The stored answer in neutral form, or null when the stored body is not a readable answer. */
export function readStored(e: Entry): ChatResponse | null {
  const d = new FlatJson();
  if (!d.parse(e.body, 0, e.body.length, 64, false) || !d.isObject(0)) return null;
  const c = new ChatResponse();
  if (e.dialect == Dialect.ANTHROPIC) readAnthropicResponse(d, 0, c); else readOpenAIResponse(d, 0, c);
  return c;
}

export class Replay {
  body: Uint8Array = new Uint8Array(0);
  contentType: string = "";
}

/**
 * Writes the client's answer. `created` (seconds) is used for OpenAI answers that carry none.
 * Returns null when the stored body cannot be read (the caller treats that as a miss).
 */
export function replay(e: Entry, client: i32, stream: bool, includeUsage: bool, created: i64): Replay | null {
  const out = new Replay();
  if (!stream && e.dialect == client) {
    out.body = e.body;
    out.contentType = e.contentType;
    return out;
  }
  const r = readStored(e);
  if (r === null) return null;
  const b = new ByteBuilder(e.body.length + 256);
  if (!stream) {
    if (client == Dialect.ANTHROPIC) writeAnthropicResponse(r, r.model, b);
    else writeOpenAIResponse(r, r.model, created, b);
    out.body = b.toBytes();
    out.contentType = "application/json";
    return out;
  }
  const events = eventsOf(r);
  if (client == Dialect.ANTHROPIC) {
    const w = new AnthropicStreamWriter(r.model);
    for (let i = 0; i < events.length; i++) w.write(events[i], b);
  } else {
    const w = new OpenAIStreamWriter(r.model, includeUsage);
    w.created = r.created > 0 ? r.created : created;
    for (let i = 0; i < events.length; i++) w.write(events[i], b);
  }
  out.body = b.toBytes();
  out.contentType = "text/event-stream";
  return out;
}

/** A whole answer as the events a provider would have streamed. */
function eventsOf(r: ChatResponse): Array<StreamEvent> {
  const evs = new Array<StreamEvent>();
  const s = new StreamEvent(EventKind.START);
  s.id = r.id;
  s.model = r.model;
  s.usage.merge(r.usage);
  evs.push(s);
  let tool = 0;
  for (let i = 0; i < r.parts.length; i++) {
    const p = r.parts[i];
    if (p.kind == PartKind.TEXT) {
      const t = p.str();
      if (t.length == 0) continue;
      const e = new StreamEvent(EventKind.TEXT);
      e.text = t;
      evs.push(e);
    } else if (p.kind == PartKind.TOOL_CALL) {
      const st = new StreamEvent(EventKind.TOOL_START);
      st.index = tool; st.id = p.id; st.name = p.name;
      evs.push(st);
      if (p.arguments.length) {
        const a = new StreamEvent(EventKind.TOOL_ARGS);
        a.index = tool; a.text = p.arguments;
        evs.push(a);
      }
      tool++;
    }
  }
  const f = new StreamEvent(EventKind.FINISH);
  f.finish = r.finish;
  evs.push(f);
  const u = new StreamEvent(EventKind.USAGE);
  u.usage.merge(r.usage);
  evs.push(u);
  evs.push(new StreamEvent(EventKind.END));
  return evs;
}
