// A streamed answer assembled as it passes (every chunk is passed on at once; the filter only
// reads a copy): SSE events → the dialect's stream reader → neutral events → one ChatResponse.
// Complete only when the dialect's end event arrived (OpenAI `[DONE]`, Anthropic `message_stop`)
// and no error event did: a stream cut short is never stored.
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { FlatJson } from "../../common/assembly/llm/flat";
import { SseParser } from "../../common/assembly/sse/parser";
import { isDone } from "../../common/assembly/sse/llm";
import { ChatResponse, EventKind, Part, PartKind, StreamEvent } from "../../common/assembly/llm/chat";
import { OpenAIStreamReader, writeOpenAIResponse } from "../../common/assembly/llm/openai";
import { AnthropicStreamReader, writeAnthropicResponse } from "../../common/assembly/llm/anthropic";
import { Dialect } from "./model";

export class StreamAssembler {
  private parser: SseParser;
  private oai: OpenAIStreamReader = new OpenAIStreamReader();
  private ant: AnthropicStreamReader = new AnthropicStreamReader();
  private events: Array<StreamEvent> = new Array<StreamEvent>();
  private doc: FlatJson = new FlatJson();
  /** Tool ordinal → index in r.parts. */
  private toolPart: Map<i32, i32> = new Map<i32, i32>();
  r: ChatResponse = new ChatResponse();
  ended: bool = false;
  failed: bool = false;
  /** Bytes of text and arguments assembled (bounded by the caller's entry limit). */
  size: i64 = 0;

  constructor(public dialect: i32, public limit: i64) {
    this.parser = new SseParser(limit > 16 ? <i32>limit : 16);
  }

  get complete(): bool { return this.ended && !this.failed; }

  feed(chunk: Uint8Array, eos: bool): void {
    if (this.failed) return;
    if (this.parser.feed(chunk, 0, chunk.length) != 0) { this.failed = true; return; }
    this.drain();
    if (eos) { this.parser.finish(); this.drain(); }
  }

  private drain(): void {
    const evs = this.parser.takeEvents();
    for (let i = 0; i < evs.length && !this.failed; i++) {
      const ev = evs[i];
      if (!ev.dispatch) continue;
      this.events.length = 0;
      if (isDone(ev)) {
        if (this.dialect == Dialect.OPENAI) this.events.push(new StreamEvent(EventKind.END));
      } else {
        const data = ev.data;
        const d = this.doc;
        if (!d.parse(data, 0, data.length, 64, false)) continue; // a non-JSON event carries nothing to store
        if (this.dialect == Dialect.ANTHROPIC) {
          const t = ev.type;
          this.ant.read(t === null ? "" : String.UTF8.decodeUnsafe(t.dataStart, t.length), d, 0, this.events);
        } else this.oai.read(d, 0, this.events);
      }
      for (let j = 0; j < this.events.length; j++) this.apply(this.events[j]);
    }
  }

  private apply(e: StreamEvent): void {
    const r = this.r;
    if (this.ended && e.kind != EventKind.USAGE) return;
    switch (e.kind) {
      case EventKind.START: {
        if (e.id.length) r.id = e.id;
        if (e.model.length) r.model = e.model;
        if (e.usage.known) r.usage.merge(e.usage);
        break;
      }
      case EventKind.TEXT: {
        const n = r.parts.length;
        if (n > 0 && r.parts[n - 1].kind == PartKind.TEXT) r.parts[n - 1].text += e.text;
        else r.parts.push(Part.text(e.text));
        this.size += e.text.length;
        break;
      }
      case EventKind.TOOL_START: {
        this.toolPart.set(e.index, r.parts.length);
        r.parts.push(Part.toolCall(e.id, e.name, ""));
        break;
      }
      case EventKind.TOOL_ARGS: {
        if (!this.toolPart.has(e.index)) { this.failed = true; break; }
        r.parts[this.toolPart.get(e.index)].arguments += e.text;
        this.size += e.text.length;
        break;
      }
      case EventKind.FINISH: r.finish = e.finish; break;
      case EventKind.USAGE: r.usage.merge(e.usage); break;
      case EventKind.END: this.ended = true; break;
      case EventKind.ERROR: this.failed = true; break;
    }
    if (this.size > this.limit) this.failed = true;
  }

  /** The assembled answer as a JSON body in the stream's dialect. */
  write(created: i64, out: ByteBuilder): void {
    const r = this.r;
    for (let i = 0; i < r.parts.length; i++) {
      if (r.parts[i].kind == PartKind.TOOL_CALL && r.parts[i].arguments.length == 0) r.parts[i].arguments = "{}";
    }
    if (this.dialect == Dialect.ANTHROPIC) writeAnthropicResponse(r, r.model, out);
    else writeOpenAIResponse(r, r.model, created, out);
  }
}
