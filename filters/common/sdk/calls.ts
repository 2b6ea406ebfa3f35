// Outgoing calls (http_call, grpc_call). Envoy runs them on the plugin's root context and calls
// back with the root context id (source/extensions/common/wasm/context.cc), so the dispatcher
// remembers which stream made each call and re-targets the callback there, after making that
// stream the effective context so its header and body calls reach the right stream.
import { proxy_grpc_call, proxy_http_call, WasmResult, HeaderMapType, BufferType } from "./abi";
import { HeaderPair, serializeHeaders, getHeaderPairs, getHeader } from "./headers";
import { getBufferBytes } from "./buffers";
import { RET_U64 } from "./memory";
import { HttpContext } from "./context";

export class CallOrigin {
  constructor(public rootId: u32, public stream: HttpContext | null) {}
}

/** token -> who is waiting. A stream's entries are removed when the stream is deleted. */
export const pendingCalls = new Map<u32, CallOrigin>();

export class CallResult {
  constructor(public result: u32, public token: u32) {}
  get ok(): bool { return this.result == WasmResult.Ok; }
}

/**
 * Sends an HTTP request to an Envoy cluster. `headers` must include :method, :path and
 * :authority (Envoy answers BadArgument otherwise, as for an unknown cluster). timeoutMs 0 means
 * no timeout. The answer arrives in `onHttpCallResponse` of `stream` (or of the root context when
 * stream is null); a failed call arrives with headerCount 0.
 */
export function httpCall(rootId: u32, stream: HttpContext | null, cluster: string, headers: Array<HeaderPair>, body: ArrayBuffer, timeoutMs: u32): CallResult {
  if (stream !== null) propagateTrace(headers);
  const c = String.UTF8.encode(cluster);
  const h = serializeHeaders(headers);
  const t = serializeHeaders(new Array<HeaderPair>(0));
  store<u32>(RET_U64, 0);
  const r = proxy_http_call(changetype<usize>(c), c.byteLength, changetype<usize>(h), h.byteLength,
    changetype<usize>(body), body.byteLength, changetype<usize>(t), t.byteLength, timeoutMs, RET_U64);
  const token = load<u32>(RET_U64);
  if (r == WasmResult.Ok) track(rootId, stream, token);
  return new CallResult(r, token);
}

/**
 * Unary gRPC call with the ABI 0.2.x signature (proxy-runtime 0.1.8 declares an older
 * 10-parameter one that Envoy rejects). `upstream` is a cluster name (or a serialized
 * GrpcService). The call ends with onGrpcReceive (success, message in the GrpcReceiveBuffer) or
 * onGrpcClose (failure status), never both.
 */
export function grpcCall(rootId: u32, stream: HttpContext | null, upstream: string, service: string, method: string,
  metadata: Array<HeaderPair>, message: ArrayBuffer, timeoutMs: u32): CallResult {
  const u = String.UTF8.encode(upstream);
  const s = String.UTF8.encode(service);
  const m = String.UTF8.encode(method);
  const md = serializeHeaders(metadata);
  store<u32>(RET_U64, 0);
  const r = proxy_grpc_call(changetype<usize>(u), u.byteLength, changetype<usize>(s), s.byteLength, changetype<usize>(m), m.byteLength,
    changetype<usize>(md), md.byteLength, changetype<usize>(message), message.byteLength, timeoutMs, RET_U64);
  const token = load<u32>(RET_U64);
  if (r == WasmResult.Ok) track(rootId, stream, token);
  return new CallResult(r, token);
}

/** An http_call starts no child span in Envoy and filters cannot tag spans, so a call made for a
 *  stream carries that request's W3C trace context (`traceparent`, `tracestate`) unless the caller
 *  set its own: the callee's spans then join the client's trace. */
function propagateTrace(headers: Array<HeaderPair>): void {
  for (let i = 0; i < headers.length; i++) {
    if (headers[i].name == "traceparent") return;
  }
  const parent = getHeader(HeaderMapType.RequestHeaders, "traceparent");
  if (parent === null) return;
  headers.push(new HeaderPair("traceparent", parent));
  const state = getHeader(HeaderMapType.RequestHeaders, "tracestate");
  if (state !== null) headers.push(new HeaderPair("tracestate", state));
}

function track(rootId: u32, stream: HttpContext | null, token: u32): void {
  pendingCalls.set(token, new CallOrigin(rootId, stream));
  if (stream !== null) stream.pendingCalls.push(token);
}

/** Forgets a finished call; returns who was waiting, or null for an unknown/forgotten token. */
export function takeCall(token: u32): CallOrigin | null {
  if (!pendingCalls.has(token)) return null;
  const origin = pendingCalls.get(token);
  pendingCalls.delete(token);
  const s = origin.stream;
  if (s !== null) {
    const i = s.pendingCalls.indexOf(token);
    if (i >= 0) s.pendingCalls.splice(i, 1);
  }
  return origin;
}

/** Forgets every call a stream is waiting for (the stream is gone: nobody to answer). */
export function dropCallsOf(stream: HttpContext): void {
  for (let i = 0; i < stream.pendingCalls.length; i++) pendingCalls.delete(stream.pendingCalls[i]);
  stream.pendingCalls = new Array<u32>(0);
}

/** Helpers for reading an http_call response inside onHttpCallResponse. */
export function httpCallResponseHeaders(): Array<HeaderPair> { return getHeaderPairs(HeaderMapType.HttpCallResponseHeaders); }
export function httpCallResponseHeader(name: string): string | null { return getHeader(HeaderMapType.HttpCallResponseHeaders, name); }
export function httpCallResponseBody(size: u32): ArrayBuffer { return getBufferBytes(BufferType.HttpCallResponseBody, 0, size); }
/** The :status of an http_call response, or 0 when the call failed (no headers). */
export function httpCallResponseStatus(): u32 {
  const s = getHeader(HeaderMapType.HttpCallResponseHeaders, ":status");
  if (s === null) return 0;
  return <u32>I32.parseInt(s, 10);
}
export function grpcReceiveMessage(size: u32): ArrayBuffer { return getBufferBytes(BufferType.GrpcReceiveBuffer, 0, size); }
