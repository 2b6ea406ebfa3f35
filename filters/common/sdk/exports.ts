// The module's proxy-wasm exports (ABI 0.2.1). A filter's entry file re-exports this module:
//   export * from "../../common/sdk/exports";
//
// Every export is total: an id the module does not know (a host bug, or a stream created before a
// failed configure) gets the neutral answer instead of a trap, because a trap kills the VM and
// with it every stream of this worker. Compared with proxy-runtime 0.1.8's exports.ts, this
// dispatcher builds no debug strings on the hot path, routes http/gRPC call answers to the stream
// that made the call, drops answers for streams that are gone, and exports
// proxy_on_grpc_receive_trailing_metadata under the ABI's name. Each callback is bracketed by
// enter/leave (rest.ts): a module built with the minimal runtime collects garbage at rest there.
import "./abort";
import { proxy_set_effective_context, DataAction, HeadersAction, TrailersAction, LogLevel } from "./abi";
import { getPluginConfiguration, getVmConfiguration } from "./buffers";
import { dropCallsOf, takeCall } from "./calls";
import { findRootFactory, HttpContext, RootContext } from "./context";
import { log, refreshLogLevel } from "./log";
import { getPropertyString } from "./properties";
import { enter, leave } from "./rest";

export { malloc } from "./memory";

const roots = new Map<u32, RootContext>();
const streams = new Map<u32, HttpContext>();

export function proxy_abi_version_0_2_1(): void {}

export function proxy_on_context_create(contextId: u32, rootContextId: u32): void {
  enter();
  contextCreate(contextId, rootContextId);
  leave();
}

function contextCreate(contextId: u32, rootContextId: u32): void {
  if (rootContextId == 0) {
    if (roots.has(contextId)) return;
    const rootId = getPropertyString("plugin_root_id");
    const factory = findRootFactory(rootId === null ? "" : rootId);
    // Without a factory the root still exists, as a pass-through, so that configure can reject it
    // with a log line instead of the VM trapping.
    roots.set(contextId, factory === null ? new RootContext(contextId) : factory(contextId));
    return;
  }
  if (!roots.has(rootContextId)) return;
  const root = roots.get(rootContextId);
  streams.set(contextId, root.newHttpContext(contextId));
}

export function proxy_on_vm_start(rootContextId: u32, vmConfigurationSize: u32): u32 {
  enter();
  refreshLogLevel();
  const ok = !roots.has(rootContextId) || roots.get(rootContextId).onVmStart(getVmConfiguration(vmConfigurationSize));
  leave();
  return ok ? 1 : 0;
}

export function proxy_validate_configuration(rootContextId: u32, configurationSize: u32): u32 {
  return 1;
}

export function proxy_on_configure(rootContextId: u32, configurationSize: u32): u32 {
  enter();
  const ok = configure(rootContextId, configurationSize);
  leave();
  return ok;
}

function configure(rootContextId: u32, configurationSize: u32): u32 {
  refreshLogLevel();
  if (!roots.has(rootContextId)) return 0;
  const rootId = getPropertyString("plugin_root_id");
  if (findRootFactory(rootId === null ? "" : rootId) === null) {
    log(LogLevel.Critical, "configuration rejected: this module has no plugin for root_id '" + (rootId === null ? "" : rootId) + "'");
    return 0;
  }
  return roots.get(rootContextId).onConfigure(getPluginConfiguration(configurationSize)) ? 1 : 0;
}

export function proxy_on_tick(rootContextId: u32): void {
  enter();
  refreshLogLevel();
  if (roots.has(rootContextId)) roots.get(rootContextId).onTick();
  leave();
}

export function proxy_on_queue_ready(rootContextId: u32, token: u32): void {
  if (!roots.has(rootContextId)) return;
  enter();
  roots.get(rootContextId).onQueueReady(token);
  leave();
}

export function proxy_on_foreign_function(rootContextId: u32, functionId: u32, dataSize: u32): void {}

export function proxy_on_request_headers(contextId: u32, headerCount: u32, endOfStream: u32): u32 {
  if (!streams.has(contextId)) return HeadersAction.Continue;
  enter();
  const r = streams.get(contextId).onRequestHeaders(headerCount, endOfStream != 0);
  leave();
  return r;
}

export function proxy_on_request_body(contextId: u32, bodySize: u32, endOfStream: u32): u32 {
  if (!streams.has(contextId)) return DataAction.Continue;
  enter();
  const r = streams.get(contextId).onRequestBody(bodySize, endOfStream != 0);
  leave();
  return r;
}

