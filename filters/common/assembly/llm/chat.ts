// The dialect-neutral form of a chat exchange: what every LLM API says, once. Readers turn a
// dialect's JSON into it (openai.ts, anthropic.ts, gemini.ts, bedrock.ts), writers turn it into
// another dialect. Filters that look at prompts or answers read this instead of each dialect.
import { ByteBuilder } from "../bytes/builder";
import { decodeJsonString } from "../json/string";

export namespace PartKind {
  export const TEXT = 0;
  /** An image by URL (`url`, which may be a data: URL) or inline (`mediaType` + base64 `data`). */
  export const IMAGE = 1;
  /** A call the model makes: `id`, `name`, `arguments` (JSON text of the arguments object). */
  export const TOOL_CALL = 2;
  /** The answer to a call: `id` (the call's), `text`, `isError`; `name` when the dialect says it. */
  export const TOOL_RESULT = 3;
}

export class Part {
  kind: i32 = PartKind.TEXT;
  /** Text (TEXT, TOOL_RESULT). For TEXT read from a request body it may be empty while `src`
   *  holds the raw JSON string content: use str(), which decodes on first use. */
  text: string = "";
  /** Raw content of the JSON string the text came from (between the quotes, escapes as sent):
   *  writers copy it as it is, so a translated prompt is never decoded and re-encoded. */
  src: Uint8Array | null = null;
  srcStart: i32 = 0;
  srcEnd: i32 = 0;
  url: string = "";
  mediaType: string = "";
  data: string = "";
  id: string = "";
  name: string = "";
  arguments: string = "";
  isError: bool = false;

  static text(t: string): Part { const p = new Part(); p.text = t; return p; }
  /** Back to a fresh Part's state (a reused part must carry nothing of its last request). */
  clear(): void {
    this.kind = PartKind.TEXT; this.text = ""; this.src = null; this.srcStart = 0; this.srcEnd = 0;
    this.url = ""; this.mediaType = ""; this.data = ""; this.id = ""; this.name = ""; this.arguments = "";
    this.isError = false;
  }
  /** A TEXT part over src[s, e), the raw content of a JSON string (validated by the tokenizer). */
  static source(src: Uint8Array, s: i32, e: i32): Part { const p = new Part(); p.src = src; p.srcStart = s; p.srcEnd = e; return p; }

  /** Whether the text is still only in `src` (copy it raw). */
  get raw(): bool { return this.src !== null && this.text.length == 0; }

  /** The text, decoded from the source on first use. */
  str(): string {
    if (this.raw && this.srcEnd > this.srcStart) {
      const b = new ByteBuilder(this.srcEnd - this.srcStart);
      decodeJsonString(this.src!, this.srcStart, this.srcEnd, b);
      this.text = b.toString();
      this.src = null;
    }
    return this.text;
  }

  /** UTF-8 bytes of the text (raw escapes counted as written: an estimate for sizes). */
  get byteLength(): i32 { return this.raw ? this.srcEnd - this.srcStart : String.UTF8.byteLength(this.text); }
  static toolCall(id: string, name: string, args: string): Part {
    const p = new Part(); p.kind = PartKind.TOOL_CALL; p.id = id; p.name = name; p.arguments = args; return p;
  }
}

export namespace Role {
  export const USER = "user";
  export const ASSISTANT = "assistant";
}

export class Message {
  parts: Array<Part> = new Array<Part>();
  constructor(public role: string) {}
  /** All text parts joined (tool results and calls excluded). */
  text(): string {
    let s = "";
    for (let i = 0; i < this.parts.length; i++) if (this.parts[i].kind == PartKind.TEXT) s += this.parts[i].str();
    return s;
  }
  has(kind: i32): bool {
    for (let i = 0; i < this.parts.length; i++) if (this.parts[i].kind == kind) return true;
    return false;
  }
}

export class ToolDef {
  description: string = "";
  /** JSON Schema of the arguments as JSON text ("" = none given). */
  parameters: string = "";
  constructor(public name: string) {}
}

export namespace ToolChoice {
  export const DEFAULT = 0; // not given
  export const AUTO = 1;
  export const NONE = 2;
  export const REQUIRED = 3; // some tool
  export const TOOL = 4; // the tool named in toolChoiceName
}

export namespace ResponseFormat {
  export const TEXT = 0;
  export const JSON_OBJECT = 1;
  export const JSON_SCHEMA = 2;
}

const MAX_SPARE_MESSAGES = 256;
const MAX_SPARE_PARTS = 512;

export class ChatRequest {
  model: string = "";
  /** System instructions, in order (OpenAI system/developer messages, Anthropic `system`). */
  system: Array<string> = new Array<string>();
  messages: Array<Message> = new Array<Message>();
  tools: Array<ToolDef> = new Array<ToolDef>();
  toolChoice: i32 = ToolChoice.DEFAULT;
  toolChoiceName: string = "";
  /** false when the client forbade parallel tool calls. */
  parallelToolCalls: bool = true;
  /** -1 = not given. */
  maxTokens: i64 = -1;
  temperature: f64 = NaN;
  topP: f64 = NaN;
  topK: i64 = -1;
  stop: Array<string> = new Array<string>();
  stream: bool = false;
  /** OpenAI stream_options.include_usage as the client sent it. */
  includeUsage: bool = false;
  responseFormat: i32 = ResponseFormat.TEXT;
  schemaName: string = "";
  /** JSON Schema of the answer as JSON text ("" = none). */
  schema: string = "";
  /** End-user id (OpenAI `user`, Anthropic metadata.user_id). */
  user: string = "";
  /** Choices asked for (OpenAI `n`); only 1 translates. */
  n: i64 = 1;
  /** The first thing another dialect could not carry (read leniently), or null. */
  untranslatable: ReadError | null = null;

