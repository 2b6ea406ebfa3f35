// OpenAI-shaped error bodies, the shape OpenAI's SDKs parse on non-2xx responses:
//   {"error":{"message":"...","type":"...","param":null,"code":"..."}}
// (openai-python `_make_status_error` reads body["error"]; `message`, `type`, `param`, `code`
// are all present, `param`/`code` may be null.)
import { ByteBuilder } from "../bytes/builder";
import { appendJsonString } from "../json/escape";

/** Error `type` values used by the OpenAI API, grouped with the HTTP status they come with. */
export namespace OpenAIErrorType {
  export const INVALID_REQUEST = "invalid_request_error"; // 400, 404, 413, 422
  export const AUTHENTICATION = "authentication_error"; // 401
  export const PERMISSION = "permission_error"; // 403
  export const RATE_LIMIT = "rate_limit_error"; // 429 (rate limit)
  export const INSUFFICIENT_QUOTA = "insufficient_quota"; // 429 (quota)
  export const SERVER = "server_error"; // 500, 502, 503
}

/** Appends the error object to `out`; `param`/`code` null are written as JSON null. */
export function appendOpenAIError(out: ByteBuilder, message: string, type: string, param: string | null = null, code: string | null = null): void {
  out.appendString('{"error":{"message":');
  appendJsonString(out, message);
  out.appendString(',"type":');
  appendJsonString(out, type);
  out.appendString(',"param":');
  if (param === null) out.appendString("null");
  else appendJsonString(out, param);
  out.appendString(',"code":');
  if (code === null) out.appendString("null");
  else appendJsonString(out, code);
  out.appendString("}}");
}

/** The complete error body as UTF-8 bytes (Content-Type: application/json). */
export function openAIErrorBody(message: string, type: string, param: string | null = null, code: string | null = null): Uint8Array {
  const out = new ByteBuilder(96 + message.length);
  appendOpenAIError(out, message, type, param, code);
  return out.toBytes();
}

/** A sensible default `type` for an HTTP status a filter answers with. */
export function openAIErrorTypeForStatus(status: u32): string {
  if (status == 401) return OpenAIErrorType.AUTHENTICATION;
  if (status == 403) return OpenAIErrorType.PERMISSION;
  if (status == 429) return OpenAIErrorType.RATE_LIMIT;
  if (status >= 500) return OpenAIErrorType.SERVER;
  return OpenAIErrorType.INVALID_REQUEST;
}
