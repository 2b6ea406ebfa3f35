// host-test: a proxy-wasm host that behaves like Envoy, for tests and a local gateway.
export { loadPlugin, Plugin, RootContext, type PluginOptions, type FailurePolicy, type ClusterHandler, type ClusterRequest, type ClusterResponse, type GrpcHandler, type GrpcRequest, type GrpcResponse, type LogEntry, type HttpCallRecord } from "./plugin.ts";
export { HttpStream, FilterContext, Bytes, type StreamTester, type LocalReply, type StreamEvents } from "./stream.ts";
export { HeaderMap, type HeadersInit } from "./headers.ts";
export { sharedData, sharedQueues, resetSharedState } from "./shared.ts";
export { getProperty, encodeProperty, type PropertyValue } from "./properties.ts";
export * from "./abi.ts";
export { Gateway, type GatewayOptions, type GatewayRequest, type GatewayResponse, type UpstreamHandler, type UpstreamRequest, type UpstreamResponse, type StreamSink } from "./gateway.ts";
export { gatewayHandler, serveGateway } from "./server.ts";
export { createDownstreamServer, closeIfAnsweredEarly, headerLimitError, MAX_REQUEST_HEADERS_BYTES, MAX_HEADERS_COUNT } from "./downstream.ts";
export { type HttpUpstream } from "./gateway.ts";
export { toGatewayRequest, responseWriter, openHttpUpstream, upstreamFailure, type HttpUpstreamResponse, type HttpUpstreamCall } from "./server.ts";
export { seededRandom, mutateText, FUZZ_INSERTS } from "./random.ts";
export { grpcUpstream, closeGrpcClients } from "./grpc.ts";