export function proxy_on_request_trailers(contextId: u32, trailerCount: u32): u32 {
  if (!streams.has(contextId)) return TrailersAction.Continue;
  enter();
  const r = streams.get(contextId).onRequestTrailers(trailerCount);
  leave();
  return r;
}

export function proxy_on_request_metadata(contextId: u32, count: u32): u32 { return 0; }

export function proxy_on_response_headers(contextId: u32, headerCount: u32, endOfStream: u32): u32 {
  if (!streams.has(contextId)) return HeadersAction.Continue;
  enter();
  const r = streams.get(contextId).onResponseHeaders(headerCount, endOfStream != 0);
  leave();
  return r;
}

export function proxy_on_response_body(contextId: u32, bodySize: u32, endOfStream: u32): u32 {
  if (!streams.has(contextId)) return DataAction.Continue;
  enter();
  const r = streams.get(contextId).onResponseBody(bodySize, endOfStream != 0);
  leave();
  return r;
}

export function proxy_on_response_trailers(contextId: u32, trailerCount: u32): u32 {
  if (!streams.has(contextId)) return TrailersAction.Continue;
  enter();
  const r = streams.get(contextId).onResponseTrailers(trailerCount);
  leave();
  return r;
}

export function proxy_on_response_metadata(contextId: u32, count: u32): u32 { return 0; }

export function proxy_on_http_call_response(contextId: u32, token: u32, headerCount: u32, bodySize: u32, trailerCount: u32): void {
  enter();
  httpCallResponse(token, headerCount, bodySize, trailerCount);
  leave();
}

function httpCallResponse(token: u32, headerCount: u32, bodySize: u32, trailerCount: u32): void {
  const origin = takeCall(token);
  if (origin === null) return;
  const stream = origin.stream;
  if (stream !== null) {
    proxy_set_effective_context(stream.id);
    stream.onHttpCallResponse(token, headerCount, bodySize, trailerCount);
  } else if (roots.has(origin.rootId)) {
    roots.get(origin.rootId).onHttpCallResponse(token, headerCount, bodySize, trailerCount);
  }
}

export function proxy_on_grpc_receive_initial_metadata(contextId: u32, token: u32, headerCount: u32): void {}
export function proxy_on_grpc_receive_trailing_metadata(contextId: u32, token: u32, trailerCount: u32): void {}

export function proxy_on_grpc_receive(contextId: u32, token: u32, size: u32): void {
  enter();
  grpcReceive(token, size);
  leave();
}

function grpcReceive(token: u32, size: u32): void {
  // A unary call ends with exactly one of receive (success) or close (failure), as Envoy's
  // Context::onGrpcReceiveWrapper / onGrpcCloseWrapper deliver them; this SDK offers unary calls only.
  const origin = takeCall(token);
  if (origin === null) return;
  const stream = origin.stream;
  if (stream !== null) {
    proxy_set_effective_context(stream.id);
    stream.onGrpcReceive(token, size);
  } else if (roots.has(origin.rootId)) roots.get(origin.rootId).onGrpcReceive(token, size);
}

export function proxy_on_grpc_close(contextId: u32, token: u32, status: u32): void {
  enter();
  grpcClose(token, status);
  leave();
}

function grpcClose(token: u32, status: u32): void {
  const origin = takeCall(token);
  if (origin === null) return;
  const stream = origin.stream;
  if (stream !== null) {
    proxy_set_effective_context(stream.id);
    stream.onGrpcClose(token, status);
  } else if (roots.has(origin.rootId)) roots.get(origin.rootId).onGrpcClose(token, status);
}

export function proxy_on_done(contextId: u32): u32 {
  enter();
  let done = true;
  if (streams.has(contextId)) done = streams.get(contextId).onDone();
  else if (roots.has(contextId)) done = roots.get(contextId).onDone();
  leave();
  return done ? 1 : 0;
}

export function proxy_on_log(contextId: u32): void {
  if (!streams.has(contextId)) return;
  enter();
  streams.get(contextId).onLog();
  leave();
}

export function proxy_on_delete(contextId: u32): void {
  enter();
  deleteContext(contextId);
  leave();
}

function deleteContext(contextId: u32): void {
  if (streams.has(contextId)) {
    const s = streams.get(contextId);
    dropCallsOf(s);
    s.onDelete();
    streams.delete(contextId);
    return;
  }
  if (roots.has(contextId)) {
    roots.get(contextId).onDelete();
    roots.delete(contextId);
  }
}
