// One helper every filter uses to refuse a request: an OpenAI-shaped JSON error (what OpenAI's
// clients parse) sent as a local reply. `details` becomes Envoy's %RESPONSE_CODE_DETAILS%.
// Messages name the reason, never the credential, the token or the value that was matched.
import { HeaderPair, sendLocalResponse } from "../sdk";
import { openAIErrorBody, openAIErrorTypeForStatus } from "./errors/openai";

export function sendOpenAIError(status: u32, details: string, message: string, code: string | null = null,
  param: string | null = null, extraHeaders: Array<HeaderPair> | null = null, type: string | null = null): void {
  const body = openAIErrorBody(message, type === null ? openAIErrorTypeForStatus(status) : type, param, code);
  const headers = new Array<HeaderPair>(0);
  headers.push(new HeaderPair("content-type", "application/json"));
  if (extraHeaders !== null) {
    for (let i = 0; i < extraHeaders.length; i++) headers.push(extraHeaders[i]);
  }
  sendLocalResponse(status, details, body.buffer, headers);
}
