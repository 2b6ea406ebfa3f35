// Refusals in the client's dialect: OpenAI's {"error":{...}} for OpenAI-style paths, Anthropic's
// {"type":"error","error":{...}} for /v1/messages, so each SDK raises its own error class.
// Messages name the reason and the field; never a credential or a provider's address.
import { HeaderPair, sendLocalResponse } from "../../common/sdk";
import { ByteBuilder } from "../../common/assembly/bytes/builder";
import { appendOpenAIError, openAIErrorTypeForStatus } from "../../common/assembly/errors/openai";
import { writeAnthropicError } from "../../common/assembly/llm/anthropic";
import { Dialect } from "./model";

export function errorBody(dialect: i32, status: u32, message: string, code: string | null, param: string | null, out: ByteBuilder): void {
  if (dialect == Dialect.ANTHROPIC) writeAnthropicError(status, message, out);
  else appendOpenAIError(out, message, openAIErrorTypeForStatus(status), param, code);
}

export function refuse(dialect: i32, status: u32, details: string, message: string, code: string | null = null, param: string | null = null): void {
  const out = new ByteBuilder(128 + message.length);
  errorBody(dialect, status, message, code, param, out);
  const headers = new Array<HeaderPair>();
  headers.push(new HeaderPair("content-type", "application/json"));
  sendLocalResponse(status, details, out.raw().buffer.slice(0, out.length), headers);
}
