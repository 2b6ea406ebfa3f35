// The three lifetimes of a proxy-wasm plugin, kept apart:
//   the VM (this module's globals), a plugin (RootContext: configuration, compiled engines,
//   metrics, timers, calls made on behalf of the plugin) and a stream (HttpContext: one request
//   and its response). Filters subclass RootContext and HttpContext and register a factory.
import { DataAction, HeadersAction, TrailersAction } from "./abi";

export class RootContext {
  constructor(public readonly id: u32) {}

  /** VM start with the vm_config.configuration bytes. */
  onVmStart(vmConfiguration: ArrayBuffer): bool { return true; }
  /** Plugin configuration; return false to reject it (Envoy then refuses the listener/filter).
   *  Log the field and the reason first. */
  onConfigure(configuration: ArrayBuffer): bool { return true; }
  /** A new stream on this plugin. */
  newHttpContext(id: u32): HttpContext { return new HttpContext(id, this); }
  onTick(): void {}
  onQueueReady(token: u32): void {}
  /** Response to an http_call this plugin made from onConfigure/onTick (not from a stream). */
  onHttpCallResponse(token: u32, headerCount: u32, bodySize: u32, trailerCount: u32): void {}
  onGrpcReceive(token: u32, size: u32): void {}
  onGrpcClose(token: u32, status: u32): void {}
  onDone(): bool { return true; }
  onDelete(): void {}
}

export class HttpContext {
  /** http_call tokens this stream is waiting for: dropped when the stream goes away. */
  pendingCalls: Array<u32> = new Array<u32>(0);

  constructor(public readonly id: u32, public readonly root: RootContext) {}

  onRequestHeaders(headerCount: u32, endOfStream: bool): u32 { return HeadersAction.Continue; }
  onRequestBody(bodySize: u32, endOfStream: bool): u32 { return DataAction.Continue; }
  onRequestTrailers(trailerCount: u32): u32 { return TrailersAction.Continue; }
  onResponseHeaders(headerCount: u32, endOfStream: bool): u32 { return HeadersAction.Continue; }
  onResponseBody(bodySize: u32, endOfStream: bool): u32 { return DataAction.Continue; }
  onResponseTrailers(trailerCount: u32): u32 { return TrailersAction.Continue; }
  /** Response (or failure: headerCount 0) of an http_call this stream made. */
  onHttpCallResponse(token: u32, headerCount: u32, bodySize: u32, trailerCount: u32): void {}
  /** A unary grpc_call this stream made succeeded: the reply is in the GrpcReceiveBuffer. */
  onGrpcReceive(token: u32, size: u32): void {}
  /** A unary grpc_call this stream made failed with gRPC `status` (no onGrpcReceive then). */
  onGrpcClose(token: u32, status: u32): void {}
  onDone(): bool { return true; }
  /** Access-log time: the request and response are complete; write filter state here at the latest. */
  onLog(): void {}
  onDelete(): void {}
}

export type RootFactory = (id: u32) => RootContext;

const factories = new Map<string, RootFactory>();
const factoryNames = new Array<string>(0);

/** Registers the plugin for Envoy's `root_id` (empty string when the config sets none). */
export function registerRootContext(rootId: string, factory: RootFactory): void {
  if (!factories.has(rootId)) factoryNames.push(rootId);
  factories.set(rootId, factory);
}

/** The factory for `rootId`; when a module registers exactly one plugin it serves any root_id,
 *  so a user who sets a root_id does not silently get a pass-through filter. */
export function findRootFactory(rootId: string): RootFactory | null {
  if (factories.has(rootId)) return factories.get(rootId);
  if (factoryNames.length == 1) return factories.get(factoryNames[0]);
  return null;
}
