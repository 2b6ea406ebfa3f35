// Stream control: resuming a held stream and answering locally.
import { proxy_close_stream, proxy_continue_stream, proxy_send_local_response, StreamType } from "./abi";
import { HeaderPair, serializeHeaders } from "./headers";

/** Resumes a request held by StopIteration / StopAllIteration* (e.g. after an http_call). */
export function continueRequest(): u32 { return proxy_continue_stream(StreamType.Request); }
export function continueResponse(): u32 { return proxy_continue_stream(StreamType.Response); }
export function closeRequest(): u32 { return proxy_close_stream(StreamType.Request); }
export function closeResponse(): u32 { return proxy_close_stream(StreamType.Response); }

/** No gRPC status: an HTTP reply (proxy-wasm SDKs pass -1). */
export const NO_GRPC_STATUS: i32 = -1;

/**
 * Answers the client without reaching the upstream. Envoy sends the reply when the current VM
 * call returns and treats that callback as stop-all, whatever it returned; `headers` are added to
 * the reply's own (not replacing them). `details` becomes %RESPONSE_CODE_DETAILS% in access logs:
 * keep it short, lowercase, with underscores, and never put a secret in it.
 */
export function sendLocalResponse(status: u32, details: string, body: ArrayBuffer, headers: Array<HeaderPair>, grpcStatus: i32 = NO_GRPC_STATUS): u32 {
  const d = String.UTF8.encode(details);
  const h = serializeHeaders(headers);
  return proxy_send_local_response(status, changetype<usize>(d), d.byteLength, changetype<usize>(body), body.byteLength,
    changetype<usize>(h), h.byteLength, <u32>grpcStatus);
}
