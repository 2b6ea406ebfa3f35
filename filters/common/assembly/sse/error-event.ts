// The last events of a stream a filter ends early, in the client's dialect:
//   OpenAI     data: {"error":{"message":..,"type":..,"param":null,"code":..}}   then   data: [DONE]
//              (the SDKs raise an APIError on an event with `error`; [DONE] closes the stream for
//              clients that read until it)
//   Anthropic  event: error
//              data: {"type":"error","error":{"type":..,"message":..}}
//              (docs.anthropic.com "Streaming messages", error events; no [DONE] in that API)
import { ByteBuilder } from "../bytes/builder";
import { appendOpenAIError } from "../errors/openai";
import { appendJsonString } from "../json/escape";

export function appendOpenAIStreamError(out: ByteBuilder, message: string, type: string, code: string | null): void {
  out.appendString("data: ");
  appendOpenAIError(out, message, type, null, code);
  out.appendString("\n\ndata: [DONE]\n\n");
}

export function appendAnthropicStreamError(out: ByteBuilder, message: string, type: string): void {
  out.appendString("event: error\ndata: ");
  appendAnthropicError(out, message, type);
  out.appendString("\n\n");
}

/** Anthropic's error body: {"type":"error","error":{"type":"rate_limit_error","message":"..."}}. */
export function appendAnthropicError(out: ByteBuilder, message: string, type: string): void {
  out.appendString('{"type":"error","error":{"type":');
  appendJsonString(out, type);
  out.appendString(',"message":');
  appendJsonString(out, message);
  out.appendString("}}");
}