  // Messages and parts of an earlier request read into this object, for the next one: a filter
  // that reads every request into one ChatRequest (reset() between them) makes no per-message
  // objects once warm. Bounded so one huge request does not keep its objects for the VM's life.
  private spareMessages: Array<Message> = new Array<Message>();
  private spareParts: Array<Part> = new Array<Part>();

  /** A message of `role` with no parts: a spare one when there is one. */
  message(role: string): Message {
    const n = this.spareMessages.length;
    if (n == 0) return new Message(role);
    const m = this.spareMessages.pop();
    m.role = role;
    return m;
  }

  /** A TEXT part over src[s, e) (see Part.source): a spare one when there is one. */
  sourcePart(src: Uint8Array, s: i32, e: i32): Part {
    const n = this.spareParts.length;
    if (n == 0) return Part.source(src, s, e);
    const p = this.spareParts.pop();
    p.src = src; p.srcStart = s; p.srcEnd = e;
    return p;
  }

  /** Back to a fresh ChatRequest's state; its messages and parts become spares (cleared, so no
   *  text or body of this request stays reachable through them). */
  reset(): void {
    const msgs = this.messages;
    for (let i = 0; i < msgs.length; i++) {
      const m = msgs[i];
      const parts = m.parts;
      for (let j = 0; j < parts.length; j++) {
        if (this.spareParts.length < MAX_SPARE_PARTS) { parts[j].clear(); this.spareParts.push(parts[j]); }
      }
      parts.length = 0;
      if (this.spareMessages.length < MAX_SPARE_MESSAGES) this.spareMessages.push(m);
    }
    msgs.length = 0;
    this.model = "";
    this.system.length = 0;
    this.tools.length = 0;
    this.toolChoice = ToolChoice.DEFAULT;
    this.toolChoiceName = "";
    this.parallelToolCalls = true;
    this.maxTokens = -1;
    this.temperature = NaN;
    this.topP = NaN;
    this.topK = -1;
    this.stop.length = 0;
    this.stream = false;
    this.includeUsage = false;
    this.responseFormat = ResponseFormat.TEXT;
    this.schemaName = "";
    this.schema = "";
    this.user = "";
    this.n = 1;
    this.untranslatable = null;
  }

  /** Notes `e` as untranslatable (lenient reading) or returns it (strict). */
  note(e: ReadError, strict: bool): ReadError | null {
    if (strict) return e;
    if (this.untranslatable === null) this.untranslatable = e;
    return null;
  }

  hasImages(): bool {
    for (let i = 0; i < this.messages.length; i++) if (this.messages[i].has(PartKind.IMAGE)) return true;
    return false;
  }

  /** UTF-8 bytes of every model-visible text (prompt size estimate: about 4 bytes a token). */
  textBytes(): i64 {
    let n: i64 = 0;
    for (let i = 0; i < this.system.length; i++) n += String.UTF8.byteLength(this.system[i]);
    for (let i = 0; i < this.messages.length; i++) {
      const m = this.messages[i];
      for (let j = 0; j < m.parts.length; j++) {
        const p = m.parts[j];
        n += p.byteLength + String.UTF8.byteLength(p.arguments) + p.name.length;
      }
    }
    for (let i = 0; i < this.tools.length; i++) n += this.tools[i].name.length + String.UTF8.byteLength(this.tools[i].description) + 64;
    return n;
  }
}

/** Neutral finish reasons (OpenAI's names). */
export namespace Finish {
  export const STOP = "stop";
  export const LENGTH = "length";
  export const TOOL_CALLS = "tool_calls";
  export const CONTENT_FILTER = "content_filter";
}

export class Usage {
  /** All input tokens, cached ones included (-1 = not reported). */
  input: i64 = -1;
  output: i64 = -1;
  /** Input tokens read from the provider's prompt cache (part of `input`). */
  cached: i64 = 0;
  /** Input tokens written to the provider's cache (Anthropic cache_creation_input_tokens). */
  cacheWrite: i64 = 0;
  get known(): bool { return this.input >= 0 || this.output >= 0; }
  merge(o: Usage): void {
    if (o.input >= 0) this.input = o.input;
    if (o.output >= 0) this.output = o.output;
    if (o.cached > 0) this.cached = o.cached;
    if (o.cacheWrite > 0) this.cacheWrite = o.cacheWrite;
  }
}

export class ChatResponse {
  id: string = "";
  model: string = "";
  parts: Array<Part> = new Array<Part>();
  finish: string = Finish.STOP;
  usage: Usage = new Usage();
  created: i64 = 0;
}

/** One step of a streamed answer, in neutral form. */
export namespace EventKind {
  export const START = 0; // id, model (and usage.input when known)
  export const TEXT = 1; // index, text
  export const TOOL_START = 2; // index, id, name
  export const TOOL_ARGS = 3; // index, text (a fragment of the arguments' JSON text)
  export const BLOCK_STOP = 4; // index
  export const FINISH = 5; // finish
  export const USAGE = 6; // usage
  export const END = 7; // the answer is complete
  export const ERROR = 8; // text = message, name = error type
}

export class StreamEvent {
  kind: i32 = 0;
  /** Content index in the answer (a text block or a tool call). */
  index: i32 = 0;
  text: string = "";
  id: string = "";
  name: string = "";
  model: string = "";
  finish: string = "";
  usage: Usage = new Usage();
  constructor(kind: i32) { this.kind = kind; }
}

/** Why a body could not be read: `message` names the field, for a 400 the client understands. */
export class ReadError {
  constructor(public message: string, public param: string = "") {}
}
